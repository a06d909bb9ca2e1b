//! Sync benchmarks. Run: `cargo run --release -p chaski-sync-tests --example sync_bench`
//! (flags: `--sqlite-only`, `--push-only` skips 1 and 4, `--no-devices` skips 3, `--pushes N`,
//! `--layout spread|one|both` for 3)
//! (PostgreSQL figures need the Debian `postgresql` package; skip with `--sqlite-only`).
//!
//! 1. Bootstrap: a new device (a real chaski-store file) pulls 50,000 person records over
//!    loopback and applies them. Target ≤ 5 s.
//! 2. Push of 500 mutations: p95 over 40 pushes, SQLite and PostgreSQL. Target ≤ 200 ms.
//! 3. 200 devices syncing at once (each pushes 10 batches of 25 and pulls): mutations/s and
//!    p95 latency per request. Target ≥ 1,000/s per core, p95 < 500 ms.
//! 4. Compressed bytes per record of a pull page on the wire. Target ≤ 200 B.
#![allow(clippy::print_stdout)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use chaski_core::change::{Change, ChangeOp};
use chaski_core::hlc::Hlc;
use chaski_server::pg_harness::TempPostgres;
use chaski_server::{RunningServer, Storage, devices, units};
use chaski_sync::client::{SyncClient, SyncOptions};
use chaski_sync::transport::{HttpOptions, HttpTransport, Transport};
use chaski_sync::wire::{EnrollRequest, PullQuery, PushRequest};
use chaski_sync::{Replica, StoreReplica};
use serde_json::json;
use uuid::Uuid;

const UNIT: &str = "UT-CUSCO";

struct Dev {
    id: Uuid,
    unit: String,
    token: String,
    t: HttpTransport,
    seq: u64,
}

async fn enroll(storage: &Storage, base: &str, id: Uuid) -> anyhow::Result<Dev> {
    enroll_in(storage, base, id, UNIT).await
}

async fn enroll_in(storage: &Storage, base: &str, id: Uuid, unit: &str) -> anyhow::Result<Dev> {
    let code = chaski_server::secrets::new_enrolment_code();
    let c = code.clone();
    let u = unit.to_string();
    storage
        .run(move |tx| devices::add_enrolment(tx, &u, &c, 600_000))
        .await?;
    let t = HttpTransport::new(base, &HttpOptions::default())?;
    let r = t
        .enroll(&EnrollRequest {
            code,
            device_id: id,
            device_name: "BENCH".into(),
            last_device_seq: None,
            unit: None,
        })
        .await?;
    Ok(Dev {
        id,
        unit: unit.to_string(),
        token: r.token,
        t,
        seq: 0,
    })
}

fn person_change(dev: &mut Dev, i: u64) -> Change {
    dev.seq += 1;
    let fields = json!({
        "unit_code": dev.unit,
        "last_names": format!("Quispe Mamani {i}"),
        "first_names": "María Elena",
        "dni": format!("{:08}", 10_000_000 + i),
        "phones": "[\"987654321\"]",
        "email": format!("persona{i}@example.gob.pe"),
        "created_at": "2026-11-23T15:00:00.000Z",
        "created_by": "0192f0c4-8c2a-7cc1-9d44-5f1a2b3c4d5e",
        "updated_at": "2026-11-23T15:00:00.000Z",
        "updated_by": "0192f0c4-8c2a-7cc1-9d44-5f1a2b3c4d5e",
    });
    let serde_json::Value::Object(fields) = fields else {
        unreachable!()
    };
    Change {
        change_id: Uuid::now_v7(),
        device_id: dev.id,
        device_seq: dev.seq,
        unit: dev.unit.clone(),
        entity: "person".into(),
        entity_id: Uuid::now_v7(),
        op: ChangeOp::Upsert,
        fields,
        hlc: Hlc {
            wall_ms: 1_732_370_000_000 + dev.seq,
            counter: 0,
            device: dev.id,
        },
        created_at: chrono::Utc::now(),
    }
}

async fn push_n(dev: &mut Dev, n: u64, start: u64) -> anyhow::Result<Duration> {
    let changes: Vec<_> = (0..n).map(|i| person_change(dev, start + i)).collect();
    let t0 = Instant::now();
    let r = dev
        .t
        .push(
            &dev.token,
            &PushRequest {
                pulled_through: Default::default(),
                changes,
            },
        )
        .await?;
    anyhow::ensure!(r.last_acked_seq == dev.seq, "push not acknowledged");
    Ok(t0.elapsed())
}

