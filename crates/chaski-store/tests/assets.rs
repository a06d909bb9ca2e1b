//! Asset register, cargos and traslados on real SQLite files.

use chaski_core::ErrorCode;
use chaski_core::asset::{
    AssetCondition, AssetInput, AssetKind, AssetStatus, AssignmentInput, DocItemInput, Operability,
    TransferInput, fold,
};
use chaski_core::attention::{AttentionInput, Page};
use chaski_core::catalog::{AttentionKind, Channel};
use chaski_core::document::DocStatus;
use chaski_core::ids::{AssetId, PersonId};
use chaski_core::person::NewPerson;
use chaski_store::assets::{AssetFilter, DocFilter};
use chaski_store::{SetupInput, Store};
use chrono::{Datelike, NaiveDate, Utc};

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

fn person(s: &Store, last: &str, first: &str, dni: &str, office: &str) -> PersonId {
    s.person_create(&NewPerson {
        last_names: last.into(),
        first_names: first.into(),
        dni: Some(dni.into()),
        phones: vec![],
        email: None,
        office: Some(office.into()),
    })
    .expect("person")
    .id
}

fn input(
    code: &str,
    kind: AssetKind,
    brand: &str,
    serial: &str,
    custodian: Option<PersonId>,
) -> AssetInput {
    AssetInput {
        code: code.into(),
        denomination: format!("{} {brand}", kind.label().to_uppercase()),
        kind,
        brand: Some(brand.into()),
        model: Some("M-100".into()),
        serial: Some(serial.into()),
        color: Some("NEGRO".into()),
        condition: AssetCondition::Bueno,
        operability: Operability::Operativo,
        warranty_end: NaiveDate::from_ymd_opt(2027, 12, 31),
        remarks: None,
        site: Some("Sede Cusco".into()),
        office: custodian.map(|_| "Logística".to_string()),
        custodian_id: custodian,
    }
}

fn item(id: AssetId) -> DocItemInput {
    DocItemInput {
        asset_id: id,
        remarks: None,
    }
}

fn cargo(person: PersonId, withdrawn: &[AssetId], assigned: &[AssetId]) -> AssignmentInput {
    AssignmentInput {
        date: NaiveDate::from_ymd_opt(2026, 3, 2).expect("date"),
        person_id: person,
        office: None,
        withdrawn: withdrawn.iter().copied().map(item).collect(),
        assigned: assigned.iter().copied().map(item).collect(),
        corrects: None,
        attention_id: None,
    }
}

/// Every asset's derived columns equal the fold of its events.
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
        let replayed = fold(&s.asset_events(a.id).expect("events"));
        assert_eq!(replayed.custodian_id, a.custodian_id, "{}", a.code);
        assert_eq!(replayed.site, a.site, "{}", a.code);
        assert_eq!(replayed.office, a.office, "{}", a.code);
        assert_eq!(replayed.status, a.status, "{}", a.code);
        assert_eq!(a.in_warehouse, a.status == AssetStatus::EnAlmacen);
    }
}

