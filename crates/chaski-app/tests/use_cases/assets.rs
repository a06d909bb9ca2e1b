//! The asset register's commands, called by name as the UI calls them, on real SQLite files:
//! alta and list, a cargo issued and signed that changes the custodian, the double assignment
//! refused with the core's Spanish message, and the inventory import previewed, refused whole
//! for one bad row, then applied whole, with its progress arriving as events.

use crate::support;

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Value, json};
use support::{Harness, setup_input, start};

fn person(h: &Harness, last: &str, first: &str, dni: &str, office: &str) -> Value {
    h.ok(
        "person_create",
        json!({ "input": { "last_names": last, "first_names": first, "dni": dni, "phones": [],
                           "email": null, "office": office } }),
    )
}

fn asset_input(code: &str, kind: &str, serial: &str) -> Value {
    json!({ "code": code, "denomination": "UNIDAD CENTRAL DE PROCESO - CPU", "kind": kind,
            "brand": "HP", "model": "ProDesk 400 G7", "serial": serial, "color": null,
            "condition": "B", "operability": "operativo", "warranty_end": "2027-03-31",
            "remarks": null, "site": "Sede Wanchaq", "office": null, "custodian_id": null })
}

/// Today in Lima (UTC−05:00 all year: Peru has no daylight saving time).
fn today() -> String {
    (chrono::Utc::now() - chrono::Duration::hours(5))
        .date_naive()
        .to_string()
}

fn list(h: &Harness, filter: Value) -> Value {
    h.ok(
        "assets_list",
        json!({ "filter": filter, "page": { "number": 1, "size": 50 } }),
    )
}

