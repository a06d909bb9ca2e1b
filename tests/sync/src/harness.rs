//! Helpers of the deterministic scenario tests (`tests/lifecycle.rs`, `tests/drafts.rs`): a
//! real server on a temp SQLite directory and real enrolled store files talking to it over
//! HTTP. (The randomized runs have their own faulty set-up in [`crate::scenario`].)
//! Test-support code: failures panic with what went wrong.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::missing_panics_doc)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chaski_server::{RunningServer, Storage, devices, units};
use chaski_store::{SetupInput, Store};
use chaski_sync::client::{SyncClient, SyncOptions};
use chaski_sync::transport::{HttpOptions, HttpTransport};
use chaski_sync::{NumberWant, Replica, StoreReplica, SyncError};

/// The unit of every device here.
pub const UNIT: &str = "UT-CUSCO";

/// A real client: a store file, its replica (None while "the app is closed") and its sync
/// client over plain HTTP.
pub struct Device {
    /// The store file.
    pub path: PathBuf,
    /// The open replica.
    pub replica: Option<StoreReplica>,
    /// The sync client.
    pub client: SyncClient<HttpTransport>,
    /// Number series kept topped up.
    pub wants: Vec<NumberWant>,
}

impl Device {
    /// The open replica.
    pub fn replica(&mut self) -> &mut StoreReplica {
        self.replica.as_mut().expect("store open")
    }

    /// The open store.
    pub fn store(&self) -> Arc<Store> {
        self.replica.as_ref().expect("store open").store().clone()
    }

    /// "Closes the app": drops the store (and its file lock).
    pub fn close(&mut self) {
        self.replica = None;
    }

    /// "Opens the app" again on the same file.
    pub fn open(&mut self) {
        let store = Store::open(&self.path).expect("open store");
        self.replica =
            Some(StoreReplica::new(Arc::new(store), self.wants.clone()).expect("replica"));
    }

    /// After a restore or a clone: a new device id, data kept, enrolled with a new code.
    pub async fn reenroll(
        &mut self,
        storage: &Storage,
        name: &str,
    ) -> chaski_sync::wire::EnrollResponse {
        let new_code = code(storage).await;
        let replica = self.replica.as_mut().expect("store open");
        self.client
            .reenroll_after_restore(replica, &new_code, name)
            .await
            .expect("re-enrol")
    }

    /// One round.
    pub async fn sync(&mut self) -> Result<chaski_sync::SyncReport, SyncError> {
        let replica = self.replica.as_mut().expect("store open");
        self.client.sync_once(replica, &mut |_| {}).await
    }
}

/// A new enrolment code of [`UNIT`].
pub async fn code(storage: &Storage) -> String {
    let code = chaski_server::secrets::new_enrolment_code();
    let c = code.clone();
    storage
        .run(move |tx| devices::add_enrolment(tx, UNIT, &c, 60_000))
        .await
        .expect("code");
    code
}

/// A new store file of [`UNIT`], enrolled with a new code (no number series wanted).
pub async fn device(dir: &Path, name: &str, dni: &str, storage: &Storage, base: &str) -> Device {
    device_with(dir, name, dni, storage, base, vec![]).await
}

/// [`device`] keeping `wants` topped up.
pub async fn device_with(
    dir: &Path,
    name: &str,
    dni: &str,
    storage: &Storage,
    base: &str,
    wants: Vec<NumberWant>,
) -> Device {
    let path = dir.join(format!("{name}.db"));
    let store = Store::create(
        &path,
        &SetupInput {
            unit_code: UNIT.into(),
            technician_last_names: format!("Quispe {name}"),
            technician_first_names: "Ana".into(),
            technician_dni: dni.into(),
        },
    )
    .expect("create store");
    let mut replica = StoreReplica::new(Arc::new(store), wants.clone()).expect("replica");
    let transport = HttpTransport::new(base, &HttpOptions::default()).expect("transport");
    let mut client = SyncClient::new(transport, None, SyncOptions::default());
    let last = replica.last_device_seq().expect("seq");
    client
        .enroll(&code(storage).await, replica.device_id(), name, last)
        .await
        .expect("enrol");
    replica.store().sync_mark_enrolled().expect("mark");
    Device {
        path,
        replica: Some(replica),
        client,
        wants,
    }
}

/// A real server on SQLite in a temp dir with [`UNIT`], bound on 127.0.0.1:0.
pub async fn start() -> (tempfile::TempDir, Storage, RunningServer) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let storage = Storage::open_sqlite(&tmp.path().join("server")).expect("open");
    storage.migrate().await.expect("migrate");
    storage
        .run(|tx| units::add_unit(tx, UNIT, "UT Cusco", false))
        .await
        .expect("unit");
    let server = RunningServer::start(storage.clone()).await.expect("start");
    (tmp, storage, server)
}

/// Registers a requester (a replicated person) in `store`.
pub fn new_requester(store: &Store, last_names: &str) -> chaski_core::ids::PersonId {
    store
        .person_create(&chaski_core::person::NewPerson {
            last_names: last_names.into(),
            first_names: "Rosa".into(),
            dni: None,
            phones: vec![],
            email: None,
            office: None,
        })
        .expect("person")
        .id
}

/// Registers an attention the way the app does (`Store::attention_create`): numbered from
/// the device's block, or an unnumbered draft when the block is used up.
pub fn new_attention(
    store: &Store,
    requester: chaski_core::ids::PersonId,
    problem: &str,
) -> chaski_core::attention::Attention {
    store
        .attention_create(&chaski_core::attention::AttentionInput {
            received_at: None,
            requester_id: requester,
            office: None,
            channel: chaski_core::catalog::Channel::Telefono,
            kind: chaski_core::catalog::AttentionKind::Incidencia,
            service_code: "averia_hardware.impresoras".into(),
            priority: 3,
            problem: problem.into(),
            solution: None,
            asset_code: None,
            technician_id: None,
        })
        .expect("attention")
        .attention
}

/// The attention series this year: `low_water` / `block_size` as given.
pub fn attention_wants(low_water: u64, block_size: u32) -> Vec<NumberWant> {
    vec![NumberWant {
        kind: chaski_sync::wire::KIND_ATTENTION.into(),
        year: chaski_core::time::lima_year(chrono::Utc::now()),
        low_water,
        block_size,
    }]
}
