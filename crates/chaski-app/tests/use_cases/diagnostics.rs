//! The diagnostic commands, called by name as the UI calls them, on real
//! SQLite files: the form's lists, a diagnostic that changes the asset's operability through
//! its history, bad inputs refused with code, field and a Spanish message without writing
//! anything, a correction of the latest diagnostic only, and the ficha técnica de diagnóstico
//! rendered, checked with qpdf and pdftotext, and digitally signed (pdfsig).

use crate::support;

use crate::tools;

use crate::pki;

use std::path::Path;

use base64::Engine;
use serde_json::{Value, json};
use support::{Harness, setup_input, start};

/// Today in Lima (UTC−05:00 all year).
fn today() -> String {
    (chrono::Utc::now() - chrono::Duration::hours(5))
        .date_naive()
        .to_string()
}

fn assert_refused(e: &Value, code: &str, field: &str, words: &str) {
    assert_eq!(e["code"], code, "{e}");
    assert_eq!(e["field"], field, "{e}");
    let message = e["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(words),
        "the message should contain {words:?}: {message}"
    );
}

/// A unit set up through the commands, with María Quispe holding a CPU (no warranty) and a
/// printer under warranty until the end of next year.
struct Unit {
    h: Harness,
    cpu: String,
    printer: String,
}

fn unit(dir: &Path) -> Unit {
    let h = start(dir, false);
    h.ok("app_setup", setup_input("41236587"));
    let maria = h.ok(
        "person_create",
        json!({ "input": { "last_names": "Quispe Huamán", "first_names": "María", "dni": "45871236",
                           "phones": [], "email": null, "office": "Área de Supervisión y Monitoreo" } }),
    );
    let asset = |code: &str, kind: &str, denomination: &str, warranty: Value| {
        h.ok(
            "asset_create",
            json!({ "input": { "code": code, "denomination": denomination, "kind": kind,
                "brand": "Dell", "model": "OptiPlex 380", "serial": format!("S-{code}"), "color": null,
                "condition": "R", "operability": "operativo", "warranty_end": warranty,
                "remarks": null, "site": "Sede Cusco", "office": "Área de Supervisión y Monitoreo",
                "custodian_id": maria["id"] } }),
        )["id"]
            .as_str()
            .expect("asset id")
            .to_string()
    };
    let next_year_end = format!("{}-12-31", &today()[..4].parse::<i32>().expect("year") + 1);
    let cpu = asset(
        "740899500123",
        "cpu",
        "UNIDAD CENTRAL DE PROCESO - CPU",
        Value::Null,
    );
    let printer = asset(
        "740841000077",
        "impresora",
        "IMPRESORA LASER",
        json!(next_year_end),
    );
    Unit { h, cpu, printer }
}

/// Every test of the kind's checklist with `outcome`, as the form sends them.
fn checks(h: &Harness, kind: &str, outcome: &str) -> Vec<Value> {
    h.ok("checklist_for", json!({ "kind": kind }))
        .as_array()
        .expect("checklist")
        .iter()
        .map(|e| json!({ "item": e["item"], "outcome": outcome, "note": null }))
        .collect()
}

fn set_check(checks: &mut [Value], item: &str, outcome: &str, note: Option<&str>) {
    for c in checks.iter_mut() {
        if c["item"] == item {
            c["outcome"] = json!(outcome);
            c["note"] = json!(note);
        }
    }
}

/// A CPU that does not power on: inoperative, propose its baja, 90 minutes estimated and moved.
fn dead_cpu(h: &Harness, asset: &str) -> Value {
    let mut c = checks(h, "cpu", "no_aplica");
    set_check(
        &mut c,
        "energia",
        "fallido",
        Some("La fuente entrega voltaje; la placa no arranca."),
    );
    set_check(&mut c, "estado_fisico", "aprobado", None);
    set_check(
        &mut c,
        "arranque",
        "fallido",
        Some("Sin POST, sin pitidos."),
    );
    json!({
        "asset_id": asset, "date": today(), "attention_id": null,
        "symptoms": "No enciende desde el lunes; olor a quemado antes del apagado.",
        "checks": c,
        "findings": "Condensadores inflados en la placa madre; la placa ya no se fabrica.",
        "parts_needed": "Placa madre compatible (descontinuada)",
        "warranty_contact": null, "time_spent_minutes": 95, "estimated_minutes": 120,
        "moved_to_it_office": true, "stay_reason": null,
        "result": "inoperativo", "recommendation": "proponer_baja",
        "format": null, "corrects": null, "correction_reason": null
    })
}

