//! chaski-docs: the official forms as A4 PDFs, handwritten signatures, PAdES digital
//! signatures and their verification. Bytes in, bytes out: it knows nothing of the
//! database, the keyring or the UI.
//!
//! * [`render`] lays out a [`Document`] (Anexo 01 register, cargo de asignación, traslado,
//!   informe técnico de baja, ficha técnica de diagnóstico)
//!   with its own small layout engine over printpdf, embedding subset Liberation Sans.
//!   Every page carries the document number, "Página N de M", the short content hash and a
//!   QR code with the document id and the full SHA-256 of the input data
//!   ([`content_sha256`]); the PDF cannot contain its own hash, so the data's is used.
//! * [`SigningCredential`] reads a PKCS#12 file; [`sign_pdf`] appends a PAdES
//!   (`ETSI.CAdES.detached`) signature with a visible stamp as an incremental update, so
//!   earlier signatures stay valid.
//! * [`verify`] reports every signature of any PDF: signer, reason, time, whether the
//!   file changed after it, digest, and whether the certificate chains to a trusted root.
//!
//! * [`sheet`] writes Excel workbooks (`.xlsx`): the Anexo 01 register and list screens, typed
//!   cells, filters, frozen header, no formula injection.
//!
//! Decisions and limits are written down in `docs/documents.md`.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod canonical;
mod canvas;
mod error;
mod layout;
mod model;
mod pades;
mod render;
pub mod samples;
pub mod sheet;
mod table;
mod templates;
mod text;

pub use canonical::{canonical_json, content_sha256};
pub use error::DocsError;
pub use layout::qr_payload;
pub use model::{
    AssetLine, Assignment, AttentionRegister, AttentionRow, AttentionStatus, ChecklistLine,
    DecommissionLine, DecommissionReport, DiagnosticSheet, Document, DocumentMeta, FormHeader,
    HandSignature, PersonRef, SignerRole, Transfer,
};
pub use pades::{
    CertificateInfo, SignOptions, SignatureReason, SignatureReport, SigningCredential,
    StampPlacement, certificate_info, sign_pdf, verify,
};
pub use render::{RenderedDocument, render};
pub use text::{FALLBACK_CHAR, sanitize};
