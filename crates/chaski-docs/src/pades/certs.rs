//! Small helpers over X.509 certificates: names, validity, public keys, and checking one
//! certificate's signature with another's key.

use chrono::{DateTime, Utc};
use der::{Encode, asn1::ObjectIdentifier};
use rsa::RsaPublicKey;
use rsa::pkcs8::DecodePublicKey;
use x509_cert::Certificate;
use x509_cert::name::Name;

const OID_CN: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.3");
pub(crate) const OID_SHA1_RSA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5");
pub(crate) const OID_SHA256_RSA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.11");
pub(crate) const OID_SHA384_RSA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.12");
pub(crate) const OID_SHA512_RSA: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.13");
pub(crate) const OID_RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// Decodes a directory string value (UTF8String, PrintableString, IA5String, T61String,
/// BMPString) as text.
fn any_to_string(value: &der::Any) -> String {
    let bytes = value.value();
    use der::Tagged;
    if value.tag() == der::Tag::BmpString {
        let units: Vec<u16> = bytes
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        // T61String in practice carries Latin-1.
        Err(_) => bytes.iter().map(|b| char::from(*b)).collect(),
    }
}

/// The common name (CN) of a distinguished name, or the whole name if it has none.
pub(crate) fn common_name(name: &Name) -> String {
    for rdn in name.0.iter() {
        for atv in rdn.0.iter() {
            if atv.oid == OID_CN {
                return any_to_string(&atv.value);
            }
        }
    }
    name.to_string()
}

fn to_chrono(t: &x509_cert::time::Time) -> DateTime<Utc> {
    let secs = t.to_unix_duration().as_secs();
    DateTime::<Utc>::from_timestamp(i64::try_from(secs).unwrap_or(i64::MAX), 0)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

pub(crate) fn not_before(cert: &Certificate) -> DateTime<Utc> {
    to_chrono(&cert.tbs_certificate.validity.not_before)
}

pub(crate) fn not_after(cert: &Certificate) -> DateTime<Utc> {
    to_chrono(&cert.tbs_certificate.validity.not_after)
}

/// The RSA public key of a certificate, if it has one.
pub(crate) fn rsa_public_key(cert: &Certificate) -> Option<RsaPublicKey> {
    let spki = cert.tbs_certificate.subject_public_key_info.to_der().ok()?;
    RsaPublicKey::from_public_key_der(&spki).ok()
}

/// Verifies an RSA PKCS#1 v1.5 signature over `message` with the hash named by the
/// signature algorithm OID (or by a plain digest OID plus `rsaEncryption`).
pub(crate) fn verify_rsa(
    key: &RsaPublicKey,
    alg: &ObjectIdentifier,
    digest_alg: Option<&ObjectIdentifier>,
    message: &[u8],
    signature: &[u8],
) -> bool {
    use rsa::pkcs1v15::{Signature, VerifyingKey};
    use rsa::signature::Verifier;
    let Ok(sig) = Signature::try_from(signature) else {
        return false;
    };
    let hash = match (*alg, digest_alg) {
        (a, _) if a == OID_SHA256_RSA => "sha256",
        (a, _) if a == OID_SHA384_RSA => "sha384",
        (a, _) if a == OID_SHA512_RSA => "sha512",
        (a, _) if a == OID_SHA1_RSA => "sha1",
        (a, Some(d)) if a == OID_RSA => digest_name(d).unwrap_or(""),
        _ => "",
    };
    match hash {
        "sha256" => VerifyingKey::<sha2::Sha256>::new(key.clone())
            .verify(message, &sig)
            .is_ok(),
        "sha384" => VerifyingKey::<sha2::Sha384>::new(key.clone())
            .verify(message, &sig)
            .is_ok(),
        "sha512" => VerifyingKey::<sha2::Sha512>::new(key.clone())
            .verify(message, &sig)
            .is_ok(),
        "sha1" => VerifyingKey::<sha1::Sha1>::new(key.clone())
            .verify(message, &sig)
            .is_ok(),
        _ => false,
    }
}

pub(crate) const OID_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
pub(crate) const OID_SHA256: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
pub(crate) const OID_SHA384: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
pub(crate) const OID_SHA512: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

pub(crate) fn digest_name(oid: &ObjectIdentifier) -> Option<&'static str> {
    match *oid {
        o if o == OID_SHA256 => Some("sha256"),
        o if o == OID_SHA384 => Some("sha384"),
        o if o == OID_SHA512 => Some("sha512"),
        o if o == OID_SHA1 => Some("sha1"),
        _ => None,
    }
}

