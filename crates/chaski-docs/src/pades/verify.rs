//! Verification of the signatures of any PDF (ours or another's).
//!
//! For each signature dictionary we check: that its `/ByteRange` starts at 0, skips exactly
//! the `/Contents` string and whether it reaches the end of the file (if not, the file was
//! changed after signing — possibly only by later signatures); that the CMS
//! message-digest equals the digest of the signed ranges; that the signer's signature over
//! the signed attributes checks with the certificate's key; and that the certificate
//! chains, through certificates embedded in the signature, to one of the trusted roots the
//! unit configured. Limits (no revocation checks, no timestamps, RSA only) are in
//! `docs/documents.md`.

use chrono::{DateTime, FixedOffset, TimeZone};
use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier};
use der::{Decode, Encode};
use lopdf::{Document, Object};
use x509_cert::Certificate;

use super::certs;
use crate::error::DocsError;

/// What we found about one signature.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
pub struct SignatureReport {
    /// Field name (`/T`), when the signature has a form field.
    pub field_name: Option<String>,
    /// Common name of the signing certificate.
    pub signer: Option<String>,
    /// `/Reason` ("Motivo").
    pub reason: Option<String>,
    /// `/M`, the claimed signing time (not a trusted timestamp), RFC 3339 with offset.
    #[ts(type = "string | null")]
    pub signed_at: Option<DateTime<FixedOffset>>,
    /// `/SubFilter`, e.g. `ETSI.CAdES.detached`.
    pub sub_filter: Option<String>,
    /// The byte range reaches the end of the file: nothing was appended after this signature.
    pub covers_whole_file: bool,
    /// Bytes were appended after this signature (later signatures or edits).
    pub modified_after_signing: bool,
    /// The digest of the signed ranges equals the one inside the signature.
    pub digest_valid: bool,
    /// The signature over the signed attributes checks with the certificate's key.
    pub signature_valid: bool,
    /// The certificate chains to one of the trusted roots.
    pub certificate_trusted: bool,
    /// The certificate was inside its validity period at `signed_at`.
    pub certificate_valid_at_signing: bool,
    /// Problems found, in Spanish, for the person reading the report.
    pub problems: Vec<String>,
}

impl SignatureReport {
    /// Digest, signature and trust all check out (the file may still have later revisions,
    /// see `modified_after_signing`).
    pub fn is_valid(&self) -> bool {
        self.digest_valid
            && self.signature_valid
            && self.certificate_trusted
            && self.certificate_valid_at_signing
    }
}

fn text_of(obj: Option<&Object>) -> Option<String> {
    match obj? {
        Object::String(bytes, _) => Some(decode_text(bytes)),
        Object::Name(n) => Some(String::from_utf8_lossy(n).into_owned()),
        _ => None,
    }
}

fn decode_text(bytes: &[u8]) -> String {
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|b| char::from(*b)).collect(),
    }
}

/// Parses `D:YYYYMMDDHHmmSS+hh'mm'` (fields after the year optional).
fn parse_pdf_date(s: &str) -> Option<DateTime<FixedOffset>> {
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    let num = |a: usize, b: usize, d: u32| {
        digits
            .get(a..b)
            .and_then(|x| x.parse::<u32>().ok())
            .unwrap_or(d)
    };
    let year = digits.get(0..4)?.parse::<i32>().ok()?;
    let rest = &s[digits.len()..];
    let offset = match rest.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let tz: String = rest[1..].chars().filter(char::is_ascii_digit).collect();
            let h = tz
                .get(0..2)
                .and_then(|x| x.parse::<i32>().ok())
                .unwrap_or(0);
            let m = tz
                .get(2..4)
                .and_then(|x| x.parse::<i32>().ok())
                .unwrap_or(0);
            let secs = (h * 3600 + m * 60) * if sign == '-' { -1 } else { 1 };
            FixedOffset::east_opt(secs)?
        }
        _ => FixedOffset::east_opt(0)?,
    };
    offset
        .with_ymd_and_hms(
            year,
            num(4, 6, 1),
            num(6, 8, 1),
            num(8, 10, 0),
            num(10, 12, 0),
            num(12, 14, 0),
        )
        .single()
}

