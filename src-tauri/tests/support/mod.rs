//! What every command test shares: the app on Tauri's mock runtime (no display, no GTK) over a
//! real SQLite file in a temporary directory, and calls made the way the UI makes them.
#![allow(dead_code)]

use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::webview::InvokeRequest;
use tauri::{App, Listener, WebviewWindow, WebviewWindowBuilder};

pub struct Harness {
    pub app: App<MockRuntime>,
    pub state: Arc<chaski_app::AppState>,
    webview: WebviewWindow<MockRuntime>,
}

/// The app on `data_dir`, wired as `chaski_app::run` wires it (state managed, events on).
pub fn start(data_dir: &Path, demo: bool) -> Harness {
    let state = Arc::new(chaski_app::AppState::start(data_dir, demo));
    let app = chaski_app::attach(mock_builder())
        .manage(Arc::clone(&state))
        .build(mock_context(noop_assets()))
        .expect("build the mock app");
    chaski_app::install_events(app.handle(), &state);
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("mock webview");
    Harness {
        app,
        state,
        webview,
    }
}

impl Harness {
    /// Invokes `cmd` as the UI does; `Ok(value)` or `Err(error value)`.
    pub fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        get_ipc_response(
            &self.webview,
            InvokeRequest {
                cmd: cmd.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                // The webview's origin on Linux; anything else is refused as remote.
                url: "tauri://localhost".parse().expect("url"),
                body: InvokeBody::Json(args),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().expect("json response"))
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
        let sink = Arc::clone(&seen);
        self.app.listen_any(event, move |e| {
            let value = serde_json::from_str(e.payload()).expect("event payload is JSON");
            sink.lock().expect("event log").push(value);
        });
        seen
    }
}

/// The first-run setup of UT Cusco with technician QUISPE MAMANI, Rosa Elena.
pub fn setup_input(dni: &str) -> Value {
    json!({ "input": { "unit_code": "UT-CUSCO", "technician_last_names": "Quispe Mamani",
                       "technician_first_names": "Rosa Elena", "technician_dni": dni } })
}
