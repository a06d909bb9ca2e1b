//! The warehouse review (seed 001 act. 17–18) on real SQLite files: the stock with its
//! last diagnostic, a review that writes nothing when refused, the file refusing to change or
//! delete a review, "Proponer baja" prefilling a draft informe, and a second device that
//! applies the outbox ending with the same reviews.

use chaski_core::ErrorCode;
use chaski_core::asset::{AssetCondition, AssetInput, AssetKind, Operability};
use chaski_core::ids::AssetId;
use chaski_core::operations::decommission::DecommissionCause;
use chaski_core::operations::diagnostic::{
    CheckOutcome, CheckResult, DiagnosticInput, Recommendation, checklist_for,
};
use chaski_core::operations::warehouse::{WarehouseReviewInput, WarehouseReviewItemInput};
use chaski_core::time::lima_date;
use chaski_store::{Entity, SetupInput, Store};
use chrono::Utc;

fn store(dir: &std::path::Path, name: &str, dni: &str) -> Store {
    Store::create(
        dir.join(name),
        &SetupInput {
            unit_code: "UT-CUSCO".into(),
            technician_last_names: "Huamán Ccori".into(),
            technician_first_names: "Rosa".into(),
            technician_dni: dni.into(),
        },
    )
    .expect("create")
}

fn asset(s: &Store, code: &str) -> AssetId {
    s.asset_create(&AssetInput {
        code: code.into(),
        denomination: "UNIDAD CENTRAL DE PROCESO - CPU".into(),
        kind: AssetKind::Cpu,
        brand: Some("HP".into()),
        model: Some("Compaq 6000 Pro".into()),
        serial: Some(format!("SN{code}")),
        color: None,
        condition: AssetCondition::Regular,
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

fn diagnose(s: &Store, asset: AssetId) {
    s.diagnostic_create(&DiagnosticInput {
        asset_id: asset,
        date: lima_date(Utc::now()),
        attention_id: None,
        symptoms: "Revisión del almacén".into(),
        checks: checklist_for(AssetKind::Cpu)
            .iter()
            .map(|i| CheckResult {
                item: *i,
                outcome: CheckOutcome::Aprobado,
                note: None,
            })
            .collect(),
        findings: "No admite el sistema operativo vigente".into(),
        parts_needed: None,
        warranty_contact: None,
        time_spent_minutes: 20,
        estimated_minutes: 20,
        moved_to_it_office: false,
        stay_reason: None,
        result: Operability::Operativo,
        recommendation: Recommendation::EnviarAlmacen,
        format: None,
        corrects: None,
        correction_reason: None,
    })
    .expect("diagnostic");
}

fn mark(asset: AssetId, obsolete: bool, remarks: Option<&str>) -> WarehouseReviewItemInput {
    WarehouseReviewItemInput {
        asset_id: asset,
        obsolete,
        remarks: remarks.map(Into::into),
    }
}

fn review(items: Vec<WarehouseReviewItemInput>) -> WarehouseReviewInput {
    WarehouseReviewInput {
        date: lima_date(Utc::now()),
        items,
        remarks: Some("Revisión semestral".into()),
    }
}

#[test]
fn review_marks_obsolete_stock_is_insert_only_and_replicates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = store(dir.path(), "a.db", "41234567");
    let b = store(dir.path(), "b.db", "42345678");
    let old = asset(&a, "740899500187");
    let fresh = asset(&a, "740899500188");
    diagnose(&a, old);

    let stock = a.warehouse_stock().expect("stock");
    assert_eq!(stock.len(), 2);
    assert_eq!(stock[0].code.to_string(), "740899500187");
    assert!(stock[0].last_diagnostic.is_some());
    assert!(stock[1].last_diagnostic.is_none());

    // Refused (obsolete without diagnostic): nothing is written.
    let before = a.outbox_after(0, 10_000).expect("outbox").len();
    let e = a
        .warehouse_review_create(&review(vec![mark(fresh, true, Some("Antiguo"))]))
        .expect_err("no diagnostic");
    assert_eq!(e.code(), ErrorCode::CausalBajaInvalida);
    assert_eq!(a.outbox_after(0, 10_000).expect("outbox").len(), before);
    assert!(a.warehouse_reviews().expect("reviews").is_empty());

    let r = a
        .warehouse_review_create(&review(vec![
            mark(old, true, Some("No admite el sistema operativo vigente")),
            mark(fresh, false, None),
        ]))
        .expect("review");
    assert_eq!(r.obsolete_count(), 1);
    assert_eq!(r.technician.name, "HUAMÁN CCORI, Rosa");
    let stock = a.warehouse_stock().expect("stock");
    assert_eq!(stock[0].last_review_obsolete, Some(true));
    assert_eq!(stock[1].last_review_obsolete, Some(false));

    // "Proponer baja": a draft with the obsolete asset, causal O.
    let draft = a.decommission_from_review(r.id).expect("draft");
    assert_eq!(draft.items.len(), 1);
    assert_eq!(draft.items[0].asset_id, old);
    assert_eq!(draft.items[0].cause, DecommissionCause::Obsolescencia);
    assert!(draft.items[0].last_diagnostic.is_some());

    // A second device applies the outbox and holds the same review.
    let changes = a.outbox_after(0, 10_000).expect("outbox");
    assert!(changes.iter().any(|c| c.entity == "warehouse_review"));
    let page: Vec<(u64, chaski_core::change::Change)> = changes
        .into_iter()
        .enumerate()
        .map(|(i, c)| (i as u64 + 1, c))
        .collect();
    let cursor = page.len() as u64;
    let applied = b.sync_apply_page("UT-CUSCO", &page, cursor).expect("apply");
    assert_eq!(applied.failed, 0, "{applied:?}");
    for entity in [Entity::WarehouseReview, Entity::DecommissionReport] {
        assert_eq!(
            a.replica_snapshot(entity).expect("a"),
            b.replica_snapshot(entity).expect("b"),
            "{entity:?}"
        );
    }
    assert_eq!(b.warehouse_review_get(r.id).expect("on b"), r);

    // The file refuses to change or delete a review; a same-values rewrite (sync) passes.
    let path = a.path().to_path_buf();
    drop(a);
    let conn = rusqlite::Connection::open(&path).expect("open");
    for sql in [
        "UPDATE warehouse_review SET items = '[]'",
        "UPDATE warehouse_review SET remarks = 'otra cosa'",
        "DELETE FROM warehouse_review",
    ] {
        let err = conn.execute(sql, []).expect_err(sql);
        assert!(err.to_string().contains("solo inserción"), "{sql}: {err}");
    }
    conn.execute("UPDATE warehouse_review SET items = items", [])
        .expect("same values (idempotent sync apply)");
    drop(conn);
    Store::open(&path).expect("reopen");
}
