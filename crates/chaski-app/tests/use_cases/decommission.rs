//! The informe técnico de baja and the warehouse review, called by name as the UI calls them, on
//! real SQLite files: create → issue (N°) → sign → the asset's "baja
//! propuesta"; the PDF rendered, signed twice (author, V° B°) and checked by qpdf, pdftotext
//! and pdfsig; the bad inputs refused with code, field and Spanish message without writing a
//! change to the outbox; the warehouse review and its "Proponer baja".

use crate::tools;

use crate::pki;

use crate::support;

use std::path::Path;

use base64::Engine;
use chaski_core::asset::{AssetCondition, AssetInput, AssetKind, Operability};
use chaski_core::ids::AssetId;
use chaski_core::operations::diagnostic::{
    CheckOutcome, CheckResult, DiagnosticInput, Recommendation, checklist_for,
};
use chaski_core::time::lima_date;
use chaski_store::{SetupInput, Store};
use chrono::Utc;
use serde_json::{Value, json};
use support::Harness;

struct Assets {
    /// CPU diagnosed *inoperativo*.
    broken: AssetId,
    /// CPU diagnosed *operativo*.
    old: AssetId,
    /// Monitor never diagnosed.
    monitor: AssetId,
}

fn asset(store: &Store, code: &str, kind: AssetKind, brand: &str) -> AssetId {
    store
        .asset_create(&AssetInput {
            code: code.into(),
            denomination: format!("{} {brand}", kind.label().to_uppercase()),
            kind,
            brand: Some(brand.into()),
            model: Some("OptiPlex 380".into()),
            serial: Some(format!("S-{code}")),
            color: None,
            condition: AssetCondition::Malo,
            operability: Operability::Operativo,
            warranty_end: None,
            remarks: None,
            site: Some("Sede Cusco".into()),
            office: None,
            custodian_id: None,
        })
        .expect("asset")
        .id
}

fn diagnose(store: &Store, asset: AssetId, broken: bool) {
    let checks = checklist_for(AssetKind::Cpu)
        .iter()
        .map(|i| {
            let fails = broken && i.code() == "energia";
            CheckResult {
                item: *i,
                outcome: if fails {
                    CheckOutcome::Fallido
                } else {
                    CheckOutcome::Aprobado
                },
                note: fails.then(|| "No enciende: fuente y placa sin respuesta".into()),
            }
        })
        .collect();
    store
        .diagnostic_create(&DiagnosticInput {
            asset_id: asset,
            date: lima_date(Utc::now()),
            attention_id: None,
            symptoms: "Equipo en almacén, revisión técnica".into(),
            checks,
            findings: if broken {
                "Placa madre con condensadores inflados".into()
            } else {
                "Funciona, pero no admite el sistema operativo vigente".into()
            },
            parts_needed: None,
            warranty_contact: None,
            time_spent_minutes: 30,
            estimated_minutes: 30,
            moved_to_it_office: false,
            stay_reason: None,
            result: if broken {
                Operability::Inoperativo
            } else {
                Operability::Operativo
            },
            recommendation: if broken {
                Recommendation::ProponerBaja
            } else {
                Recommendation::EnviarAlmacen
            },
            format: None,
            corrects: None,
            correction_reason: None,
        })
        .expect("diagnostic");
}

/// Three assets in the warehouse, written with the store before the app opens the file.
fn seed(dir: &Path) -> Assets {
    let store = Store::create(
        dir.join("chaski.sqlite3"),
        &SetupInput {
            unit_code: "UT-CUSCO".into(),
            technician_last_names: "Ccori Mamani".into(),
            technician_first_names: "Edwin".into(),
            technician_dni: "41236587".into(),
        },
    )
    .expect("create the store");
    let broken = asset(&store, "740899500123", AssetKind::Cpu, "Dell");
    let old = asset(&store, "740899500187", AssetKind::Cpu, "HP");
    let monitor = asset(&store, "740880370077", AssetKind::Monitor, "LG");
    diagnose(&store, broken, true);
    diagnose(&store, old, false);
    Assets {
        broken,
        old,
        monitor,
    }
}

fn row(id: AssetId, cause: &str, remarks: Option<&str>) -> Value {
    json!({ "asset_id": id, "cause": cause, "remarks": remarks })
}