#[test]
fn register_filters_and_search() {
    let (_d, s) = store();
    let ana = person(&s, "Quispe Mamani", "Ana", "45678912", "Logística");
    s.asset_create(&input(
        "740899500001",
        AssetKind::Cpu,
        "Lenovo",
        "PC0AB123",
        Some(ana),
    ))
    .expect("cpu");
    s.asset_create(&input(
        "740877370002",
        AssetKind::Monitor,
        "LG",
        "MN-77",
        None,
    ))
    .expect("monitor");
    s.asset_create(&input("740899500003", AssetKind::Cpu, "HP", "XYZ999", None))
        .expect("cpu 2");
    let e = s
        .asset_create(&input("740899500001", AssetKind::Cpu, "HP", "OTHER", None))
        .expect_err("same code");
    assert_eq!(e.code(), ErrorCode::ValorInvalido);
    let e = s
        .asset_create(&input("74089950001", AssetKind::Cpu, "HP", "X", None))
        .expect_err("11 digits");
    assert_eq!(e.code(), ErrorCode::CodigoPatrimonialInvalido);

    let list = |f: AssetFilter| {
        s.assets_list(
            &f,
            Page {
                number: 1,
                size: 50,
            },
        )
        .expect("list")
        .items
        .into_iter()
        .map(|a| a.code.to_string())
        .collect::<Vec<_>>()
    };
    assert_eq!(
        list(AssetFilter {
            kind: Some(AssetKind::Cpu),
            ..Default::default()
        }),
        ["740899500001", "740899500003"]
    );
    assert_eq!(
        list(AssetFilter {
            custodian_id: Some(ana),
            ..Default::default()
        }),
        ["740899500001"]
    );
    assert_eq!(
        list(AssetFilter {
            in_warehouse: Some(true),
            ..Default::default()
        }),
        ["740877370002", "740899500003"]
    );
    assert_eq!(
        list(AssetFilter {
            site: Some("Sede Cusco".into()),
            condition: Some(AssetCondition::Bueno),
            ..Default::default()
        })
        .len(),
        3
    );
    assert_eq!(
        list(AssetFilter {
            operability: Some(Operability::Inoperativo),
            ..Default::default()
        })
        .len(),
        0
    );
    let q = |t: &str| {
        list(AssetFilter {
            q: Some(t.into()),
            ..Default::default()
        })
    };
    assert_eq!(
        q("7408995"),
        ["740899500001", "740899500003"],
        "code prefix"
    );
    assert_eq!(q("0ab12"), ["740899500001"], "serial substring, any case");
    assert_eq!(q("lenovo"), ["740899500001"], "brand");
    assert_eq!(q("LG"), ["740877370002"], "short brand");
    assert_eq!(q("quispe"), ["740899500001"], "custodian name");
    assert_eq!(q("45678912"), ["740899500001"], "custodian DNI");
    assert!(q("nada-parecido").is_empty());
    let page = s
        .assets_list(&AssetFilter::default(), Page { number: 1, size: 2 })
        .expect("page");
    assert_eq!(
        (page.items.len(), page.total, page.total_exact),
        (2, 3, true)
    );
    assert_eq!(s.asset_sites().expect("sites"), ["Sede Cusco"]);
    let a = s.asset_by_code("7408 9950 0001").expect("by code");
    assert_eq!(a.custodian_name.as_deref(), Some("QUISPE MAMANI, Ana"));
    assert_tables_match_history(&s);
}