fn p95(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[(v.len() * 95 / 100).min(v.len() - 1)]
}

async fn setup(storage: Storage) -> anyhow::Result<(Storage, RunningServer)> {
    storage.migrate().await?;
    storage
        .run(|tx| units::add_unit(tx, UNIT, "UT Cusco", false))
        .await?;
    let server = RunningServer::start(storage.clone()).await?;
    Ok((storage, server))
}

/// The 25 territorial units of the reference data other than [`UNIT`]
/// (`migrations/client/0002_reference_data.sql`).
const SPREAD_UNITS: [&str; 25] = [
    "UT-AMAZONAS",
    "UT-ANCASH-1",
    "UT-ANCASH-2",
    "UT-APURIMAC",
    "UT-AREQUIPA",
    "UT-AYACUCHO",
    "UT-CAJAMARCA",
    "UT-HUANCAVELICA",
    "UT-HUANUCO",
    "UT-ICA",
    "UT-JUNIN",
    "UT-LA-LIBERTAD",
    "UT-LAMBAYEQUE",
    "UT-LIMA-CALLAO",
    "UT-LIMA-PROVINCIAS",
    "UT-LORETO",
    "UT-MADRE-DE-DIOS",
    "UT-MOQUEGUA",
    "UT-PASCO",
    "UT-PIURA",
    "UT-PUNO",
    "UT-SAN-MARTIN",
    "UT-TACNA",
    "UT-TUMBES",
    "UT-UCAYALI",
];

/// What to run (command-line flags).
struct Opts {
    sqlite_only: bool,
    /// `--push-only`: skip bootstrap and wire size.
    push_only: bool,
    /// `--no-devices`: skip the 200-device runs.
    no_devices: bool,
    /// `--pushes N`: number of 500-change pushes timed (default 40).
    pushes: u64,
    /// `--layout spread|one|both` for the 200-device runs (default both).
    spread: bool,
    one_unit: bool,
}

