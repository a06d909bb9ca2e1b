//! Preventive maintenance and provider escalations, called by name as the UI calls them, on
//! real SQLite files: a plan edited moves assets on the calendar; a maintenance is
//! verified only after 48 hours and a fault after a provider's maintenance opens an
//! escalation; the provider's report is attached from a file and opened from a copy; an
//! escalation is completed, its conformity asked only after 24 hours, and a *no conforme*
//! opens the next one. Every refusal carries code, field and a Spanish message and writes
//! nothing. Dates are explicit (hours or days before now): the store checks the 48 and 24 hours
//! against its own clock.

use crate::support;

use chrono::{Duration, Utc};
use serde_json::{Value, json};
use support::{Harness, setup_input, start};

fn ago(hours: i64) -> String {
    (Utc::now() - Duration::hours(hours)).to_rfc3339()
}

fn ready(dir: &std::path::Path) -> Harness {
    let h = start(dir, false);
    h.ok("app_setup", setup_input("45678901"));
    h
}

fn asset(h: &Harness, code: &str, kind: &str, serial: &str) -> Value {
    h.ok(
        "asset_create",
        json!({ "input": { "code": code, "denomination": "EQUIPO DE PRUEBA", "kind": kind,
                "brand": "HP", "model": "M1", "serial": serial, "color": null, "condition": "B",
                "operability": "operativo", "warranty_end": null, "remarks": null,
                "site": "Sede Wanchaq", "office": null, "custodian_id": null } }),
    )
}

fn maintenance(h: &Harness, asset: &Value, hours_ago: i64, provider: Option<&str>) -> Value {
    h.ok(
        "maintenance_create",
        json!({ "input": {
            "asset_id": asset["id"], "performed_at": ago(hours_ago),
            "performer": if provider.is_some() { "proveedor" } else { "tecnico" },
            "provider_name": provider, "work_done": "Limpieza interna, cambio de rodillos",
            "remarks": null } }),
    )
}

fn calendar(h: &Harness, filter: Value) -> Vec<Value> {
    let c = h.ok("maintenance_calendar", json!({ "filter": filter }));
    assert!(c["today"].as_str().is_some_and(|d| d.len() == 10), "{c}");
    c["entries"].as_array().cloned().unwrap_or_default()
}

fn entry<'a>(entries: &'a [Value], asset: &Value) -> Option<&'a Value> {
    entries.iter().find(|e| e["asset_id"] == asset["id"])
}

/// The refusal carries its code, its field and a Spanish message.
fn refused(e: &Value, code: &str, field: &str) {
    assert_eq!(e["code"], code, "{e}");
    assert_eq!(e["field"], field, "{e}");
    let message = e["message"].as_str().unwrap_or_default();
    assert!(message.len() > 20, "a message that says what to do: {e}");
}

fn escalations(h: &Harness, open_only: bool) -> Vec<Value> {
    h.ok(
        "provider_escalations",
        json!({ "filter": { "open_only": open_only, "asset_id": null } }),
    )
    .as_array()
    .cloned()
    .unwrap_or_default()
}