#[test]
fn cargo_lifecycle_moves_custody_only_when_signed() {
    let (_d, s) = store();
    let ana = person(&s, "Quispe Mamani", "Ana", "45678912", "Logística");
    let luis = person(&s, "Condori", "Luis", "40001234", "Tesorería");
    let cpu = s
        .asset_create(&input(
            "740899500001",
            AssetKind::Cpu,
            "Lenovo",
            "S1",
            Some(ana),
        ))
        .expect("cpu")
        .id;
    let mon = s
        .asset_create(&input("740877370002", AssetKind::Monitor, "LG", "S2", None))
        .expect("mon")
        .id;
    let outbox_before = s.outbox_stats().expect("stats").last_device_seq;

    // Double assignment without withdrawal is refused with a clear message.
    let e = s
        .assignment_create(&cargo(luis, &[], &[cpu]))
        .expect_err("held by Ana");
    assert_eq!(e.code(), ErrorCode::BienNoDisponible);
    assert!(
        e.to_domain().message.contains("QUISPE MAMANI, Ana"),
        "{}",
        e.to_domain().message
    );
    assert_eq!(
        s.outbox_stats().expect("stats").last_device_seq,
        outbox_before,
        "a refusal writes nothing"
    );

    // A draft changes nothing.
    let draft = s
        .assignment_create(&cargo(luis, &[cpu], &[cpu, mon]))
        .expect("draft");
    assert_eq!(draft.lifecycle.status, DocStatus::Borrador);
    assert!(draft.lifecycle.number.is_none());
    assert_eq!(draft.person.name, "CONDORI, Luis");
    assert_eq!(
        draft.office.as_deref(),
        Some("Tesorería"),
        "defaults to the person's office"
    );
    assert_eq!(draft.assigned[1].code.as_str(), "740877370002");
    assert_eq!(draft.assigned[1].brand.as_deref(), Some("LG"));
    assert_eq!(s.asset_get(cpu).expect("cpu").custodian_id, Some(ana));
    let e = s.assignment_sign(draft.id).expect_err("not issued");
    assert_eq!(e.code(), ErrorCode::TransicionNoPermitida);

    // Edit the draft, then issue: numbered, frozen.
    let draft = s
        .assignment_update(draft.id, &cargo(luis, &[cpu], &[cpu, mon]))
        .expect("edit");
    let issued = s.assignment_issue(draft.id).expect("issue");
    let year = Utc::now().year();
    assert_eq!(
        issued.lifecycle.number.as_ref().map(|n| n.text()),
        Some(format!("N° 001-{year}"))
    );
    let e = s
        .assignment_update(draft.id, &cargo(luis, &[], &[mon]))
        .expect_err("frozen");
    assert_eq!(e.code(), ErrorCode::DocumentoInmutable);
    assert_eq!(
        s.asset_get(cpu).expect("cpu").custodian_id,
        Some(ana),
        "issued changes nothing"
    );

    // Signing applies the events in the same transaction.
    let signed = s.assignment_sign(draft.id).expect("sign");
    assert_eq!(signed.lifecycle.status, DocStatus::Firmado);
    let c = s.asset_get(cpu).expect("cpu");
    assert_eq!(
        (c.custodian_id, c.office.as_deref(), c.status),
        (Some(luis), Some("Tesorería"), AssetStatus::EnUso)
    );
    assert_eq!(s.asset_get(mon).expect("mon").custodian_id, Some(luis));
    let e = s.assignment_annul(draft.id, "error").expect_err("signed");
    assert_eq!(e.code(), ErrorCode::DocumentoInmutable);
    let e = s.assignment_sign(draft.id).expect_err("twice");
    assert_eq!(e.code(), ErrorCode::TransicionNoPermitida);

    // Annulment keeps the number; the next cargo never reuses it.
    let second = s
        .assignment_create(&cargo(ana, &[mon], &[]))
        .expect("second");
    let second = s.assignment_issue(second.id).expect("issue 2");
    assert_eq!(second.lifecycle.number.as_ref().map(|n| n.seq), Some(2));
    let e = s.assignment_annul(second.id, "  ").expect_err("reason");
    assert_eq!(e.code(), ErrorCode::MotivoRequerido);
    let annulled = s
        .assignment_annul(second.id, "Se equivocó el servidor")
        .expect("annul");
    assert_eq!(annulled.lifecycle.status, DocStatus::Anulado);
    assert_eq!(annulled.lifecycle.number.as_ref().map(|n| n.seq), Some(2));
    assert_eq!(
        annulled.lifecycle.annul_reason.as_deref(),
        Some("Se equivocó el servidor")
    );
    assert_eq!(
        s.asset_get(mon).expect("mon").custodian_id,
        Some(luis),
        "annulled changes nothing"
    );

    // A correction references the old cargo and gets the next number.
    let mut fix = cargo(luis, &[mon], &[]);
    fix.corrects = Some(signed.id);
    let fix = s.assignment_create(&fix).expect("correction");
    let fix = s.assignment_issue(fix.id).expect("issue 3");
    assert_eq!(fix.lifecycle.number.as_ref().map(|n| n.seq), Some(3));
    assert_eq!(fix.corrects_number, Some(format!("N° 001-{year}")));
    s.assignment_sign(fix.id).expect("sign 3");
    let m = s.asset_get(mon).expect("mon");
    assert_eq!(
        (m.custodian_id, m.status, m.in_warehouse),
        (None, AssetStatus::EnAlmacen, true)
    );

    // The asset page: history, documents.
    let d = s.asset_detail(cpu).expect("detail");
    let kinds: Vec<&str> = d.history.iter().map(|h| h.event.kind.code()).collect();
    assert_eq!(kinds, ["alta", "devolucion", "asignacion"]);
    assert_eq!(
        d.history[2].custodian_name.as_deref(),
        Some("CONDORI, Luis")
    );
    assert_eq!(
        d.history[2]
            .event
            .document
            .as_ref()
            .and_then(|r| r.number.clone()),
        Some(format!("N° 001-{year}"))
    );
    assert_eq!(d.documents.len(), 1);
    let dm = s.asset_detail(mon).expect("detail");
    assert_eq!(dm.documents.len(), 3, "signed, annulled and correction");
    assert_eq!(
        s.documents_list(&DocFilter {
            status: Some(DocStatus::Anulado),
            ..Default::default()
        })
        .expect("docs")
        .len(),
        1
    );

    // Every change went through the outbox.
    let changes = s.outbox_after(outbox_before, 1000).expect("outbox");
    for entity in ["assignment", "asset_event", "asset"] {
        assert!(
            changes.iter().any(|c| c.entity == entity),
            "outbox has {entity}"
        );
    }
    assert_tables_match_history(&s);
}