impl Opts {
    fn parse() -> anyhow::Result<Self> {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let value = |flag: &str| {
            args.iter()
                .position(|a| a == flag)
                .and_then(|i| args.get(i + 1).cloned())
        };
        let layout = value("--layout").unwrap_or_else(|| "both".into());
        anyhow::ensure!(
            ["spread", "one", "both"].contains(&layout.as_str()),
            "--layout spread|one|both"
        );
        Ok(Self {
            sqlite_only: args.iter().any(|a| a == "--sqlite-only"),
            push_only: args.iter().any(|a| a == "--push-only"),
            no_devices: args.iter().any(|a| a == "--no-devices"),
            pushes: value("--pushes")
                .map(|v| v.parse())
                .transpose()?
                .unwrap_or(40),
            spread: layout != "one",
            one_unit: layout != "spread",
        })
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

async fn push_bench(name: &str, storage: Storage, opts: &Opts) -> anyhow::Result<()> {
    let (storage, server) = setup(storage).await?;
    let mut dev = enroll(&storage, &server.base_url(), Uuid::now_v7()).await?;
    let mut times = Vec::new();
    for round in 0..opts.pushes {
        times.push(push_n(&mut dev, 500, round * 500).await?);
    }
    println!(
        "push 500 mutations [{name}]: p95 {:.1} ms, median {:.1} ms ({} pushes)",
        p95(times.clone()).as_secs_f64() * 1e3,
        median(times).as_secs_f64() * 1e3,
        opts.pushes
    );
    if !opts.no_devices {
        // Worst case first: every device in one unit, whose row lock serializes all pushes.
        if opts.one_unit {
            devices_at_once(name, &storage, &server, &[UNIT], 20_000).await?;
        }
        // Realistic: the 200 devices spread over 25 units, 8 technicians' machines each.
        if opts.spread {
            for unit in SPREAD_UNITS {
                storage
                    .run(move |tx| units::add_unit(tx, unit, unit, false))
                    .await?;
            }
            devices_at_once(name, &storage, &server, &SPREAD_UNITS, 0).await?;
        }
    }
    server.stop().await;
    Ok(())
}

/// 200 devices, assigned round-robin to `units`, each pushing 10 batches of 25 and pulling
/// a page of 25 after each (from `base`, the unit's sequence before the run, on).
async fn devices_at_once(
    name: &str,
    storage: &Storage,
    server: &RunningServer,
    units: &[&str],
    base: u64,
) -> anyhow::Result<()> {
    let mut devs = Vec::new();
    for k in 0..200 {
        let unit = units[k % units.len()];
        devs.push(enroll_in(storage, &server.base_url(), Uuid::now_v7(), unit).await?);
    }
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for (k, mut d) in devs.into_iter().enumerate() {
        let slot = (k / units.len()) as u64;
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            for b in 0..10u64 {
                lat.push(push_n(&mut d, 25, (k as u64) * 1000 + b * 25).await?);
                let t = Instant::now();
                d.t.pull(
                    &d.token,
                    &PullQuery {
                        unit: d.unit.clone(),
                        after: base + slot * 10 + b,
                        limit: Some(25),
                    },
                )
                .await?;
                lat.push(t.elapsed());
            }
            anyhow::Ok(lat)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    let secs = t0.elapsed().as_secs_f64();
    let muts = 200.0 * 10.0 * 25.0;
    println!(
        "200 devices at once [{name}, {} unit(s) × {} devices]: {muts} mutations in {secs:.2} s = {:.0} mutations/s ({:.0}/s per core on 2 cores), p95 request latency {:.0} ms, median {:.0} ms",
        units.len(),
        200 / units.len(),
        muts / secs,
        muts / secs / 2.0,
        p95(all.clone()).as_secs_f64() * 1e3,
        median(all).as_secs_f64() * 1e3,
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let opts = Opts::parse()?;
    let tmp = tempfile::tempdir()?;
    if !opts.push_only {
        bootstrap_bench(tmp.path()).await?;
    }
    // 2 + 3 on SQLite.
    push_bench(
        "SQLite",
        Storage::open_sqlite(&tmp.path().join("server-push"))?,
        &opts,
    )
    .await?;
    if !opts.sqlite_only {
        let pg = tokio::task::spawn_blocking(TempPostgres::start)
            .await?
            .map_err(anyhow::Error::msg)?;
        let url = pg.create_database("bench").map_err(anyhow::Error::msg)?;
        let storage =
            tokio::task::spawn_blocking(move || Storage::open_postgres(&url, 4)).await??;
        push_bench("PostgreSQL", storage, &opts).await?;
        tokio::task::spawn_blocking(move || drop(pg)).await?;
    }
    Ok(())
}

/// 1 + 4: bootstrap and bytes per record (SQLite server).
async fn bootstrap_bench(dir: &std::path::Path) -> anyhow::Result<()> {
    // 1 + 4: bootstrap and bytes per record (SQLite server).
    let storage = Storage::open_sqlite(&dir.join("server"))?;
    let (storage, server) = setup(storage).await?;
    let mut src = enroll(&storage, &server.base_url(), Uuid::now_v7()).await?;
    for b in 0..50u64 {
        push_n(&mut src, 1000, b * 1000).await?;
    }
    // Wire bytes of one gzip page of 1000 records, as a client receives it.
    let raw = reqwest::Client::builder().no_gzip().build()?;
    let resp = raw
        .get(format!(
            "{}/v1/pull?unit={UNIT}&after=0&limit=1000",
            server.base_url()
        ))
        .header("authorization", format!("Bearer {}", src.token))
        .header("accept-encoding", "gzip")
        .send()
        .await?;
    let enc = resp
        .headers()
        .get("content-encoding")
        .map(|v| v.to_str().unwrap_or("").to_string());
    let body = resp.bytes().await?;
    println!(
        "wire size: {} bytes for 1000 records ({:?}) = {:.0} B/record",
        body.len(),
        enc,
        body.len() as f64 / 1000.0
    );
    let store_path = dir.join("new-device.db");
    let store = chaski_store::Store::create(
        &store_path,
        &chaski_store::SetupInput {
            unit_code: UNIT.into(),
            technician_last_names: "Huamán".into(),
            technician_first_names: "Rosa".into(),
            technician_dni: "41234567".into(),
        },
    )?;
    let mut replica =
        StoreReplica::new(Arc::new(store), vec![]).map_err(|e| anyhow::anyhow!("{e}"))?;
    let fresh = enroll(&storage, &server.base_url(), replica.device_id()).await?;
    let mut client = SyncClient::new(
        fresh.t,
        Some(fresh.token),
        SyncOptions {
            pull_limit: 2000,
            ..Default::default()
        },
    );
    let t0 = Instant::now();
    let report = client.sync_once(&mut replica, &mut |_| {}).await?;
    println!(
        "bootstrap: {} records pulled and applied into a new store in {:.2} s",
        report.pulled,
        t0.elapsed().as_secs_f64()
    );
    server.stop().await;
    Ok(())
}
