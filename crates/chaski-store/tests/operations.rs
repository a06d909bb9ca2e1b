//! Diagnostics, informes técnicos de baja, maintenance and provider escalations on
//! real SQLite files.

use chaski_core::ErrorCode;
use chaski_core::asset::{
    AssetCondition, AssetEventKind, AssetInput, AssetKind, AssetStatus, Operability, fold,
    last_operability,
};
use chaski_core::attention::Page;
use chaski_core::document::DocStatus;
use chaski_core::ids::{AssetId, DiagnosticId};
use chaski_core::numbering::DocKind;
use chaski_core::operations::decommission::{
    DecommissionCause, DecommissionItemInput, DecommissionReportInput,
};
use chaski_core::operations::diagnostic::{
    CheckOutcome, CheckResult, DiagnosticInput, Recommendation, checklist_for,
};
use chaski_core::operations::formatting::FormatChecklist;
use chaski_core::operations::maintenance::{
    MaintenanceInput, MaintenancePerformer, MaintenancePlanInput, MaintenanceStatus,
    MaintenanceVerificationInput,
};
use chaski_core::operations::provider::{
    EscalationMeans, ProviderEscalationInput, ProviderEscalationStatus,
};
use chaski_core::time::{lima_date, lima_year};
use chaski_store::assets::{AssetFilter, DocFilter};
use chaski_store::operations::{MaintenanceFilter, ProviderEscalationFilter, plan_id};
use chaski_store::{SetupInput, Store, StoreError};
use chrono::{Duration, NaiveDate, TimeZone, Utc};

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = Store::create(
        dir.path().join("chaski.db"),
        &SetupInput {
            unit_code: "UT-CUSCO".into(),
            technician_last_names: "Huamán Ccori".into(),
            technician_first_names: "Rosa".into(),
            technician_dni: "41234567".into(),
        },
    )
    .expect("create");
    (dir, s)
}

