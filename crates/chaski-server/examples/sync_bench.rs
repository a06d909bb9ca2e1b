//! Sync benchmarks (issue 5). Run: `cargo run --release -p chaski-server --example sync_bench`
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
use chaski_server::{RunningServer, Storage, logic};
use chaski_sync::client::{SyncClient, SyncOptions};
use chaski_sync::transport::{HttpOptions, HttpTransport, Transport};
use chaski_sync::wire::{EnrollRequest, PullQuery, PushRequest};
use chaski_sync::{Replica, StoreReplica};
use serde_json::json;
use uuid::Uuid;

const UNIT: &str = "UT-CUSCO";

struct Dev {
    id: Uuid,
    token: String,
    t: HttpTransport,
    seq: u64,
}

async fn enroll(storage: &Storage, base: &str, id: Uuid) -> anyhow::Result<Dev> {
    let code = chaski_server::secrets::new_enrolment_code();
    let c = code.clone();
    storage
        .run(move |tx| logic::add_enrolment(tx, UNIT, &c, 600_000))
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
        token: r.token,
        t,
        seq: 0,
    })
}

fn person_change(dev: &mut Dev, i: u64) -> Change {
    dev.seq += 1;
    let fields = json!({
        "unit_code": UNIT,
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
        unit: UNIT.into(),
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
        .run(|tx| logic::add_unit(tx, UNIT, "UT Cusco", false))
        .await?;
    let server = RunningServer::start(storage.clone()).await?;
    Ok((storage, server))
}

async fn push_bench(name: &str, storage: Storage) -> anyhow::Result<()> {
    let (storage, server) = setup(storage).await?;
    let mut dev = enroll(&storage, &server.base_url(), Uuid::now_v7()).await?;
    let mut times = Vec::new();
    for round in 0..40 {
        times.push(push_n(&mut dev, 500, round * 500).await?);
    }
    println!(
        "push 500 mutations [{name}]: p95 {:.1} ms, median {:.1} ms (40 pushes)",
        p95(times.clone()).as_secs_f64() * 1e3,
        {
            let mut t = times.clone();
            t.sort();
            t[t.len() / 2].as_secs_f64() * 1e3
        }
    );
    // 200 devices at once.
    let mut devs = Vec::new();
    for _ in 0..200 {
        devs.push(enroll(&storage, &server.base_url(), Uuid::now_v7()).await?);
    }
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for (k, mut d) in devs.into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            for b in 0..10u64 {
                lat.push(push_n(&mut d, 25, (k as u64) * 1000 + b * 25).await?);
                let t = Instant::now();
                d.t.pull(
                    &d.token,
                    &PullQuery {
                        unit: UNIT.into(),
                        after: 20_000 + (k as u64) * 10 + b,
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
        "200 devices at once [{name}]: {muts} mutations in {secs:.2} s = {:.0} mutations/s ({:.0}/s per core on 2 cores), p95 request latency {:.0} ms",
        muts / secs,
        muts / secs / 2.0,
        p95(all).as_secs_f64() * 1e3
    );
    server.stop().await;
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let sqlite_only = std::env::args().any(|a| a == "--sqlite-only");
    let tmp = tempfile::tempdir()?;

    // 1 + 4: bootstrap and bytes per record (SQLite server).
    let storage = Storage::open_sqlite(&tmp.path().join("server"))?;
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
    let store_path = tmp.path().join("new-device.db");
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

    // 2 + 3 on SQLite.
    push_bench(
        "SQLite",
        Storage::open_sqlite(&tmp.path().join("server-push"))?,
    )
    .await?;
    if !sqlite_only {
        let pg = tokio::task::spawn_blocking(TempPostgres::start)
            .await?
            .map_err(anyhow::Error::msg)?;
        let url = pg.create_database("bench").map_err(anyhow::Error::msg)?;
        let storage =
            tokio::task::spawn_blocking(move || Storage::open_postgres(&url, 4)).await??;
        push_bench("PostgreSQL", storage).await?;
        tokio::task::spawn_blocking(move || drop(pg)).await?;
    }
    Ok(())
}