#[test]
fn plans_move_assets_on_the_calendar_and_bad_plans_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let h = ready(dir.path());
    let catalogs = h.ok("maintenance_catalogs", json!({}));
    assert_eq!(catalogs["statuses"][0]["label"], "Vencido", "{catalogs}");

    // Seed 001 defaults: CPUs and laptops yearly, printers every four months.
    let plans = h.ok("maintenance_plans", json!({}));
    let interval = |plans: &Value, kind: &str| {
        plans
            .as_array()
            .and_then(|l| l.iter().find(|p| p["asset_kind"] == kind))
            .map(|p| (p["interval_months"].clone(), p["active"].clone()))
    };
    assert_eq!(interval(&plans, "cpu"), Some((json!(12), json!(true))));
    assert_eq!(interval(&plans, "impresora"), Some((json!(4), json!(true))));

    let printer = asset(&h, "740841000011", "impresora", "PRN1");
    let cpu = asset(&h, "740899500012", "cpu", "CPU1");
    let monitor = asset(&h, "740880370020", "monitor", "MON1");
    let all = calendar(&h, json!({}));
    assert_eq!(all.len(), 2, "no plan for monitors: {all:?}");
    assert!(entry(&all, &monitor).is_none());
    assert_eq!(
        entry(&all, &cpu).expect("cpu")["due"]["status"],
        "sin_registro"
    );

    // Printer serviced about five months ago: overdue every four months.
    maintenance(
        &h,
        &printer,
        150 * 24,
        Some("Servicios Técnicos Andinos SAC"),
    );
    let all = calendar(&h, json!({}));
    let p = entry(&all, &printer).expect("printer");
    assert_eq!(p["due"]["status"], "vencido", "{p}");
    assert!(p["due"]["days_left"].as_i64().is_some_and(|d| d < 0));
    assert_eq!(all[0]["asset_id"], printer["id"], "overdue first");
    let overdue = calendar(&h, json!({ "status": "vencido" }));
    assert_eq!(overdue.len(), 1);
    assert_eq!(calendar(&h, json!({ "kind": "cpu" })).len(), 1);

    // Every twelve months instead: al día.
    let plan = h.ok(
        "maintenance_plan_set",
        json!({ "input": { "asset_kind": "impresora", "interval_months": 12, "active": true } }),
    );
    assert_eq!(plan["interval_months"], 12);
    assert!(plan["updated_at"].is_string(), "edited: {plan}");
    let p = calendar(&h, json!({}));
    assert_eq!(
        entry(&p, &printer).expect("printer")["due"]["status"],
        "al_dia"
    );

    // Out of range: refused on its field, nothing written.
    for months in [0, 37] {
        let e = h.err(
            "maintenance_plan_set",
            json!({ "input": { "asset_kind": "impresora", "interval_months": months, "active": true } }),
        );
        refused(&e, "plan_mantenimiento_invalido", "interval_months");
        assert!(
            e["message"]
                .as_str()
                .unwrap_or_default()
                .contains("Impresora")
        );
    }
    let plans = h.ok("maintenance_plans", json!({}));
    assert_eq!(
        interval(&plans, "impresora"),
        Some((json!(12), json!(true)))
    );

    // A paused plan takes its kind off the calendar; a new plan puts monitors on it.
    h.ok(
        "maintenance_plan_set",
        json!({ "input": { "asset_kind": "cpu", "interval_months": 12, "active": false } }),
    );
    h.ok(
        "maintenance_plan_set",
        json!({ "input": { "asset_kind": "monitor", "interval_months": 6, "active": true } }),
    );
    let all = calendar(&h, json!({}));
    assert!(entry(&all, &cpu).is_none(), "paused: {all:?}");
    assert_eq!(
        entry(&all, &monitor).expect("monitor")["interval_months"],
        6
    );
}

