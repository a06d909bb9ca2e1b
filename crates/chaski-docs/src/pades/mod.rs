//! PAdES digital signatures: reading the signer's PKCS#12 file, appending a signature as an
//! incremental update, and verifying the signatures of any PDF.
//!
//! We do it ourselves with lopdf + RustCrypto `cms`: when this was written no maintained
//! crate did PAdES B-B with signingCertificateV2, no signing-time attribute and a visible
//! stamp in the Peruvian form without also pulling an async network stack (see
//! `docs/documents.md`).

mod certs;
mod cms_sig;
mod credential;
mod pdf_sig;
mod stamp;
mod verify;

use chrono::{DateTime, Utc};

pub use certs::{CertificateInfo, certificate_info};
pub use credential::SigningCredential;
pub use pdf_sig::sign_pdf;
pub use verify::{SignatureReport, verify};

/// Why the signer signs ("Motivo"), with the three texts used in Peruvian public
/// administration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum SignatureReason {
    /// "Soy el autor del documento".
    Author,
    /// "En señal de conformidad".
    Conformity,
    /// "Doy V° B°".
    Approval,
}

impl SignatureReason {
    /// The text written into `/Reason` and the stamp.
    pub fn text(self) -> &'static str {
        match self {
            Self::Author => "Soy el autor del documento",
            Self::Conformity => "En señal de conformidad",
            Self::Approval => "Doy V° B°",
        }
    }
}

/// Where the visible stamp goes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StampPlacement {
    /// Bottom band of the last page that our templates keep free, one slot per existing
    /// signature (three per row, left to right). On foreign PDFs it may cover content.
    Auto,
    /// An explicit rectangle in millimetres from the bottom-left corner of `page` (1-based).
    Rect {
        /// Page number, 1-based; clamped to the last page.
        page: usize,
        /// Left edge, mm.
        x_mm: f32,
        /// Bottom edge, mm.
        y_mm: f32,
        /// Width, mm.
        width_mm: f32,
        /// Height, mm.
        height_mm: f32,
    },
    /// No visible stamp (the signature is still listed by every viewer).
    Invisible,
}

/// How to sign.
#[derive(Debug, Clone)]
pub struct SignOptions {
    /// Motivo.
    pub reason: SignatureReason,
    /// Signing time: written to `/M` and printed in the stamp in America/Lima time. Also the
    /// instant at which the certificate must be valid.
    pub signed_at: DateTime<Utc>,
    /// Stamp placement.
    pub placement: StampPlacement,
    /// Optional `/Location`, e.g. "Cusco, Perú".
    pub location: Option<String>,
}

impl SignOptions {
    /// Sign now with the automatic stamp placement.
    pub fn now(reason: SignatureReason) -> Self {
        Self {
            reason,
            signed_at: Utc::now(),
            placement: StampPlacement::Auto,
            location: None,
        }
    }
}