/// Length of the first DER TLV in `bytes` (the CMS blob is padded with zeros).
fn der_len(bytes: &[u8]) -> Option<usize> {
    let first = *bytes.get(1)?;
    if first < 0x80 {
        return Some(2 + first as usize);
    }
    let n = (first & 0x7F) as usize;
    if n == 0 || n > 4 {
        return None;
    }
    let mut len = 0usize;
    for i in 0..n {
        len = (len << 8) | *bytes.get(2 + i)? as usize;
    }
    Some(2 + n + len)
}

/// Reports every signature in `pdf`. `trusted_roots` are DER certificates.
pub fn verify(pdf: &[u8], trusted_roots: &[Vec<u8>]) -> Result<Vec<SignatureReport>, DocsError> {
    let doc = Document::load_mem(pdf).map_err(|e| DocsError::PdfInvalid(e.to_string()))?;
    let roots: Vec<Certificate> = trusted_roots
        .iter()
        .filter_map(|d| Certificate::from_der(d).ok())
        .collect();
    // Field names by signature dictionary id.
    let mut names = std::collections::HashMap::new();
    for obj in doc.objects.values() {
        if let Object::Dictionary(d) = obj
            && let Ok(Object::Reference(v)) = d.get(b"V")
            && let Some(t) = text_of(d.get(b"T").ok())
        {
            names.insert(*v, t);
        }
    }
    let mut reports = Vec::new();
    let mut ids: Vec<_> = doc.objects.keys().copied().collect();
    ids.sort();
    for id in ids {
        let Some(Object::Dictionary(d)) = doc.objects.get(&id) else {
            continue;
        };
        let (Ok(range), Ok(Object::String(contents, _))) =
            (d.get(b"ByteRange"), d.get(b"Contents"))
        else {
            continue;
        };
        let range: Vec<i64> = match range {
            Object::Array(a) => a.iter().filter_map(|o| o.as_i64().ok()).collect(),
            _ => continue,
        };
        let mut r = SignatureReport {
            field_name: names.get(&id).cloned(),
            signer: None,
            reason: text_of(d.get(b"Reason").ok()),
            signed_at: text_of(d.get(b"M").ok()).and_then(|s| parse_pdf_date(&s)),
            sub_filter: text_of(d.get(b"SubFilter").ok()),
            covers_whole_file: false,
            modified_after_signing: true,
            digest_valid: false,
            signature_valid: false,
            certificate_trusted: false,
            certificate_valid_at_signing: false,
            problems: Vec::new(),
        };
        check_one(pdf, &range, contents, &roots, &mut r);
        reports.push(r);
    }
    reports.sort_by_key(|r| r.signed_at);
    Ok(reports)
}

