//! Asset register benchmark. Measures; asserts nothing.
//!
//! 1. Import of a 20,000-row SBN inventory `.xlsx` (made here with rust_xlsxwriter): preview
//!    and apply times, and peak memory of the import alone (VmHWM from /proc/self/status,
//!    after resetting the peak with /proc/self/clear_refs).
//! 2. Grow the register to 100,000 assets (a second import, CSV), then the first page of
//!    filtered lists and of searches by code, serial, brand and custodian: p50 / p95 / max.
//!
//! `cargo run --release -p chaski-store --example assets_bench`
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use chaski_core::asset::{AssetCondition, AssetKind, AssetStatus, Operability};
use chaski_core::attention::Page;
use chaski_store::assets::AssetFilter;
use chaski_store::inventory_import::{FileKind, ImportProgress};
use chaski_store::{SetupInput, Store};
use rust_xlsxwriter::Workbook;

const HEADER: [&str; 15] = [
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
];

const DENOMS: [(&str, &str); 16] = [
    ("74089950", "UNIDAD CENTRAL DE PROCESO - CPU"),
    ("74087737", "MONITOR A COLOR"),
    ("74089500", "COMPUTADORA PORTATIL"),
    ("74088187", "IMPRESORA LASER"),
    ("74083650", "ESCANER"),
    ("74089000", "TECLADO - KEYBOARD"),
    ("74087200", "MOUSE"),
    ("95228117", "TELEFONO IP"),
    ("74089951", "UNIDAD CENTRAL DE PROCESO - CPU"),
    ("74087738", "MONITOR PLANO"),
    ("74088188", "IMPRESORA MULTIFUNCIONAL"),
    ("74084400", "SWITCH PARA RED"),
    ("74080500", "ESTABILIZADOR"),
    ("74086100", "PROYECTOR MULTIMEDIA"),
    ("46225215", "LECTOR BIOMETRICO"),
    ("74089952", "SERVIDOR"),
];
const BRANDS: [&str; 10] = [
    "HP", "LENOVO", "DELL", "LG", "SAMSUNG", "EPSON", "KYOCERA", "LOGITECH", "CISCO", "ACER",
];
const SITES: [&str; 5] = [
    "SEDE CUSCO",
    "SEDE SICUANI",
    "SEDE QUILLABAMBA",
    "SEDE ESPINAR",
    "ALMACEN CENTRAL",
];
const LAST: [&str; 12] = [
    "QUISPE", "MAMANI", "HUAMAN", "CONDORI", "FLORES", "ROJAS", "NÚÑEZ", "PEÑA", "CCORI", "TTITO",
    "CHOQUE", "APAZA",
];
const FIRST: [&str; 10] = [
    "ANA", "LUIS", "ROSA", "JOSÉ", "MARÍA", "JUAN", "CARMEN", "PEDRO", "LUZ", "MIGUEL",
];

/// Row `i` of the inventory: deterministic, varied.
fn row(i: usize) -> [String; 15] {
    let (cat, denom) = DENOMS[i % DENOMS.len()];
    let brand = BRANDS[(i / 3) % BRANDS.len()];
    let site = SITES[(i / 7) % SITES.len()];
    let person = (i * 7919) % 5000;
    let warehouse = i % 10 < 3;
    let state = ["B", "B", "B", "R", "N", "M", "X"][i % 7];
    let (dni, p, m, n) = if warehouse {
        (String::new(), "", "", "")
    } else {
        (
            format!("4{:07}", person),
            LAST[person % LAST.len()],
            LAST[(person / 12) % LAST.len()],
            FIRST[(person / 5) % FIRST.len()],
        )
    };
    [
        format!("{cat}{:04}", i % 10_000),
        denom.to_string(),
        brand.to_string(),
        format!("M-{}", i % 97),
        String::new(),
        "NEGRO".into(),
        format!(
            "SN{:08X}",
            (i as u64).wrapping_mul(2_654_435_761) & 0xffff_ffff
        ),
        state.into(),
        site.into(),
        format!("ÁREA {}", i % 30),
        format!("OFICINA {}", i % 60),
        dni,
        p.into(),
        m.into(),
        n.into(),
    ]
}

