//! Background sync through the commands' real use cases: a REAL `chaski-server` started in this
//! process on a loopback port, real store files, the device token in a REAL keyring.
//!
//! Run inside `scripts/keyring-test-env.sh` (a private D-Bus session with an unlocked
//! gnome-keyring), e.g. `scripts/keyring-test-env.sh cargo test -p chaski-app --test use_cases sync::`.
//! Without a reachable Secret Service these tests FAIL, on purpose, unless
//! `CHASKI_KEYRING_TESTS=0` is set (then they return early and say so).

use crate::support;

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chaski_app::events::SYNC_STATUS;
use chaski_app::sync::Timing;
use chaski_server::{RunningServer, Storage, devices, units};
use chaski_sync::backoff::Backoff;
use serde_json::{Value, json};
use support::Harness;

const UNIT: &str = "UT-CUSCO";
const KEYRING_SERVICE: &str = "pe.chaski.dispositivo";

fn keyring_required() -> bool {
    if std::env::var("CHASKI_KEYRING_TESTS").as_deref() == Ok("0") {
        eprintln!("CHASKI_KEYRING_TESTS=0: pruebas de sincronización con llavero omitidas");
        return false;
    }
    let probe = keyring::Entry::new(KEYRING_SERVICE, "comprobacion-llavero").expect("entry");
    match probe.get_password() {
        Ok(_) | Err(keyring::Error::NoEntry) => true,
        Err(e) => panic!(
            "No hay Secret Service alcanzable ({e}). Ejecute las pruebas con \
             scripts/keyring-test-env.sh, o ponga CHASKI_KEYRING_TESTS=0 para omitirlas."
        ),
    }
}

/// Short timings: a first round at once, write-triggered rounds after 300 ms of quiet, quick
/// retries; the periodic round is far away so every round in a test has a visible cause.
fn timing() -> Timing {
    Timing {
        first: Duration::from_millis(100),
        interval: Duration::from_secs(3600),
        poll: Duration::from_millis(100),
        debounce: Duration::from_millis(300),
        max_delay: Duration::from_secs(2),
        backoff: Backoff {
            base: Duration::from_millis(50),
            max: Duration::from_millis(200),
            attempts: 3,
        },
        request_timeout: Duration::from_secs(5),
    }
}

/// A central server in this process, on its own SQLite data directory.
struct Server {
    rt: tokio::runtime::Runtime,
    storage: Storage,
    running: Option<RunningServer>,
    addr: std::net::SocketAddr,
    url: String,
}

impl Server {
    fn start(dir: &Path) -> Self {
        Self::start_with(dir, None)
    }

    /// Over HTTPS, with a certificate for `localhost` that `tls` makes.
    fn start_with(dir: &Path, tls: Option<Arc<rustls::ServerConfig>>) -> Self {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let storage = Storage::open_sqlite(dir).expect("server storage");
        rt.block_on(storage.migrate()).expect("migrate");
        let running = match tls {
            Some(tls) => rt.block_on(RunningServer::start_tls(storage.clone(), tls)),
            None => rt.block_on(RunningServer::start(storage.clone())),
        }
        .expect("bind");
        let addr = running.addr();
        let url = running.base_url();
        let server = Self {
            rt,
            storage,
            running: Some(running),
            addr,
            url,
        };
        server.add_unit(UNIT, false);
        server
    }

    fn url(&self) -> String {
        self.url.clone()
    }

    fn add_unit(&self, code: &str, central: bool) {
        let code = code.to_string();
        self.rt
            .block_on(
                self.storage
                    .run(move |tx| units::add_unit(tx, &code, "Unidad de prueba", central)),
            )
            .expect("add unit");
    }

    /// What `chaski-server device enroll --unit UNIT` does: a fresh one-time code.
    fn enrolment_code(&self, unit: &str) -> String {
        let code = chaski_server::secrets::new_enrolment_code();
        let (c, u) = (code.clone(), unit.to_string());
        self.rt
            .block_on(
                self.storage
                    .run(move |tx| devices::add_enrolment(tx, &u, &c, 600_000)),
            )
            .expect("enrolment code");
        code
    }