fn check_one(
    pdf: &[u8],
    range: &[i64],
    contents: &[u8],
    roots: &[Certificate],
    r: &mut SignatureReport,
) {
    let ranges_ok = range.len() == 4
        && range[0] == 0
        && range.iter().all(|v| *v >= 0)
        && range[1] <= range[2]
        && (range[2] + range[3]) as usize <= pdf.len();
    if !ranges_ok {
        r.problems
            .push("El rango de bytes firmado (/ByteRange) no es válido.".into());
        return;
    }
    let (a_len, c_start, c_len) = (range[1] as usize, range[2] as usize, range[3] as usize);
    let gap = &pdf[a_len..c_start];
    if !(gap.first() == Some(&b'<') && gap.last() == Some(&b'>')) {
        r.problems.push(
            "El rango firmado no excluye exactamente la firma; el archivo pudo ser manipulado."
                .into(),
        );
    }
    r.covers_whole_file = c_start + c_len == pdf.len();
    r.modified_after_signing = !r.covers_whole_file;
    if r.modified_after_signing {
        r.problems
            .push("El documento tiene cambios o firmas agregados después de esta firma.".into());
    }
    let Some(len) = der_len(contents).filter(|l| *l <= contents.len()) else {
        r.problems
            .push("La firma (/Contents) no es un CMS válido.".into());
        return;
    };
    let Ok(ci) = ContentInfo::from_der(&contents[..len]) else {
        r.problems
            .push("La firma (/Contents) no es un CMS válido.".into());
        return;
    };
    let Ok(sd) = ci.content.decode_as::<SignedData>() else {
        r.problems
            .push("La firma no contiene datos firmados (SignedData).".into());
        return;
    };
    let certs_in: Vec<Certificate> = sd
        .certificates
        .as_ref()
        .map(|set| {
            set.0
                .iter()
                .filter_map(|c| match c {
                    cms::cert::CertificateChoices::Certificate(c) => Some(c.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let Some(si) = sd.signer_infos.0.iter().next() else {
        r.problems.push("La firma no tiene firmante.".into());
        return;
    };
    let signer_cert = certs_in.iter().find(|c| match &si.sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => {
            c.tbs_certificate.issuer == ias.issuer
                && c.tbs_certificate.serial_number == ias.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(_) => true,
    });
    let Some(cert) = signer_cert else {
        r.problems
            .push("El certificado del firmante no está incluido en la firma.".into());
        return;
    };
    r.signer = Some(certs::common_name(&cert.tbs_certificate.subject));

    // Digest of the signed ranges against the message-digest attribute.
    let digest_name = certs::digest_name(&si.digest_alg.oid);
    let computed = digest_name
        .and_then(|n| certs::digest(n, &[&pdf[..a_len], &pdf[c_start..c_start + c_len]]));
    const OID_MESSAGE_DIGEST: der::asn1::ObjectIdentifier =
        der::asn1::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
    let claimed = si.signed_attrs.as_ref().and_then(|attrs| {
        attrs
            .iter()
            .find(|a| a.oid == OID_MESSAGE_DIGEST)
            .and_then(|a| a.values.iter().next())
            .and_then(|v| v.decode_as::<der::asn1::OctetString>().ok())
            .map(|o| o.as_bytes().to_vec())
    });
    r.digest_valid = matches!((&computed, &claimed), (Some(a), Some(b)) if a == b);
    if !r.digest_valid {
        r.problems
            .push("El contenido firmado fue modificado: la huella no coincide.".into());
    }
    // Signature over the DER SET OF signed attributes.
    if let (Some(attrs), Some(key)) = (si.signed_attrs.as_ref(), certs::rsa_public_key(cert))
        && let Ok(der) = attrs.to_der()
    {
        r.signature_valid = certs::verify_rsa(
            &key,
            &si.signature_algorithm.oid,
            Some(&si.digest_alg.oid),
            &der,
            si.signature.as_bytes(),
        );
    }
    if !r.signature_valid {
        r.problems
            .push("La firma criptográfica no es válida para el certificado del firmante.".into());
    }
    // Validity at the claimed signing time (or now when /M is missing).
    let at = r
        .signed_at
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(chrono::Utc::now);
    r.certificate_valid_at_signing = certs::not_before(cert) <= at && at <= certs::not_after(cert);
    if !r.certificate_valid_at_signing {
        r.problems
            .push("El certificado no estaba vigente en la fecha de la firma.".into());
    }
    r.certificate_trusted = chains_to_root(cert, &certs_in, roots);
    if !r.certificate_trusted {
        r.problems.push(
            "El certificado no proviene de una entidad certificadora de confianza configurada."
                .into(),
        );
    }
}

fn chains_to_root(cert: &Certificate, pool: &[Certificate], roots: &[Certificate]) -> bool {
    let mut current = cert.clone();
    for _ in 0..8 {
        if roots
            .iter()
            .any(|root| *root == current || certs::issued_by(&current, root))
        {
            return true;
        }
        match pool
            .iter()
            .find(|c| **c != current && certs::issued_by(&current, c))
        {
            Some(next) => current = next.clone(),
            None => return false,
        }
    }
    false
}
