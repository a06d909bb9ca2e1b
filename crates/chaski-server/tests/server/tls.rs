//! HTTPS of the server itself: certificate and key files that cannot be used are named in
//! the error, and the `chaski-server serve --tls-cert/--tls-key` command line serves HTTPS
//! with a certificate issued by a throwaway CA made at test time (rcgen; nothing is
//! committed). How the app's client trusts a custom CA is tested with the client, in
//! `tests/sync/tests/tls.rs`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use chaski_server::tls::{TlsError, load_server_config};
use chaski_wire::{HelloRequest, PROTOCOL_MIN, PROTOCOL_VERSION, SCHEMA_VERSION};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};

use crate::http::{Api, Http};

/// A CA and a server certificate for `localhost`, as PEM files in `dir`.
struct Pki {
    ca_pem: Vec<u8>,
    cert: PathBuf,
    key: PathBuf,
}

fn make_pki(dir: &Path) -> Pki {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "CA interna de prueba");
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("ca key"))
        .expect("ca cert");
    let key = KeyPair::generate().expect("server key");
    let mut params = CertificateParams::new(vec!["localhost".to_string()]).expect("params");
    params
        .distinguished_name
        .push(DnType::CommonName, "sync.prueba.gob.pe");
    let cert = params.signed_by(&key, &ca).expect("server cert");
    let pki = Pki {
        ca_pem: ca.pem().into_bytes(),
        cert: dir.join("server.crt"),
        key: dir.join("server.key"),
    };
    std::fs::write(&pki.cert, cert.pem()).expect("write cert");
    std::fs::write(&pki.key, key.serialize_pem()).expect("write key");
    pki
}

fn hello() -> HelloRequest {
    HelloRequest {
        protocol_min: PROTOCOL_MIN,
        protocol_max: PROTOCOL_VERSION,
        schema_version: SCHEMA_VERSION,
        last_device_seq: None,
    }
}

#[test]
fn unusable_certificate_or_key_files_are_named_in_the_error() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pki = make_pki(tmp.path());
    let missing = tmp.path().join("no-existe.pem");
    let err = load_server_config(&missing, &pki.key).expect_err("missing cert");
    assert!(matches!(err, TlsError::Cert { .. }), "{err:?}");
    assert!(err.to_string().contains("--tls-cert"), "{err}");

    let empty = tmp.path().join("vacio.pem");
    std::fs::write(&empty, "no es un certificado\n").expect("write");
    let err = load_server_config(&empty, &pki.key).expect_err("no PEM");
    assert!(err.to_string().contains("ningún certificado"), "{err}");

    // The certificate given as the key.
    let err = load_server_config(&pki.cert, &pki.cert).expect_err("cert as key");
    assert!(matches!(err, TlsError::Key { .. }), "{err:?}");
    assert!(err.to_string().contains("--tls-key"), "{err}");

    // A key that is not the certificate's.
    let other = tmp.path().join("otra.key");
    std::fs::write(&other, KeyPair::generate().expect("key").serialize_pem()).expect("write");
    let err = load_server_config(&pki.cert, &other).expect_err("mismatch");
    assert!(matches!(err, TlsError::Mismatch(_)), "{err:?}");
}

struct Serving(Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_serves_https_with_tls_cert_and_tls_key() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pki = make_pki(tmp.path());
    let bin = env!("CARGO_BIN_EXE_chaski-server");
    let data = tmp.path().join("data");

    // Only one of the two flags: refused before anything starts.
    let out = Command::new(bin)
        .args(["--data-dir"])
        .arg(&data)
        .args(["serve", "--listen", "127.0.0.1:0", "--tls-cert"])
        .arg(&pki.cert)
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--tls-key"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut child = Command::new(bin)
        .args(["--data-dir"])
        .arg(&data)
        .args(["serve", "--listen", "127.0.0.1:0", "--tls-cert"])
        .arg(&pki.cert)
        .arg("--tls-key")
        .arg(&pki.key)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let serving = Serving(child);
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).map(|_| line)
    })
    .await
    .expect("join")
    .expect("read");
    let port = line
        .trim()
        .strip_prefix("chaski-server escuchando en https://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected first line: {line}"));
    let t = Api::new(Http::with_ca(
        &format!("https://localhost:{port}"),
        &pki.ca_pem,
    ));
    let answer = t.hello(None, &hello()).await.expect("hello over https");
    assert_eq!(answer.protocol, PROTOCOL_VERSION);
    drop(serving);
}