#[test]
fn alta_list_cargo_signed_changes_the_custodian_and_double_assignment_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let h = start(dir.path(), false);
    h.ok("app_setup", setup_input("45678901"));
    let luis = person(&h, "Huamán Torres", "Luis", "41234567", "Abastecimiento");
    let ana = person(&h, "Condori Pari", "Ana", "42345678", "Tesorería");

    let catalogs = h.ok("asset_catalogs", json!({}));
    assert_eq!(catalogs["conditions"][0]["label"], "Nuevo", "{catalogs}");

    // Alta: a bad code is refused next to its field, with the leading-zero hint.
    let e = h.err(
        "asset_create",
        json!({ "input": asset_input("74089950012", "cpu", "MXL1") }),
    );
    assert_eq!(e["code"], "codigo_patrimonial_invalido", "{e}");
    assert_eq!(e["field"], "code");
    let cpu = h.ok(
        "asset_create",
        json!({ "input": asset_input("7408 9950 0012", "cpu", "MXL2041ABC") }),
    );
    assert_eq!(cpu["code"], "740899500012");
    assert_eq!(cpu["status"], "en_almacen");
    assert_eq!(cpu["in_warehouse"], true);
    h.ok(
        "asset_create",
        json!({ "input": asset_input("740880370020", "monitor", "CN0X1234") }),
    );

    // List, filters and search.
    assert_eq!(list(&h, json!({}))["total"], 2);
    let cpus = list(&h, json!({ "kind": "cpu" }));
    assert_eq!(cpus["total"], 1, "{cpus}");
    assert_eq!(cpus["items"][0]["id"], cpu["id"]);
    assert_eq!(
        list(&h, json!({ "q": "mxl2041" }))["items"][0]["id"],
        cpu["id"]
    );
    assert_eq!(list(&h, json!({ "q": "7408995" }))["total"], 1);
    assert_eq!(list(&h, json!({ "in_warehouse": true }))["total"], 2);
    assert_eq!(h.ok("asset_sites", json!({})), json!(["Sede Wanchaq"]));
    assert_eq!(
        h.ok("asset_by_code", json!({ "code": "7408-9950-0012" }))["id"],
        cpu["id"]
    );

    // Editing cannot move custody by hand: the custodian in the input is ignored.
    let mut edit = asset_input("740899500012", "cpu", "MXL2041ABC");
    edit["custodian_id"] = luis["id"].clone();
    edit["remarks"] = json!("Con lectora de DNIe");
    let edited = h.ok("asset_update", json!({ "id": cpu["id"], "input": edit }));
    assert_eq!(edited["remarks"], "Con lectora de DNIe");
    assert_eq!(edited["custodian_id"], Value::Null);

    // A cargo for Luis: the draft and the issued cargo change nothing; the signature does.
    let input = json!({ "date": today(), "person_id": luis["id"], "office": null, "withdrawn": [],
        "assigned": [{ "asset_id": cpu["id"], "remarks": "Con teclado y mouse" }],
        "corrects": null, "attention_id": null });
    let cargo = h.ok("assignment_create", json!({ "input": input }));
    assert_eq!(cargo["lifecycle"]["status"], "borrador", "{cargo}");
    assert_eq!(cargo["assigned"][0]["code"], "740899500012");
    let issued = h.ok("assignment_issue", json!({ "id": cargo["id"] }));
    assert_eq!(issued["lifecycle"]["status"], "emitido");
    assert!(issued["lifecycle"]["number"].is_object(), "{issued}");
    let still = h.ok("asset_detail", json!({ "id": cpu["id"] }));
    assert_eq!(still["asset"]["custodian_id"], Value::Null);
    // Issued means frozen.
    let e = h.err(
        "assignment_update",
        json!({ "id": cargo["id"], "input": input }),
    );
    assert_eq!(e["code"], "documento_inmutable", "{e}");

    let signed = h.ok("assignment_sign", json!({ "id": cargo["id"] }));
    assert_eq!(signed["lifecycle"]["status"], "firmado");
    let detail = h.ok("asset_detail", json!({ "id": cpu["id"] }));
    assert_eq!(detail["asset"]["custodian_id"], luis["id"], "{detail}");
    assert_eq!(detail["asset"]["custodian_name"], "HUAMÁN TORRES, Luis");
    assert_eq!(detail["asset"]["office"], "Abastecimiento");
    assert_eq!(detail["asset"]["status"], "en_uso");
    let kinds: Vec<&str> = detail["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|e| e["event"]["kind"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(kinds, ["alta", "asignacion"], "{detail}");
    assert_eq!(detail["documents"][0]["status"], "firmado");
    let by_custodian = list(&h, json!({ "custodian_id": luis["id"] }));
    assert_eq!(by_custodian["total"], 1);
    assert_eq!(list(&h, json!({ "q": "huaman" }))["total"], 1);

    // A signed cargo cannot be annulled; its correction is a new cargo.
    let e = h.err(
        "assignment_annul",
        json!({ "id": cargo["id"], "reason": "error" }),
    );
    assert_eq!(e["code"], "documento_inmutable", "{e}");

    // Assigning Luis's CPU to Ana without withdrawing it: refused, in Spanish, naming Luis.
    let to_ana = json!({ "date": today(), "person_id": ana["id"], "office": null, "withdrawn": [],
        "assigned": [{ "asset_id": cpu["id"], "remarks": null }], "corrects": null, "attention_id": null });
    let e = h.err("assignment_create", json!({ "input": to_ana }));
    assert_eq!(e["code"], "bien_no_disponible", "{e}");
    assert_eq!(e["field"], "assigned");
    let message = e["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("HUAMÁN TORRES, Luis") && message.contains("Se retira"),
        "{message}"
    );
    // With the withdrawal in the same cargo it is accepted; a draft annulled needs a reason.
    let mut with_withdrawal = to_ana.clone();
    with_withdrawal["withdrawn"] = json!([{ "asset_id": cpu["id"], "remarks": null }]);
    let second = h.ok("assignment_create", json!({ "input": with_withdrawal }));
    let e = h.err(
        "assignment_annul",
        json!({ "id": second["id"], "reason": "  " }),
    );
    assert_eq!(e["code"], "motivo_requerido", "{e}");
    let annulled = h.ok(
        "assignment_annul",
        json!({ "id": second["id"], "reason": "Se emitió por error" }),
    );
    assert_eq!(annulled["lifecycle"]["status"], "anulado");
    let docs = h.ok(
        "asset_documents_list",
        json!({ "filter": { "kind": "assignment" } }),
    );
    assert_eq!(docs.as_array().map(Vec::len), Some(2), "{docs}");
    assert_eq!(
        docs[1]["title"], "Cargo de asignación — HUAMÁN TORRES, Luis",
        "upper case with its accent: {docs}"
    );

    // A traslado moves the CPU to another site when signed.
    let tr = h.ok(
        "transfer_create",
        json!({ "input": { "date": today(), "origin_site": "Sede Wanchaq", "destination_site": "Sede San Jerónimo",
            "items": [{ "asset_id": cpu["id"], "remarks": null }], "reason": "Reubicación de la oficina",
            "handed_by": luis["id"], "received_by": ana["id"], "corrects": null } }),
    );
    h.ok("transfer_issue", json!({ "id": tr["id"] }));
    h.ok("transfer_sign", json!({ "id": tr["id"] }));
    let moved = h.ok("asset_detail", json!({ "id": cpu["id"] }));
    assert_eq!(moved["asset"]["site"], "Sede San Jerónimo");
    assert_eq!(moved["asset"]["custodian_id"], luis["id"]);

    // Patrimonio's month: one assignment and one traslado, exported as a CSV file.
    let (year, month) = {
        let t = today();
        (
            t[..4].parse::<i32>().expect("year"),
            t[5..7].parse::<u32>().expect("month"),
        )
    };
    let month_list = h.ok("monthly_movements", json!({ "year": year, "month": month }));
    assert_eq!(
        month_list["rows"].as_array().map(Vec::len),
        Some(2),
        "{month_list}"
    );
    let out = dir.path().join("movimientos.csv");
    let written = h.ok(
        "monthly_movements_export",
        json!({ "year": year, "month": month, "path": out.to_string_lossy() }),
    );
    assert_eq!(written, json!(out.to_string_lossy()));
    let csv = std::fs::read(&out).expect("the CSV was written");
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with BOM for Excel");
    assert!(String::from_utf8_lossy(&csv).contains("740899500012"));
    let e = h.err(
        "monthly_movements_export",
        json!({ "year": year, "month": month, "path": dir.path().join("no/existe/x.csv").to_string_lossy() }),
    );
    assert_eq!(e["code"], "error_almacenamiento", "{e}");
    assert_eq!(e["field"], "path");
}