fn detail(h: &Harness, asset: &str) -> Value {
    h.ok("asset_detail", json!({ "id": asset }))
}

fn diagnostics_of(h: &Harness, asset: &str) -> Vec<Value> {
    h.ok("diagnostics_of_asset", json!({ "asset": asset }))
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// Nothing of a refused diagnostic was written: no row, no history entry, same operability.
fn assert_nothing_written(h: &Harness, asset: &str, diagnostics: usize, operability: &str) {
    let d = detail(h, asset);
    assert_eq!(diagnostics_of(h, asset).len(), diagnostics);
    assert_eq!(d["asset"]["operability"], operability, "{d}");
    let from_diagnostics = d["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter(|e| e["event"]["document"]["kind"] == "diagnostic")
        .count();
    assert_eq!(from_diagnostics, diagnostics, "{d}");
}

#[test]
fn lists_of_the_form_carry_the_core_labels() {
    let dir = tempfile::tempdir().expect("tempdir");
    let u = unit(dir.path());
    let c = u.h.ok("diagnostic_catalogs", json!({}));
    assert_eq!(c["outcomes"][1]["label"], "Falló", "{c}");
    assert_eq!(c["it_office_minutes"], 60);
    assert_eq!(c["formattable_kinds"], json!(["cpu", "laptop", "servidor"]));
    assert!(
        c["recommendations"]
            .as_array()
            .expect("list")
            .iter()
            .any(
                |r| r["code"] == "reparar_proveedor" && r["label"] == "Reparación por el proveedor"
            )
    );
    let printer = u.h.ok("checklist_for", json!({ "kind": "impresora" }));
    let items: Vec<&str> = printer
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|e| e["item"].as_str())
        .collect();
    assert!(
        items.contains(&"rodillos") && items.contains(&"pagina_prueba"),
        "{printer}"
    );
    let test_page = printer
        .as_array()
        .expect("list")
        .iter()
        .find(|e| e["item"] == "pagina_prueba")
        .expect("test page");
    assert_eq!(test_page["essential"], true);
    assert_eq!(test_page["label"], "Página de prueba");
    // An unknown kind never reaches the core: Tauri refuses the argument, naming it.
    let e = u.h.err("checklist_for", json!({ "kind": "tostadora" }));
    assert!(e.as_str().is_some_and(|m| m.contains("tostadora")), "{e}");
}

#[test]
fn a_diagnostic_sets_operability_and_bad_inputs_write_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let u = unit(dir.path());
    let h = &u.h;

    // Inoperativo although every test passed.
    let mut bad = dead_cpu(h, &u.cpu);
    bad["checks"] = json!(checks(h, "cpu", "aprobado"));
    let e = h.err("diagnostic_create", json!({ "input": bad }));
    assert_refused(
        &e,
        "resultado_incoherente",
        "result",
        "ninguna prueba falló",
    );
    assert_nothing_written(h, &u.cpu, 0, "operativo");

    // A failed test without a note.
    let mut bad = dead_cpu(h, &u.cpu);
    set_check(
        bad["checks"].as_array_mut().expect("checks"),
        "arranque",
        "fallido",
        Some("   "),
    );
    let e = h.err("diagnostic_create", json!({ "input": bad }));
    assert_refused(&e, "checklist_incompleto", "checks", "POST / arranque");
    assert_nothing_written(h, &u.cpu, 0, "operativo");

    // A test of the checklist left unanswered.
    let mut bad = dead_cpu(h, &u.cpu);
    bad["checks"]
        .as_array_mut()
        .expect("checks")
        .retain(|c| c["item"] != "memoria");
    let e = h.err("diagnostic_create", json!({ "input": bad }));
    assert_refused(&e, "checklist_incompleto", "checks", "Memoria RAM");

    // More than 60 minutes, not moved, no reason.
    let mut bad = dead_cpu(h, &u.cpu);
    bad["moved_to_it_office"] = json!(false);
    let e = h.err("diagnostic_create", json!({ "input": bad }));
    assert_refused(&e, "motivo_requerido", "stay_reason", "oficina de TI");

    // Formatting an inoperative CPU.
    let mut bad = dead_cpu(h, &u.cpu);
    bad["recommendation"] = json!("formatear");
    let e = h.err("diagnostic_create", json!({ "input": bad }));
    assert_refused(&e, "resultado_incoherente", "recommendation", "formatear");
    assert_nothing_written(h, &u.cpu, 0, "operativo");

    // Under warranty the printer is repaired by the provider, who must be named.
    let mut p = checks(h, "impresora", "aprobado");
    set_check(
        &mut p,
        "rodillos",
        "fallido",
        Some("Rodillo de arrastre gastado: atasca el papel."),
    );
    let mut printer = json!({
        "asset_id": u.printer, "date": today(), "attention_id": null,
        "symptoms": "Atasca el papel en cada impresión.", "checks": p,
        "findings": "Rodillo de arrastre gastado.", "parts_needed": "Kit de rodillos",
        "warranty_contact": null, "time_spent_minutes": 20, "estimated_minutes": 30,
        "moved_to_it_office": false, "stay_reason": null,
        "result": "operativo", "recommendation": "reparar_en_sitio",
        "format": null, "corrects": null, "correction_reason": null
    });
    let e = h.err("diagnostic_create", json!({ "input": printer }));
    assert_refused(&e, "resultado_incoherente", "recommendation", "garantía");
    printer["recommendation"] = json!("reparar_proveedor");
    let e = h.err("diagnostic_create", json!({ "input": printer }));
    assert_refused(&e, "campo_requerido", "warranty_contact", "Proveedor");
    assert_nothing_written(h, &u.printer, 0, "operativo");
    printer["warranty_contact"] = json!("Soporte Dell 0800-50-869");
    let d = h.ok("diagnostic_create", json!({ "input": printer }));
    assert_eq!(d["warranty"], "vigente", "{d}");
    assert_eq!(d["warranty_contact"], "Soporte Dell 0800-50-869");

    // The good one: the CPU is inoperative, through an event of its history.
    let d = h.ok("diagnostic_create", json!({ "input": dead_cpu(h, &u.cpu) }));
    assert_eq!(d["result"], "inoperativo");
    assert_eq!(
        d["it_office"],
        json!({ "proposed": true, "moved": true, "stay_reason": null })
    );
    assert_eq!(d["technician"]["name"], "QUISPE MAMANI, Rosa Elena", "{d}");
    assert_eq!(
        d["checks"][0],
        json!({ "item": "energia", "outcome": "fallido",
                "note": "La fuente entrega voltaje; la placa no arranca." })
    );
    let asset = detail(h, &u.cpu);
    assert_eq!(asset["asset"]["operability"], "inoperativo");
    let last = asset["history"]
        .as_array()
        .and_then(|h| h.last())
        .cloned()
        .expect("event");
    assert_eq!(last["event"]["kind"], "inoperativo", "{last}");
    assert_eq!(last["event"]["document"]["kind"], "diagnostic");
    assert_eq!(last["event"]["document"]["id"], d["id"]);
    assert_eq!(last["event"]["remarks"], "Recomendación: Proponer la baja");
    assert_eq!(h.ok("diagnostic_get", json!({ "id": d["id"] })), d);
    // Operability can no longer be set by hand.
    let mut edit = asset["asset"].clone();
    edit["operability"] = json!("operativo");
    let e = h.err(
        "asset_update",
        json!({ "id": u.cpu, "input": {
            "code": edit["code"], "denomination": edit["denomination"], "kind": edit["kind"],
            "brand": edit["brand"], "model": edit["model"], "serial": edit["serial"],
            "color": null, "condition": edit["condition"], "operability": "operativo",
            "warranty_end": null, "remarks": null, "site": null, "office": null,
            "custodian_id": null } }),
    );
    assert_eq!(e["code"], "valor_invalido", "{e}");
    assert_eq!(e["field"], "operability", "{e}");

    // Correction: a reason is required; then the asset follows the latest word.
    let mut fix = json!({
        "asset_id": u.cpu, "date": today(), "attention_id": null,
        "symptoms": "No enciende.", "checks": checks(h, "cpu", "aprobado"),
        "findings": "El enchufe de la oficina estaba sin energía; el equipo funciona.",
        "parts_needed": null, "warranty_contact": null, "time_spent_minutes": 10,
        "estimated_minutes": 10, "moved_to_it_office": false, "stay_reason": null,
        "result": "operativo", "recommendation": "devolver_usuario",
        "format": null, "corrects": d["id"], "correction_reason": "  "
    });
    let e = h.err("diagnostic_create", json!({ "input": fix }));
    assert_refused(&e, "motivo_requerido", "correction_reason", "corrige");
    assert_nothing_written(h, &u.cpu, 1, "inoperativo");
    fix["correction_reason"] = json!("Se probó con otro tomacorriente.");
    let fixed = h.ok("diagnostic_create", json!({ "input": fix }));
    assert_eq!(fixed["corrects"], d["id"]);
    assert_eq!(detail(h, &u.cpu)["asset"]["operability"], "operativo");
    let list = diagnostics_of(h, &u.cpu);
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["id"], fixed["id"], "newest first");
    assert_eq!(list[1]["corrected_by"], fixed["id"]);
    // Only the latest can be corrected.
    fix["correction_reason"] = json!("Otra vez");
    let e = h.err("diagnostic_create", json!({ "input": fix }));
    assert_refused(&e, "valor_invalido", "corrects", "último diagnóstico");
    assert_eq!(diagnostics_of(h, &u.cpu).len(), 2);

    // The N° of a linked attention.
    let e = h.err("attention_by_number", json!({ "number": "cuarenta" }));
    assert_eq!(e["code"], "numero_documento_invalido", "{e}");
    let e = h.err("attention_by_number", json!({ "number": "N° 045-2026" }));
    assert_eq!(e["code"], "no_encontrado", "{e}");
}

