//! Generated PDFs: render a record's printable form, sign, verify, print, save; remembered certificate passwords and the trusted roots.
//!
//! One function per command of the same name (see [`crate::api`]).

use crate::error::IpcError;
use crate::state::AppState;

pub fn document_render(
    state: &AppState,
    input: crate::pdfs::DocumentRequest,
) -> Result<chaski_store::documents::GeneratedDocument, IpcError> {
    crate::pdfs::render(&*state.store()?, &input)
}

pub fn generated_documents_of(
    state: &AppState,
    source: crate::printing::DocumentSource,
) -> Result<Vec<chaski_store::documents::GeneratedDocument>, IpcError> {
    crate::pdfs::versions(&*state.store()?, &source)
}

pub fn document_sign(
    state: &AppState,
    input: crate::pdfs::SignRequest,
) -> Result<crate::pdfs::SignOutcome, IpcError> {
    crate::pdfs::sign(&*state.store()?, &input)
}

pub fn document_signatures(
    state: &AppState,
    id: uuid::Uuid,
) -> Result<Vec<chaski_docs::SignatureReport>, IpcError> {
    crate::pdfs::signatures_of(&*state.store()?, state.data_dir(), id)
}

pub fn document_verify(
    state: &AppState,
    path: String,
) -> Result<Vec<chaski_docs::SignatureReport>, IpcError> {
    crate::pdfs::verify_file(state.data_dir(), &path)
}

pub fn document_open(
    state: &AppState,
    id: uuid::Uuid,
) -> Result<crate::files::OpenOutcome, IpcError> {
    crate::pdfs::open(&*state.store()?, state.data_dir(), id, state.viewer())
}

pub fn document_save_as(state: &AppState, id: uuid::Uuid, path: String) -> Result<(), IpcError> {
    crate::pdfs::save_as(&*state.store()?, id, &path)
}

pub fn keyring_status(_state: &AppState) -> Result<bool, IpcError> {
    Ok(crate::secrets::CertificatePasswords::available().is_ok())
}

pub fn certificate_file(
    _state: &AppState,
    path: String,
) -> Result<crate::pdfs::CertificateFile, IpcError> {
    crate::pdfs::certificate_file(&path)
}

pub fn certificate_password_forget(
    _state: &AppState,
    fingerprint: String,
) -> Result<bool, IpcError> {
    Ok(crate::secrets::CertificatePasswords::forget(&fingerprint)?)
}

pub fn trusted_roots_list(state: &AppState) -> Result<Vec<crate::pdfs::TrustedRoot>, IpcError> {
    crate::pdfs::trusted_roots(state.data_dir())
}

pub fn trusted_root_add(
    state: &AppState,
    path: String,
) -> Result<Vec<crate::pdfs::TrustedRoot>, IpcError> {
    crate::pdfs::trusted_root_add(state.data_dir(), &path)
}

pub fn trusted_root_remove(
    state: &AppState,
    sha256: String,
) -> Result<Vec<crate::pdfs::TrustedRoot>, IpcError> {
    crate::pdfs::trusted_root_remove(state.data_dir(), &sha256)
}
