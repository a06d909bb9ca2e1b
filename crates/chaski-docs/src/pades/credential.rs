//! The signer's certificate and private key, read from a PKCS#12 (PFX/P12) file. Both the
//! modern format (PBES2 / AES-256, what OpenSSL 3 writes) and the legacy one (RC2-40 and
//! 3DES, what older Windows exports and many certification authorities hand out) are read
//! by `p12-keystore`.

use chrono::{DateTime, Utc};
use der::{Decode, Encode};
use p12_keystore::{KeyStore, KeyStoreEntry, Pkcs12ImportPolicy};
use rsa::RsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use x509_cert::Certificate;

use super::certs;
use crate::error::DocsError;

/// A certificate with its private key, ready to sign.
#[derive(Clone)]
pub struct SigningCredential {
    pub(crate) key: RsaPrivateKey,
    pub(crate) cert: Certificate,
    /// Other certificates of the file (intermediate CAs), embedded in the signature.
    pub(crate) chain: Vec<Certificate>,
}

impl std::fmt::Debug for SigningCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningCredential")
            .field("common_name", &self.common_name())
            .finish_non_exhaustive()
    }
}

fn map_p12_error(e: p12_keystore::error::Error) -> DocsError {
    use p12_keystore::error::Error as E;
    match e {
        E::MacError(_) | E::UnpadError => DocsError::PfxWrongPassword,
        other => DocsError::PfxInvalid(other.to_string()),
    }
}

impl SigningCredential {
    /// Reads a PKCS#12 file. Errors: wrong password, damaged file, no private key,
    /// non-RSA key.
    pub fn from_pkcs12(pfx: &[u8], password: &str) -> Result<Self, DocsError> {
        let store = KeyStore::from_pkcs12(pfx, password, Pkcs12ImportPolicy::Relaxed)
            .map_err(map_p12_error)?;
        let Some((_, chain)) = store.private_key_chain() else {
            return Err(DocsError::PfxWithoutPrivateKey);
        };
        let key_der = chain.key().as_der();
        let key = RsaPrivateKey::from_pkcs8_der(key_der).map_err(|_| {
            let oid = chain.key().oid();
            if oid.to_string() == certs::OID_RSA.to_string() {
                DocsError::PfxInvalid("clave privada RSA ilegible".into())
            } else {
                DocsError::UnsupportedKey(oid.to_string())
            }
        })?;
        let public = rsa::RsaPublicKey::from(&key);
        let mut all: Vec<Certificate> = chain
            .certs()
            .iter()
            .filter_map(|c| Certificate::from_der(c.as_der()).ok())
            .collect();
        // Certificates stored apart from the key (CA certificates) also go into the chain.
        for (_, entry) in store.entries() {
            if let KeyStoreEntry::Certificate(c) = entry
                && let Ok(cert) = Certificate::from_der(c.as_der())
                && !all.contains(&cert)
            {
                all.push(cert);
            }
        }
        let Some(pos) = all
            .iter()
            .position(|c| certs::rsa_public_key(c).as_ref() == Some(&public))
        else {
            return Err(DocsError::PfxWithoutPrivateKey);
        };
        let cert = all.remove(pos);
        Ok(Self {
            key,
            cert,
            chain: all,
        })
    }

    /// The certificate's common name (CN), printed in the stamp.
    pub fn common_name(&self) -> String {
        certs::common_name(&self.cert.tbs_certificate.subject)
    }

    /// Start of the certificate's validity.
    pub fn not_before(&self) -> DateTime<Utc> {
        certs::not_before(&self.cert)
    }

    /// End of the certificate's validity.
    pub fn not_after(&self) -> DateTime<Utc> {
        certs::not_after(&self.cert)
    }

    /// The signing certificate, DER.
    pub fn certificate_der(&self) -> Vec<u8> {
        self.cert.to_der().unwrap_or_default()
    }

    /// Fails with a Spanish message when the certificate is not valid at `at`.
    pub fn check_valid_at(&self, at: DateTime<Utc>) -> Result<(), DocsError> {
        let lima = |t: DateTime<Utc>| {
            t.with_timezone(&chrono_tz::America::Lima)
                .format("%d/%m/%Y %H:%M")
                .to_string()
        };
        if at < self.not_before() {
            return Err(DocsError::CertificateNotYetValid {
                not_before: lima(self.not_before()),
            });
        }
        if at > self.not_after() {
            return Err(DocsError::CertificateExpired {
                not_after: lima(self.not_after()),
            });
        }
        Ok(())
    }
}