const HEADER: &str = "CODIGO_PATRIMONIAL;DENOMINACION_BIEN;MARCA;MODELO;TIPO;COLOR;SERIE;ESTADO_BIEN;\
NOMBRE_LOCAL;NOMBRE_AREA;NOMBRE_OFICINA;NRO_DOC_IDENT_PERSONAL;APELLIDO_PATERNO;APELLIDO_MATERNO;NOMBRES\n";

/// An SBN inventory sheet as CSV with `n` computers, custodians cycling over 40 people.
fn inventory_csv(n: u32) -> String {
    let mut s = HEADER.to_string();
    for i in 0..n {
        let dni = 70_000_000 + i % 40;
        let _ = writeln!(
            s,
            "74089950{:04};UNIDAD CENTRAL DE PROCESO - CPU;LENOVO;ThinkCentre M70;CPU;NEGRO;PC{i:06};B;\
             Sede Wanchaq;Administración;Oficina de Logística;{dni};Mamani;Quispe;Persona {}",
            i + 1,
            i % 40
        );
    }
    s
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write the sheet");
    path.to_string_lossy().into_owned()
}

fn phases(events: &[Value], phase: &str) -> Vec<(u64, u64)> {
    events
        .iter()
        .filter(|e| e["phase"] == phase)
        .map(|e| {
            (
                e["done"].as_u64().unwrap_or(0),
                e["total"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn inventory_import_previews_refuses_a_bad_file_whole_and_applies_a_good_one_with_progress() {
    let dir = tempfile::tempdir().expect("tempdir");
    let h = start(dir.path(), false);
    h.ok("app_setup", setup_input("45678901"));
    let progress = h.record("inventory-progress");

    // Paths that are not an inventory sheet are refused next to the path field.
    let e = h.err("inventory_preview", json!({ "path": "  " }));
    assert_eq!(
        (e["code"].as_str(), e["field"].as_str()),
        (Some("campo_requerido"), Some("path"))
    );
    let e = h.err(
        "inventory_preview",
        json!({ "path": "/tmp/inventario.pdf" }),
    );
    assert_eq!(e["code"], "valor_invalido", "{e}");
    assert!(e["message"].as_str().is_some_and(|m| m.contains(".xlsx")));
    let missing = dir.path().join("no-existe.xlsx");
    let e = h.err(
        "inventory_preview",
        json!({ "path": missing.to_string_lossy() }),
    );
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("no existe")),
        "{e}"
    );
    // Nothing to confirm yet.
    assert_eq!(h.err("inventory_apply", json!({}))["code"], "no_encontrado");

    // 1,000 good rows and one with an 11-digit code: the preview lists the bad row, and
    // confirming writes nothing at all.
    let mut bad = inventory_csv(1000);
    bad.push_str("74088037002;MONITOR LED;LG;22MK400;MONITOR;NEGRO;ZX1;B;Sede Wanchaq;;;;;;\n");
    let bad_path = write(dir.path(), "inventario-con-error.csv", &bad);
    let shown = h.ok("inventory_preview", json!({ "path": bad_path }));
    assert_eq!(shown["file_name"], "inventario-con-error.csv");
    let preview = &shown["preview"];
    assert_eq!(preview["rows"], 1001, "{preview}");
    let errors = preview["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["row"], 1002, "line 1 is the header");
    assert_eq!(errors[0]["column"], "CODIGO_PATRIMONIAL");
    assert!(
        errors[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("11 dígitos")),
        "{errors:?}"
    );
    let e = h.err("inventory_apply", json!({}));
    assert_eq!(e["code"], "importacion_con_errores", "{e}");
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|m| m.contains("no se guardó nada"))
    );
    assert_eq!(list(&h, json!({}))["total"], 0, "all or nothing");
    assert!(
        !phases(&progress.lock().expect("events"), "revision").is_empty(),
        "the preview reports its progress"
    );

    // The corrected file: 1,200 rows, 40 custodians created, written whole.
    progress.lock().expect("events").clear();
    let good_path = write(dir.path(), "inventario.csv", &inventory_csv(1200));
    let shown = h.ok("inventory_preview", json!({ "path": good_path }));
    let preview = &shown["preview"];
    assert_eq!(preview["new_assets"], 1200, "{preview}");
    assert_eq!(preview["new_persons"], 40);
    assert_eq!(preview["errors"], json!([]));
    assert_eq!(
        list(&h, json!({}))["total"],
        0,
        "the preview writes nothing"
    );
    let summary = h.ok("inventory_apply", json!({}));
    assert_eq!(summary["created"], 1200, "{summary}");
    assert_eq!(summary["persons_created"], 40);
    assert_eq!(list(&h, json!({}))["total"], 1200);
    let held = list(&h, json!({ "q": "740899500001" }));
    assert_eq!(
        held["items"][0]["custodian_name"], "MAMANI QUISPE, Persona 0",
        "{held}"
    );
    assert_eq!(held["items"][0]["status"], "en_uso");

    let events = progress.lock().expect("events").clone();
    let review = phases(&events, "revision");
    let writing = phases(&events, "escritura");
    assert!(
        review.len() >= 3,
        "every 500 rows and at the end: {review:?}"
    );
    assert!(
        writing.len() >= 5,
        "every 250 rows and at the end: {writing:?}"
    );
    for steps in [&review, &writing] {
        assert!(steps.windows(2).all(|w| w[0].0 <= w[1].0), "{steps:?}");
        let last = steps.last().expect("a last step");
        assert_eq!(
            last.0, last.1,
            "the last event says done == total: {steps:?}"
        );
    }

    // The plan was used once; the same file again is all unchanged; discarding drops it.
    assert_eq!(h.err("inventory_apply", json!({}))["code"], "no_encontrado");
    let again = h.ok("inventory_preview", json!({ "path": good_path }));
    assert_eq!(again["preview"]["unchanged_assets"], 1200);
    assert_eq!(h.ok("inventory_discard", json!({})), json!(true));
    assert_eq!(h.ok("inventory_discard", json!({})), json!(false));
    assert_eq!(h.err("inventory_apply", json!({}))["code"], "no_encontrado");
}