#[test]
fn baja_blocks_assignment_and_transfer() {
    let (_d, s) = store();
    let ana = person(&s, "Quispe", "Ana", "45678912", "Logística");
    let old = s
        .asset_create(&input("740899500009", AssetKind::Cpu, "HP", "OLD", None))
        .expect("old")
        .id;
    let a = s
        .asset_register_baja(old, "Obsoleto, informe pendiente")
        .expect("baja");
    assert_eq!(a.status, AssetStatus::DeBaja);
    let e = s
        .assignment_create(&cargo(ana, &[], &[old]))
        .expect_err("baja");
    assert_eq!(e.code(), ErrorCode::BienNoDisponible);
    assert!(e.to_domain().message.contains("dado de baja"));
    let e = s.asset_register_baja(old, "otra vez").expect_err("twice");
    assert_eq!(e.code(), ErrorCode::BienNoDisponible);
    assert_tables_match_history(&s);
}

fn traslado(
    items: &[AssetId],
    from: &str,
    to: &str,
    by: Option<PersonId>,
    rec: Option<PersonId>,
) -> TransferInput {
    TransferInput {
        date: NaiveDate::from_ymd_opt(2026, 3, 3).expect("date"),
        origin_site: from.into(),
        destination_site: to.into(),
        items: items.iter().copied().map(item).collect(),
        reason: "Apertura de la oficina desconcentrada".into(),
        handed_by: by,
        received_by: rec,
        corrects: None,
    }
}

#[test]
fn traslado_moves_the_site_and_the_month_lists_it() {
    let (_d, s) = store();
    let ana = person(&s, "Quispe", "Ana", "45678912", "Logística");
    let luis = person(&s, "Condori", "Luis", "40001234", "Sicuani");
    let cpu = s
        .asset_create(&input(
            "740899500001",
            AssetKind::Cpu,
            "Lenovo",
            "S1",
            Some(ana),
        ))
        .expect("cpu")
        .id;
    let e = s
        .transfer_create(&traslado(&[cpu], "Sede Sicuani", "Sede Cusco", None, None))
        .expect_err("not there");
    assert_eq!(e.code(), ErrorCode::BienNoDisponible);
    let t = s
        .transfer_create(&traslado(
            &[cpu],
            "sede cusco",
            "Sede Sicuani",
            Some(ana),
            Some(luis),
        ))
        .expect("draft");
    assert_eq!(
        t.handed_by_person.as_ref().map(|p| p.name.as_str()),
        Some("QUISPE, Ana")
    );
    assert_eq!(
        t.received_by_person.as_ref().and_then(|p| p.dni.as_deref()),
        Some("40001234")
    );
    assert_eq!(
        s.asset_get(cpu).expect("cpu").site.as_deref(),
        Some("Sede Cusco")
    );
    s.transfer_issue(t.id).expect("issue");
    let t = s.transfer_sign(t.id).expect("sign");
    let a = s.asset_get(cpu).expect("cpu");
    assert_eq!(
        (a.site.as_deref(), a.custodian_id),
        (Some("Sede Sicuani"), Some(ana))
    );
    let e = s
        .transfer_update(
            t.id,
            &traslado(&[cpu], "Sede Sicuani", "Sede Cusco", None, None),
        )
        .expect_err("signed");
    assert_eq!(e.code(), ErrorCode::DocumentoInmutable);

    // A signed cargo in the same month.
    let c = s
        .assignment_create(&cargo(luis, &[cpu], &[cpu]))
        .expect("cargo");
    s.assignment_issue(c.id).expect("issue");
    s.assignment_sign(c.id).expect("sign");
    // And a cargo left issued (not signed): not in the list.
    let mon = s
        .asset_create(&input("740877370002", AssetKind::Monitor, "LG", "S2", None))
        .expect("mon")
        .id;
    let pending = s
        .assignment_create(&cargo(luis, &[], &[mon]))
        .expect("pending");
    s.assignment_issue(pending.id).expect("issue");

    let now = chaski_core::time::to_lima(Utc::now());
    let m = s.monthly_movements(now.year(), now.month()).expect("month");
    let moves: Vec<(&str, &str)> = m
        .rows
        .iter()
        .map(|r| (r.document.as_str(), r.movement.as_str()))
        .collect();
    assert_eq!(
        moves,
        [
            ("Traslado", "Traslado"),
            ("Cargo de asignación", "Retiro"),
            ("Cargo de asignación", "Asignación")
        ]
    );
    assert_eq!(m.rows[0].from, "Sede Cusco");
    assert_eq!(m.rows[0].to, "Sede Sicuani");
    assert_eq!(m.rows[2].to, "CONDORI, Luis (Sicuani)");
    let csv = s
        .monthly_movements_csv(now.year(), now.month())
        .expect("csv");
    let text = String::from_utf8(csv).expect("utf-8");
    assert!(text.starts_with("\u{feff}DOCUMENTO,NUMERO,FECHA_FIRMA"));
    assert_eq!(text.lines().count(), 4);
    assert!(text.contains("Cargo de asignación,N° 001-"), "{text}");
    let other = s
        .monthly_movements(now.year() - 1, now.month())
        .expect("other month");
    assert!(other.rows.is_empty());
    assert!(s.monthly_movements(2026, 13).is_err());
    assert_tables_match_history(&s);
}