#[test]
fn verification_waits_48_hours_and_a_fault_goes_back_to_the_provider() {
    let dir = tempfile::tempdir().expect("tempdir");
    let h = ready(dir.path());
    let printer = asset(&h, "740841000011", "impresora", "PRN1");
    let count = |h: &Harness| {
        h.ok("maintenances_of_asset", json!({ "asset": printer["id"] }))
            .as_array()
            .map_or(0, Vec::len)
    };

    // Bad records: refused on their field, nothing written.
    let base = json!({ "asset_id": printer["id"], "performed_at": ago(1), "performer": "proveedor",
                       "provider_name": "Servicios Técnicos Andinos SAC",
                       "work_done": "Limpieza", "remarks": null });
    let bad = |patch: Value| {
        let mut input = base.clone();
        if let (Some(obj), Some(p)) = (input.as_object_mut(), patch.as_object()) {
            obj.extend(p.clone());
        }
        h.err("maintenance_create", json!({ "input": input }))
    };
    refused(
        &bad(json!({ "provider_name": null })),
        "campo_requerido",
        "provider_name",
    );
    refused(
        &bad(json!({ "performed_at": (Utc::now() + Duration::hours(3)).to_rfc3339() })),
        "fecha_invalida",
        "performed_at",
    );
    refused(
        &bad(json!({ "work_done": "  " })),
        "campo_requerido",
        "work_done",
    );
    assert_eq!(count(&h), 0);

    // One hour ago: too soon to verify.
    let recent = maintenance(&h, &printer, 1, Some("Servicios Técnicos Andinos SAC"));
    let e = h.err(
        "maintenance_verify",
        json!({ "id": recent["id"], "input": { "faults_found": false, "remarks": null } }),
    );
    refused(&e, "plazo_no_cumplido", "verification");
    assert!(
        e["message"]
            .as_str()
            .unwrap_or_default()
            .contains("48 horas")
    );
    let still = h.ok("maintenance_get", json!({ "id": recent["id"] }));
    assert!(still["verification"].is_null(), "{still}");

    // Three days ago by the provider: a fault must be described, then it opens an escalation.
    let old = maintenance(&h, &printer, 72, Some("Servicios Técnicos Andinos SAC"));
    assert_eq!(count(&h), 2);
    let pending = |h: &Harness| -> Vec<Value> {
        h.ok("maintenances_unverified", json!({}))
            .as_array()
            .cloned()
            .unwrap_or_default()
    };
    let waiting = pending(&h);
    assert_eq!(waiting.len(), 2, "{waiting:?}");
    assert_eq!(waiting[0]["id"], old["id"], "oldest first");
    let e = h.err(
        "maintenance_verify",
        json!({ "id": old["id"], "input": { "faults_found": true, "remarks": " " } }),
    );
    refused(&e, "campo_requerido", "remarks");
    assert!(escalations(&h, false).is_empty());
    let verified = h.ok(
        "maintenance_verify",
        json!({ "id": old["id"], "input": { "faults_found": true,
                "remarks": "Sigue manchando las hojas" } }),
    );
    assert_eq!(verified["verification"]["faults_found"], true);
    let waiting = pending(&h);
    assert_eq!(
        waiting.len(),
        1,
        "verified ones leave the list: {waiting:?}"
    );
    assert_eq!(waiting[0]["id"], recent["id"]);
    let open = escalations(&h, true);
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(open[0]["id"], verified["escalation_id"]);
    assert_eq!(open[0]["maintenance_id"], old["id"]);
    assert_eq!(open[0]["provider"], "Servicios Técnicos Andinos SAC");
    assert_eq!(open[0]["status"], "escalado");
    assert!(
        open[0]["description"]
            .as_str()
            .is_some_and(|d| d.contains("Sigue manchando"))
    );
    let again = h.err(
        "maintenance_verify",
        json!({ "id": old["id"], "input": { "faults_found": false, "remarks": null } }),
    );
    refused(&again, "transicion_no_permitida", "verification");

    // The unit's own maintenance: a fault has nobody to go back to.
    let own = maintenance(&h, &printer, 50, None);
    let v = h.ok(
        "maintenance_verify",
        json!({ "id": own["id"], "input": { "faults_found": true, "remarks": "Ruido" } }),
    );
    assert!(v["escalation_id"].is_null());
    assert_eq!(escalations(&h, false).len(), 1);
    let by_asset = h.ok(
        "provider_escalations",
        json!({ "filter": { "open_only": false, "asset_id": printer["id"] } }),
    );
    assert_eq!(by_asset.as_array().map_or(0, Vec::len), 1);
}

