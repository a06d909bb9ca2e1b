//! The first commands (setup, directory, attentions), called by name as the UI calls them, on
//! real SQLite files: what the UI sends, what it gets back, and that refusals arrive as
//! `{code, message, field}` with the core's Spanish message.

use crate::support;

use serde_json::json;
use support::{setup_input, start};

#[test]
fn first_run_then_register_find_and_resolve_an_attention() {
    let dir = tempfile::tempdir().expect("tempdir");
    let h = start(dir.path(), false);

    let status = h.ok("app_status", json!({}));
    assert_eq!(status["phase"], "needs_setup");

    // The core refuses a bad DNI; nothing is created.
    let e = h.err("app_setup", setup_input("1234"));
    assert_eq!(e["code"], "dni_invalido", "{e}");
    assert_eq!(e["field"], "technician_dni", "{e}");
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("8 dígitos")),
        "{e}"
    );
    assert_eq!(h.ok("app_status", json!({}))["phase"], "needs_setup");

    let status = h.ok("app_setup", setup_input("45678901"));
    assert_eq!(status["phase"], "ready", "{status}");
    assert_eq!(status["profile"]["unit"]["code"], "UT-CUSCO");
    assert!(dir.path().join("chaski.sqlite3").is_file());

    // A second setup is refused.
    assert_eq!(
        h.err("app_setup", setup_input("45678901"))["code"],
        "base_ya_existe"
    );

    let reference = h.ok("reference_data", json!({}));
    let service = reference["services"][0]["code"]
        .as_str()
        .expect("a service")
        .to_string();
    assert!(
        reference["priorities"]
            .as_array()
            .is_some_and(|p| p.len() == 4)
    );
    assert!(
        reference["escalation_levels"]
            .as_array()
            .is_some_and(|l| l.len() == 5)
    );

    let person = h.ok(
        "person_create",
        json!({ "input": { "last_names": "Huamán Torres", "first_names": "Luis", "dni": "41234567",
                           "phones": ["984123456"], "email": "lhuaman@entidad.gob.pe", "office": "Abastecimiento" } }),
    );
    let dup = h.err(
        "person_create",
        json!({ "input": { "last_names": "Otro", "first_names": "Nombre", "dni": "41234567", "phones": [], "email": null, "office": null } }),
    );
    assert_eq!(dup["code"], "dni_duplicado");
    assert_eq!(dup["existing_person"]["id"], person["id"]);
    let found = h.ok("persons_search", json!({ "query": "huaman", "limit": 10 }));
    assert_eq!(
        found[0]["id"], person["id"],
        "accent-insensitive directory search: {found}"
    );

    let detail = h.ok(
        "attention_create",
        json!({ "input": { "received_at": null, "requester_id": person["id"], "office": null, "channel": "telefono",
                           "kind": "incidencia", "service_code": service, "priority": 2,
                           "problem": "La impresora no imprime: la impresión sale en blanco",
                           "solution": null, "asset_code": null, "technician_id": null } }),
    );
    let id = detail["attention"]["id"].clone();
    assert_eq!(detail["attention"]["status"], "pendiente");

    let page = h.ok(
        "attentions_list",
        json!({ "filter": { "text": "impresion" }, "page": { "number": 1, "size": 50 } }),
    );
    assert_eq!(page["total"], 1, "{page}");
    assert_eq!(page["items"][0]["id"], id);

    // Atendido without a solution: refused by the core, next to the solution field.
    let e = h.err(
        "attention_transition",
        json!({ "id": id, "transition": { "action": "resolve", "solution": null } }),
    );
    assert_eq!(e["code"], "solucion_requerida", "{e}");
    assert_eq!(e["field"], "solution");

    let done = h.ok(
        "attention_transition",
        json!({ "id": id, "transition": { "action": "resolve", "solution": "Se cambió el tóner." } }),
    );
    assert_eq!(done["attention"]["status"], "atendido");
    assert!(done["attention"]["resolved_at"].is_string());
}

#[test]
fn a_corrupt_file_is_reported_at_start_and_left_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("chaski.sqlite3");
    let garbage = b"esto no es una base de datos SQLite, son 64 bytes de texto......".repeat(64);
    std::fs::write(&path, &garbage).expect("write");

    let h = start(dir.path(), false);
    let status = h.ok("app_status", json!({}));
    assert_eq!(status["phase"], "failed", "{status}");
    assert_eq!(status["error"]["code"], "base_corrupta");
    assert!(
        status["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("No se modificó"))
    );
    // Every data command is refused while the file is refused; setup too.
    assert_eq!(h.err("reference_data", json!({}))["code"], "base_no_existe");
    assert_eq!(
        h.err("app_setup", setup_input("45678901"))["code"],
        "base_ya_existe"
    );
    assert_eq!(
        std::fs::read(&path).expect("read"),
        garbage,
        "the file is untouched"
    );
}

#[test]
fn a_file_in_use_by_another_chaski_is_reported_as_locked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = start(dir.path(), false);
    first.ok("app_setup", setup_input("45678901"));

    let second = start(dir.path(), false);
    let status = second.ok("app_status", json!({}));
    assert_eq!(status["phase"], "failed", "{status}");
    assert_eq!(status["error"]["code"], "base_bloqueada");
}

#[test]
fn demo_flag_is_reported_until_the_ui_loads_the_demo_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let h = start(dir.path(), true);
    h.ok("app_setup", setup_input("45678901"));
    assert_eq!(h.ok("app_status", json!({}))["demo_pending"], true);
    let summary = h.ok("app_load_demo", json!({}));
    assert!(
        summary["attentions"].as_u64().is_some_and(|n| n >= 1000),
        "{summary}"
    );
    assert_eq!(h.ok("app_status", json!({}))["demo_pending"], false);
    let page = h.ok(
        "attentions_list",
        json!({ "filter": {}, "page": { "number": 1, "size": 20 } }),
    );
    assert_eq!(page["items"].as_array().map(Vec::len), Some(20));
}