#[test]
fn attentions_of_an_asset_by_code() {
    let (_d, s) = store();
    let ana = person(&s, "Quispe", "Ana", "45678912", "Logística");
    let cpu = s
        .asset_create(&input(
            "740899500012",
            AssetKind::Cpu,
            "HP",
            "S1",
            Some(ana),
        ))
        .expect("cpu")
        .id;
    for code in [
        Some("7408 9950 0012"),
        Some("740899500012"),
        Some("999999990000"),
        None,
    ] {
        s.attention_create(&AttentionInput {
            received_at: None,
            requester_id: ana,
            office: None,
            channel: Channel::Telefono,
            kind: AttentionKind::Incidencia,
            service_code: "averia_hardware.impresoras".into(),
            priority: 3,
            problem: "No enciende".into(),
            solution: None,
            asset_code: code.map(str::to_string),
            technician_id: None,
        })
        .expect("attention");
    }
    assert_eq!(
        s.asset_attentions("740899500012")
            .expect("attentions")
            .len(),
        2
    );
    assert_eq!(s.asset_detail(cpu).expect("detail").attentions.len(), 2);
}

/// The list's plans for 100,000 assets (migration 0011, the code-ordered search) must give the
/// same answers as a plain filter: pages of a dense search follow code order without gaps or
/// repeats even when assets were registered in another order, and combined filters agree with
/// the rows themselves.
#[test]
fn search_pages_follow_code_order_and_combined_filters_agree() {
    let (_d, s) = store();
    let ana = person(&s, "Núñez Soto", "Ana", "45678912", "Logística");
    let kinds = [AssetKind::Cpu, AssetKind::Monitor, AssetKind::Impresora];
    let brands = ["Lenovo", "HP", "Lenovo", "Dell"];
    let conditions = [AssetCondition::Bueno, AssetCondition::Regular];
    // Registered from the highest code down, so registration order is not code order.
    for i in (0..90u32).rev() {
        let mut a = input(
            &format!("74089950{i:04}"),
            kinds[i as usize % 3],
            brands[i as usize % 4],
            &format!("{:03}SN{i}", i % 7),
            (i % 5 == 0).then_some(ana),
        );
        a.condition = conditions[i as usize % 2];
        a.site = Some(
            if i % 3 == 0 {
                "Sede Cusco"
            } else {
                "Sede Espinar"
            }
            .into(),
        );
        s.asset_create(&a).expect("asset");
    }
    let all = s
        .assets_list(
            &AssetFilter::default(),
            Page {
                number: 1,
                size: 500,
            },
        )
        .expect("all")
        .items;
    assert_eq!(all.len(), 90);

    let pages = |f: &AssetFilter| {
        let mut codes = Vec::new();
        for number in 1..=10 {
            let page = s.assets_list(f, Page { number, size: 7 }).expect("page");
            codes.extend(page.items.iter().map(|a| a.code.to_string()));
        }
        codes
    };
    let expect = |keep: &dyn Fn(&chaski_core::asset::Asset) -> bool| {
        all.iter()
            .filter(|a| keep(a))
            .map(|a| a.code.to_string())
            .collect::<Vec<_>>()
    };
    let search = |q: &str| AssetFilter {
        q: Some(q.into()),
        ..Default::default()
    };

    let lenovo = expect(&|a| a.brand.as_deref() == Some("Lenovo"));
    assert_eq!(lenovo.len(), 45);
    let mut got = pages(&search("lenovo"));
    got.truncate(70);
    assert_eq!(
        &got[..],
        &lenovo[..],
        "dense search, page after page in code order"
    );
    // Digits: code prefix, serial prefix, custodian's DNI prefix.
    assert_eq!(
        pages(&search("7408 9950 001")),
        expect(&|a| ("740899500010".."740899500020").contains(&a.code.as_str()))
    );
    assert_eq!(
        pages(&search("003")),
        expect(&|a| a.serial.as_deref().is_some_and(|x| x.starts_with("003")))
    );
    assert_eq!(
        pages(&search("4567")),
        expect(&|a| a.custodian_id == Some(ana)),
        "DNI prefix"
    );
    assert_eq!(
        pages(&search("nunez")),
        expect(&|a| a.custodian_id == Some(ana))
    );
    // Combined filters, with and without a search.
    let combined = AssetFilter {
        kind: Some(AssetKind::Cpu),
        site: Some("Sede Cusco".into()),
        condition: Some(AssetCondition::Regular),
        status: Some(chaski_core::asset::AssetStatus::EnAlmacen),
        ..Default::default()
    };
    let want = expect(&|a| {
        a.kind == AssetKind::Cpu
            && a.site.as_deref() == Some("Sede Cusco")
            && a.condition == AssetCondition::Regular
            && a.custodian_id.is_none()
    });
    assert!(!want.is_empty());
    assert_eq!(pages(&combined), want);
    let page = s
        .assets_list(&combined, Page { number: 1, size: 7 })
        .expect("count");
    assert_eq!((page.total, page.total_exact), (want.len() as u64, true));
    let with_search = AssetFilter {
        q: Some("lenovo".into()),
        ..combined
    };
    assert_eq!(
        pages(&with_search),
        want.iter()
            .filter(|c| lenovo.contains(c))
            .cloned()
            .collect::<Vec<_>>()
    );
}

