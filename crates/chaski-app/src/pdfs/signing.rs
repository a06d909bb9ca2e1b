//! "Firmar digitalmente": a PAdES signature with a PKCS#12 file, its password typed or
//! remembered in the OS keyring ([`crate::secrets`]).

use chaski_core::error::ErrorCode;
use chaski_docs::{SignOptions, SignatureReason, SigningCredential};
use chaski_store::Store;
use chaski_store::documents::{GeneratedDocument, sha256_hex};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::IpcError;
use crate::files::field_error;
use crate::secrets::CertificatePasswords;

use super::trust::read_file;

/// "Firmar digitalmente".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SignRequest {
    /// The version to sign (must be the latest of its document).
    pub id: Uuid,
    /// Path of the PKCS#12 (PFX/P12) file.
    pub pfx_path: String,
    /// `null` or empty: use the password remembered for this file.
    #[serde(default)]
    pub password: Option<String>,
    /// Remember the typed password in the system keyring once the signature is stored.
    #[serde(default)]
    pub remember: bool,
    #[ts(type = "\"author\" | \"conformity\" | \"approval\"")]
    pub reason: SignatureReason,
}

/// The new version, and what happened to the password.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SignOutcome {
    pub document: GeneratedDocument,
    /// The typed password is now in the system keyring.
    pub password_remembered: bool,
    /// Something the person should know although the signature succeeded.
    pub notice: Option<String>,
}

/// A PFX file as the sign dialog needs to know it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CertificateFile {
    /// SHA-256 of the file: the key of its remembered password.
    pub fingerprint: String,
    pub password_remembered: bool,
}

/// What the sign dialog shows for a chosen PFX file.
pub fn certificate_file(pfx_path: &str) -> Result<CertificateFile, IpcError> {
    let pfx = read_file(pfx_path, "pfx_path", "el archivo del certificado (PFX/P12)")?;
    let fingerprint = sha256_hex(&pfx);
    // Without a keyring nothing is remembered; that is not an error for the dialog.
    let password_remembered = CertificatePasswords::get(&fingerprint)
        .map(|p| p.is_some())
        .unwrap_or(false);
    Ok(CertificateFile {
        fingerprint,
        password_remembered,
    })
}

/// "Firmar digitalmente": signs the stored version `request.id` and stores the result as the
/// next version. Nothing is stored, and no password remembered, unless everything succeeded.
pub fn sign(store: &Store, request: &SignRequest) -> Result<SignOutcome, IpcError> {
    let previous = store.document_get(request.id)?;
    let pfx = read_file(
        &request.pfx_path,
        "pfx_path",
        "el archivo del certificado (PFX/P12)",
    )?;
    let fingerprint = sha256_hex(&pfx);
    let typed = request.password.as_deref().filter(|p| !p.is_empty());
    let password = match typed {
        Some(p) => p.to_string(),
        None => match CertificatePasswords::get(&fingerprint) {
            Ok(Some(p)) => p,
            Ok(None) => {
                return Err(field_error(
                    ErrorCode::CampoRequerido,
                    "password",
                    "Escriba la contraseña del certificado: no hay una contraseña recordada \
                     para este archivo.",
                ));
            }
            // No keyring on this computer: nothing can be remembered, so it must be typed.
            Err(crate::secrets::SecretsError::KeyringUnavailable(_)) => {
                return Err(field_error(
                    ErrorCode::CampoRequerido,
                    "password",
                    "Escriba la contraseña del certificado: este equipo no tiene llavero del \
                     sistema donde recordarla.",
                ));
            }
            Err(e) => return Err(e.into()),
        },
    };
    let credential = SigningCredential::from_pkcs12(&pfx, &password)?;
    let pdf = store.document_pdf(previous.id)?;
    let signed = chaski_docs::sign_pdf(&pdf, &credential, &SignOptions::now(request.reason))?;
    let document =
        store.document_add_version(previous.id, &signed, previous.signature_count + 1)?;
    let (password_remembered, notice) = match (request.remember, typed) {
        (true, Some(p)) => match CertificatePasswords::remember(&fingerprint, p) {
            Ok(()) => (true, None),
            Err(e) => (
                false,
                Some(format!(
                    "El documento se firmó, pero la contraseña no se pudo recordar: {e}"
                )),
            ),
        },
        _ => (false, None),
    };
    Ok(SignOutcome {
        document,
        password_remembered,
        notice,
    })
}
