//! A smoke test of the shell through Tauri's real IPC layer (mock runtime: no display, no GTK)
//! on a real SQLite file: the commands are registered under their names, arguments arrive by
//! name, answers and refusals (`{code, message, field}`) come back as the UI reads them, and
//! events reach listeners. The use cases themselves are tested in `chaski-app`.

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::webview::InvokeRequest;
use tauri::{Listener, WebviewWindow, WebviewWindowBuilder};

fn call(webview: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(
        webview,
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

#[test]
fn commands_answer_through_tauri_ipc() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = Arc::new(chaski_app::AppState::start(dir.path(), false));
    let app = chaski_tauri::attach(mock_builder())
        .manage(Arc::clone(&state))
        .build(mock_context(noop_assets()))
        .expect("build the mock app");
    chaski_tauri::install_events(app.handle(), &state);
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("mock webview");

    let status = call(&webview, "app_status", json!({})).expect("app_status");
    assert_eq!(status["phase"], "needs_setup");

    // A refusal arrives as the core's error: code, field and the Spanish message.
    let setup = |dni: &str| {
        json!({ "input": { "unit_code": "UT-CUSCO", "technician_last_names": "Quispe Mamani",
                           "technician_first_names": "Rosa Elena", "technician_dni": dni } })
    };
    let e = call(&webview, "app_setup", setup("1234")).expect_err("bad DNI refused");
    assert_eq!(e["code"], "dni_invalido", "{e}");
    assert_eq!(e["field"], "technician_dni", "{e}");

    let status = call(&webview, "app_setup", setup("45678901")).expect("app_setup");
    assert_eq!(status["phase"], "ready", "{status}");
    assert!(dir.path().join("chaski.sqlite3").is_file());

    // Arguments by name, several of them.
    let found = call(
        &webview,
        "persons_search",
        json!({ "query": "", "limit": 5 }),
    )
    .expect("persons_search");
    assert!(found.is_array(), "{found}");
    // A missing argument is refused by Tauri before any use case runs.
    assert!(call(&webview, "attention_get", json!({})).is_err());

    // Events from the state reach listeners of the app.
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&seen);
    app.listen_any(chaski_app::events::SYNC_STATUS.name, move |e| {
        sink.lock().expect("log").push(e.payload().to_string());
    });
    state.emit(chaski_app::events::SYNC_STATUS, &state.sync().status(None));
    assert_eq!(seen.lock().expect("log").len(), 1);
}
