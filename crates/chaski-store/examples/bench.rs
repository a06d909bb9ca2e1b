//! Store benchmark: 200,000 attentions on a real SQLite file.
//!
//! `cargo run --release -p chaski-store --example bench [-- N]`
//!
//! Measures (prints, never asserts):
//! - bulk insert rate through the real write path (validation, numbering, FTS triggers, outbox,
//!   field versions), in transactions of 5,000;
//! - p95 / p50 of the first page (50 rows, with total count) of filtered lists;
//! - p95 / p50 of the first page of a full-text search;
//! - time to open the file (integrity quick_check included) and its size.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use chaski_core::attention::{AttentionFilter, AttentionInput, Page};
use chaski_core::catalog::{AttentionKind, Channel};
use chaski_core::person::NewPerson;
use chaski_core::status::{AttentionStatus, Transition};
use chaski_store::{SetupInput, Store};
use chrono::{Duration as CDuration, Utc};

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const PROBLEMS: &[&str] = &[
    "La impresora multifuncional no imprime y muestra atasco de papel",
    "La computadora no enciende, parpadea la luz del botón",
    "Sin conexión a la red en el área, no hay internet",
    "Outlook no sincroniza los correos",
    "El usuario no puede ingresar al SIAF, contraseña incorrecta",
    "Instalar la nueva versión del SIGA",
    "El escáner no es reconocido por la computadora",
    "El token de firma digital no funciona en el SGD",
    "Pantalla azul al iniciar Windows",
    "Configurar la VPN para trabajo remoto",
    "Habilitar la sala de videoconferencia",
    "El antivirus detectó una amenaza en la memoria USB",
];
const WORDS: &[&str] = &[
    "logística",
    "tesorería",
    "almacén",
    "jefatura",
    "urgente",
    "contabilidad",
    "segundo piso",
    "módulo",
    "reunión",
    "supervisión",
    "planeamiento",
    "mesa de partes",
];
const SERVICES: &[&str] = &[
    "averia_hardware.impresoras",
    "averia_hardware.computadoras",
    "averia_hardware.red",
    "correo_electronico.office365",
    "acceso.siaf",
    "soporte_aplicaciones.siaf_melissa_siga",
    "averia_hardware.capturadores",
    "averia_hardware.criptografico",
    "averia_hardware.computadoras",
    "interconexion.vpn",
    "apoyo_asistencia.reuniones",
    "soporte_aplicaciones.antivirus",
];

/// CPU seconds (user + system) this process has used, from /proc (Linux); 0 elsewhere. The
/// machine the benchmark runs on may be busy with other work: CPU time shows what the store
/// itself costs.
fn cpu_secs() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    let Some(rest) = stat.rsplit(')').next() else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn pct(mut v: Vec<Duration>, p: f64) -> f64 {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i].as_secs_f64() * 1000.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let total: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    // CHASKI_BENCH_DIR keeps the file for inspection; otherwise a temporary directory.
    let dir = tempfile::tempdir()?;
    let base = std::env::var_os("CHASKI_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().to_path_buf());
    let path = base.join("bench.db");
    // CHASKI_BENCH_REUSE=1 measures the queries again on a file a previous run left there.
    if std::env::var_os("CHASKI_BENCH_REUSE").is_some() && path.exists() {
        let store = Store::open(&path)?;
        queries(&store)?;
        drop(store);
        return reopen(&path);
    }
    let _ = std::fs::remove_file(&path);
    let store = Store::create(
        &path,
        &SetupInput {
            unit_code: "UT-CUSCO".into(),
            technician_last_names: "Huamán Ccori".into(),
            technician_first_names: "Rosa".into(),
            technician_dni: "41234567".into(),
        },
    )?;
    // The demo data set (what a newcomer loads) gives people, offices and three technicians.
    let t = Instant::now();
    let demo = store.load_demo_data(1)?;
    println!(
        "demo data: {} attentions, {} people in {:.2} s",
        demo.attentions,
        demo.persons,
        t.elapsed().as_secs_f64()
    );
    let people: Vec<_> = store
        .persons_search("", 100)?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let techs: Vec<_> = store
        .technicians_list()?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let extra = store.person_create(&NewPerson {
        last_names: "Benchmark".into(),
        first_names: "Persona".into(),
        ..Default::default()
    })?;
    let mut people = people;
    people.push(extra.id);

    let mut rng = Rng(42);
    let now = Utc::now();
    let kinds = AttentionKind::ALL;
    let channels = Channel::ALL;
    let batch = 5_000u32;
    let started = Instant::now();
    let cpu0 = cpu_secs();
    let mut done = 0u32;
    while done < total {
        let n = batch.min(total - done);
        let inputs: Vec<AttentionInput> = (0..n)
            .map(|k| {
                let done = done + k;
                let i = rng.below(PROBLEMS.len() as u64) as usize;
                // A register fills up over time: reception times advance through the last
                // year (with jitter), as they do when attentions are logged as they come.
                let step = 365 * 24 * 60 * u64::from(total - done) / u64::from(total);
                let back = CDuration::minutes((step + rng.below(240)) as i64);
                AttentionInput {
                    received_at: Some(now - back),
                    requester_id: people[rng.below(people.len() as u64) as usize],
                    office: None,
                    channel: channels[rng.below(channels.len() as u64) as usize],
                    kind: kinds[rng.below(kinds.len() as u64) as usize],
                    service_code: SERVICES[i].into(),
                    priority: 1 + rng.below(4) as u8,
                    problem: format!(
                        "{} ({}, caso {})",
                        PROBLEMS[i],
                        WORDS[rng.below(WORDS.len() as u64) as usize],
                        rng.below(100_000)
                    ),
                    solution: None,
                    asset_code: None,
                    technician_id: Some(techs[rng.below(techs.len() as u64) as usize]),
                }
            })
            .collect();
        store.attentions_create_many(&inputs)?;
        done += n;
    }
    let insert_secs = started.elapsed().as_secs_f64();
    let insert_cpu = cpu_secs() - cpu0;
    println!(
        "bulk insert: {total} attentions in {insert_secs:.1} s wall = {:.0} attentions/s; {insert_cpu:.1} s CPU = {:.0} attentions/CPU-s (real write path, outbox + field versions, batches of {batch})",
        f64::from(total) / insert_secs,
        f64::from(total) / insert_cpu.max(0.01)
    );
    let stats = store.outbox_stats()?;
    println!(
        "outbox: {} changes, last device_seq {}",
        stats.pending, stats.last_device_seq
    );

    // Move a share of them along the status machine so status filters mean something.
    let t = Instant::now();
    let pending = AttentionFilter {
        statuses: vec![AttentionStatus::Pendiente],
        ..Default::default()
    };
    let page = store.attentions_list(
        &pending,
        Page {
            number: 1,
            size: 500,
        },
    )?;
    let mut moved = 0;
    for (i, a) in page.items.iter().enumerate() {
        store.attention_transition(a.id, &Transition::Start)?;
        if i % 2 == 0 {
            store.attention_transition(
                a.id,
                &Transition::Resolve {
                    solution: Some("Se reinstaló el controlador de la impresora".into()),
                },
            )?;
        }
        moved += 1;
    }
    println!(
        "single-command writes: {moved} transitions in {:.2} s ({:.2} ms each, one transaction per command)",
        t.elapsed().as_secs_f64(),
        t.elapsed().as_secs_f64() * 1000.0 / f64::from(moved * 3 / 2)
    );

    queries(&store)?;
    drop(store);
    reopen(&path)
}

