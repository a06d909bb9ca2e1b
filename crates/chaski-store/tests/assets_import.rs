//! Inventory import (SBN/SINABIP layout) on real SQLite files, with fixtures made here:
//! xlsx through rust_xlsxwriter, CSV bytes in UTF-8 and Windows-1252.

use chaski_core::ErrorCode;
use chaski_core::asset::{AssetEventKind, AssetStatus, fold};
use chaski_core::attention::Page;
use chaski_core::person::NewPerson;
use chaski_store::assets::AssetFilter;
use chaski_store::inventory_import::{FileKind, ImportPhase, ImportProgress};
use chaski_store::{SetupInput, Store};
use rust_xlsxwriter::Workbook;

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

const HEADER: [&str; 16] = [
    "CODIGO_PATRIMONIAL",
    "DENOMINACION_BIEN",
    "MARCA",
    "MODELO",
    "TIPO",
    "COLOR",
    "SERIE",
    "ESTADO_BIEN",
    "NOMBRE_LOCAL",
    "NOMBRE_AREA",
    "NOMBRE_OFICINA",
    "NRO_DOC_IDENT_PERSONAL",
    "APELLIDO_PATERNO",
    "APELLIDO_MATERNO",
    "NOMBRES",
    "VALOR_LIBROS",
];

