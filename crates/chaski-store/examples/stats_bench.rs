//! Statistics benchmark: the Estadísticas figures on 200,000 attentions in a real SQLite file.
//!
//! `cargo run --release -p chaski-store --example stats_bench [-- N [FILE]]`
//!
//! Loads the demo data set with N attentions (default 200,000, spread over the last year)
//! through the real write path, adds pauses to one attention in ten, then measures p50 / p95 of
//! `Store::statistics` for a month and for the year (target p95 ≤ 100 ms), unfiltered and with a
//! filter and a breakdown; then exports the year's register to `.xlsx` (target ≤ 5 s, memory
//! bounded). With FILE, reuses (or keeps) that database between runs. Prints, never asserts.
#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use chaski_core::attention::{AttentionFilter, Page};
use chaski_core::catalog::AttentionKind;
use chaski_core::stats::{Dimension, Period, StatsQuery};
use chaski_core::time::lima_date;
use chaski_store::{Entity, SetupInput, Store};
use chrono::{Duration as CDuration, SecondsFormat, Utc};

fn pct(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

fn measure(label: &str, runs: usize, mut f: impl FnMut()) {
    f();
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    println!(
        "{label:<48} p50 {:>7.1} ms   p95 {:>7.1} ms",
        pct(times.clone(), 0.5).as_secs_f64() * 1000.0,
        pct(times, 0.95).as_secs_f64() * 1000.0
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: u32 = args
        .next()
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(200_000);
    let keep = args.next();
    let dir = tempfile::tempdir()?;
    let path = keep
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("stats.db"));
    let store = if path.exists() {
        Store::open(&path)?
    } else {
        let s = Store::create(
            &path,
            &SetupInput {
                unit_code: "UT-CUSCO".into(),
                technician_last_names: "Huamán Ccori".into(),
                technician_first_names: "Rosa".into(),
                technician_dni: "41234567".into(),
            },
        )?;
        let t = Instant::now();
        // In transactions of at most 10,000 attentions: one transaction stamps every change
        // with the same millisecond, and the clock's counter has five digits.
        let mut left = n;
        let mut seed = 7;
        while left > 0 {
            let chunk = left.min(10_000);
            s.load_demo_data_sized(seed, chunk)?;
            left -= chunk;
            seed += 1;
        }
        println!(
            "loaded {n} attentions in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        // One attention in ten gets a resumed wait of an hour after its reception.
        let t = Instant::now();
        let mut pauses = 0u32;
        for page in 1.. {
            let items = s
                .attentions_list(
                    &AttentionFilter::default(),
                    Page {
                        number: page,
                        size: 500,
                    },
                )?
                .items;
            if items.is_empty() {
                break;
            }
            s.write(|w| {
                let tech = w.technician_id().to_string();
                for a in items.iter().step_by(10) {
                    let start = a.received_at + CDuration::minutes(10);
                    let end = start + CDuration::hours(1);
                    let f = serde_json::json!({
                        "attention_id": a.id.to_string(), "kind": "espera_usuario",
                        "reason": "El usuario no contesta",
                        "starts_at": start.to_rfc3339_opts(SecondsFormat::Millis, true),
                        "ended_at": end.to_rfc3339_opts(SecondsFormat::Millis, true),
                        "until_at": null, "technician_id": tech.clone(),
                        "created_at": start.to_rfc3339_opts(SecondsFormat::Millis, true),
                    });
                    w.insert(
                        Entity::AttentionPause,
                        uuid::Uuid::now_v7(),
                        f.as_object().cloned().unwrap_or_default(),
                    )?;
                    pauses += 1;
                }
                Ok(())
            })?;
        }
        println!(
            "added {pauses} pauses in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        s
    };
    let now = Utc::now();
    let today = lima_date(now);
    let month = Period::month_of(today - CDuration::days(40));
    let this_month = Period::month_of(today);
    let year = Period::new(today - CDuration::days(364), today)?;
    let runs = 30;
    for (label, period) in [
        ("month (previous)", month),
        ("month (current)", this_month),
        ("year", year),
    ] {
        let q = StatsQuery::new(period);
        let st = store.statistics(&q, now)?;
        println!(
            "{label}: {} received, {} resolved, backlog {} → {}",
            st.received, st.resolved, st.backlog_start, st.backlog_end
        );
        measure(&format!("statistics {label}"), runs, || {
            store.statistics(&q, now).map(|_| ()).unwrap_or(());
        });
        let mut fq = StatsQuery::new(period);
        fq.kind = Some(AttentionKind::Incidencia);
        fq.breakdown = Some(Dimension::Technician);
        measure(
            &format!("statistics {label}, incidents by technician"),
            runs,
            || {
                store.statistics(&fq, now).map(|_| ()).unwrap_or(());
            },
        );
    }
    // The Excel export of the year's register, streamed row by row (target ≤ 5 s, memory
    // bounded): peak resident memory before and after.
    let hwm_before = peak_rss_kb();
    let t = Instant::now();
    let mut meta = chaski_docs::samples::register(0);
    meta.period_from = year.from;
    meta.period_to = year.to;
    let mut book = chaski_docs::sheet::XlsxBook::new();
    let mut sheet = book.begin_sheet(&chaski_docs::sheet::register_spec(&meta))?;
    let mut i = 0u32;
    let rows = store.register_for_each(year, |a| {
        i += 1;
        let row = chaski_docs::AttentionRow {
            number: i,
            date: lima_date(a.received_at),
            site: a.unit_name.clone(),
            requester: a.requester_name.clone(),
            office: a.office_name.clone().unwrap_or_default(),
            problem: a.problem.clone(),
            solution: a.solution.clone().unwrap_or_default(),
            typology: a.category_name.clone(),
            status: chaski_docs::AttentionStatus::Attended,
            technician: a.technician_name.clone(),
        };
        sheet
            .push(&chaski_docs::sheet::register_row(&row))
            .map_err(|e| chaski_store::StoreError::BadData(e.to_string()))
    })?;
    sheet.end()?;
    let bytes = book.finish()?;
    let out = path.with_extension("xlsx");
    std::fs::write(&out, &bytes)?;
    println!(
        "xlsx export of the year: {rows} rows, {:.1} MB, {:.2} s; peak RSS {} -> {} MB",
        bytes.len() as f64 / 1e6,
        t.elapsed().as_secs_f64(),
        hwm_before / 1024,
        peak_rss_kb() / 1024
    );
    println!(
        "file: {:.1} MB",
        std::fs::metadata(&path)?.len() as f64 / 1e6
    );
    Ok(())
}

/// Peak resident memory of this process (VmHWM, Linux), in KiB; 0 elsewhere.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}