/// Codes must be unique: row i uses catalog DENOMS[i % 16] and correlative i / 16
/// (100,000 rows need 6,250 correlatives per catalog).
fn fix_code(r: &mut [String; 15], i: usize) {
    let (cat, _) = DENOMS[i % DENOMS.len()];
    r[0] = format!("{cat}{:04}", (i / DENOMS.len()) % 10_000);
}

fn xlsx(range: std::ops::Range<usize>) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).expect("header");
    }
    for (n, i) in range.enumerate() {
        let mut r = row(i);
        fix_code(&mut r, i);
        for (c, v) in r.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(n as u32 + 1, c as u16, v).expect("cell");
            }
        }
    }
    wb.save_to_buffer().expect("xlsx")
}

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn vm_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// CPU time of this process (user + system), from /proc/self/stat, in ms. The machine may be
/// shared: wall time alone would mostly measure the other processes.
fn cpu_ms() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1.split_whitespace().collect::<Vec<_>>();
            let u: f64 = rest.get(11)?.parse().ok()?;
            let k: f64 = rest.get(12)?.parse().ok()?;
            Some((u + k) * 10.0)
        })
        .unwrap_or(0.0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn measure(name: &str, store: &Store, filter: &AssetFilter, runs: usize) {
    let mut times = Vec::with_capacity(runs);
    let mut n = 0;
    let mut total = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let page = store
            .assets_list(
                filter,
                Page {
                    number: 1,
                    size: 50,
                },
            )
            .expect("list");
        times.push(t.elapsed());
        n = page.items.len();
        total = page.total;
    }
    times.sort();
    let p = |q: f64| {
        ms(times[((times.len() as f64 * q).ceil() as usize)
            .saturating_sub(1)
            .min(times.len() - 1)])
    };
    println!(
        "  {name:<44} rows {n:>3} (total {total:>6})  p50 {:>6.2} ms  p95 {:>6.2} ms  max {:>6.2} ms",
        p(0.5),
        p(0.95),
        ms(*times.last().expect("runs"))
    );
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    // ASSETS_BENCH_DB=/path/x.db keeps the database for EXPLAIN QUERY PLAN.
    let path = std::env::var_os("ASSETS_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("bench.db"));
    let store = Store::create(
        path,
        &SetupInput {
            unit_code: "UT-CUSCO".into(),
            technician_last_names: "Huamán Ccori".into(),
            technician_first_names: "Rosa".into(),
            technician_dni: "41234567".into(),
        },
    )
    .expect("create");

    // 1. The 20,000-row xlsx.
    let t = Instant::now();
    let bytes = xlsx(0..20_000);
    println!(
        "fixture: 20,000-row xlsx, {:.1} MiB, made in {:.0} ms",
        bytes.len() as f64 / 1_048_576.0,
        ms(t.elapsed())
    );
    let _ = std::fs::write("/proc/self/clear_refs", "5"); // reset VmHWM to the current RSS
    let rss0 = vm_rss_kib();
    let mut updates = 0u32;
    let mut progress = |_: ImportProgress| updates += 1;
    let t = Instant::now();
    let cpu0 = cpu_ms();
    let plan = store
        .inventory_preview(&bytes, FileKind::Xlsx, &mut progress)
        .expect("preview");
    let preview = t.elapsed();
    assert!(
        plan.preview.errors.is_empty(),
        "{:?}",
        &plan.preview.errors[..1]
    );
    let t = Instant::now();
    let sum = store.inventory_apply(&plan, &mut progress).expect("apply");
    let apply = t.elapsed();
    let cpu = cpu_ms() - cpu0;
    let hwm = vm_hwm_kib();
    println!(
        "  CPU time of the import (user + system): {:.2} s",
        cpu / 1000.0
    );
    println!(
        "import 20,000 rows (xlsx): preview {:.0} ms + apply {:.0} ms = {:.2} s; {} assets, {} persons created; {} progress callbacks",
        ms(preview),
        ms(apply),
        (preview + apply).as_secs_f64(),
        sum.created,
        sum.persons_created,
        updates
    );
    println!(
        "  peak memory (VmHWM) during import: {:.0} MiB (RSS before: {:.0} MiB, +{:.0} MiB)",
        hwm as f64 / 1024.0,
        rss0 as f64 / 1024.0,
        hwm.saturating_sub(rss0) as f64 / 1024.0
    );
    drop(plan);

    // 2. Grow to 100,000 assets with a CSV import (rows 20,000–99,999: codes stay unique).
    let mut csv = HEADER.join(",");
    csv.push('\n');
    for i in 0..80_000 {
        let mut r = row(i + 20_000);
        fix_code(&mut r, i + 20_000);
        csv.push_str(&r.join(","));
        csv.push('\n');
    }
    let t = Instant::now();
    let plan = store
        .inventory_preview(csv.as_bytes(), FileKind::Csv, &mut |_| {})
        .expect("preview csv");
    assert!(
        plan.preview.errors.is_empty(),
        "{:?}",
        &plan.preview.errors[..1]
    );
    let sum = store
        .inventory_apply(&plan, &mut |_| {})
        .expect("apply csv");
    println!(
        "import 80,000 more rows (csv): {:.2} s, {} created",
        t.elapsed().as_secs_f64(),
        sum.created
    );
    let custodian = store
        .assets_list(
            &AssetFilter {
                q: Some("40004595".into()),
                ..Default::default()
            },
            Page { number: 1, size: 1 },
        )
        .expect("one")
        .items
        .first()
        .and_then(|a| a.custodian_id);

    println!("first page (50 rows) of the asset list, 100,000 assets, 200 runs each:");
    let runs = 200;
    let f = |f: AssetFilter| f;
    measure("no filter", &store, &AssetFilter::default(), runs);
    measure(
        "kind = CPU",
        &store,
        &f(AssetFilter {
            kind: Some(AssetKind::Cpu),
            ..Default::default()
        }),
        runs,
    );
    measure(
        "site = SEDE ESPINAR",
        &store,
        &f(AssetFilter {
            site: Some("SEDE ESPINAR".into()),
            ..Default::default()
        }),
        runs,
    );
    measure(
        "custodian = one person",
        &store,
        &f(AssetFilter {
            custodian_id: custodian,
            ..Default::default()
        }),
        runs,
    );
    measure(
        "condition = X (muy malo)",
        &store,
        &f(AssetFilter {
            condition: Some(AssetCondition::MuyMalo),
            ..Default::default()
        }),
        runs,
    );
    measure(
        "operability = inoperativo (none)",
        &store,
        &f(AssetFilter {
            operability: Some(Operability::Inoperativo),
            ..Default::default()
        }),
        runs,
    );
    measure(
        "in warehouse",
        &store,
        &f(AssetFilter {
            in_warehouse: Some(true),
            ..Default::default()
        }),
        runs,
    );
    measure(
        "kind = monitor + site + condition B",
        &store,
        &f(AssetFilter {
            kind: Some(AssetKind::Monitor),
            site: Some("SEDE CUSCO".into()),
            condition: Some(AssetCondition::Bueno),
            status: Some(AssetStatus::EnUso),
            ..Default::default()
        }),
        runs,
    );
    for (name, q) in [
        ("search code prefix 74089950", "74089950"),
        ("search full code", "740877370123"),
        ("search serial substring", "9E3779B"),
        ("search brand LENOVO", "lenovo"),
        ("search brand HP (2 letters)", "hp"),
        ("search custodian surname nunez", "nunez"),
        ("search custodian DNI", "40004595"),
        ("search no match", "zzzzqqq"),
    ] {
        measure(
            name,
            &store,
            &f(AssetFilter {
                q: Some(q.into()),
                ..Default::default()
            }),
            runs,
        );
    }
    measure(
        "search lenovo + kind CPU",
        &store,
        &f(AssetFilter {
            q: Some("lenovo".into()),
            kind: Some(AssetKind::Cpu),
            ..Default::default()
        }),
        runs,
    );
}