#[test]
fn the_providers_report_is_attached_from_a_file_and_opened_from_a_copy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let files = tempfile::tempdir().expect("tempdir");
    let h = ready(dir.path());
    let printer = asset(&h, "740841000011", "impresora", "PRN1");
    let m = maintenance(&h, &printer, 2, Some("Servicios Técnicos Andinos SAC"));

    // Nothing attached yet: nothing to open.
    let e = h.err("maintenance_report_open", json!({ "id": m["id"] }));
    assert_eq!(e["code"], "no_encontrado", "{e}");

    // Missing, empty, a folder, too large: refused on `path`, nothing attached.
    let missing = files.path().join("no-existe.pdf");
    let e = h.err(
        "maintenance_attach_report",
        json!({ "id": m["id"], "path": missing.display().to_string() }),
    );
    refused(&e, "archivo_no_legible", "path");
    let e = h.err(
        "maintenance_attach_report",
        json!({ "id": m["id"], "path": "  " }),
    );
    refused(&e, "campo_requerido", "path");
    let e = h.err(
        "maintenance_attach_report",
        json!({ "id": m["id"], "path": files.path().display().to_string() }),
    );
    refused(&e, "archivo_no_legible", "path");
    let empty = files.path().join("vacio.pdf");
    std::fs::write(&empty, b"").expect("write");
    let e = h.err(
        "maintenance_attach_report",
        json!({ "id": m["id"], "path": empty.display().to_string() }),
    );
    refused(&e, "valor_invalido", "path");
    let big = files.path().join("grande.pdf");
    let f = std::fs::File::create(&big).expect("create");
    f.set_len(20 * 1024 * 1024 + 1).expect("sparse file");
    let e = h.err(
        "maintenance_attach_report",
        json!({ "id": m["id"], "path": big.display().to_string() }),
    );
    refused(&e, "archivo_no_legible", "path");
    assert!(
        e["message"]
            .as_str()
            .is_some_and(|s| s.contains("el máximo es 20 MB")),
        "{e}"
    );
    let unchanged = h.ok("maintenance_get", json!({ "id": m["id"] }));
    assert!(unchanged["report_file_name"].is_null(), "{unchanged}");

    // A real file: attached once, opened from a copy with the same bytes.
    let bytes = b"%PDF-1.4\n% informe del proveedor\n".repeat(100);
    let report = files.path().join("Informe técnico 12.pdf");
    std::fs::write(&report, &bytes).expect("write");
    let attached = h.ok(
        "maintenance_attach_report",
        json!({ "id": m["id"], "path": report.display().to_string() }),
    );
    assert_eq!(attached["report_file_name"], "Informe técnico 12.pdf");
    assert_eq!(
        attached["report_sha256"],
        chaski_store::documents::sha256_hex(&bytes)
    );
    let opened = h.ok("maintenance_report_open", json!({ "id": m["id"] }));
    let copy = std::path::PathBuf::from(opened["path"].as_str().expect("path"));
    assert!(
        copy.starts_with(dir.path().join("informes-proveedor")),
        "{opened}"
    );
    assert!(
        copy.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("740841000011-"))
    );
    assert_eq!(std::fs::read(&copy).expect("copy"), bytes);

    let other = files.path().join("otro.pdf");
    std::fs::write(&other, b"%PDF-1.4 otro").expect("write");
    let e = h.err(
        "maintenance_attach_report",
        json!({ "id": m["id"], "path": other.display().to_string() }),
    );
    refused(&e, "documento_inmutable", "file");

    // A maintenance that does not exist.
    let e = h.err(
        "maintenance_attach_report",
        json!({ "id": "0190a0a0-0000-7000-8000-000000000001", "path": report.display().to_string() }),
    );
    assert_eq!(e["code"], "no_encontrado", "{e}");
}

