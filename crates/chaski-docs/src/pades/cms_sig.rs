//! The CMS (CAdES-BES) container of a PAdES signature: detached SHA-256, signed
//! attributes content-type, message-digest and signingCertificateV2 (ETSI EN 319 122),
//! and no signing-time attribute (PAdES puts the time in the signature dictionary's `/M`).

use cms::builder::{SignedDataBuilder, SignerInfoBuilder};
use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::signed_data::{EncapsulatedContentInfo, SignerIdentifier};
use der::asn1::{ObjectIdentifier, OctetString, SetOfVec};
use der::{Any, Decode, Encode, Sequence};
use sha2::{Digest, Sha256};
use spki::AlgorithmIdentifierOwned;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;

use super::certs::OID_SHA256;
use super::credential::SigningCredential;
use crate::error::DocsError;

const OID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
pub(crate) const OID_SIGNING_CERTIFICATE_V2: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");

/// IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }
#[derive(Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial: SerialNumber,
}

/// ESSCertIDv2 with the default hash algorithm (SHA-256), so `hashAlgorithm` is omitted.
#[derive(Sequence)]
struct EssCertIdV2 {
    cert_hash: OctetString,
    issuer_serial: IssuerSerial,
}

/// SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2 }
#[derive(Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
}

fn crypto<E: std::fmt::Debug>(e: E) -> DocsError {
    DocsError::Crypto(format!("{e:?}"))
}

fn signing_certificate_v2(cred: &SigningCredential) -> Result<Attribute, DocsError> {
    let der = cred.cert.to_der().map_err(crypto)?;
    let value = SigningCertificateV2 {
        certs: vec![EssCertIdV2 {
            cert_hash: OctetString::new(Sha256::digest(&der).to_vec()).map_err(crypto)?,
            issuer_serial: IssuerSerial {
                issuer: vec![GeneralName::DirectoryName(
                    cred.cert.tbs_certificate.issuer.clone(),
                )],
                serial: cred.cert.tbs_certificate.serial_number.clone(),
            },
        }],
    };
    let any = Any::from_der(&value.to_der().map_err(crypto)?).map_err(crypto)?;
    let mut values = SetOfVec::new();
    values.insert(any).map_err(crypto)?;
    Ok(Attribute {
        oid: OID_SIGNING_CERTIFICATE_V2,
        values,
    })
}

/// Builds the DER CMS SignedData over an already computed SHA-256 of the byte ranges.
pub(crate) fn build(cred: &SigningCredential, digest: &[u8]) -> Result<Vec<u8>, DocsError> {
    let eci = EncapsulatedContentInfo {
        econtent_type: OID_DATA,
        econtent: None,
    };
    let sid = SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
        issuer: cred.cert.tbs_certificate.issuer.clone(),
        serial_number: cred.cert.tbs_certificate.serial_number.clone(),
    });
    let digest_alg = AlgorithmIdentifierOwned {
        oid: OID_SHA256,
        parameters: None,
    };
    let signer = rsa::pkcs1v15::SigningKey::<Sha256>::new(cred.key.clone());
    let mut info = SignerInfoBuilder::new(&signer, sid, digest_alg.clone(), &eci, Some(digest))
        .map_err(crypto)?;
    info.add_signed_attribute(signing_certificate_v2(cred)?)
        .map_err(crypto)?;
    let mut builder = SignedDataBuilder::new(&eci);
    builder.add_digest_algorithm(digest_alg).map_err(crypto)?;
    builder
        .add_certificate(CertificateChoices::Certificate(cred.cert.clone()))
        .map_err(crypto)?;
    // Intermediate certificates help verifiers build the chain; self-signed roots are left
    // out: a verifier must already trust the root, and each copy costs ~1 KB per signature.
    for c in cred
        .chain
        .iter()
        .filter(|c| c.tbs_certificate.subject != c.tbs_certificate.issuer)
    {
        builder
            .add_certificate(CertificateChoices::Certificate(c.clone()))
            .map_err(crypto)?;
    }
    builder
        .add_signer_info::<_, rsa::pkcs1v15::Signature>(info)
        .map_err(crypto)?;
    let content = builder.build().map_err(crypto)?;
    content.to_der().map_err(crypto)
}