fn row(
    code: &str,
    denom: &str,
    brand: &str,
    serial: &str,
    state: &str,
    dni: &str,
    names: [&str; 3],
) -> Vec<String> {
    [
        code,
        denom,
        brand,
        "M1",
        "",
        "NEGRO",
        serial,
        state,
        "SEDE CUSCO",
        "OTI",
        "Soporte",
        dni,
        names[0],
        names[1],
        names[2],
        "1500.00",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// An xlsx like the SBN export: two title rows, the header on row 3 (columns renamed with
/// accents and spaces, reordered), data below. Cells that look numeric are written as numbers,
/// as Excel does.
fn xlsx(rows: &[Vec<String>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "INVENTARIO DE BIENES MUEBLES 2025")
        .expect("title");
    // Reorder: swap the first two columns, and spell some headers differently.
    let order: Vec<usize> = (0..HEADER.len())
        .map(|i| match i {
            0 => 1,
            1 => 0,
            i => i,
        })
        .collect();
    for (c, &i) in order.iter().enumerate() {
        let h = match HEADER[i] {
            "CODIGO_PATRIMONIAL" => "Código Patrimonial",
            "DENOMINACION_BIEN" => "denominación_bien",
            "ESTADO_BIEN" => " Estado Bien ",
            other => other,
        };
        ws.write_string(2, u16::try_from(c).expect("col"), h)
            .expect("header");
    }
    for (r, cells) in rows.iter().enumerate() {
        let r = u32::try_from(r).expect("row") + 3;
        for (c, &i) in order.iter().enumerate() {
            let v = &cells[i];
            let c = u16::try_from(c).expect("col");
            if v.is_empty() {
                continue;
            }
            match v.parse::<f64>() {
                Ok(n) if !v.starts_with('0') => ws.write_number(r, c, n).expect("number"),
                _ => ws.write_string(r, c, v).expect("string"),
            };
        }
    }
    wb.save_to_buffer().expect("xlsx")
}

fn csv_text(rows: &[Vec<String>], sep: &str) -> String {
    let mut out = HEADER.join(sep);
    out.push_str("\r\n");
    for r in rows {
        out.push_str(&r.join(sep));
        out.push_str("\r\n");
    }
    out
}

fn no_progress() -> impl FnMut(ImportProgress) {
    |_| {}
}

fn seq(s: &Store) -> u64 {
    s.outbox_stats().expect("stats").last_device_seq
}

fn all_assets(s: &Store) -> Vec<chaski_core::asset::Asset> {
    s.assets_list(
        &AssetFilter::default(),
        Page {
            number: 1,
            size: 500,
        },
    )
    .expect("list")
    .items
}

fn assert_tables_match_history(s: &Store) {
    for a in all_assets(s) {
        let replayed = fold(&s.asset_events(a.id).expect("events"));
        assert_eq!(
            (
                replayed.custodian_id,
                replayed.site.clone(),
                replayed.office.clone(),
                replayed.status
            ),
            (a.custodian_id, a.site.clone(), a.office.clone(), a.status),
            "{}",
            a.code
        );
    }
}

#[test]
fn xlsx_preview_writes_nothing_then_apply_links_and_creates_custodians() {
    let (_d, s) = store();
    let known = s
        .person_create(&NewPerson {
            last_names: "Quispe Mamani".into(),
            first_names: "Ana".into(),
            dni: Some("45678912".into()),
            phones: vec![],
            email: None,
            office: None,
        })
        .expect("person")
        .id;
    let mut rows = vec![
        row(
            "740899500001",
            "UNIDAD CENTRAL DE PROCESO - CPU",
            "LENOVO",
            "PC0AB1",
            "B",
            "45678912",
            ["QUISPE", "MAMANI", "ANA"],
        ),
        row(
            "740877370002",
            "MONITOR A COLOR",
            "LG",
            "MN77",
            "R",
            "40001234",
            ["NÚÑEZ", "PEÑA", "JOSÉ"],
        ),
        row(
            "740895000003",
            "IMPRESORA LASER",
            "HP",
            "IMP3",
            "N",
            "",
            ["", "", ""],
        ),
        vec![String::new(); HEADER.len()],
        row(
            "740899500004",
            "COMPUTADORA PORTATIL",
            "DELL",
            "LT4",
            "Bueno",
            "40001234",
            ["NÚÑEZ", "PEÑA", "JOSÉ"],
        ),
    ];
    let bytes = xlsx(&rows);
    let before = seq(&s);
    let mut seen = Vec::new();
    let plan = s
        .inventory_preview(&bytes, FileKind::Xlsx, &mut |p| seen.push(p))
        .expect("preview");
    let p = &plan.preview;
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.header_row, 3);
    assert_eq!((p.rows, p.empty_rows), (4, 1));
    assert_eq!(
        (
            p.new_assets,
            p.changed_assets,
            p.unchanged_assets,
            p.new_persons
        ),
        (4, 0, 0, 1)
    );
    assert_eq!(p.columns_used.len(), 15);
    assert_eq!(p.columns_ignored, ["VALOR_LIBROS"]);
    assert_eq!(p.sheet.as_deref(), Some("Sheet1"));
    assert!(
        seen.last()
            .is_some_and(|l| l.phase == ImportPhase::Revision && l.done == l.total)
    );
    assert_eq!(seq(&s), before, "the preview wrote nothing");
    assert!(all_assets(&s).is_empty());

    let mut seen = Vec::new();
    let sum = s
        .inventory_apply(&plan, &mut |p| seen.push(p))
        .expect("apply");
    assert_eq!(
        (sum.created, sum.updated, sum.unchanged, sum.persons_created),
        (4, 0, 0, 1)
    );
    assert!(
        seen.last()
            .is_some_and(|l| l.phase == ImportPhase::Escritura && l.done == 4 && l.total == 4)
    );
    let cpu = s.asset_by_code("740899500001").expect("cpu");
    assert_eq!(cpu.custodian_id, Some(known), "linked by DNI");
    assert_eq!(cpu.kind.code(), "cpu");
    assert_eq!(cpu.office.as_deref(), Some("Soporte"));
    assert_eq!(cpu.site.as_deref(), Some("SEDE CUSCO"));
    let mon = s.asset_by_code("740877370002").expect("monitor");
    assert_eq!(
        mon.custodian_name.as_deref(),
        Some("NÚÑEZ PEÑA, JOSÉ"),
        "created from the sheet"
    );
    let lt = s.asset_by_code("740899500004").expect("laptop");
    assert_eq!(lt.custodian_id, mon.custodian_id, "same DNI, one person");
    assert_eq!(lt.kind.code(), "laptop");
    let imp = s.asset_by_code("740895000003").expect("printer");
    assert_eq!(
        (imp.status, imp.custodian_id),
        (AssetStatus::EnAlmacen, None)
    );
    let ev = s.asset_events(cpu.id).expect("events");
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].kind, AssetEventKind::Inventario);
    assert!(seq(&s) > before, "written through the outbox");
    assert_tables_match_history(&s);

    // The same file again: all unchanged, nothing written.
    let again = s
        .inventory_preview(&bytes, FileKind::Xlsx, &mut no_progress())
        .expect("again");
    assert_eq!(
        (
            again.preview.new_assets,
            again.preview.changed_assets,
            again.preview.unchanged_assets
        ),
        (0, 0, 4)
    );
    let at = seq(&s);
    let sum = s
        .inventory_apply(&again, &mut no_progress())
        .expect("apply again");
    assert_eq!(sum.unchanged, 4);
    assert_eq!(seq(&s), at, "unchanged rows write nothing");

    // One asset changes brand, another changes custodian.
    rows[0][2] = "LENOVO THINKCENTRE".into();
    rows[2][11] = "45678912".into();
    rows[2][12] = "QUISPE".into();
    rows[2][14] = "ANA".into();
    let plan = s
        .inventory_preview(&xlsx(&rows), FileKind::Xlsx, &mut no_progress())
        .expect("changed");
    assert_eq!(
        (
            plan.preview.new_assets,
            plan.preview.changed_assets,
            plan.preview.unchanged_assets
        ),
        (0, 2, 2)
    );
    s.inventory_apply(&plan, &mut no_progress())
        .expect("apply changed");
    assert_eq!(
        s.asset_by_code("740899500001")
            .expect("cpu")
            .brand
            .as_deref(),
        Some("LENOVO THINKCENTRE")
    );
    let imp = s.asset_by_code("740895000003").expect("printer");
    assert_eq!(
        (imp.custodian_id, imp.status),
        (Some(known), AssetStatus::EnUso)
    );
    assert_eq!(s.asset_events(imp.id).expect("events").len(), 2);
    assert_tables_match_history(&s);
}

