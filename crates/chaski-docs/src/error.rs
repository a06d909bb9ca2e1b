//! Errors of the document crate: a closed set, each with a stable code for the UI and a
//! Spanish message that says what to do.

/// Everything that can go wrong while rendering, signing or reading a document.
#[derive(Debug, thiserror::Error)]
pub enum DocsError {
    /// The handwritten signature is not a readable PNG.
    #[error(
        "La firma manuscrita de «{role}» no es una imagen PNG válida ({detail}). Vuelva a dibujar la firma."
    )]
    HandSignatureImage {
        /// Who signs (Spanish label).
        role: &'static str,
        /// What the decoder said.
        detail: String,
    },
    /// The input data could not be turned into canonical JSON.
    #[error("No se pudo preparar los datos del documento para calcular su huella: {0}.")]
    Serialize(String),
    /// The PDF could not be written.
    #[error("No se pudo generar el PDF: {0}. Revise los datos del documento.")]
    Render(String),
    /// Wrong password for the PKCS#12 file.
    #[error(
        "La contraseña del certificado digital (archivo PFX/P12) es incorrecta. Escríbala de nuevo."
    )]
    PfxWrongPassword,
    /// The PKCS#12 file cannot be read at all.
    #[error(
        "El archivo del certificado digital (PFX/P12) no es válido o está dañado ({0}). Elija el archivo que le entregó la entidad certificadora."
    )]
    PfxInvalid(String),
    /// The PKCS#12 file has certificates but no private key.
    #[error(
        "El archivo PFX/P12 no contiene la clave privada del certificado; con él no se puede firmar. Exporte el certificado junto con su clave privada."
    )]
    PfxWithoutPrivateKey,
    /// The key is not RSA (the only kind Peruvian certificates use today).
    #[error(
        "El certificado usa un tipo de clave no soportado ({0}). Solo se admiten certificados con clave RSA."
    )]
    UnsupportedKey(String),
    /// The signing certificate expired before the signing time.
    #[error(
        "El certificado digital venció el {not_after}. Renueve su certificado antes de firmar."
    )]
    CertificateExpired {
        /// Expiry, dd/mm/aaaa hh:mm.
        not_after: String,
    },
    /// The signing certificate is not valid yet.
    #[error(
        "El certificado digital recién será válido desde el {not_before}. Firme a partir de esa fecha o revise la hora del equipo."
    )]
    CertificateNotYetValid {
        /// Start of validity, dd/mm/aaaa hh:mm.
        not_before: String,
    },
    /// The PDF to sign or verify cannot be parsed.
    #[error("El archivo no es un PDF válido o no se puede leer ({0}). Abra el documento original.")]
    PdfInvalid(String),
    /// The PDF is encrypted; we do not sign encrypted files.
    #[error(
        "El PDF está protegido con contraseña; no se puede firmar. Use una copia sin protección."
    )]
    PdfEncrypted,
    /// The CMS signature did not fit the reserved space.
    #[error(
        "La firma digital no entra en el espacio reservado del PDF ({needed} bytes). Informe a soporte."
    )]
    SignatureTooLarge {
        /// Bytes the signature needed.
        needed: usize,
    },
    /// A certificate file (e.g. a trusted root) cannot be read.
    #[error(
        "El archivo no es un certificado X.509 legible ({0}). Elija el certificado de la entidad certificadora en formato .cer, .crt, .der o .pem."
    )]
    CertificateInvalid(String),
    /// A cryptographic operation failed.
    #[error("No se pudo calcular la firma digital: {0}.")]
    Crypto(String),
}

impl DocsError {
    /// Stable code for the UI and the logs; never changes once released.
    pub fn code(&self) -> &'static str {
        match self {
            Self::HandSignatureImage { .. } => "docs.hand_signature_image",
            Self::Serialize(_) => "docs.serialize",
            Self::Render(_) => "docs.render",
            Self::PfxWrongPassword => "docs.pfx_wrong_password",
            Self::PfxInvalid(_) => "docs.pfx_invalid",
            Self::PfxWithoutPrivateKey => "docs.pfx_without_private_key",
            Self::UnsupportedKey(_) => "docs.unsupported_key",
            Self::CertificateExpired { .. } => "docs.certificate_expired",
            Self::CertificateNotYetValid { .. } => "docs.certificate_not_yet_valid",
            Self::PdfInvalid(_) => "docs.pdf_invalid",
            Self::PdfEncrypted => "docs.pdf_encrypted",
            Self::SignatureTooLarge { .. } => "docs.signature_too_large",
            Self::CertificateInvalid(_) => "docs.certificate_invalid",
            Self::Crypto(_) => "docs.crypto",
        }
    }
}