fn queries(store: &Store) -> Result<(), Box<dyn std::error::Error>> {
    let now = Utc::now();
    let techs: Vec<_> = store
        .technicians_list()?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let day = |d: i64| (now - CDuration::days(d)).date_naive();
    let filters: Vec<(&str, AttentionFilter)> = vec![
        ("sin filtro", AttentionFilter::default()),
        (
            "estado en progreso",
            AttentionFilter {
                statuses: vec![AttentionStatus::EnProgreso],
                ..Default::default()
            },
        ),
        (
            "estado pendiente",
            AttentionFilter {
                statuses: vec![AttentionStatus::Pendiente],
                ..Default::default()
            },
        ),
        (
            "prioridad 1",
            AttentionFilter {
                priority: Some(1),
                ..Default::default()
            },
        ),
        (
            "tipo + técnico",
            AttentionFilter {
                kind: Some(AttentionKind::Incidencia),
                technician_id: Some(techs[1]),
                ..Default::default()
            },
        ),
        (
            "servicio",
            AttentionFilter {
                service_code: Some("interconexion.vpn".into()),
                ..Default::default()
            },
        ),
        (
            "rango de fechas (30 días)",
            AttentionFilter {
                from: Some(day(60)),
                to: Some(day(30)),
                ..Default::default()
            },
        ),
        (
            "pendiente + prioridad 2 + fechas",
            AttentionFilter {
                statuses: vec![AttentionStatus::Pendiente],
                priority: Some(2),
                from: Some(day(200)),
                to: Some(day(100)),
                ..Default::default()
            },
        ),
    ];
    let runs = 60;
    let mut all_lists = Vec::new();
    for (name, f) in &filters {
        let mut times = Vec::new();
        let mut total_rows = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let p = store.attentions_list(f, Page::default())?;
            times.push(t.elapsed());
            total_rows = p.total;
        }
        println!(
            "list first page [{name}] ({total_rows} match): p50 {:.2} ms, p95 {:.2} ms",
            pct(times.clone(), 0.5),
            pct(times.clone(), 0.95)
        );
        all_lists.extend(times);
    }
    println!(
        "LIST first page, all filters: p95 {:.2} ms",
        pct(all_lists, 0.95)
    );
    let searches = [
        "impresion",
        "impresora atasco",
        "contrasena siaf",
        "videoconferencia",
        "tesoreria",
        "token firma",
        "controlador",
        "caso 4242",
    ];
    let mut all_fts = Vec::new();
    for q in searches {
        let f = AttentionFilter {
            text: Some(q.into()),
            ..Default::default()
        };
        let mut times = Vec::new();
        let mut total_rows = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let p = store.attentions_list(&f, Page::default())?;
            times.push(t.elapsed());
            total_rows = p.total;
        }
        println!(
            "FTS first page [{q}] ({total_rows} match): p50 {:.2} ms, p95 {:.2} ms",
            pct(times.clone(), 0.5),
            pct(times.clone(), 0.95)
        );
        all_fts.extend(times);
    }
    println!(
        "FTS first page, all queries: p95 {:.2} ms",
        pct(all_fts, 0.95)
    );
    let t = Instant::now();
    let found = store.persons_search("quispe", 20)?;
    println!(
        "person search as you type: {} found in {:.2} ms",
        found.len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}

/// Opens the file again (the first store closed): integrity check, version, lock.
fn reopen(path: &std::path::Path) -> Result<(), Box<dyn std::error::Error>> {
    let size = std::fs::metadata(path)?.len();
    let t = Instant::now();
    let store = Store::open(path)?;
    println!(
        "open (quick_check + checks) of {:.0} MB file: {:.0} ms",
        size as f64 / 1e6,
        t.elapsed().as_secs_f64() * 1000.0
    );
    drop(store);
    Ok(())
}
