//! The Anexo 01 register of a period, streamed from a real SQLite file into an `.xlsx` and read
//! back with calamine: same rows, same values, dates as dates, a `=cmd` problem stays text.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chaski_core::attention::{Attention, AttentionFilter, AttentionInput, Page};
use chaski_core::catalog::{AttentionKind, Channel};
use chaski_core::person::NewPerson;
use chaski_core::stats::Period;
use chaski_core::status::AttentionStatus;
use chaski_core::time::lima_date;
use chaski_docs::sheet::{HEADER_ROW, XlsxBook, register_row, register_spec};
use chaski_docs::{AttentionRow, samples};
use chaski_store::{SetupInput, Store};
use chrono::{Duration, NaiveDate, Utc};

fn store(dir: &std::path::Path) -> Store {
    Store::create(
        dir.join("chaski.db"),
        &SetupInput {
            unit_code: "UT-CUSCO".into(),
            technician_last_names: "Huamán Ccori".into(),
            technician_first_names: "Rosa".into(),
            technician_dni: "41234567".into(),
        },
    )
    .expect("create")
}

fn row(i: u64, a: &Attention) -> AttentionRow {
    AttentionRow {
        number: u32::try_from(i).unwrap_or(u32::MAX),
        date: lima_date(a.received_at),
        site: a.unit_name.clone(),
        requester: a.requester_name.clone(),
        office: a.office_name.clone().unwrap_or_default(),
        problem: a.problem.clone(),
        solution: a.solution.clone().unwrap_or_default(),
        typology: a.category_name.clone(),
        status: match a.status {
            AttentionStatus::Pendiente => chaski_docs::AttentionStatus::Pending,
            AttentionStatus::EnProgreso => chaski_docs::AttentionStatus::InProgress,
            AttentionStatus::Atendido => chaski_docs::AttentionStatus::Attended,
        },
        technician: a.technician_name.clone(),
    }
}

fn export(s: &Store, period: Period) -> (u64, Vec<u8>, Vec<Attention>) {
    let mut meta = samples::register(0);
    meta.period_from = period.from;
    meta.period_to = period.to;
    let mut book = XlsxBook::new();
    let mut sheet = book.begin_sheet(&register_spec(&meta)).expect("sheet");
    let mut seen = Vec::new();
    let mut i = 0;
    let n = s
        .register_for_each(period, |a| {
            i += 1;
            sheet.push(&register_row(&row(i, a))).expect("row");
            seen.push(a.clone());
            Ok(())
        })
        .expect("stream");
    sheet.end().expect("end");
    (n, book.finish().expect("xlsx"), seen)
}

fn excel_day(d: &Data) -> Option<NaiveDate> {
    match d {
        Data::DateTime(x) if x.is_datetime() => NaiveDate::from_ymd_opt(1899, 12, 30)?
            .checked_add_signed(Duration::days(x.as_f64().floor() as i64)),
        _ => None,
    }
}

#[test]
fn the_register_of_a_period_reads_back_from_xlsx() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = store(dir.path());
    s.load_demo_data_sized(21, 400).expect("demo");
    let person = s
        .person_create(&NewPerson {
            last_names: "Quispe".into(),
            first_names: "Ana".into(),
            dni: Some("45678912".into()),
            phones: vec![],
            email: None,
            office: None,
        })
        .expect("person");
    s.attention_create(&AttentionInput {
        received_at: None,
        requester_id: person.id,
        office: Some("Logística".into()),
        channel: Channel::Telefono,
        kind: AttentionKind::Incidencia,
        service_code: "averia_hardware.impresoras".into(),
        priority: 3,
        problem: "=cmd|' /C calc'!A0".into(),
        solution: None,
        asset_code: None,
        technician_id: None,
    })
    .expect("attention");
    let today = lima_date(Utc::now());
    let period = Period::new(today - Duration::days(60), today).expect("period");
    let (n, bytes, seen) = export(&s, period);
    // Same rows as the list screen filtered by the same days.
    let listed = s
        .attentions_list(
            &AttentionFilter {
                from: Some(period.from),
                to: Some(period.to),
                ..Default::default()
            },
            Page {
                number: 1,
                size: 500,
            },
        )
        .expect("list");
    assert_eq!(n, listed.total);
    assert!(n > 30, "{n}");
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx");
    let v = wb.worksheet_range("Anexo 01").expect("sheet");
    let f = wb.worksheet_formula("Anexo 01").expect("formulas");
    assert!(f.used_cells().all(|(_, _, x)| x.is_empty()), "no formulas");
    let cell = |r: u32, c: u32| v.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    let mut saw_cmd = false;
    for (i, a) in seen.iter().enumerate() {
        let r = HEADER_ROW + 1 + i as u32;
        assert_eq!(cell(r, 0), Data::Float((i + 1) as f64));
        assert_eq!(excel_day(&cell(r, 1)), Some(lima_date(a.received_at)));
        assert_eq!(cell(r, 3), Data::String(a.requester_name.clone()));
        assert_eq!(cell(r, 5), Data::String(a.problem.clone()));
        assert_eq!(cell(r, 8), Data::String(row(0, a).status.label().into()));
        saw_cmd |= a.problem.starts_with("=cmd");
    }
    assert!(saw_cmd, "the injected problem is in the period");
    // In register order.
    assert!(
        seen.windows(2)
            .all(|w| w[0].received_at <= w[1].received_at)
    );
}

#[test]
fn an_empty_period_is_an_empty_register_and_a_reversed_one_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = store(dir.path());
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).expect("d");
    let (n, bytes, _) = export(&s, Period::new(d(2026, 3, 1), d(2026, 3, 31)).expect("p"));
    assert_eq!(n, 0);
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx");
    let v = wb.worksheet_range("Anexo 01").expect("sheet");
    assert_eq!(
        v.get_value((HEADER_ROW + 1, 0)).cloned(),
        Some(Data::String(
            "No hay atenciones registradas del 01/03/2026 al 31/03/2026.".into()
        ))
    );
    let e = s
        .register_for_each(
            Period {
                from: d(2026, 3, 2),
                to: d(2026, 3, 1),
            },
            |_| Ok(()),
        )
        .expect_err("reversed");
    assert_eq!(e.field(), Some("to"));
}