#[test]
fn escalation_completion_conformity_after_24_hours_and_no_conforme_escalates_again() {
    let dir = tempfile::tempdir().expect("tempdir");
    let h = ready(dir.path());
    let reference = h.ok("reference_data", json!({}));
    let service = reference["services"][0]["code"].clone();
    let person = h.ok(
        "person_create",
        json!({ "input": { "last_names": "Huamán Torres", "first_names": "Luis", "dni": "41234567",
                           "phones": [], "email": null, "office": "Abastecimiento" } }),
    );
    let attention = h.ok(
        "attention_create",
        json!({ "input": { "received_at": null, "requester_id": person["id"], "office": null,
                "channel": "telefono", "kind": "incidencia", "service_code": service,
                "priority": 2, "problem": "El plotter no imprime planos",
                "solution": null, "asset_code": null, "technician_id": null } }),
    );
    let attention_id = attention["attention"]["id"].clone();

    let input = |patch: Value| {
        let mut v = json!({ "attention_id": attention_id, "diagnostic_id": null,
            "maintenance_id": null, "asset_id": null, "provider": "Canon Perú SA",
            "contact": "Mesa de ayuda 01-6114000", "means": "telefono",
            "escalated_at": ago(72), "description": "Cabezal del plotter dañado",
            "provider_ticket": "CAN-2026-881" });
        if let (Some(obj), Some(p)) = (v.as_object_mut(), patch.as_object()) {
            obj.extend(p.clone());
        }
        json!({ "input": v })
    };

    // Bad escalations: refused on their field, nothing written.
    let e = h.err(
        "provider_escalation_create",
        input(json!({ "attention_id": null })),
    );
    refused(&e, "campo_requerido", "attention_id");
    let e = h.err(
        "provider_escalation_create",
        input(json!({ "provider": "" })),
    );
    refused(&e, "campo_requerido", "provider");
    let e = h.err(
        "provider_escalation_create",
        input(json!({ "escalated_at": (Utc::now() + Duration::hours(2)).to_rfc3339() })),
    );
    refused(&e, "fecha_invalida", "escalated_at");
    let e = h.err(
        "provider_escalation_create",
        input(json!({ "description": "" })),
    );
    refused(&e, "campo_requerido", "description");
    assert!(escalations(&h, false).is_empty());

    let esc = h.ok("provider_escalation_create", input(json!({})));
    assert_eq!(esc["status"], "escalado");
    assert_eq!(esc["attention_id"], attention_id);
    assert!(esc["conformity_due_at"].is_null());

    // Conformity before the completion; completion without a note, in the future.
    let e = h.err(
        "provider_escalation_conformity",
        json!({ "id": esc["id"], "input": { "accepted": true, "remark": null } }),
    );
    refused(&e, "transicion_no_permitida", "conformity");
    let complete = |at: String, note: &str| json!({ "id": esc["id"], "input": { "completed_at": at, "completion_note": note } });
    let e = h.err("provider_escalation_complete", complete(ago(1), ""));
    refused(&e, "campo_requerido", "completion_note");
    let e = h.err(
        "provider_escalation_complete",
        complete(
            (Utc::now() + Duration::hours(1)).to_rfc3339(),
            "Cambio de cabezal",
        ),
    );
    refused(&e, "fecha_invalida", "completed_at");
    let e = h.err(
        "provider_escalation_complete",
        complete(ago(100), "Cambio de cabezal"),
    );
    refused(&e, "rango_fechas_invalido", "completed_at");
    assert!(
        h.ok(
            "provider_escalations",
            json!({ "filter": { "open_only": true, "asset_id": null } })
        )[0]["completed_at"]
            .is_null()
    );

    // Completed an hour ago: the user's conformity waits until 24 hours have passed.
    let done = h.ok(
        "provider_escalation_complete",
        complete(ago(1), "Cambio de cabezal"),
    );
    assert_eq!(done["status"], "completado");
    assert!(done["conformity_due_at"].is_string());
    let e = h.err(
        "provider_escalation_conformity",
        json!({ "id": esc["id"], "input": { "accepted": true, "remark": null } }),
    );
    refused(&e, "plazo_no_cumplido", "conformity");
    assert!(
        e["message"]
            .as_str()
            .unwrap_or_default()
            .contains("24 horas")
    );
    let unchanged = h.ok(
        "provider_escalations",
        json!({ "filter": { "open_only": true, "asset_id": null } }),
    );
    assert!(unchanged[0]["conformity_at"].is_null(), "{unchanged}");
    assert_eq!(unchanged[0]["status"], "completado");

    // Another escalation completed two days ago: no conforme needs a remark, then reopens.
    let second = h.ok(
        "provider_escalation_create",
        input(json!({ "provider": "Xerox del Perú", "provider_ticket": null })),
    );
    h.ok(
        "provider_escalation_complete",
        json!({ "id": second["id"], "input": { "completed_at": ago(48),
                "completion_note": "Reemplazo del fusor" } }),
    );
    let e = h.err(
        "provider_escalation_conformity",
        json!({ "id": second["id"], "input": { "accepted": false, "remark": null } }),
    );
    refused(&e, "motivo_requerido", "conformity_remark");
    let before = escalations(&h, false).len();
    let closed = h.ok(
        "provider_escalation_conformity",
        json!({ "id": second["id"], "input": { "accepted": false,
                "remark": "Sigue atascando el papel" } }),
    );
    assert_eq!(closed["status"], "no_conforme", "{closed}");
    let all = escalations(&h, false);
    assert_eq!(all.len(), before + 1);
    let next = all
        .iter()
        .find(|x| x["id"] != esc["id"] && x["id"] != second["id"])
        .expect("the new escalation");
    assert_eq!(next["provider"], "Xerox del Perú");
    assert_eq!(next["attention_id"], attention_id);
    assert_eq!(next["status"], "escalado");
    assert!(
        next["description"]
            .as_str()
            .is_some_and(|d| d.contains("Sigue atascando"))
    );
    let open: Vec<Value> = escalations(&h, true);
    assert!(
        open.iter().all(|x| x["id"] != second["id"]),
        "closed: {open:?}"
    );
    assert_eq!(open.len(), 2);
}
