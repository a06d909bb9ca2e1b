//! What every use-case test shares: the app's state over a real SQLite file in a temporary
//! directory, and calls made the way the UI makes them — a command's name and its arguments as
//! JSON, answered with JSON or with the `{code, message, field}` error — but without Tauri: each
//! name calls the `chaski_app::api` function the shell's command of that name calls.
#![allow(dead_code)]

use std::path::Path;
use std::sync::{Arc, Mutex};

use chaski_app::api;
use chaski_app::error::IpcError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

type Listeners = Arc<Mutex<Vec<(String, Arc<Mutex<Vec<Value>>>)>>>;

pub struct Harness {
    pub state: Arc<chaski_app::AppState>,
    listeners: Listeners,
}

/// The app on `data_dir`, wired as the shell wires it (events delivered to the listeners of
/// [`Harness::record`]; no system viewer).
pub fn start(data_dir: &Path, demo: bool) -> Harness {
    let state = Arc::new(chaski_app::AppState::start(data_dir, demo));
    let listeners: Listeners = Arc::default();
    let sinks = Arc::clone(&listeners);
    state.set_emitter(Arc::new(move |name, payload| {
        for (event, sink) in sinks.lock().expect("listeners").iter() {
            if event == name {
                sink.lock().expect("event log").push(payload.clone());
            }
        }
    }));
    Harness { state, listeners }
}

/// One argument, by name, as Tauri reads it from the JSON object (a missing key reads as
/// `null`, which only an `Option` accepts).
fn arg<T: DeserializeOwned>(cmd: &str, args: &Value, name: &str) -> Result<T, Value> {
    serde_json::from_value(args.get(name).cloned().unwrap_or(Value::Null))
        .map_err(|e| Value::String(format!("invalid args `{name}` for command `{cmd}`: {e}")))
}

/// The answer as the UI receives it: the value, or the error serialized.
fn reply<T: Serialize>(result: Result<T, IpcError>) -> Result<Value, Value> {
    match result {
        Ok(value) => Ok(serde_json::to_value(value).expect("a serializable answer")),
        Err(error) => Err(serde_json::to_value(error).expect("a serializable error")),
    }
}

macro_rules! dispatch {
    ($state:expr, $cmd:expr, $args:expr; $($name:ident($($arg:ident),*),)*) => {
        match $cmd {
            $(stringify!($name) => reply(api::$name($state $(, arg($cmd, $args, stringify!($arg))?)*)),)*
            other => Err(Value::String(format!("command {other} not found"))),
        }
    };
}

impl Harness {
    /// Invokes `cmd` as the UI does; `Ok(value)` or `Err(error value)`.
    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let state: &chaski_app::AppState = &self.state;
        let args = &args;
        dispatch! { state, cmd, args;
        app_status(),
        setup_units(),
        app_setup(input),
        app_load_demo(),
        reference_data(),
        technicians_list(),
        persons_search(query, limit),
        person_create(input),
        attentions_list(filter, page),
        attention_get(id),
        attention_create(input),
        attention_update(id, input),
        attention_transition(id, transition),
        attention_escalate(id, input),
        attention_conformity(id, input),
        diagnostic_catalogs(),
        checklist_for(kind),
        diagnostic_create(input),
        diagnostic_get(id),
        diagnostics_of_asset(asset),
        attention_by_number(number),
        document_render(input),
        generated_documents_of(source),
        document_sign(input),
        document_signatures(id),
        document_verify(path),
        document_open(id),
        document_save_as(id, path),
        keyring_status(),
        certificate_file(path),
        certificate_password_forget(fingerprint),
        trusted_roots_list(),
        trusted_root_add(path),
        trusted_root_remove(sha256),
        decommission_causes(),
        decommission_create(input),
        decommission_update(id, input),
        decommission_get(id),
        decommission_issue(id),
        decommission_sign(id),
        decommission_annul(id, reason),
        decommission_list(status),
        warehouse_stock(),
        warehouse_review_create(input),
        warehouse_reviews(),
        decommission_from_review(id),
        asset_catalogs(),
        assets_list(filter, page),
        asset_sites(),
        asset_detail(id),
        asset_by_code(code),
        asset_create(input),
        asset_update(id, input),
        asset_register_baja(id, reason),
        asset_documents_list(filter),
        assignment_create(input),
        assignment_update(id, input),
        assignment_get(id),
        assignment_issue(id),
        assignment_sign(id),
        assignment_annul(id, reason),
        transfer_create(input),
        transfer_update(id, input),
        transfer_get(id),
        transfer_issue(id),
        transfer_sign(id),
        transfer_annul(id, reason),
        monthly_movements(year, month),
        monthly_movements_export(year, month, path),
        inventory_preview(path),
        inventory_apply(),
        inventory_discard(),
        maintenance_catalogs(),
        maintenance_plans(),
        maintenance_plan_set(input),
        maintenance_calendar(filter),
        maintenance_create(input),
        maintenance_get(id),
        maintenances_of_asset(asset),
        maintenances_unverified(),
        maintenance_verify(id, input),
        maintenance_attach_report(id, path),
        maintenance_report_open(id),
        provider_escalation_create(input),
        provider_escalations(filter),
        provider_escalation_complete(id, input),
        provider_escalation_conformity(id, input),
        sync_status(),
        sync_configure(input),
        sync_enroll(input),
        sync_reenroll(input),
        sync_now(),
        sync_conflicts(),
        sync_resolve(input),
        sync_rejections(),
        }
    }

    pub fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args)
            .unwrap_or_else(|e| panic!("{cmd} refused: {e}"))
    }

    pub fn err(&self, cmd: &str, args: Value) -> Value {
        match self.call(cmd, args) {
            Ok(v) => panic!("{cmd} should have been refused, got {v}"),
            Err(e) => e,
        }
    }

    /// Collects the payloads of every `event` the app emits from now on.
    pub fn record(&self, event: &str) -> Arc<Mutex<Vec<Value>>> {
        let seen = Arc::new(Mutex::new(Vec::new()));
        self.listeners
            .lock()
            .expect("listeners")
            .push((event.to_string(), Arc::clone(&seen)));
        seen
    }
}

/// The first-run setup of UT Cusco with technician QUISPE MAMANI, Rosa Elena.
pub fn setup_input(dni: &str) -> Value {
    json!({ "input": { "unit_code": "UT-CUSCO", "technician_last_names": "Quispe Mamani",
                       "technician_first_names": "Rosa Elena", "technician_dni": dni } })
}