/// An enrolled device numbers cargos from its server blocks; with the block used up
/// (offline), issuing is refused with a message that says the cargo stays a draft until the
/// next sync — nothing is written, the cargo is still an editable borrador.
#[test]
fn an_enrolled_device_issues_cargos_from_its_blocks_and_keeps_a_draft_when_none_is_left() {
    let (_d, s) = store();
    let ana = person(&s, "Quispe Mamani", "Ana", "45678912", "Logística");
    let cpu = s
        .asset_create(&input("740899500009", AssetKind::Cpu, "HP", "S9", None))
        .expect("cpu")
        .id;
    s.sync_mark_enrolled().expect("enrolled");
    let draft = s
        .assignment_create(&cargo(ana, &[], &[cpu]))
        .expect("draft");
    let before = s.outbox_stats().expect("stats").last_device_seq;
    let e = s.assignment_issue(draft.id).expect_err("no block");
    assert_eq!(e.code(), ErrorCode::SinNumeroDisponible);
    let msg = e.to_domain().message;
    assert!(
        msg.contains("cargos de asignación")
            && msg.contains("borrador")
            && msg.contains("próxima sincronización"),
        "{msg}"
    );
    assert_eq!(s.outbox_stats().expect("stats").last_device_seq, before);
    let still = s.assignment_get(draft.id).expect("get");
    assert_eq!(still.lifecycle.status, DocStatus::Borrador);
    assert_eq!(still.lifecycle.number, None);
    let year = chaski_core::time::lima_year(Utc::now());
    s.sync_add_block(&chaski_store::replication::BlockInput {
        block_id: uuid::Uuid::now_v7(),
        unit_code: "UT-CUSCO".into(),
        kind: "assignment".into(),
        year,
        first: 41,
        last: 50,
    })
    .expect("block");
    let issued = s.assignment_issue(draft.id).expect("issue");
    assert_eq!(issued.lifecycle.status, DocStatus::Emitido);
    assert_eq!(
        issued.lifecycle.number.map(|n| (n.year, n.seq)),
        Some((year, 41))
    );
    assert_eq!(
        s.block_numbers_left("UT-CUSCO", "assignment", year)
            .expect("left"),
        9
    );
}