fn input(items: Vec<Value>, chief: Option<&str>) -> Value {
    json!({
        "date": lima_date(Utc::now()).to_string(),
        "items": items,
        "justification": "Equipos sin reparación económica; no pueden reasignarse.",
        "chief_name": chief,
        "chief_position": chief.map(|_| "Jefa de la Unidad Territorial"),
        "corrects": null,
    })
}

fn assert_refused(e: &Value, code: &str, field: Option<&str>, words: &str) {
    assert_eq!(e["code"], code, "{e}");
    match field {
        Some(f) => assert_eq!(e["field"], f, "{e}"),
        None => assert!(e["field"].is_null(), "{e}"),
    }
    let message = e["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(words),
        "the message should contain {words:?}: {message}"
    );
}

/// Changes written to the outbox so far (every write lands there).
fn pending(h: &Harness) -> u64 {
    h.ok("sync_status", json!({}))["pending_changes"]
        .as_u64()
        .expect("pending_changes")
}

fn history_kinds(h: &Harness, id: AssetId) -> Vec<String> {
    h.ok("asset_detail", json!({ "id": id }))["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|e| e["event"]["kind"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn png_b64(variant: u32) -> String {
    base64::engine::general_purpose::STANDARD
        .encode(chaski_docs::samples::hand_signature_png(variant))
}

fn source(id: &Value) -> Value {
    json!({ "kind": "decommission", "source_id": id, "from": null, "to": null })
}

fn save(h: &Harness, id: &Value, path: &Path) -> Vec<u8> {
    h.ok(
        "document_save_as",
        json!({ "id": id, "path": path.display().to_string() }),
    );
    std::fs::read(path).expect("the saved PDF")
}

fn sign(h: &Harness, id: &Value, pfx: &Path, reason: &str) -> Value {
    h.ok(
        "document_sign",
        json!({ "input": { "id": id, "pfx_path": pfx.display().to_string(),
                           "password": pki::PASSWORD, "remember": false, "reason": reason } }),
    )["document"]
        .clone()
}

#[test]
fn informe_issued_signed_proposes_the_baja_and_prints_a_signed_pdf() {
    let pki = pki::Pki::new();
    let dir = tempfile::tempdir().expect("tempdir");
    let a = seed(dir.path());
    let h = support::start(dir.path(), false);
    let out = tempfile::tempdir().expect("out dir");

    let causes = h.ok("decommission_causes", json!({}));
    let causes = causes.as_array().expect("causes");
    assert_eq!(causes.len(), 11);
    assert!(
        causes
            .iter()
            .any(|c| c["code"] == "M" && c["label"] == "Mantenimiento o reparación onerosa")
    );

    let draft = h.ok(
        "decommission_create",
        json!({ "input": input(vec![
            row(a.broken, "M", Some("Disco retirado y custodiado por la UTI")),
            row(a.old, "O", None),
        ], None) }),
    );
    let id = draft["id"].clone();
    assert_eq!(draft["lifecycle"]["status"], "borrador");
    assert!(draft["lifecycle"]["number"].is_null());
    assert_eq!(
        draft["items"][0]["last_diagnostic"]["result"],
        "inoperativo"
    );
    assert_eq!(draft["items"][1]["cause"], "O");
    // A draft is not printed.
    let e = h
        .call(
            "document_render",
            json!({ "input": { "source": source(&id), "hand_signatures": [] } }),
        )
        .expect_err("draft");
    assert_refused(&e, "documento_no_emitido", None, "borrador");

    let updated = h.ok(
        "decommission_update",
        json!({ "id": id, "input": input(vec![
            row(a.broken, "M", Some("Disco retirado y custodiado por la UTI")),
            row(a.old, "O", None),
        ], Some("Rosa Elvira Huamaní Quispe")) }),
    );
    assert_eq!(updated["chief_name"], "Rosa Elvira Huamaní Quispe");
    let issued = h.ok("decommission_issue", json!({ "id": id }));
    assert_eq!(issued["lifecycle"]["status"], "emitido");
    assert_eq!(issued["lifecycle"]["number"]["seq"], 1);
    assert_eq!(issued["lifecycle"]["number"]["kind"], "decommission");
    let listed = h.ok("decommission_list", json!({ "status": "emitido" }));
    assert_eq!(listed.as_array().map(Vec::len), Some(1));

    // Printed once issued, with both handwritten signatures.
    let v1 = h.ok(
        "document_render",
        json!({ "input": { "source": source(&id), "hand_signatures": [
            { "role": "technician", "png_base64": png_b64(1) },
            { "role": "approver", "png_base64": png_b64(2) } ] } }),
    );
    assert_eq!(v1["kind"], "informe-baja", "{v1}");
    let year = issued["lifecycle"]["number"]["year"]
        .as_i64()
        .expect("year");
    assert_eq!(v1["number"], format!("N° 001-{year}"));
    // The informe has no line for the employee.
    let e = h
        .call(
            "document_render",
            json!({ "input": { "source": source(&id), "hand_signatures": [
                { "role": "employee", "png_base64": png_b64(1) } ] } }),
        )
        .expect_err("no employee line");
    assert_refused(&e, "valor_invalido", Some("hand_signatures"), "firma");

    let before = history_kinds(&h, a.broken);
    let signed = h.ok("decommission_sign", json!({ "id": id }));
    assert_eq!(signed["lifecycle"]["status"], "firmado");
    for asset in [a.broken, a.old] {
        let detail = h.ok("asset_detail", json!({ "id": asset }));
        let last = detail["history"]
            .as_array()
            .and_then(|h| h.last())
            .expect("an event")
            .clone();
        assert_eq!(last["event"]["kind"], "baja_propuesta", "{last}");
        assert_eq!(last["event"]["document"]["kind"], "decommission");
        assert_eq!(
            last["event"]["document"]["number"],
            format!("N° 001-{year}")
        );
        // Proposing is not deciding: still in the warehouse, not in baja.
        assert_eq!(detail["asset"]["status"], "en_almacen");
        assert!(
            detail["documents"]
                .as_array()
                .expect("documents")
                .iter()
                .any(|d| d["id"] == id),
            "{detail}"
        );
    }
    assert_eq!(history_kinds(&h, a.broken).len(), before.len() + 1);

    // Digitally signed twice (author, V° B°) and checked by independent tools.
    let v2 = sign(&h, &v1["id"], &pki.path("signer.pfx"), "author");
    let v3 = sign(&h, &v2["id"], &pki.path("signer2.pfx"), "approval");
    assert_eq!(v3["signature_count"], 2);
    let versions = h.ok("generated_documents_of", json!({ "source": source(&id) }));
    assert_eq!(versions.as_array().map(Vec::len), Some(3));
    let file = out.path().join("informe-baja.pdf");
    save(&h, &v3["id"], &file);
    tools::qpdf_check(&file);
    let text = tools::pdftotext(&file);
    for needle in [
        "INFORME TÉCNICO DE BAJA DE BIENES",
        &format!("001-{year}"),
        "740899500123",
        // Table cells wrap: only the first words of each are on one line.
        "M – Mantenimiento o",
        "O – Obsolescencia",
        "Inoperativo (",
        "Placa",
        "Disco retirado y",
        "CCORI MAMANI, Edwin",
        "Rosa Elvira Huamaní Quispe",
        "Jefa de la Unidad Territorial",
        "Firmado digitalmente por:",
    ] {
        assert!(text.contains(needle), "pdftotext lacks {needle:?}:\n{text}");
    }
    let sig = tools::pdfsig(&file, &pki.nss_db());
    assert_eq!(sig.matches("Signature is Valid").count(), 2, "{sig}");
    assert!(!sig.contains("Digest Mismatch"), "{sig}");
}

#[test]
fn bad_inputs_are_refused_in_spanish_and_write_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = seed(dir.path());
    let h = support::start(dir.path(), false);
    let chief = Some("Rosa Elvira Huamaní Quispe");

    let start = pending(&h);
    // Causal M needs an inoperative last diagnostic: the old CPU is operativo, the monitor has none.
    let e = h.err(
        "decommission_create",
        json!({ "input": input(vec![row(a.old, "M", None)], chief) }),
    );
    assert_refused(&e, "causal_baja_invalida", Some("items"), "inoperativo");
    let e = h.err(
        "decommission_create",
        json!({ "input": input(vec![row(a.monitor, "M", None)], chief) }),
    );
    assert_refused(
        &e,
        "causal_baja_invalida",
        Some("items"),
        "no tiene diagnóstico",
    );
    // S needs a remark; an unknown causal letter is refused by the IPC layer.
    let e = h.err(
        "decommission_create",
        json!({ "input": input(vec![row(a.monitor, "S", None)], chief) }),
    );
    assert_refused(&e, "causal_baja_invalida", Some("items"), "Observaciones");
    // The same asset twice.
    let e = h.err(
        "decommission_create",
        json!({ "input": input(vec![row(a.broken, "M", None), row(a.broken, "X", None)], chief) }),
    );
    assert_refused(&e, "valor_invalido", Some("items"), "dos veces");
    // Justification required.
    let mut empty = input(vec![row(a.broken, "M", None)], chief);
    empty["justification"] = json!("   ");
    let e = h.err("decommission_create", json!({ "input": empty }));
    assert_refused(
        &e,
        "campo_requerido",
        Some("justification"),
        "Justificación",
    );
    assert_eq!(pending(&h), start, "a refusal writes nothing");
    assert_eq!(
        h.ok("decommission_list", json!({ "status": null })),
        json!([])
    );

    // No jefe de unidad: the draft is saved, the issue is refused and changes nothing.
    let draft = h.ok(
        "decommission_create",
        json!({ "input": input(vec![row(a.broken, "M", None)], None) }),
    );
    let id = draft["id"].clone();
    let saved = pending(&h);
    let e = h.err("decommission_issue", json!({ "id": id }));
    assert_refused(
        &e,
        "campo_requerido",
        Some("chief_name"),
        "Jefe de la unidad",
    );
    assert_eq!(pending(&h), saved);
    let still = h.ok("decommission_get", json!({ "id": id }));
    assert_eq!(still["lifecycle"]["status"], "borrador");
    assert!(still["lifecycle"]["number"].is_null());
    // A draft cannot be signed.
    let e = h.err("decommission_sign", json!({ "id": id }));
    assert_eq!(e["code"], "transicion_no_permitida", "{e}");

    // Issue and sign it, then: annul the signed one, edit it, propose the asset again.
    h.ok(
        "decommission_update",
        json!({ "id": id, "input": input(vec![row(a.broken, "M", None)], chief) }),
    );
    h.ok("decommission_issue", json!({ "id": id }));
    let signed = h.ok("decommission_sign", json!({ "id": id }));
    let number = format!(
        "N° 001-{}",
        signed["lifecycle"]["number"]["year"]
            .as_i64()
            .expect("year")
    );
    let saved = pending(&h);
    let events = history_kinds(&h, a.broken);
    let e = h.err(
        "decommission_annul",
        json!({ "id": id, "reason": "Se equivocó de bien" }),
    );
    assert_eq!(e["code"], "documento_inmutable", "{e}");
    assert!(
        e["message"]
            .as_str()
            .unwrap_or_default()
            .contains("firmado"),
        "{e}"
    );
    let e = h.err(
        "decommission_update",
        json!({ "id": id, "input": input(vec![row(a.old, "O", None)], chief) }),
    );
    assert_eq!(e["code"], "documento_inmutable", "{e}");
    let e = h.err(
        "decommission_create",
        json!({ "input": input(vec![row(a.broken, "X", None)], chief) }),
    );
    assert_refused(&e, "bien_no_disponible", Some("items"), &number);
    // Annulling an issued one needs a reason.
    let other = h.ok(
        "decommission_create",
        json!({ "input": input(vec![row(a.old, "O", None)], chief) }),
    );
    h.ok("decommission_issue", json!({ "id": other["id"] }));
    let saved_other = pending(&h);
    let e = h.err(
        "decommission_annul",
        json!({ "id": other["id"], "reason": "  " }),
    );
    assert_refused(&e, "motivo_requerido", Some("reason"), "motivo");
    assert_eq!(pending(&h), saved_other);
    let annulled = h.ok(
        "decommission_annul",
        json!({ "id": other["id"], "reason": "Duplicado del informe anterior" }),
    );
    assert_eq!(annulled["lifecycle"]["status"], "anulado");
    assert_eq!(annulled["lifecycle"]["number"]["seq"], 2, "number kept");
    // The annulled one is not printed.
    let e = h
        .call(
            "document_render",
            json!({ "input": { "source": source(&other["id"]), "hand_signatures": [] } }),
        )
        .expect_err("annulled");
    assert_refused(&e, "documento_no_emitido", None, "anulado");
    assert_eq!(history_kinds(&h, a.broken), events);
    assert!(
        pending(&h) > saved,
        "only the accepted annulment was written"
    );
}