    fn revoke(&self, device: &str) {
        let id = uuid::Uuid::parse_str(device).expect("device id");
        self.rt
            .block_on(self.storage.run(move |tx| devices::revoke(tx, id)))
            .expect("revoke");
    }

    /// The server's merged state of the unit: (entity, entity_id, field) → value.
    fn unit_state(&self) -> std::collections::BTreeMap<(String, String, String), String> {
        self.rt
            .block_on(self.storage.run(|tx| units::unit_state(tx, UNIT)))
            .expect("unit state")
    }

    /// A crash: connections cut, nothing answers any more.
    fn kill(&mut self) {
        if let Some(s) = self.running.take() {
            self.rt.block_on(s.kill());
        }
    }

    /// Back on the same address and data.
    fn restart(&mut self) {
        let addr = self.addr.to_string();
        let running = self
            .rt
            .block_on(RunningServer::start_on(&addr, self.storage.clone()))
            .expect("rebind the same port");
        self.running = Some(running);
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// One device: the app with the mock runtime on its own data directory, sync started.
struct Device {
    h: Harness,
    events: Arc<Mutex<Vec<Value>>>,
}

impl Device {
    /// The app on an existing (or not yet created) data directory.
    fn launch(data_dir: &Path) -> Self {
        let h = support::start(data_dir, false);
        let events = h.record(SYNC_STATUS.name);
        h.state.start_sync(timing()).expect("start sync");
        Self { h, events }
    }

    /// A fresh device: the app plus the first-run setup.
    fn start(data_dir: &Path, dni: &str) -> Self {
        let device = Self::launch(data_dir);
        let status = device.ok(
            "app_setup",
            json!({ "input": { "unit_code": UNIT, "technician_last_names": "Quispe Mamani",
                               "technician_first_names": "Rosa", "technician_dni": dni } }),
        );
        assert_eq!(status["phase"], "ready", "{status}");
        device
    }

    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        self.h.call(cmd, args)
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.h.ok(cmd, args)
    }

    fn err(&self, cmd: &str, args: Value) -> Value {
        self.h.err(cmd, args)
    }

    fn status(&self) -> Value {
        self.ok("sync_status", json!({}))
    }

    /// Polls `sync_status` until `pred` holds (20 s at most).
    fn wait_for(&self, what: &str, pred: impl Fn(&Value) -> bool) -> Value {
        let start = Instant::now();
        loop {
            let s = self.status();
            if pred(&s) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {what}; last status: {s:#}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn device_id(&self) -> String {
        self.status()["device_id"]
            .as_str()
            .expect("device id")
            .to_string()
    }

    fn configure(&self, url: &str) -> Value {
        self.ok(
            "sync_configure",
            json!({ "input": { "server_url": url, "ca_file": null } }),
        )
    }

    fn enroll(&self, code: &str) -> Value {
        self.ok(
            "sync_enroll",
            json!({ "input": { "code": code, "device_name": "PC-SOPORTE-PRUEBA" } }),
        )
    }

    /// Registers a requester and an attention; returns the attention's id.
    fn new_attention(&self, dni: &str, problem: &str) -> String {
        let reference = self.ok("reference_data", json!({}));
        let service = reference["services"][0]["code"].clone();
        let person = self.ok(
            "person_create",
            json!({ "input": { "last_names": "Huamán Torres", "first_names": "Luis", "dni": dni,
                               "phones": [], "email": null, "office": null } }),
        );
        let detail = self.ok(
            "attention_create",
            json!({ "input": { "received_at": null, "requester_id": person["id"], "office": null,
                               "channel": "telefono", "kind": "incidencia", "service_code": service,
                               "priority": 2, "problem": problem, "solution": null,
                               "asset_code": null, "technician_id": null } }),
        );
        detail["attention"]["id"]
            .as_str()
            .expect("attention id")
            .to_string()
    }

    fn synced(&self, what: &str) -> Value {
        self.wait_for(what, |s| {
            s["activity"] == "en_espera"
                && s["pending_changes"] == 0
                && !s["last_success_at"].is_null()
        })
    }

    fn events(&self) -> Vec<Value> {
        self.events.lock().expect("events").clone()
    }
}

impl Drop for Device {
    /// As the app does on exit: stop the worker (which also lets go of the app handle).
    fn drop(&mut self) {
        self.h.state.sync().shutdown();
    }
}

fn keyring_token(device: &str) -> Option<String> {
    match keyring::Entry::new(KEYRING_SERVICE, device)
        .expect("entry")
        .get_password()
    {
        Ok(t) => Some(t),
        Err(keyring::Error::NoEntry) => None,
        Err(e) => panic!("keyring: {e}"),
    }
}

fn forget_token(device: &str) {
    let _ = keyring::Entry::new(KEYRING_SERVICE, device)
        .expect("entry")
        .delete_credential();
}

fn message(err: &Value) -> &str {
    err["message"].as_str().unwrap_or_default()
}

#[test]
fn configure_enrol_write_and_the_attention_reaches_the_server() {
    if !keyring_required() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start(&tmp.path().join("server"));
    let dev = Device::start(&tmp.path().join("device"), "45678901");

    let s = dev.status();
    assert_eq!(s["activity"], "no_configurada", "{s}");
    assert_eq!(s["enrolled"], false);

    // Bad inputs: refused on their field, in Spanish, nothing saved.
    let e = dev.err(
        "sync_configure",
        json!({ "input": { "server_url": "sincronizacion.ejemplo.gob.pe", "ca_file": null } }),
    );
    assert_eq!(e["code"], "valor_invalido", "{e}");
    assert_eq!(e["field"], "server_url", "{e}");
    assert!(message(&e).contains("https://"), "{e}");
    let e = dev.err(
        "sync_configure",
        json!({ "input": { "server_url": server.url(), "ca_file": "/no/existe/ca.pem" } }),
    );
    assert_eq!(e["field"], "ca_file", "{e}");
    assert!(dev.status()["config"]["server_url"].is_null());
    let e = dev.err(
        "sync_enroll",
        json!({ "input": { "code": "2222-2222-2222" } }),
    );
    assert_eq!(e["code"], "sincronizacion_no_configurada", "{e}");

    let s = dev.configure(&format!("{}/", server.url()));
    assert_eq!(s["config"]["server_url"], server.url(), "{s}");
    dev.wait_for("sin inscribir", |s| s["activity"] == "sin_inscribir");

    let e = dev.err("sync_enroll", json!({ "input": { "code": "abc" } }));
    assert_eq!(e["code"], "valor_invalido", "{e}");
    assert_eq!(e["field"], "code", "{e}");
    let e = dev.err(
        "sync_enroll",
        json!({ "input": { "code": "2222-2222-2222" } }),
    );
    assert_eq!(e["code"], "codigo_inscripcion_invalido", "{e}");
    assert_eq!(e["field"], "code", "{e}");
    assert!(message(&e).contains("administrador"), "{e}");
    let device = dev.device_id();
    assert_eq!(
        keyring_token(&device),
        None,
        "no token after a refused code"
    );

    // A real code, typed in lower case and without dashes.
    let code = server.enrolment_code(UNIT);
    let typed = code.replace('-', "").to_lowercase();
    let s = dev.enroll(&typed);
    assert_eq!(s["enrolled"], true, "{s}");
    let token = keyring_token(&device).expect("token kept in the keyring");
    assert!(token.starts_with("chk_"), "a server token");
    // …and nowhere else: not in the configuration file nor in the database.
    for file in ["sync.json", "chaski.sqlite3"] {
        let bytes = std::fs::read(tmp.path().join("device").join(file)).expect(file);
        let text = String::from_utf8_lossy(&bytes);
        assert!(!text.contains(&token[4..]), "token found in {file}");
    }
    dev.synced("first round after enrolment");

    // A local write is synced by itself shortly after (debounced), without sync_now.
    let id = dev.new_attention("41234567", "La impresora no imprime");
    let s = dev.synced("the attention synced by itself");
    assert!(s["last_summary"]["pushed"].as_u64() >= Some(1), "{s}");
    let state = server.unit_state();
    assert!(
        state.contains_key(&("attention".into(), id.clone(), "problem".into()))
            || state.keys().any(|(e, i, _)| e == "attention" && *i == id),
        "attention {id} on the server"
    );

    // The UI saw the round through events: running, then waiting again.
    let events = dev.events();
    assert!(
        events.iter().any(|e| e["activity"] == "sincronizando"),
        "a 'sincronizando' event"
    );
    assert!(events.iter().any(|e| e["activity"] == "en_espera"));
    forget_token(&device);
}

#[test]
fn server_down_says_so_in_spanish_retries_and_never_blocks_the_app() {
    if !keyring_required() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut server = Server::start(&tmp.path().join("server"));
    let dev = Device::start(&tmp.path().join("device"), "45678902");
    dev.configure(&server.url());
    dev.enroll(&server.enrolment_code(UNIT));
    dev.synced("first round");
    let device = dev.device_id();

    server.kill();
    let id = dev.new_attention("41234568", "Sin internet en la oficina");
    let s = dev.wait_for("sin conexión", |s| s["activity"] == "sin_conexion");
    assert_eq!(s["last_error"]["code"], "servidor_inalcanzable", "{s}");
    assert!(message(&s["last_error"]).contains("Sin conexión"), "{s}");
    assert!(
        message(&s["last_error"]).contains("seguir trabajando"),
        "{s}"
    );
    assert!(s["pending_changes"].as_u64() >= Some(2), "{s}");

    // While the worker retries, the app keeps working: writes and reads answer.
    let other = dev.new_attention("41234569", "El monitor parpadea");
    let page = dev.ok(
        "attentions_list",
        json!({ "filter": {}, "page": { "number": 1, "size": 10 } }),
    );
    assert_eq!(page["total"], 2, "{page}");

    // The round gives up after its attempts and says when it will try again.
    let s = dev.wait_for("the round ended", |s| {
        s["activity"] == "sin_conexion"
            && s["progress"].is_null()
            && !s["next_attempt_at"].is_null()
    });
    assert_eq!(s["last_error"]["code"], "servidor_inalcanzable", "{s}");

    // The server is back: "Sincronizar ahora" sends everything.
    server.restart();
    dev.ok("sync_now", json!({}));
    dev.synced("after the server came back");
    let state = server.unit_state();
    for id in [&id, &other] {
        assert!(
            state.keys().any(|(e, i, _)| e == "attention" && i == id),
            "attention {id} on the server"
        );
    }
    forget_token(&device);
}

#[test]
fn a_code_of_another_unit_is_refused_and_no_token_is_kept() {
    if !keyring_required() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start(&tmp.path().join("server"));
    server.add_unit("UT-PUNO", false);
    let dev = Device::start(&tmp.path().join("device"), "45678906");
    dev.configure(&server.url());
    let device = dev.device_id();
    let e = dev.err(
        "sync_enroll",
        json!({ "input": { "code": server.enrolment_code("UT-PUNO") } }),
    );
    assert_eq!(e["code"], "codigo_inscripcion_invalido", "{e}");
    assert_eq!(e["field"], "code", "{e}");
    assert!(
        message(&e).contains("UT-PUNO") && message(&e).contains(UNIT),
        "{e}"
    );
    assert_eq!(keyring_token(&device), None);
    assert_eq!(dev.status()["enrolled"], false);
    // The wrong code was not used up and the device was not registered in UT-PUNO: a code
    // of its own unit enrols it (before, every later code answered `device_exists`).
    dev.enroll(&server.enrolment_code(UNIT));
    assert_eq!(dev.status()["enrolled"], true);
    assert!(keyring_token(&device).is_some());
}

#[test]
fn a_revoked_device_is_told_what_happened_and_what_to_do() {
    if !keyring_required() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start(&tmp.path().join("server"));
    let dev = Device::start(&tmp.path().join("device"), "45678903");
    dev.configure(&server.url());
    let device = dev.device_id();
    dev.enroll(&server.enrolment_code(UNIT));
    dev.synced("first round");
    server.revoke(&device);
    dev.ok("sync_now", json!({}));
    let s = dev.wait_for("revoked", |s| {
        s["activity"] == "con_error" && s["last_error"]["code"] == "equipo_revocado"
    });
    assert!(message(&s["last_error"]).contains("revocó"), "{s}");
    // The work stays local and the app keeps working.
    let id = dev.new_attention("41234571", "Equipo lento");
    let s = dev.wait_for("the write was tried and refused", |s| {
        s["pending_changes"].as_u64() >= Some(2) && s["activity"] == "con_error"
    });
    assert_eq!(s["last_error"]["code"], "equipo_revocado", "{s}");

    // A new code and «Volver a inscribir»: a new device id, the unsent work reaches the server.
    let s = dev.ok(
        "sync_reenroll",
        json!({ "input": { "code": server.enrolment_code(UNIT) } }),
    );
    let new_device = s["device_id"].as_str().expect("device id").to_string();
    assert_ne!(new_device, device);
    assert_eq!(s["enrolled"], true, "{s}");
    assert_eq!(keyring_token(&device), None, "the old token is forgotten");
    assert!(keyring_token(&new_device).is_some());
    dev.synced("after re-enrolment");
    assert!(
        server
            .unit_state()
            .keys()
            .any(|(e, i, _)| e == "attention" && *i == id),
        "attention {id} on the server"
    );
    forget_token(&new_device);
}

/// The Sync screen's "última sincronización" comes from the database, so it is there after a
/// restart even while the server cannot be reached; and when the unit's data already needs a
/// newer Chaski (an updated device pushed records this build could not apply), the round is
/// refused with a Spanish message that says to update, and the work stays local.
#[test]
fn the_last_sync_survives_a_restart_and_an_outdated_app_is_told_to_update() {
    if !keyring_required() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let mut server = Server::start(&tmp.path().join("server"));
    let dir = tmp.path().join("device");
    let dev = Device::start(&dir, "45678904");
    dev.configure(&server.url());
    let device = dev.device_id();
    dev.enroll(&server.enrolment_code(UNIT));
    let last = dev.synced("first round")["last_success_at"].clone();
    assert!(!last.is_null());
    // "Restart": the idle app's data directory opened by a new app (the SQLite lock is per
    // file, and the first app's handle outlives its drop in this harness), with the server
    // down so no round can complete and refresh the figure.
    server.kill();
    let restarted = tmp.path().join("device-restarted");
    copy_dir(&dir, &restarted);
    drop(dev);
    let dev = Device::launch(&restarted);
    let app = dev.ok("app_status", json!({}));
    assert_eq!(app["phase"], "ready", "{app}");
    let s = dev.wait_for("sin conexión after the restart", |s| {
        s["activity"] == "sin_conexion"
    });
    // (The database keeps milliseconds.)
    let ms = |v: &Value| v.as_str().and_then(|t| t.get(..23)).map(str::to_string);
    assert_eq!(
        ms(&s["last_success_at"]),
        ms(&last),
        "read from the database: {s}"
    );
    assert_eq!(s["drafts_waiting"], 0, "{s}");

    server.restart();
    let newer = i64::from(chaski_sync::wire::SCHEMA_VERSION) + 1;
    server
        .rt
        .block_on(server.storage.run(move |tx| {
            tx.execute(
                "UPDATE units SET data_schema = $1 WHERE code = $2",
                &[
                    chaski_server::storage::Val::int(newer),
                    chaski_server::storage::Val::text(UNIT),
                ],
            )
        }))
        .expect("newer data in the unit");
    let id = dev.new_attention("41234572", "Monitor sin imagen");
    dev.ok("sync_now", json!({}));
    let s = dev.wait_for("refused as outdated", |s| {
        s["activity"] == "con_error" && s["last_error"]["code"] == "version_incompatible"
    });
    let msg = message(&s["last_error"]);
    assert!(
        msg.contains("Actualice Chaski") && msg.contains(UNIT),
        "{msg}"
    );
    assert!(
        s["pending_changes"].as_u64() >= Some(2),
        "kept locally: {s}"
    );
    assert!(
        !server.unit_state().keys().any(|(_, i, _)| *i == id),
        "nothing was pushed by the outdated app"
    );
    forget_token(&device);
}

#[test]
fn a_restored_backup_is_detected_and_reenrolment_loses_nothing() {
    if !keyring_required() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start(&tmp.path().join("server"));
    let dir = tmp.path().join("device");
    let backup = tmp.path().join("restored");
    let dev = Device::start(&dir, "45678907");
    dev.configure(&server.url());
    dev.enroll(&server.enrolment_code(UNIT));
    dev.synced("first round");
    let device = dev.device_id();
    // The backup: a copy of the data directory while the app is idle.
    copy_dir(&dir, &backup);

    // Work after the backup reaches the server; then that disk is lost and the backup is
    // restored (here: opened from where it was copied; the SQLite lock is per file).
    // (More changes than the restored copy will make: see docs/app.md, "Sync", for why.)
    let lost = dev.new_attention("41234572", "Hecho después de la copia");
    dev.new_attention("41234574", "También después de la copia");
    dev.synced("work after the backup");
    drop(dev);

    let dev = Device::launch(&backup);
    let status = dev.ok("app_status", json!({}));
    assert_eq!(status["phase"], "ready", "{status}");
    let kept = dev.new_attention("41234573", "Hecho en la copia restaurada");
    dev.ok("sync_now", json!({}));
    let s = dev.wait_for("restored", |s| {
        s["last_error"]["code"] == "equipo_restaurado"
    });
    assert_eq!(s["activity"], "con_error", "{s}");
    assert!(
        message(&s["last_error"]).contains("Volver a inscribir"),
        "{s}"
    );

    server.revoke(&device);
    let s = dev.ok(
        "sync_reenroll",
        json!({ "input": { "code": server.enrolment_code(UNIT) } }),
    );
    let new_device = s["device_id"].as_str().expect("device id").to_string();
    dev.synced("after re-enrolment");
    // Nothing lost: the restored copy's own work is on the server, and the work the backup
    // missed came back down.
    assert!(
        server
            .unit_state()
            .keys()
            .any(|(e, i, _)| e == "attention" && *i == kept)
    );
    dev.wait_for("the missing attention pulled", |_| {
        dev.call("attention_get", json!({ "id": lost })).is_ok()
    });
    forget_token(&device);
    forget_token(&new_device);
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
}

#[test]
fn a_concurrent_edit_is_listed_with_both_values_and_the_choice_is_synced() {
    if !keyring_required() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let server = Server::start(&tmp.path().join("server"));
    let a = Device::start(&tmp.path().join("a"), "45678904");
    let b = Device::start(&tmp.path().join("b"), "45678905");
    for d in [&a, &b] {
        d.configure(&server.url());
        d.enroll(&server.enrolment_code(UNIT));
    }
    let id = a.new_attention("41234570", "Problema original");
    a.synced("a pushed the attention");
    b.ok("sync_now", json!({}));
    b.wait_for("b pulled the attention", |s| {
        s["activity"] == "en_espera" && b.call("attention_get", json!({ "id": id })).is_ok()
    });
    let detail = b.ok("attention_get", json!({ "id": id }));
    assert_eq!(detail["attention"]["problem"], "Problema original");

    // Both edit the same field before seeing each other's edit.
    let edit = |d: &Device, problem: &str| {
        let mut input = d.ok("attention_get", json!({ "id": id }))["attention"].clone();
        input["problem"] = json!(problem);
        d.ok("attention_update", json!({ "id": id, "input": input }));
    };
    b.h.state.sync().shutdown(); // b works offline until its edit is made
    edit(&a, "Versión de A");
    edit(&b, "Versión de B");
    a.synced("a pushed its edit");
    b.h.state.start_sync(timing()).expect("restart sync");
    b.synced("b pushed its edit");

    let conflicts = b.ok("sync_conflicts", json!({}));
    let c = conflicts
        .as_array()
        .and_then(|l| l.iter().find(|c| c["field"] == "problem"))
        .unwrap_or_else(|| panic!("a conflict on problem: {conflicts}"))
        .clone();
    assert_eq!(c["entity_label"], "atención");
    let values = [c["winner_value"].clone(), c["loser_value"].clone()];
    assert!(values.contains(&json!("Versión de A")), "{c}");
    assert!(values.contains(&json!("Versión de B")), "{c}");
    let loser = c["loser_value"].clone();

    // The person keeps the value that lost: it is written and synced everywhere.
    b.ok(
        "sync_resolve",
        json!({ "input": { "conflict_id": c["conflict_id"], "keep": "loser" } }),
    );
    b.synced("b pushed the choice");
    let detail = b.ok("attention_get", json!({ "id": id }));
    assert_eq!(detail["attention"]["problem"], loser);
    let state = server.unit_state();
    let on_server = state
        .get(&("attention".into(), id.clone(), "problem".into()))
        .cloned()
        .unwrap_or_default();
    assert!(
        on_server.contains(loser.as_str().unwrap_or("?")),
        "server has {on_server}, chose {loser}"
    );
    a.ok("sync_now", json!({}));
    a.wait_for("a pulled the choice", |_| {
        a.ok("attention_get", json!({ "id": id }))["attention"]["problem"] == loser
    });

    let bad = b.err(
        "sync_resolve",
        json!({ "input": { "conflict_id": uuid::Uuid::now_v7().to_string(), "keep": "loser" } }),
    );
    assert_eq!(bad["code"], "no_encontrado", "{bad}");
    for d in [&a, &b] {
        forget_token(&d.device_id());
    }
}

/// An internal CA (written to `dir/ca.pem`, as an institution would hand it out) and the
/// server's TLS configuration with a `localhost` certificate it signed.
fn internal_ca(dir: &Path) -> (std::path::PathBuf, Arc<rustls::ServerConfig>) {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().expect("key")).expect("ca");
    let key = KeyPair::generate().expect("key");
    let leaf = CertificateParams::new(vec!["localhost".to_string()])
        .expect("params")
        .signed_by(&key, &ca)
        .expect("leaf");
    let (ca_file, cert, key_file) = (dir.join("ca.pem"), dir.join("srv.crt"), dir.join("srv.key"));
    std::fs::write(&ca_file, ca.pem()).expect("write");
    std::fs::write(&cert, leaf.pem()).expect("write");
    std::fs::write(&key_file, key.serialize_pem()).expect("write");
    let tls = chaski_server::tls::load_server_config(&cert, &key_file).expect("tls config");
    (ca_file, tls)
}

#[test]
fn https_with_an_internal_ca_needs_its_certificate_file() {
    if !keyring_required() {
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let (ca_file, tls) = internal_ca(tmp.path());
    let server = Server::start_with(&tmp.path().join("server"), Some(tls));
    assert!(server.url().starts_with("https://localhost:"));
    let dev = Device::start(&tmp.path().join("device"), "45678908");

    // Without the CA the certificate is not trusted: said on the CA field, nothing consumed.
    dev.configure(&server.url());
    let code = server.enrolment_code(UNIT);
    let e = dev.err("sync_enroll", json!({ "input": { "code": code } }));
    assert_eq!(e["code"], "certificado_no_confiable", "{e}");
    assert_eq!(e["field"], "ca_file", "{e}");
    assert!(message(&e).contains("CA"), "{e}");

    // With the institution's CA file the same code works and the device syncs over HTTPS.
    let s = dev.ok(
        "sync_configure",
        json!({ "input": { "server_url": server.url(), "ca_file": ca_file.display().to_string() } }),
    );
    assert_eq!(s["config"]["ca_file"], ca_file.display().to_string(), "{s}");
    dev.enroll(&code);
    // (The first round reserves the attention numbers an enrolled device takes.)
    dev.synced("first round over HTTPS");
    dev.new_attention("41234575", "Impresora por HTTPS");
    dev.synced("over HTTPS");
    forget_token(&dev.device_id());
}