fn asset(s: &Store, code: &str, kind: AssetKind) -> AssetId {
    s.asset_create(&AssetInput {
        code: code.into(),
        denomination: format!("{} DE PRUEBA", kind.label().to_uppercase()),
        kind,
        brand: Some("HP".into()),
        model: Some("ProDesk 400".into()),
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

fn code(e: &StoreError) -> ErrorCode {
    e.code()
}

fn today() -> NaiveDate {
    lima_date(Utc::now())
}

fn diagnosis(asset: AssetId, kind: AssetKind, failed: Option<&str>) -> DiagnosticInput {
    let checks = checklist_for(kind)
        .iter()
        .map(|i| CheckResult {
            item: *i,
            outcome: if failed.is_some() && i.code() == "energia" {
                CheckOutcome::Fallido
            } else {
                CheckOutcome::Aprobado
            },
            note: failed.filter(|_| i.code() == "energia").map(str::to_string),
        })
        .collect();
    DiagnosticInput {
        asset_id: asset,
        date: lima_date(Utc::now()),
        attention_id: None,
        symptoms: "No enciende".into(),
        checks,
        findings: if failed.is_some() {
            "Fuente de poder quemada; placa sin daño visible".into()
        } else {
            "Sin fallas".into()
        },
        parts_needed: failed.map(|_| "Fuente de poder ATX 500 W".into()),
        warranty_contact: None,
        time_spent_minutes: 40,
        estimated_minutes: 30,
        moved_to_it_office: false,
        stay_reason: None,
        result: if failed.is_some() {
            Operability::Inoperativo
        } else {
            Operability::Operativo
        },
        recommendation: if failed.is_some() {
            Recommendation::ProponerBaja
        } else {
            Recommendation::DevolverUsuario
        },
        format: None,
        corrects: None,
        correction_reason: None,
    }
}

/// Every asset's derived columns equal the replay of its history: custody from the fold,
/// operability from the last diagnostic event.
fn assert_tables_match_history(s: &Store) {
    let page = s
        .assets_list(
            &AssetFilter::default(),
            Page {
                number: 1,
                size: 500,
            },
        )
        .expect("list");
    assert!(!page.items.is_empty());
    for a in page.items {
        let events = s.asset_events(a.id).expect("events");
        let replayed = fold(&events);
        assert_eq!(replayed.custodian_id, a.custodian_id, "{}", a.code);
        assert_eq!(replayed.site, a.site, "{}", a.code);
        assert_eq!(replayed.status, a.status, "{}", a.code);
        if let Some(o) = last_operability(&events) {
            assert_eq!(o, a.operability, "{}", a.code);
        }
    }
}

#[test]
fn a_diagnostic_sets_operability_through_an_event_and_corrections_chain() {
    let (dir, s) = store();
    let cpu = asset(&s, "740899500012", AssetKind::Cpu);
    let outbox_before = s.outbox_stats().expect("stats").last_device_seq;

    let d1 = s
        .diagnostic_create(&diagnosis(
            cpu,
            AssetKind::Cpu,
            Some("No enciende, sin ventilador"),
        ))
        .expect("diagnostic");
    assert_eq!(d1.asset_code.as_str(), "740899500012");
    assert_eq!(d1.checks.len(), checklist_for(AssetKind::Cpu).len());
    assert_eq!(d1.technician.name, "HUAMÁN CCORI, Rosa");
    let a = s.asset_get(cpu).expect("asset");
    assert_eq!(a.operability, Operability::Inoperativo);
    let events = s.asset_events(cpu).expect("events");
    let last = events.last().expect("event");
    assert_eq!(last.kind, AssetEventKind::Inoperativo);
    let doc = last.document.as_ref().expect("doc ref");
    assert_eq!((doc.kind.as_str(), doc.id), ("diagnostic", d1.id.uuid()));

    // The register form cannot overrule the diagnostic; other edits still work.
    let mut edit = AssetInput {
        code: a.code.to_string(),
        denomination: a.denomination.clone(),
        kind: a.kind,
        brand: Some("Lenovo".into()),
        model: a.model.clone(),
        serial: a.serial.clone(),
        color: None,
        condition: a.condition,
        operability: Operability::Operativo,
        warranty_end: None,
        remarks: None,
        site: None,
        office: None,
        custodian_id: None,
    };
    let e = s.asset_update(cpu, &edit).expect_err("operability by hand");
    assert_eq!(code(&e), ErrorCode::ValorInvalido);
    edit.operability = Operability::Inoperativo;
    assert_eq!(
        s.asset_update(cpu, &edit).expect("brand").brand.as_deref(),
        Some("Lenovo")
    );

    // Refusals write nothing.
    let seq = s.outbox_stats().expect("stats").last_device_seq;
    let mut bad = diagnosis(cpu, AssetKind::Cpu, None);
    bad.checks.pop();
    assert_eq!(
        code(&s.diagnostic_create(&bad).expect_err("incomplete")),
        ErrorCode::ChecklistIncompleto
    );
    let mut bad = diagnosis(cpu, AssetKind::Cpu, None);
    bad.attention_id = Some(chaski_core::ids::AttentionId::new());
    assert_eq!(
        code(&s.diagnostic_create(&bad).expect_err("attention")),
        ErrorCode::NoEncontrado
    );
    let mut bad = diagnosis(cpu, AssetKind::Cpu, None);
    bad.corrects = Some(DiagnosticId::new());
    bad.correction_reason = Some("x".into());
    assert_eq!(
        code(&s.diagnostic_create(&bad).expect_err("not the latest")),
        ErrorCode::ValorInvalido
    );
    assert_eq!(s.outbox_stats().expect("stats").last_device_seq, seq);

    // A correction of the latest diagnostic: new row, new event, the old one is marked.
    let mut fix = diagnosis(cpu, AssetKind::Cpu, None);
    fix.corrects = Some(d1.id);
    assert_eq!(
        code(&s.diagnostic_create(&fix).expect_err("reason")),
        ErrorCode::MotivoRequerido
    );
    fix.correction_reason = Some("El cable de poder estaba suelto".into());
    let d2 = s.diagnostic_create(&fix).expect("correction");
    assert_eq!(d2.corrects, Some(d1.id));
    assert_eq!(
        s.diagnostic_get(d1.id).expect("d1").corrected_by,
        Some(d2.id)
    );
    assert_eq!(
        s.asset_get(cpu).expect("asset").operability,
        Operability::Operativo
    );
    // d1 is no longer the latest: it cannot be corrected again.
    let mut again = diagnosis(cpu, AssetKind::Cpu, None);
    again.corrects = Some(d1.id);
    again.correction_reason = Some("otra".into());
    assert_eq!(
        code(&s.diagnostic_create(&again).expect_err("old")),
        ErrorCode::ValorInvalido
    );
    let list = s.diagnostics_of_asset(cpu).expect("list");
    assert_eq!(
        list.iter().map(|d| d.id).collect::<Vec<_>>(),
        [d2.id, d1.id],
        "newest first"
    );

    // The 60-minute rule and a formatting checklist are stored and read back.
    let mut long = diagnosis(cpu, AssetKind::Cpu, None);
    long.estimated_minutes = 120;
    long.moved_to_it_office = true;
    long.recommendation = Recommendation::Formatear;
    long.format = Some(FormatChecklist {
        backup_done: false,
        no_backup_reason: Some("El usuario guarda todo en la carpeta compartida".into()),
        ntfs_two_partitions: true,
        dhcp: true,
        local_admin_enabled: true,
        local_admin_password_set: true,
        computer_name: "740899500012".into(),
        unnecessary_services_disabled: true,
        base_software_installed: true,
        ..FormatChecklist::default()
    });
    let d3 = s.diagnostic_create(&long).expect("format");
    assert!(d3.it_office.proposed && d3.it_office.moved);
    let f = d3.format.expect("stored");
    assert_eq!(f.computer_name, "740899500012");
    assert!(f.no_backup_reason.is_some());

    let changes = s.outbox_after(outbox_before, 1000).expect("outbox");
    for entity in ["diagnostic", "asset_event", "asset"] {
        assert!(
            changes.iter().any(|c| c.entity == entity),
            "outbox has {entity}"
        );
    }
    assert_tables_match_history(&s);

    // The file itself refuses to change or delete a diagnostic.
    let path = s.path().to_path_buf();
    drop(s);
    let conn = rusqlite::Connection::open(&path).expect("open");
    for sql in [
        "UPDATE diagnostic SET result = 'operativo'",
        "UPDATE diagnostic SET findings = 'otra cosa'",
        "DELETE FROM diagnostic",
        "DELETE FROM asset_event",
    ] {
        let err = conn.execute(sql, []).expect_err(sql);
        assert!(err.to_string().contains("solo inserción"), "{sql}: {err}");
    }
    conn.execute("UPDATE diagnostic SET findings = findings", [])
        .expect("same values (idempotent sync apply)");
    drop(conn);
    Store::open(&path).expect("reopen");
    drop(dir);
}

fn report(items: Vec<DecommissionItemInput>) -> DecommissionReportInput {
    DecommissionReportInput {
        date: lima_date(Utc::now()),
        items,
        justification: "Equipos inoperativos cuya reparación supera su valor".into(),
        chief_name: Some("CÁRDENAS ROJAS, Luis".into()),
        chief_position: Some("Jefe de la Unidad Territorial".into()),
        corrects: None,
    }
}

fn row(a: AssetId, cause: DecommissionCause) -> DecommissionItemInput {
    DecommissionItemInput {
        asset_id: a,
        cause,
        remarks: None,
    }
}

#[test]
fn the_informe_de_baja_is_numbered_signed_immutable_and_annulled_with_its_number() {
    let (dir, s) = store();
    let broken = asset(&s, "740899500021", AssetKind::Cpu);
    let plain = asset(&s, "740899500022", AssetKind::Monitor);
    let d = s
        .diagnostic_create(&diagnosis(
            broken,
            AssetKind::Cpu,
            Some("Placa madre en corto"),
        ))
        .expect("diagnostic");
    let year = lima_year(Utc::now());

    // Causal rules on real data.
    let e = s
        .decommission_create(&report(vec![row(plain, DecommissionCause::Obsolescencia)]))
        .expect_err("no diagnostic");
    assert_eq!(code(&e), ErrorCode::CausalBajaInvalida);
    let mut draft_input = report(vec![row(broken, DecommissionCause::MantenimientoOneroso)]);
    draft_input.chief_name = None;
    let draft = s.decommission_create(&draft_input).expect("draft");
    assert_eq!(draft.lifecycle.status, DocStatus::Borrador);
    assert_eq!(
        draft.items[0].last_diagnostic.as_ref().map(|x| x.id),
        Some(d.id)
    );
    assert_eq!(draft.items[0].condition, AssetCondition::Regular);
    let e = s.decommission_issue(draft.id).expect_err("no V° B°");
    assert_eq!(code(&e), ErrorCode::CampoRequerido);
    let draft = s
        .decommission_update(
            draft.id,
            &report(vec![row(broken, DecommissionCause::Raee)]),
        )
        .expect("update draft");
    let issued = s.decommission_issue(draft.id).expect("issue");
    let n1 = issued.lifecycle.number.clone().expect("number");
    assert_eq!((n1.seq, n1.year, n1.kind), (1, year, DocKind::Decommission));
    assert_eq!(
        code(
            &s.decommission_update(draft.id, &report(vec![]))
                .expect_err("frozen")
        ),
        ErrorCode::DocumentoInmutable
    );
    let before = s.asset_get(broken).expect("asset");
    let signed = s.decommission_sign(draft.id).expect("sign");
    assert_eq!(signed.lifecycle.status, DocStatus::Firmado);
    assert!(signed.approvals().iter().all(|a| a.signed_at.is_some()));
    let events = s.asset_events(broken).expect("events");
    let proposal = events.last().expect("event");
    assert_eq!(proposal.kind, AssetEventKind::BajaPropuesta);
    assert_eq!(
        proposal.document.as_ref().and_then(|d| d.number.clone()),
        Some(n1.text())
    );
    let after = s.asset_get(broken).expect("asset");
    assert_eq!(
        (after.status, after.custodian_id),
        (before.status, before.custodian_id),
        "a proposal is not the baja"
    );
    assert_eq!(
        code(&s.decommission_sign(draft.id).expect_err("twice")),
        ErrorCode::TransicionNoPermitida
    );
    assert_eq!(
        code(&s.decommission_annul(draft.id, "error").expect_err("signed")),
        ErrorCode::DocumentoInmutable
    );

    // Proposed once: another report cannot list it, a correction of that report can.
    let e = s
        .decommission_create(&report(vec![row(broken, DecommissionCause::Chatarra)]))
        .expect_err("already proposed");
    assert_eq!(code(&e), ErrorCode::BienNoDisponible);
    assert!(e.to_string().contains(&n1.text()), "{e}");
    let mut correction = report(vec![row(broken, DecommissionCause::Chatarra)]);
    correction.corrects = Some(draft.id);
    let c = s.decommission_create(&correction).expect("correction");
    assert_eq!(c.corrects_number, Some(n1.text()));

    // Annulled keeps its number; the next one does not reuse it.
    let second = s.decommission_issue(c.id).expect("issue 2");
    assert_eq!(second.lifecycle.number.as_ref().map(|n| n.seq), Some(2));
    assert_eq!(
        code(&s.decommission_annul(c.id, "  ").expect_err("reason")),
        ErrorCode::MotivoRequerido
    );
    let annulled = s
        .decommission_annul(c.id, "Se presentará con el inventario anual")
        .expect("annul");
    assert_eq!(annulled.lifecycle.status, DocStatus::Anulado);
    assert_eq!(annulled.lifecycle.number.as_ref().map(|n| n.seq), Some(2));
    let third = s
        .decommission_create(&report(vec![row(plain, DecommissionCause::Robo)]))
        .expect("third");
    let third = s.decommission_issue(third.id).expect("issue 3");
    assert_eq!(third.lifecycle.number.as_ref().map(|n| n.seq), Some(3));

    // Listed with the other documents, and on the asset's page.
    let docs = s
        .documents_list(&DocFilter {
            kind: Some(DocKind::Decommission),
            status: None,
        })
        .expect("docs");
    assert_eq!(docs.len(), 3);
    assert!(
        docs.iter()
            .all(|d| d.title.starts_with("Informe técnico de baja"))
    );
    let page = s.asset_detail(broken).expect("detail");
    assert_eq!(
        page.documents
            .iter()
            .filter(|d| d.kind == DocKind::Decommission)
            .count(),
        2
    );
    assert_eq!(
        s.decommission_list(Some(DocStatus::Firmado))
            .expect("list")
            .len(),
        1
    );
    assert_tables_match_history(&s);

    let path = s.path().to_path_buf();
    drop(s);
    let conn = rusqlite::Connection::open(&path).expect("open");
    for sql in [
        "UPDATE decommission_report SET justification = 'x' WHERE status = 'firmado'",
        "UPDATE decommission_report SET number = 9 WHERE status = 'anulado'",
    ] {
        let err = conn.execute(sql, []).expect_err(sql);
        assert!(err.to_string().contains("no se modifica"), "{sql}: {err}");
    }
    drop(conn);
    drop(dir);
}

#[test]
fn the_maintenance_calendar_crosses_the_year_end_in_lima_days() {
    let (_dir, s) = store();
    let printer = asset(&s, "740841000001", AssetKind::Impresora);
    let never = asset(&s, "740841000002", AssetKind::Impresora);
    let cpu = asset(&s, "740899500031", AssetKind::Cpu);
    let monitor = asset(&s, "740881870031", AssetKind::Monitor);
    let _ = (never, monitor);
    let done = |a: AssetId, at: chrono::DateTime<Utc>| {
        s.maintenance_create(&MaintenanceInput {
            asset_id: a,
            performed_at: at,
            performer: MaintenancePerformer::Proveedor,
            provider_name: Some("Servicios Andinos SAC".into()),
            work_done: "Limpieza y lubricación".into(),
            remarks: None,
        })
        .expect("maintenance")
    };
    // 01/09/2025 03:00 UTC is 31/08/2025 22:00 in Lima: the Lima day counts.
    done(
        printer,
        Utc.with_ymd_and_hms(2025, 9, 1, 3, 0, 0)
            .single()
            .expect("t"),
    );
    done(
        cpu,
        Utc.with_ymd_and_hms(2025, 12, 15, 15, 0, 0)
            .single()
            .expect("t"),
    );
    let today = NaiveDate::from_ymd_opt(2026, 1, 10).expect("d");
    let cal = s
        .maintenance_calendar(today, &MaintenanceFilter::default())
        .expect("calendar");
    let got: Vec<(&str, MaintenanceStatus, Option<NaiveDate>)> = cal
        .iter()
        .map(|e| (e.code.as_str(), e.due.status, e.due.due))
        .collect();
    assert_eq!(
        got,
        [
            (
                "740841000001",
                MaintenanceStatus::Vencido,
                NaiveDate::from_ymd_opt(2025, 12, 31)
            ),
            ("740841000002", MaintenanceStatus::SinRegistro, None),
            (
                "740899500031",
                MaintenanceStatus::AlDia,
                NaiveDate::from_ymd_opt(2026, 12, 15)
            ),
        ],
        "the monitor has no plan"
    );
    assert_eq!(cal[0].due.days_left, Some(-10));
    assert_eq!(cal[0].due.last_done, NaiveDate::from_ymd_opt(2025, 8, 31));

    // Plans are editable: printers every 6 months, CPUs paused.
    let p = s
        .maintenance_plan_set(&MaintenancePlanInput {
            asset_kind: AssetKind::Impresora,
            interval_months: 6,
            active: true,
        })
        .expect("plan");
    assert_eq!(p.id, plan_id("UT-CUSCO", AssetKind::Impresora));
    assert!(p.updated_at.is_some());
    s.maintenance_plan_set(&MaintenancePlanInput {
        asset_kind: AssetKind::Cpu,
        interval_months: 12,
        active: false,
    })
    .expect("pause");
    let e = s
        .maintenance_plan_set(&MaintenancePlanInput {
            asset_kind: AssetKind::Cpu,
            interval_months: 0,
            active: true,
        })
        .expect_err("range");
    assert_eq!(code(&e), ErrorCode::PlanMantenimientoInvalido);
    let cal = s
        .maintenance_calendar(today, &MaintenanceFilter::default())
        .expect("calendar");
    assert_eq!(cal.len(), 2, "CPUs paused");
    assert_eq!(cal[0].due.status, MaintenanceStatus::SinRegistro);
    assert_eq!(
        cal[1].due.due,
        NaiveDate::from_ymd_opt(2026, 2, 28),
        "31/08 + 6 months, clamped to February"
    );
    assert_eq!(cal[1].due.status, MaintenanceStatus::AlDia);
    let only = s
        .maintenance_calendar(
            today,
            &MaintenanceFilter {
                status: Some(MaintenanceStatus::SinRegistro),
                kind: None,
            },
        )
        .expect("filter");
    assert_eq!(only.len(), 1);
    let plans = s.maintenance_plans().expect("plans");
    let laptop = plans
        .iter()
        .find(|p| p.asset_kind == AssetKind::Laptop)
        .expect("default laptop plan");
    assert_eq!((laptop.interval_months, laptop.updated_at), (12, None));
    // The outbox carries the plan once per edit, under its derived id.
    let changes = s.outbox_after(0, 1000).expect("outbox");
    let plan_changes: Vec<_> = changes
        .iter()
        .filter(|c| c.entity == "maintenance_plan")
        .collect();
    assert_eq!(plan_changes.len(), 2);
    assert!(
        plan_changes
            .iter()
            .all(|c| c.entity_id != plan_id("UT-PUNO", AssetKind::Impresora).uuid())
    );
}

#[test]
fn verification_after_48_hours_sends_faults_back_to_the_provider() {
    let (_dir, s) = store();
    let printer = asset(&s, "740841000011", AssetKind::Impresora);
    let new = |hours_ago: i64| {
        s.maintenance_create(&MaintenanceInput {
            asset_id: printer,
            performed_at: Utc::now() - Duration::hours(hours_ago),
            performer: MaintenancePerformer::Proveedor,
            provider_name: Some("Servicios Andinos SAC".into()),
            work_done: "Cambio de rodillos".into(),
            remarks: None,
        })
        .expect("maintenance")
    };
    let recent = new(2);
    let e = s
        .maintenance_verify(
            recent.id,
            &MaintenanceVerificationInput {
                faults_found: false,
                remarks: None,
            },
        )
        .expect_err("too early");
    assert_eq!(code(&e), ErrorCode::PlazoNoCumplido);

    let old = new(49);
    let e = s
        .maintenance_verify(
            old.id,
            &MaintenanceVerificationInput {
                faults_found: true,
                remarks: None,
            },
        )
        .expect_err("describe");
    assert_eq!(code(&e), ErrorCode::CampoRequerido);
    let v = s
        .maintenance_verify(
            old.id,
            &MaintenanceVerificationInput {
                faults_found: true,
                remarks: Some("Atasca papel en la bandeja 2".into()),
            },
        )
        .expect("verify");
    let esc_id = v.escalation_id.expect("back to the provider");
    let esc = s.provider_escalation_get(esc_id).expect("escalation");
    assert_eq!(esc.provider, "Servicios Andinos SAC");
    assert_eq!(esc.maintenance_id, Some(old.id));
    assert_eq!(esc.status(), ProviderEscalationStatus::Escalado);
    assert_eq!(
        code(
            &s.maintenance_verify(
                old.id,
                &MaintenanceVerificationInput {
                    faults_found: false,
                    remarks: None
                }
            )
            .expect_err("once")
        ),
        ErrorCode::TransicionNoPermitida
    );

    // The provider's report, attached once, read back intact.
    let bytes = b"%PDF-1.7 informe del proveedor".to_vec();
    let r = s
        .maintenance_attach_report(old.id, "informe-mant-2026-11.pdf", &bytes)
        .expect("attach");
    assert_eq!(
        r.report_file_name.as_deref(),
        Some("informe-mant-2026-11.pdf")
    );
    assert_eq!(s.maintenance_report_file(old.id).expect("file"), bytes);
    assert_eq!(
        code(
            &s.maintenance_attach_report(old.id, "otro.pdf", b"x")
                .expect_err("once")
        ),
        ErrorCode::DocumentoInmutable
    );
    assert_eq!(
        code(
            &s.maintenance_attach_report(recent.id, "vacío.pdf", b"")
                .expect_err("empty")
        ),
        ErrorCode::ValorInvalido
    );
    assert_eq!(
        code(&s.maintenance_report_file(recent.id).expect_err("none")),
        ErrorCode::NoEncontrado
    );
    assert_eq!(s.maintenances_of_asset(printer).expect("list").len(), 2);

    // No maintenance for an asset in baja.
    s.asset_register_baja(printer, "Robo denunciado")
        .expect("baja");
    let e = s
        .maintenance_create(&MaintenanceInput {
            asset_id: printer,
            performed_at: Utc::now(),
            performer: MaintenancePerformer::Tecnico,
            provider_name: None,
            work_done: "Limpieza".into(),
            remarks: None,
        })
        .expect_err("baja");
    assert_eq!(code(&e), ErrorCode::BienNoDisponible);
    assert!(
        s.maintenance_calendar(today(), &MaintenanceFilter::default())
            .expect("calendar")
            .is_empty(),
        "an asset in baja leaves the calendar"
    );
}

#[test]
fn a_provider_escalation_completes_and_waits_24_hours_for_conformity() {
    let (_dir, s) = store();
    let pc = asset(&s, "740899500041", AssetKind::Cpu);
    let d = s
        .diagnostic_create(&diagnosis(pc, AssetKind::Cpu, Some("No enciende")))
        .expect("diagnostic");
    let input = |hours_ago: i64| ProviderEscalationInput {
        attention_id: None,
        diagnostic_id: Some(d.id),
        maintenance_id: None,
        asset_id: Some(pc),
        provider: "Soporte HP".into(),
        contact: Some("soporte@hp.example".into()),
        means: EscalationMeans::Correo,
        escalated_at: Utc::now() - Duration::hours(hours_ago),
        description: "Cambio de fuente en garantía".into(),
        provider_ticket: Some("HP-123456".into()),
    };
    let mut missing = input(30);
    missing.diagnostic_id = Some(DiagnosticId::new());
    assert_eq!(
        code(&s.provider_escalation_create(&missing).expect_err("unknown")),
        ErrorCode::NoEncontrado
    );
    let e = s.provider_escalation_create(&input(30)).expect("escalate");
    assert_eq!(e.status(), ProviderEscalationStatus::Escalado);
    let e = s
        .provider_escalation_complete(e.id, Utc::now() - Duration::hours(25), "Fuente cambiada")
        .expect("complete");
    assert_eq!(e.status(), ProviderEscalationStatus::Completado);
    let e = s
        .provider_escalation_conformity(e.id, false, Some("Vuelve a apagarse sola"))
        .expect("no conforme");
    assert_eq!(e.status(), ProviderEscalationStatus::NoConforme);
    let open = s
        .provider_escalations(&ProviderEscalationFilter {
            open_only: true,
            asset_id: Some(pc),
        })
        .expect("open");
    assert_eq!(open.len(), 1, "the new escalation after no conforme");
    assert!(open[0].description.contains("Vuelve a apagarse"));
    assert_eq!(open[0].provider, "Soporte HP");

    let quick = s.provider_escalation_create(&input(3)).expect("escalate");
    s.provider_escalation_complete(quick.id, Utc::now() - Duration::hours(1), "Listo")
        .expect("complete");
    let e = s
        .provider_escalation_conformity(quick.id, true, None)
        .expect_err("24 h");
    assert_eq!(code(&e), ErrorCode::PlazoNoCumplido);
    assert_eq!(
        code(
            &s.provider_escalation_complete(quick.id, Utc::now(), "otra")
                .expect_err("twice")
        ),
        ErrorCode::TransicionNoPermitida
    );
    let all = s
        .provider_escalations(&ProviderEscalationFilter::default())
        .expect("all");
    assert_eq!(all.len(), 3);
    let outbox = s.outbox_after(0, 1000).expect("outbox");
    assert!(outbox.iter().any(|c| c.entity == "provider_escalation"));
    assert_eq!(
        s.asset_get(pc).expect("asset").status,
        AssetStatus::EnAlmacen
    );
}

/// Another device of the unit that applies this device's outbox ends with the same records,
/// and the same present for every asset (the replayed history).
#[test]
fn a_second_device_replays_the_outbox_into_the_same_state() {
    let (_da, a) = store();
    let dir_b = tempfile::tempdir().expect("tempdir");
    let b = Store::create(
        dir_b.path().join("b.db"),
        &SetupInput {
            unit_code: "UT-CUSCO".into(),
            technician_last_names: "Quispe".into(),
            technician_first_names: "Luis".into(),
            technician_dni: "42345678".into(),
        },
    )
    .expect("create b");

    let pc = asset(&a, "740899500051", AssetKind::Cpu);
    let printer = asset(&a, "740841000051", AssetKind::Impresora);
    let d = a
        .diagnostic_create(&diagnosis(pc, AssetKind::Cpu, Some("Placa madre en corto")))
        .expect("diagnostic");
    let r = a
        .decommission_create(&report(vec![row(
            pc,
            DecommissionCause::MantenimientoOneroso,
        )]))
        .expect("report");
    a.decommission_issue(r.id).expect("issue");
    a.decommission_sign(r.id).expect("sign");
    a.maintenance_plan_set(&MaintenancePlanInput {
        asset_kind: AssetKind::Impresora,
        interval_months: 3,
        active: true,
    })
    .expect("plan");
    let m = a
        .maintenance_create(&MaintenanceInput {
            asset_id: printer,
            performed_at: Utc::now() - Duration::hours(50),
            performer: MaintenancePerformer::Proveedor,
            provider_name: Some("Servicios Andinos SAC".into()),
            work_done: "Limpieza".into(),
            remarks: None,
        })
        .expect("maintenance");
    a.maintenance_verify(
        m.id,
        &MaintenanceVerificationInput {
            faults_found: true,
            remarks: Some("Manchas en la impresión".into()),
        },
    )
    .expect("verify");

    let changes = a.outbox_after(0, 10_000).expect("outbox");
    let page: Vec<(u64, chaski_core::change::Change)> = changes
        .into_iter()
        .enumerate()
        .map(|(i, c)| (i as u64 + 1, c))
        .collect();
    let cursor = page.len() as u64;
    let applied = b.sync_apply_page("UT-CUSCO", &page, cursor).expect("apply");
    assert_eq!(applied.failed, 0, "{applied:?}");
    use chaski_store::Entity as E;
    for entity in [
        E::Asset,
        E::AssetEvent,
        E::Diagnostic,
        E::DecommissionReport,
        E::MaintenancePlan,
        E::Maintenance,
        E::ProviderEscalation,
    ] {
        assert_eq!(
            a.replica_snapshot(entity).expect("a"),
            b.replica_snapshot(entity).expect("b"),
            "{entity:?}"
        );
    }
    assert_tables_match_history(&b);
    assert_eq!(
        b.asset_get(pc).expect("pc").operability,
        Operability::Inoperativo
    );
    assert_eq!(b.diagnostic_get(d.id).expect("d").findings, d.findings);
    let signed = b.decommission_get(r.id).expect("report");
    assert_eq!(signed.lifecycle.status, DocStatus::Firmado);
    assert_eq!(
        code(
            &b.decommission_annul(r.id, "no")
                .expect_err("immutable here too")
        ),
        ErrorCode::DocumentoInmutable
    );
    assert_eq!(
        b.maintenance_plans()
            .expect("plans")
            .iter()
            .find(|p| p.asset_kind == AssetKind::Impresora)
            .map(|p| p.interval_months),
        Some(3)
    );
}