fn png_b64(variant: u32) -> String {
    base64::engine::general_purpose::STANDARD
        .encode(chaski_docs::samples::hand_signature_png(variant))
}

#[test]
fn the_ficha_renders_with_its_people_and_is_signed() {
    let pki = pki::Pki::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let u = unit(dir.path());
    let h = &u.h;
    let out = tempfile::tempdir().expect("out dir");

    let d = h.ok("diagnostic_create", json!({ "input": dead_cpu(h, &u.cpu) }));
    let source = json!({ "kind": "diagnostic", "source_id": d["id"] });

    // Without its diagnostic, or with an unknown one: refused, nothing stored.
    let e = h.err(
        "document_render",
        json!({ "input": { "source": { "kind": "diagnostic" }, "hand_signatures": [] } }),
    );
    assert_refused(&e, "campo_requerido", "source_id", "diagnóstico");
    let e = h.err(
        "document_render",
        json!({ "input": { "source": { "kind": "diagnostic", "source_id": u.cpu },
                           "hand_signatures": [] } }),
    );
    assert_eq!(e["code"], "no_encontrado", "{e}");
    // A signature line the ficha does not have.
    let e = h.err(
        "document_render",
        json!({ "input": { "source": source,
            "hand_signatures": [ { "role": "approver", "png_base64": png_b64(1) } ] } }),
    );
    assert_eq!(e["field"], "hand_signatures", "{e}");
    assert!(
        h.ok("generated_documents_of", json!({ "source": source }))
            .as_array()
            .is_some_and(Vec::is_empty)
    );

    let v1 = h.ok(
        "document_render",
        json!({ "input": { "source": source,
            "hand_signatures": [ { "role": "technician", "png_base64": png_b64(1) },
                                 { "role": "employee", "png_base64": png_b64(2) } ] } }),
    );
    assert_eq!(v1["kind"], "ficha-diagnostico", "{v1}");
    assert!(v1["number"].is_null(), "{v1}");
    assert_eq!(v1["source_id"], d["id"]);
    let file = out.path().join("ficha.pdf");
    h.ok(
        "document_save_as",
        json!({ "id": v1["id"], "path": file.display().to_string() }),
    );
    tools::qpdf_check(&file);
    let text = tools::pdftotext(&file);
    for needle in [
        "FICHA TÉCNICA DE DIAGNÓSTICO",
        "740899500123",
        "Encendido y alimentación eléctrica",
        "Sin POST, sin pitidos.",
        "INOPERATIVO",
        "Proponer la baja",
        "Sin garantía registrada.",
        "Empleado: 95 min. Estimado: 120 min.",
        "trasladado a la oficina de TI",
        "Diagnosticado por",
        "QUISPE MAMANI, Rosa Elena",
        "QUISPE HUAMÁN, María",
        "Documento sin número",
    ] {
        assert!(text.contains(needle), "pdftotext lacks {needle:?}:\n{text}");
    }
    assert!(
        !text.contains("N° \n"),
        "no empty number in the title:\n{text}"
    );

    // Signed by the technician, then the V° B°: both valid for pdfsig.
    let signed = h.ok(
        "document_sign",
        json!({ "input": { "id": v1["id"], "pfx_path": pki.path("signer.pfx").display().to_string(),
                           "password": pki::PASSWORD, "remember": false, "reason": "author" } }),
    )["document"]
        .clone();
    assert_eq!(signed["signature_count"], 1, "{signed}");
    let v3 = h.ok(
        "document_sign",
        json!({ "input": { "id": signed["id"], "pfx_path": pki.path("signer2.pfx").display().to_string(),
                           "password": pki::PASSWORD, "remember": false, "reason": "conformity" } }),
    )["document"]
        .clone();
    let file = out.path().join("ficha-firmada.pdf");
    h.ok(
        "document_save_as",
        json!({ "id": v3["id"], "path": file.display().to_string() }),
    );
    tools::qpdf_check(&file);
    let sig = tools::pdfsig(&file, &pki.nss_db());
    assert_eq!(sig.matches("Signature is Valid").count(), 2, "{sig}");
    let versions = h.ok("generated_documents_of", json!({ "source": source }));
    assert_eq!(versions.as_array().map(Vec::len), Some(3), "{versions}");

    // A format diagnostic prints its checklist.
    let mut fix = dead_cpu(h, &u.cpu);
    fix["checks"] = json!(checks(h, "cpu", "aprobado"));
    set_check(
        fix["checks"].as_array_mut().expect("checks"),
        "sistema_operativo",
        "fallido",
        Some("Windows no inicia: archivos del sistema dañados."),
    );
    fix["result"] = json!("operativo");
    fix["recommendation"] = json!("formatear");
    fix["corrects"] = d["id"].clone();
    fix["correction_reason"] = json!("La placa funciona con otra fuente; falla el sistema.");
    fix["format"] = json!({
        "backup_done": true, "backup_location": "\\\\srv\\supervision\\respaldos\\quispe",
        "no_backup_reason": null, "low_level": false, "read_write_problems": false,
        "low_performance": false, "ntfs_two_partitions": true, "dhcp": true,
        "local_admin_enabled": true, "local_admin_password_set": true,
        "computer_name": "740899500123", "unnecessary_services_disabled": true,
        "base_software_installed": false, "remarks": "Falta la licencia de ofimática."
    });
    let formatted = h.ok("diagnostic_create", json!({ "input": fix }));
    let v = h.ok(
        "document_render",
        json!({ "input": { "source": { "kind": "diagnostic", "source_id": formatted["id"] },
                           "hand_signatures": [] } }),
    );
    let file = out.path().join("ficha-formateo.pdf");
    h.ok(
        "document_save_as",
        json!({ "id": v["id"], "path": file.display().to_string() }),
    );
    tools::qpdf_check(&file);
    let text = tools::pdftotext(&file);
    for needle in [
        "LISTA DE VERIFICACIÓN DEL FORMATEO",
        "NTFS con dos particiones",
        "Software base instalado",
        "Falta la licencia de ofimática.",
        "Corrige:",
        "OPERATIVO",
    ] {
        assert!(text.contains(needle), "pdftotext lacks {needle:?}:\n{text}");
    }
}