#[test]
fn csv_in_windows_1252_keeps_the_accents() {
    let (_d, s) = store();
    let rows = vec![
        row(
            "740877370002",
            "MONITOR A COLOR",
            "LG",
            "MN77",
            "X",
            "40001234",
            ["NÚÑEZ", "PEÑA", "JOSÉ"],
        ),
        row(
            "740899500001",
            "UNIDAD CENTRAL DE PROCESO - CPU",
            "LENOVO",
            "S1",
            "M",
            "",
            ["", "", ""],
        ),
    ];
    let text = csv_text(&rows, ";").replace("DENOMINACION_BIEN", "DENOMINACIÓN_BIEN");
    let (bytes, _, lossy) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!lossy);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    let plan = s
        .inventory_preview(&bytes, FileKind::Csv, &mut no_progress())
        .expect("preview");
    assert_eq!(plan.preview.encoding.as_deref(), Some("Windows-1252"));
    assert!(plan.preview.errors.is_empty(), "{:?}", plan.preview.errors);
    assert_eq!(plan.preview.new_assets, 2);
    s.inventory_apply(&plan, &mut no_progress()).expect("apply");
    let mon = s.asset_by_code("740877370002").expect("monitor");
    assert_eq!(mon.custodian_name.as_deref(), Some("NÚÑEZ PEÑA, JOSÉ"));
    assert_eq!(mon.condition.code(), "X");
    let hits = s
        .assets_list(
            &AssetFilter {
                q: Some("nunez".into()),
                ..Default::default()
            },
            Page {
                number: 1,
                size: 10,
            },
        )
        .expect("search");
    assert_eq!(hits.items.len(), 1, "custodian found without accents");

    // The same data in UTF-8 with a BOM and commas reads the same.
    let utf8 = format!("\u{feff}{}", csv_text(&rows, ","));
    let plan = s
        .inventory_preview(utf8.as_bytes(), FileKind::Csv, &mut no_progress())
        .expect("utf-8");
    assert_eq!(plan.preview.encoding.as_deref(), Some("UTF-8"));
    assert_eq!(plan.preview.unchanged_assets, 2);
}