/// Digest of several byte slices with the named algorithm.
pub(crate) fn digest(name: &str, parts: &[&[u8]]) -> Option<Vec<u8>> {
    use sha2::Digest;
    fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
        let mut h = D::new();
        for p in parts {
            h.update(p);
        }
        h.finalize().to_vec()
    }
    match name {
        "sha256" => Some(run::<sha2::Sha256>(parts)),
        "sha384" => Some(run::<sha2::Sha384>(parts)),
        "sha512" => Some(run::<sha2::Sha512>(parts)),
        "sha1" => Some(run::<sha1::Sha1>(parts)),
        _ => None,
    }
}

/// Does `issuer` sign `cert`? (Names match and the signature checks out.)
pub(crate) fn issued_by(cert: &Certificate, issuer: &Certificate) -> bool {
    if cert.tbs_certificate.issuer != issuer.tbs_certificate.subject {
        return false;
    }
    let Some(key) = rsa_public_key(issuer) else {
        return false;
    };
    let Ok(tbs) = cert.tbs_certificate.to_der() else {
        return false;
    };
    let Some(sig) = cert.signature.as_bytes() else {
        return false;
    };
    verify_rsa(&key, &cert.signature_algorithm.oid, None, &tbs, sig)
}

/// What a person needs to see of a certificate file (e.g. a root CA the unit trusts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// The certificate, DER.
    pub der: Vec<u8>,
    /// Common name of the subject.
    pub subject: String,
    /// Common name of the issuer.
    pub issuer: String,
    /// Start of validity.
    pub not_before: DateTime<Utc>,
    /// End of validity.
    pub not_after: DateTime<Utc>,
    /// SHA-256 of the DER, lowercase hex.
    pub sha256: String,
}

/// Reads one X.509 certificate from DER or PEM bytes (a `.cer`, `.crt`, `.der` or `.pem`
/// file; of a PEM with several certificates, the first is taken).
pub fn certificate_info(bytes: &[u8]) -> Result<CertificateInfo, crate::DocsError> {
    use der::{Decode, DecodePem};
    use sha2::{Digest, Sha256};
    let invalid = |detail: String| crate::DocsError::CertificateInvalid(detail);
    let cert = if bytes.trim_ascii_start().starts_with(b"-----BEGIN") {
        let text = std::str::from_utf8(bytes).map_err(|e| invalid(e.to_string()))?;
        let start = text
            .find("-----BEGIN CERTIFICATE-----")
            .ok_or_else(|| invalid("el PEM no contiene «BEGIN CERTIFICATE»".into()))?;
        let end_marker = "-----END CERTIFICATE-----";
        let end = text[start..]
            .find(end_marker)
            .map(|e| start + e + end_marker.len())
            .ok_or_else(|| invalid("el PEM está incompleto".into()))?;
        Certificate::from_pem(&text[start..end]).map_err(|e| invalid(e.to_string()))?
    } else {
        Certificate::from_der(bytes).map_err(|e| invalid(e.to_string()))?
    };
    let der = cert.to_der().map_err(|e| invalid(e.to_string()))?;
    Ok(CertificateInfo {
        subject: common_name(&cert.tbs_certificate.subject),
        issuer: common_name(&cert.tbs_certificate.issuer),
        not_before: not_before(&cert),
        not_after: not_after(&cert),
        sha256: hex::encode(Sha256::digest(&der)),
        der,
    })
}