#[test]
fn warehouse_review_marks_obsolete_stock_and_proposes_its_baja() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = seed(dir.path());
    let h = support::start(dir.path(), false);

    let stock = h.ok("warehouse_stock", json!({}));
    let stock = stock.as_array().expect("stock");
    assert_eq!(stock.len(), 3);
    let old = stock
        .iter()
        .find(|e| e["asset_id"] == json!(a.old))
        .expect("old CPU listed");
    assert_eq!(old["operability"], "operativo");
    assert_eq!(old["last_diagnostic"]["result"], "operativo");
    assert!(old["last_review_date"].is_null());

    let today = lima_date(Utc::now()).to_string();
    let review = |items: Value| json!({ "input": { "date": today, "items": items, "remarks": "Revisión semestral" } });
    let start = pending(&h);
    // Obsolete needs a diagnostic and a reason.
    let e = h.err(
        "warehouse_review_create",
        review(json!([{ "asset_id": a.monitor, "obsolete": true, "remarks": "Antiguo" }])),
    );
    assert_refused(
        &e,
        "causal_baja_invalida",
        Some("items"),
        "no tiene diagnóstico",
    );
    let e = h.err(
        "warehouse_review_create",
        review(json!([{ "asset_id": a.old, "obsolete": true, "remarks": null }])),
    );
    assert_refused(&e, "campo_requerido", Some("items"), "por qué");
    assert_eq!(pending(&h), start);

    let made = h.ok(
        "warehouse_review_create",
        review(json!([
            { "asset_id": a.old, "obsolete": true, "remarks": "No admite el sistema operativo vigente" },
            { "asset_id": a.monitor, "obsolete": false, "remarks": null },
        ])),
    );
    assert_eq!(made["items"][0]["obsolete"], true);
    assert_eq!(made["items"][0]["last_diagnostic"]["result"], "operativo");
    assert_eq!(
        h.ok("warehouse_reviews", json!({}))
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    let stock = h.ok("warehouse_stock", json!({}));
    let old = stock
        .as_array()
        .and_then(|s| s.iter().find(|e| e["asset_id"] == json!(a.old)))
        .expect("old CPU");
    assert_eq!(old["last_review_obsolete"], true);
    assert_eq!(old["last_review_date"], today);

    // "Proponer baja": a draft with the obsolete asset, causal O.
    let draft = h.ok("decommission_from_review", json!({ "id": made["id"] }));
    assert_eq!(draft["lifecycle"]["status"], "borrador");
    let items = draft["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["asset_id"], json!(a.old));
    assert_eq!(items[0]["cause"], "O");
    assert_eq!(
        items[0]["remarks"],
        "No admite el sistema operativo vigente"
    );
    assert!(
        draft["justification"]
            .as_str()
            .unwrap_or_default()
            .contains("revisión del almacén"),
        "{draft}"
    );
    // Once that proposal is signed, the review has nothing left to propose.
    let mut filled = input(
        vec![row(
            a.old,
            "O",
            Some("No admite el sistema operativo vigente"),
        )],
        Some("Rosa Elvira Huamaní Quispe"),
    );
    filled["justification"] = draft["justification"].clone();
    h.ok(
        "decommission_update",
        json!({ "id": draft["id"], "input": filled }),
    );
    h.ok("decommission_issue", json!({ "id": draft["id"] }));
    h.ok("decommission_sign", json!({ "id": draft["id"] }));
    let before = pending(&h);
    let e = h.err("decommission_from_review", json!({ "id": made["id"] }));
    assert_refused(
        &e,
        "bien_no_disponible",
        Some("review"),
        "ya fueron propuestos",
    );
    assert_eq!(pending(&h), before);
    let stock = h.ok("warehouse_stock", json!({}));
    let old = stock
        .as_array()
        .and_then(|s| s.iter().find(|e| e["asset_id"] == json!(a.old)))
        .expect("old CPU");
    assert!(
        old["proposed_in"]
            .as_str()
            .is_some_and(|n| n.starts_with("N° 001-")),
        "{old}"
    );
}
