//! HTTPS: the server with a certificate issued by a throwaway CA made at test time
//! (rcgen; nothing is committed), a real store syncing through an `HttpTransport` that trusts
//! that CA, and clients that do not trust it (or use the wrong name) refused with a clear
//! Spanish error. The server's own side (unusable files, the command line) is tested in
//! `chaski-server`'s suite.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chaski_server::tls::load_server_config;
use chaski_server::{RunningServer, Storage, devices, units};
use chaski_store::write::Entity;
use chaski_store::{SetupInput, Store};
use chaski_sync::client::{CODE_CERTIFICATE, SyncClient, SyncOptions};
use chaski_sync::transport::{HttpOptions, HttpTransport, Transport, TransportError};
use chaski_sync::wire::{HelloRequest, PROTOCOL_MIN, PROTOCOL_VERSION, PullQuery, SCHEMA_VERSION};
use chaski_sync::{Replica, StoreReplica};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair, KeyUsagePurpose,
};
use uuid::Uuid;

const UNIT: &str = "UT-CUSCO";

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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_syncs_over_https_with_a_custom_ca_and_untrusting_clients_are_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let pki = make_pki(tmp.path());
    let tls = load_server_config(&pki.cert, &pki.key).expect("load cert and key");
    let storage = Storage::open_sqlite(&tmp.path().join("server")).expect("open");
    storage.migrate().await.expect("migrate");
    storage
        .run(|tx| units::add_unit(tx, UNIT, "UT Cusco", false))
        .await
        .expect("unit");
    let server = RunningServer::start_tls(storage.clone(), tls)
        .await
        .expect("start https");
    let base = server.base_url();
    assert!(base.starts_with("https://localhost:"), "{base}");

    // A real store enrols and syncs over HTTPS, trusting the internal CA.
    let store = Store::create(
        tmp.path().join("device.db"),
        &SetupInput {
            unit_code: UNIT.into(),
            technician_last_names: "Huamán".into(),
            technician_first_names: "Rosa".into(),
            technician_dni: "41234567".into(),
        },
    )
    .expect("store");
    let mut replica = StoreReplica::new(Arc::new(store), vec![]).expect("replica");
    let office = Uuid::now_v7();
    replica
        .store()
        .write(|w| {
            w.insert(
                Entity::Office,
                office,
                chaski_store::fields! {"unit_code" => UNIT, "name" => "Oficina de Logística",
                "created_at" => "2026-11-23T15:00:00.000Z"},
            )
        })
        .expect("write");
    let trusted = HttpTransport::new(
        &base,
        &HttpOptions {
            extra_ca_pem: vec![pki.ca_pem.clone()],
            timeout: None,
        },
    )
    .expect("transport");
    let code = chaski_server::secrets::new_enrolment_code();
    let c = code.clone();
    storage
        .run(move |tx| devices::add_enrolment(tx, UNIT, &c, 60_000))
        .await
        .expect("code");
    let mut client = SyncClient::new(trusted.clone(), None, SyncOptions::default());
    let last = replica.last_device_seq().expect("seq");
    let enrolled = client
        .enroll(&code, replica.device_id(), "PC-SOPORTE-01", last)
        .await
        .expect("enrol over https");
    replica.store().sync_mark_enrolled().expect("mark");
    let report = client
        .sync_once(&mut replica, &mut |_| {})
        .await
        .expect("sync over https");
    assert_eq!(report.pushed, last, "{report:?}");
    assert_eq!(
        replica.store().sync_acked_seq().expect("acked"),
        replica.last_device_seq().expect("seq")
    );
    let page = trusted
        .pull(
            &enrolled.token,
            &PullQuery {
                unit: UNIT.into(),
                after: 0,
                limit: None,
            },
        )
        .await
        .expect("pull");
    assert!(
        page.changes.iter().any(|c| c.change.entity_id == office),
        "the office reached the server over HTTPS"
    );

    // Without the CA: refused, with a stable code and a message that says what to do.
    let untrusting = HttpTransport::new(&base, &HttpOptions::default()).expect("transport");
    let err = untrusting.hello(None, &hello()).await.expect_err("no CA");
    assert!(matches!(err, TransportError::Certificate(_)), "{err:?}");
    assert!(!err.is_retryable());
    let mut client = SyncClient::new(untrusting, Some(enrolled.token.clone()), Default::default());
    let err = client
        .sync_once(&mut replica, &mut |_| {})
        .await
        .expect_err("untrusted server");
    assert_eq!(err.code(), CODE_CERTIFICATE);
    assert!(!err.is_retryable());
    let msg = err.to_string();
    assert!(
        msg.contains("certificado") && msg.contains("CA de su institución"),
        "{msg}"
    );

    // The CA is trusted but the address is not the certificate's name.
    let wrong_name = HttpTransport::new(
        &format!("https://127.0.0.1:{}", server.addr().port()),
        &HttpOptions {
            extra_ca_pem: vec![pki.ca_pem.clone()],
            timeout: None,
        },
    )
    .expect("transport");
    let err = wrong_name
        .hello(None, &hello())
        .await
        .expect_err("wrong name");
    assert!(
        matches!(&err, TransportError::Certificate(m) if m.contains("no corresponde a la dirección")),
        "{err:?}"
    );

    // Plain HTTP to the HTTPS port gets no answer it could mistake for the API.
    let plain = HttpTransport::new(
        &format!("http://127.0.0.1:{}", server.addr().port()),
        &HttpOptions::default(),
    )
    .expect("transport");
    assert!(plain.hello(None, &hello()).await.is_err());
    server.stop().await;
}
