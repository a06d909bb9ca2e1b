//! Test certificates, generated at run time with the `openssl` CLI (never committed): a
//! test CA, signer certificates (valid, expired, not yet valid), PFX files in the modern
//! (AES-256) and legacy (RC2/3DES) formats, and a PFX without private key.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools::require;

pub const PASSWORD: &str = "clave-de-prueba-ñ";

pub struct Pki {
    pub dir: tempfile::TempDir,
}

fn run(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("no se pudo ejecutar openssl {args:?}: {e}"));
    assert!(
        out.status.success(),
        "openssl {args:?} falló:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const CA_CNF: &str = r#"
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = .
database = index.txt
new_certs_dir = newcerts
serial = serial
default_md = sha256
policy = any
copy_extensions = none
x509_extensions = signer_ext
unique_subject = no
[ any ]
commonName = supplied
organizationName = optional
countryName = optional
serialNumber = optional
[ signer_ext ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = Chaski Test CA
[ v3_ca ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
"#;

impl Pki {
    /// Builds the whole test PKI in a temporary directory.
    pub fn new() -> Self {
        require("openssl");
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        std::fs::write(d.join("ca.cnf"), CA_CNF).expect("write ca.cnf");
        std::fs::write(d.join("index.txt"), "").expect("index");
        std::fs::write(d.join("serial"), "1000\n").expect("serial");
        std::fs::create_dir_all(d.join("newcerts")).expect("newcerts");
        // The CA is valid from 2020 on, like a real one (a CA born the same second as the
        // signer certificates is an odd chain for NSS).
        run(
            d,
            &[
                "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
                "ca.csr", "-config", "ca.cnf",
            ],
        );
        run(
            d,
            &[
                "ca",
                "-batch",
                "-selfsign",
                "-config",
                "ca.cnf",
                "-keyfile",
                "ca.key",
                "-in",
                "ca.csr",
                "-out",
                "ca.crt",
                "-startdate",
                "20200101000000Z",
                "-enddate",
                "20400101000000Z",
                "-extensions",
                "v3_ca",
                "-notext",
            ],
        );
        run(
            d,
            &["x509", "-in", "ca.crt", "-outform", "DER", "-out", "ca.der"],
        );
        let now = chrono::Utc::now();
        let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y%m%d%H%M%SZ").to_string();
        let valid = (
            fmt(now - chrono::Duration::days(1)),
            fmt(now + chrono::Duration::days(365)),
        );
        let expired = ("20200101000000Z".to_string(), "20210101000000Z".to_string());
        let future = (
            fmt(now + chrono::Duration::days(30)),
            fmt(now + chrono::Duration::days(400)),
        );
        let pki = Self { dir };
        pki.signer("signer", "/CN=QUISPE HUAMAN Edwin FAU 20123456789 soft/O=Programa Nacional de Alimentación Escolar Qali Warma/C=PE", &valid);
        pki.signer(
            "signer2",
            "/CN=HUAMANÍ QUISPE Rosa Elvira FAU 20123456789 soft/C=PE",
            &valid,
        );
        pki.signer(
            "expired",
            "/CN=CCORI MAMANI Edwin FAU 20123456789 soft/C=PE",
            &expired,
        );
        pki.signer(
            "future",
            "/CN=APAZA DIAZ Luz Marina FAU 20123456789 soft/C=PE",
            &future,
        );
        let d = pki.dir.path();
        // Modern PFX: OpenSSL 3 default (PBES2, AES-256-CBC, PBKDF2-SHA256, MAC SHA-256).
        for name in ["signer", "signer2", "expired", "future"] {
            run(
                d,
                &[
                    "pkcs12",
                    "-export",
                    "-inkey",
                    &format!("{name}.key"),
                    "-in",
                    &format!("{name}.crt"),
                    "-certfile",
                    "ca.crt",
                    "-out",
                    &format!("{name}.pfx"),
                    "-passout",
                    &format!("pass:{PASSWORD}"),
                ],
            );
        }
        // Legacy PFX: RC2-40 for certificates, 3DES for the key, MAC SHA-1.
        let legacy = Command::new("openssl")
            .args([
                "pkcs12",
                "-export",
                "-legacy",
                "-inkey",
                "signer.key",
                "-in",
                "signer.crt",
                "-certfile",
                "ca.crt",
                "-out",
                "signer-legacy.pfx",
                "-passout",
                &format!("pass:{PASSWORD}"),
            ])
            .current_dir(d)
            .output()
            .expect("openssl");
        if !legacy.status.success() {
            // Without the legacy provider module: 3DES for both bags, still the legacy PBE.
            run(
                d,
                &[
                    "pkcs12",
                    "-export",
                    "-certpbe",
                    "PBE-SHA1-3DES",
                    "-keypbe",
                    "PBE-SHA1-3DES",
                    "-macalg",
                    "sha1",
                    "-inkey",
                    "signer.key",
                    "-in",
                    "signer.crt",
                    "-out",
                    "signer-legacy.pfx",
                    "-passout",
                    &format!("pass:{PASSWORD}"),
                ],
            );
        }
        // A PFX with the certificate only.
        run(
            d,
            &[
                "pkcs12",
                "-export",
                "-nokeys",
                "-in",
                "signer.crt",
                "-out",
                "nokey.pfx",
                "-passout",
                &format!("pass:{PASSWORD}"),
            ],
        );
        pki.make_nss_db();
        pki
    }

    fn signer(&self, name: &str, subject: &str, dates: &(String, String)) {
        let d = self.dir.path();
        run(
            d,
            &[
                "req",
                "-new",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                &format!("{name}.key"),
                "-out",
                &format!("{name}.csr"),
                "-subj",
                subject,
                "-utf8",
            ],
        );
        run(
            d,
            &[
                "ca",
                "-batch",
                "-config",
                "ca.cnf",
                "-cert",
                "ca.crt",
                "-keyfile",
                "ca.key",
                "-in",
                &format!("{name}.csr"),
                "-out",
                &format!("{name}.crt"),
                "-startdate",
                &dates.0,
                "-enddate",
                &dates.1,
                "-notext",
                "-utf8",
            ],
        );
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join(file)
    }

    pub fn read(&self, file: &str) -> Vec<u8> {
        std::fs::read(self.path(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
    }

    pub fn ca_der(&self) -> Vec<u8> {
        self.read("ca.der")
    }

    /// The NSS database that trusts the test CA, for pdfsig.
    pub fn nss_db(&self) -> PathBuf {
        self.path("nssdb")
    }

    /// Made once, inside `new`: with tests in parallel, a lazily made database could be
    /// re-created by `certutil -N` while pdfsig was reading it.
    fn make_nss_db(&self) {
        require("certutil");
        let db = self.path("nssdb");
        {
            std::fs::create_dir_all(&db).expect("nssdb dir");
            let arg = format!("sql:{}", db.display());
            let ok = Command::new("certutil")
                .args(["-N", "-d", &arg, "--empty-password"])
                .status()
                .expect("certutil");
            assert!(ok.success(), "certutil -N falló");
            let ok = Command::new("certutil")
                .args([
                    "-A",
                    "-d",
                    &arg,
                    "-n",
                    "chaski-test-ca",
                    "-t",
                    "CT,C,C",
                    "-i",
                ])
                .arg(self.path("ca.crt"))
                .status()
                .expect("certutil");
            assert!(ok.success(), "certutil -A falló");
        }
    }
}