#[test]
fn every_row_error_is_reported_in_spanish_with_row_and_column() {
    let (_d, s) = store();
    let rows = vec![
        row("740899500001", "CPU", "HP", "A", "B", "", ["", "", ""]),
        row("74089950002", "CPU", "HP", "B", "B", "", ["", "", ""]),
        vec![String::new(); HEADER.len()],
        row("740899500001", "CPU", "HP", "C", "B", "", ["", "", ""]),
        row(
            "740899500005",
            "",
            "HP",
            "D",
            "Z",
            "1234567",
            ["ROJAS", "", "LUIS"],
        ),
        row(
            "740899500006",
            "CPU",
            "HP",
            "E",
            "B",
            "",
            ["ROJAS", "", "LUIS"],
        ),
        row(
            "740899500007",
            "CPU",
            "HP",
            "F",
            "B",
            "40009999",
            ["", "", ""],
        ),
    ];
    let text = csv_text(&rows, ",");
    let before = seq(&s);
    let plan = s
        .inventory_preview(text.as_bytes(), FileKind::Csv, &mut no_progress())
        .expect("preview");
    let p = &plan.preview;
    assert!(!p.can_apply());
    assert_eq!(p.empty_rows, 1);
    let got: Vec<(u32, Option<&str>)> = p
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_deref()))
        .collect();
    assert_eq!(
        got,
        [
            (3, Some("CODIGO_PATRIMONIAL")),
            (5, Some("CODIGO_PATRIMONIAL")),
            (6, Some("DENOMINACION_BIEN")),
            (6, Some("ESTADO_BIEN")),
            (6, Some("NRO_DOC_IDENT_PERSONAL")),
            (7, Some("NRO_DOC_IDENT_PERSONAL")),
            (8, Some("NOMBRES")),
        ]
    );
    let msg = |i: usize| p.errors[i].message.as_str();
    assert!(
        msg(0).contains("tiene 11 dígitos y debe tener 12"),
        "{}",
        msg(0)
    );
    assert!(
        msg(1).contains("repetido") && msg(1).contains("fila 2"),
        "{}",
        msg(1)
    );
    assert!(msg(3).contains("«Z»"), "{}", msg(3));
    assert!(
        msg(4).contains("8 dígitos") && msg(4).contains("cero a la izquierda"),
        "{}",
        msg(4)
    );
    assert!(msg(6).contains("40009999"), "{}", msg(6));
    let e = s
        .inventory_apply(&plan, &mut no_progress())
        .expect_err("refused");
    assert_eq!(e.code(), ErrorCode::ImportacionConErrores);
    assert!(
        e.to_domain().message.contains("no se guardó nada"),
        "{}",
        e.to_domain().message
    );
    assert_eq!(seq(&s), before);
    assert!(all_assets(&s).is_empty());
}

#[test]
fn one_bad_row_among_a_thousand_writes_nothing() {
    let (_d, s) = store();
    let mut rows: Vec<Vec<String>> = (1..=1000)
        .map(|i| {
            row(
                &format!("74089950{i:04}"),
                "UNIDAD CENTRAL DE PROCESO - CPU",
                "HP",
                &format!("SN{i}"),
                "B",
                "",
                ["", "", ""],
            )
        })
        .collect();
    rows[637][0] = "74089950063".into();
    let bytes = xlsx(&rows);
    let before = seq(&s);
    let plan = s
        .inventory_preview(&bytes, FileKind::Xlsx, &mut no_progress())
        .expect("preview");
    assert_eq!(plan.preview.errors.len(), 1);
    assert_eq!(
        plan.preview.errors[0].row, 641,
        "row as Excel shows it: 3 title/header rows + 638"
    );
    assert_eq!(plan.preview.new_assets, 999);
    let e = s
        .inventory_apply(&plan, &mut no_progress())
        .expect_err("all or nothing");
    assert_eq!(e.code(), ErrorCode::ImportacionConErrores);
    assert_eq!(seq(&s), before);
    assert!(all_assets(&s).is_empty());
    // Corrected, the whole file goes in.
    rows[637][0] = "740899500638".into();
    let plan = s
        .inventory_preview(&xlsx(&rows), FileKind::Xlsx, &mut no_progress())
        .expect("fixed");
    assert_eq!(
        s.inventory_apply(&plan, &mut no_progress())
            .expect("apply")
            .created,
        1000
    );
    let page = s
        .assets_list(
            &AssetFilter::default(),
            Page {
                number: 1,
                size: 10,
            },
        )
        .expect("list");
    assert_eq!(page.total, 1000);
}

#[test]
fn a_file_without_the_sbn_header_is_refused() {
    let (_d, s) = store();
    let e = s
        .inventory_preview(
            b"nombre,apellido\nana,quispe\n",
            FileKind::Csv,
            &mut no_progress(),
        )
        .expect_err("no header");
    assert_eq!(e.code(), ErrorCode::ImportacionConErrores);
    assert!(e.to_domain().message.contains("CODIGO_PATRIMONIAL"));
    let e = s
        .inventory_preview(b"not a zip", FileKind::Xlsx, &mut no_progress())
        .expect_err("not xlsx");
    assert_eq!(e.code(), ErrorCode::ValorInvalido);
    let e = s
        .inventory_preview(
            b"CODIGO_PATRIMONIAL,MARCA\n740899500001,HP\n",
            FileKind::Csv,
            &mut no_progress(),
        )
        .expect_err("no denomination column");
    assert!(e.to_domain().message.contains("DENOMINACION_BIEN"));
}
