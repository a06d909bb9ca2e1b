//! One seeded randomized run: a real server, several real store files, faults, kills and
//! restarts; then healing and the checks.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use chaski_server::storage::Val;
use chaski_server::{RunningServer, Storage, devices, units};
use chaski_store::write::Entity;
use chaski_store::{SetupInput, Store};
use chaski_sync::client::{SyncClient, SyncOptions};
use chaski_sync::transport::{HttpOptions, HttpTransport};
use chaski_sync::{NumberWant, StoreReplica, SyncError};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::faults::FaultyTransport;
use crate::proxy::FaultProxy;

/// The unit every client of a scenario belongs to (seeded in every store).
pub const UNIT: &str = "UT-CUSCO";
const KIND: &str = "cargo";
const YEAR: i32 = 2026;

/// Size of a run.
#[derive(Debug, Clone, Copy)]
pub struct Config {
    /// Number of client devices.
    pub clients: usize,
    /// Random steps.
    pub steps: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            clients: 3,
            steps: 40,
        }
    }
}

/// What a run did (for the log).
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Local writes made.
    pub writes: u64,
    /// Changes on the server at the end.
    pub server_changes: u64,
    /// Sync rounds cut short (killed client).
    pub killed_syncs: u64,
    /// Client restarts (store closed and reopened).
    pub client_restarts: u64,
    /// Server restarts.
    pub server_restarts: u64,
    /// Connections cut by the proxy.
    pub cuts: u64,
    /// Faults injected by the transports.
    pub faults: u64,
    /// Numbered documents.
    pub numbered: u64,
    /// Conflicts recorded by the server.
    pub conflicts: u64,
    /// Attentions registered (through `Store::attention_create`).
    pub attentions: u64,
    /// Of those, registered as unnumbered drafts (block used up), all numbered by the end.
    pub drafts: u64,
}

type Client = SyncClient<FaultyTransport<HttpTransport>>;

struct Device {
    path: PathBuf,
    replica: Option<StoreReplica>,
    client: Client,
    name: String,
}

fn wants() -> Vec<NumberWant> {
    // Small attention blocks, so devices run out offline and make unnumbered drafts.
    let mut w = crate::harness::attention_wants(1, 3);
    w.push(NumberWant {
        kind: KIND.into(),
        year: YEAR,
        low_water: 3,
        block_size: 5,
    });
    w
}

impl Device {
    fn store(&self) -> Result<&Arc<Store>, String> {
        self.replica
            .as_ref()
            .map(|r| r.store())
            .ok_or_else(|| format!("{}: store closed", self.name))
    }

    fn reopen(&mut self) -> Result<(), String> {
        // Drop every handle first: the store holds an exclusive lock on its file.
        self.replica = None;
        let store = Store::open(&self.path).map_err(|e| format!("{}: reopen: {e}", self.name))?;
        self.replica =
            Some(StoreReplica::new(Arc::new(store), wants()).map_err(|e| format!("replica: {e}"))?);
        Ok(())
    }
}

async fn start_server(dir: &std::path::Path) -> Result<(Storage, RunningServer), String> {
    let dir = dir.to_path_buf();
    let storage = tokio::task::spawn_blocking(move || Storage::open_sqlite(&dir))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("open server db: {e}"))?;
    storage
        .migrate()
        .await
        .map_err(|e| format!("migrate: {e}"))?;
    let server = RunningServer::start(storage.clone())
        .await
        .map_err(|e| format!("bind: {e}"))?;
    Ok((storage, server))
}

/// Registers an attention as the app does (numbered from the block, or an unnumbered draft
/// when the block is used up), for a requester this device knows (or a new one).
fn local_attention(dev: &Device, rng: &mut StdRng, summary: &mut Summary) -> Result<(), String> {
    let store = dev.store()?;
    let persons: Vec<String> = store
        .replica_snapshot(Entity::Person)
        .map_err(|e| e.to_string())?
        .keys()
        .map(|(id, _)| id.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let requester = if persons.is_empty() || rng.gen_bool(0.1) {
        crate::harness::new_requester(store, &format!("Solicitante de {}", dev.name))
    } else {
        let id = &persons[rng.gen_range(0..persons.len())];
        chaski_core::ids::PersonId::from(Uuid::parse_str(id).map_err(|e| e.to_string())?)
    };
    let a = crate::harness::new_attention(store, requester, &format!("Caso de {}", dev.name));
    summary.attentions += 1;
    if a.number.is_none() {
        summary.drafts += 1;
    }
    Ok(())
}

/// Writes 1–3 changes on a device: new numbered (or draft) offices, or renames of offices it
/// knows (concurrent renames of the same office on several devices make conflicts).
fn local_writes(dev: &Device, rng: &mut StdRng) -> Result<u64, String> {
    let store = dev.store()?;
    let known: Vec<String> = store
        .replica_snapshot(Entity::Office)
        .map_err(|e| e.to_string())?
        .keys()
        .map(|(id, _)| id.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let n = rng.gen_range(1..=3);
    for _ in 0..n {
        if known.is_empty() || rng.gen_bool(0.5) {
            let id = Uuid::now_v7();
            let number = store
                .take_block_number(UNIT, KIND, YEAR)
                .map_err(|e| e.to_string())?;
            let name = match number {
                Some(n) => format!("Oficina N° {n:06}"),
                None => format!("Borrador {} de {}", id.simple(), dev.name),
            };
            store
                .write(|w| {
                    let mut f = serde_json::Map::new();
                    f.insert("unit_code".into(), json!(UNIT));
                    f.insert("name".into(), json!(name));
                    f.insert("created_at".into(), json!("2026-11-23T15:00:00.000Z"));
                    w.insert(Entity::Office, id, f)
                })
                .map_err(|e| format!("{}: insert: {e}", dev.name))?;
        } else {
            let id = &known[rng.gen_range(0..known.len())];
            let id = Uuid::parse_str(id).map_err(|e| e.to_string())?;
            let name = format!("Renombrada por {} #{}", dev.name, rng.gen_range(0..1000));
            store
                .write(|w| {
                    let mut f = serde_json::Map::new();
                    f.insert("name".into(), json!(name));
                    w.update(Entity::Office, id, f)
                })
                .map_err(|e| format!("{}: update: {e}", dev.name))?;
        }
    }
    Ok(n)
}

async fn sync(dev: &mut Device) -> Result<chaski_sync::SyncReport, SyncError> {
    let replica = dev.replica.as_mut().ok_or(SyncError::NotEnrolled)?;
    dev.client.sync_once(replica, &mut |_| {}).await
}

/// What the app's background job does: retry with backoff until the round succeeds.
async fn sync_retrying(dev: &mut Device) -> Result<chaski_sync::SyncReport, SyncError> {
    let replica = dev.replica.as_mut().ok_or(SyncError::NotEnrolled)?;
    dev.client.sync_with_retry(replica, &mut |_| {}).await
}

/// Runs one scenario. `Err` carries what went wrong (the caller prints the seed).
pub async fn run(seed: u64, cfg: Config) -> Result<Summary, String> {
    let mut rng = StdRng::seed_from_u64(seed);
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let server_dir = tmp.path().join("server");
    let (mut storage, mut server) = start_server(&server_dir).await?;
    {
        let s = storage.clone();
        s.run(|tx| units::add_unit(tx, UNIT, "UT Cusco", false))
            .await
            .map_err(|e| format!("unit: {e}"))?;
    }
    let proxy = FaultProxy::start(server.addr(), seed ^ 0x5eed)
        .await
        .map_err(|e| e.to_string())?;
    let mut devices = Vec::new();
    for i in 0..cfg.clients {
        let path = tmp.path().join(format!("device-{i}.db"));
        let store = Store::create(
            &path,
            &SetupInput {
                unit_code: UNIT.into(),
                technician_last_names: format!("Quispe {i}"),
                technician_first_names: "Ana".into(),
                technician_dni: format!("{:08}", 41_000_000 + i as u64 * 7 + seed % 1000 * 31),
            },
        )
        .map_err(|e| format!("create store {i}: {e}"))?;
        let mut replica = StoreReplica::new(Arc::new(store), wants()).map_err(|e| e.to_string())?;
        let http = HttpTransport::new(
            &proxy.base_url(),
            &HttpOptions {
                timeout: Some(Duration::from_secs(10)),
                ..Default::default()
            },
        )
        .map_err(|e| e.to_string())?;
        let transport = FaultyTransport::new(http, seed.wrapping_mul(31).wrapping_add(i as u64));
        let mut client = SyncClient::new(
            transport,
            None,
            SyncOptions {
                push_batch: rng.gen_range(1..=20),
                pull_limit: rng.gen_range(1..=20),
                backoff: chaski_sync::backoff::Backoff {
                    base: Duration::from_millis(5),
                    max: Duration::from_millis(100),
                    attempts: 6,
                },
            },
        );
        let code = chaski_server::secrets::new_enrolment_code();
        let c = code.clone();
        storage
            .run(move |tx| devices::add_enrolment(tx, UNIT, &c, 600_000))
            .await
            .map_err(|e| format!("code: {e}"))?;
        // Enrolment goes through the faulty proxy too: retry it like the app would.
        let last =
            chaski_sync::Replica::last_device_seq(&mut replica).map_err(|e| e.to_string())?;
        let id = chaski_sync::Replica::device_id(&replica);
        let mut enrolled = Err(String::new());
        for _ in 0..20 {
            enrolled = client
                .enroll(&code, id, &format!("PC-{i}"), last)
                .await
                .map(|_| ())
                .map_err(|e| format!("enroll {i}: {e}"));
            if enrolled.is_ok() {
                break;
            }
        }
        enrolled?;
        let store = replica.store();
        store.sync_mark_enrolled().map_err(|e| e.to_string())?;
        if !store.sync_is_enrolled().map_err(|e| e.to_string())? {
            return Err("enrolment not recorded".into());
        }
        devices.push(Device {
            path,
            replica: Some(replica),
            client,
            name: format!("equipo-{i}"),
        });
    }
    let mut summary = Summary::default();
    let mut server_restarts_left = 2;
    for _ in 0..cfg.steps {
        let i = rng.gen_range(0..devices.len());
        let roll: f64 = rng.r#gen();
        if roll < 0.28 {
            summary.writes += local_writes(&devices[i], &mut rng)?;
        } else if roll < 0.40 {
            local_attention(&devices[i], &mut rng, &mut summary)?;
            summary.writes += 1;
        } else if roll < 0.82 {
            // A sync that may be killed at any point (the future is dropped mid-flight).
            let budget = if rng.gen_bool(0.3) {
                Duration::from_millis(rng.gen_range(1..60))
            } else {
                Duration::from_secs(30)
            };
            match tokio::time::timeout(budget, sync(&mut devices[i])).await {
                Err(_) => summary.killed_syncs += 1,
                Ok(Ok(_)) => {}
                Ok(Err(e)) if e.is_retryable() => {}
                Ok(Err(e)) => {
                    return Err(format!(
                        "{}: sync refused: {e} ({})",
                        devices[i].name,
                        e.code()
                    ));
                }
            }
        } else if roll < 0.95 {
            devices[i].reopen()?;
            summary.client_restarts += 1;
        } else if server_restarts_left > 0 {
            server_restarts_left -= 1;
            // Crash the server (in-flight requests cut) and start it again on the same data.
            server.kill().await;
            drop(storage);
            let (s, srv) = start_server(&server_dir).await?;
            storage = s;
            server = srv;
            proxy.set_upstream(server.addr());
            summary.server_restarts += 1;
        }
    }
    // Heal: no more faults; sync everyone until a full pass moves nothing.
    proxy.control().faults.store(false, Ordering::Relaxed);
    for d in &devices {
        d.client.transport().enabled.store(false, Ordering::Relaxed);
    }
    let mut quiet_passes = 0;
    for pass in 0..8 {
        let mut moved = 0;
        for d in devices.iter_mut() {
            let r = sync_retrying(d)
                .await
                .map_err(|e| format!("heal pass {pass}, {}: {e}", d.name))?;
            moved += r.pushed + r.pulled + r.duplicates;
        }
        if moved == 0 {
            quiet_passes += 1;
            if quiet_passes >= 1 {
                break;
            }
        }
    }
    if quiet_passes == 0 {
        return Err("replicas did not settle after 8 healing passes".into());
    }
    summary.cuts = proxy.control().cuts.load(Ordering::Relaxed);
    for d in &devices {
        let c = &d.client.transport().counts;
        summary.faults += c.dropped.load(Ordering::Relaxed)
            + c.lost_answers.load(Ordering::Relaxed)
            + c.duplicated.load(Ordering::Relaxed)
            + c.replayed.load(Ordering::Relaxed)
            + c.stale_pages.load(Ordering::Relaxed);
    }
    check(&storage, &devices, &mut summary).await?;
    server.stop().await;
    Ok(summary)
}

/// The end state: nothing lost, nothing doubled, replicas equal the server, numbers unique.
async fn check(storage: &Storage, devices: &[Device], summary: &mut Summary) -> Result<(), String> {
    // Nothing lost, nothing doubled: the server holds exactly every outbox entry once.
    let mut expected: BTreeSet<String> = BTreeSet::new();
    let mut outbox_total = 0u64;
    for d in devices {
        let store = d.store()?;
        let stats = store.outbox_stats().map_err(|e| e.to_string())?;
        let acked = store.sync_acked_seq().map_err(|e| e.to_string())?;
        if acked != stats.last_device_seq {
            return Err(format!(
                "{}: acknowledged {acked} of {} changes",
                d.name, stats.last_device_seq
            ));
        }
        let rejections = store.sync_rejections().map_err(|e| e.to_string())?;
        if !rejections.is_empty() {
            return Err(format!("{}: unexpected rejections {rejections:?}", d.name));
        }
        if store.sync_apply_error_count().map_err(|e| e.to_string())? != 0 {
            return Err(format!("{}: pulled changes failed to apply", d.name));
        }
        for c in store.outbox_after(0, u32::MAX).map_err(|e| e.to_string())? {
            expected.insert(c.change_id.to_string());
            outbox_total += 1;
        }
    }
    let on_server: Vec<String> = storage
        .run(|tx| {
            tx.query(
                "SELECT change_id FROM changes WHERE status = 'accepted'",
                &[],
            )?
            .iter()
            .map(|r| r.text(0))
            .collect::<Result<Vec<_>, _>>()
        })
        .await
        .map_err(|e| e.to_string())?;
    let on_server_set: BTreeSet<String> = on_server.iter().cloned().collect();
    if on_server.len() != on_server_set.len() {
        return Err("a change is stored twice on the server".into());
    }
    if on_server_set != expected || outbox_total != expected.len() as u64 {
        let lost: Vec<_> = expected.difference(&on_server_set).take(5).collect();
        let extra: Vec<_> = on_server_set.difference(&expected).take(5).collect();
        return Err(format!(
            "server/outbox mismatch: lost {lost:?}, unknown {extra:?}"
        ));
    }
    summary.server_changes = on_server.len() as u64;
    // Dense unit sequence 1..=n.
    let seqs: Vec<i64> = storage
        .run(|tx| {
            tx.query(
                "SELECT server_seq FROM changes WHERE unit = $1 AND server_seq IS NOT NULL ORDER BY server_seq",
                &[Val::text(UNIT)],
            )?
            .iter()
            .map(|r| r.i64(0))
            .collect::<Result<Vec<_>, _>>()
        })
        .await
        .map_err(|e| e.to_string())?;
    if seqs != (1..=seqs.len() as i64).collect::<Vec<_>>() {
        return Err("unit sequence is not dense".into());
    }
    summary.conflicts = storage
        .run(|tx| tx.query("SELECT count(*) FROM conflicts", &[])?[0].i64(0))
        .await
        .map_err(|e| e.to_string())? as u64;
    // Every replica equals the server's merged state.
    let stores: Vec<(&str, &Store)> = devices
        .iter()
        .map(|d| Ok((d.name.as_str(), d.store()?.as_ref())))
        .collect::<Result<_, String>>()?;
    compare_with_server(storage, UNIT, &stores, Entity::Technician).await?;
    let offices = compare_with_server(storage, UNIT, &stores, Entity::Office).await?;
    // No document number twice (numbers live in the names of numbered offices; renames may
    // drop them, never duplicate them across devices' blocks).
    let mut seen = BTreeSet::new();
    for ((_, field), v) in &offices {
        if field == "name"
            && let Some(n) = v.as_str().and_then(|s| s.strip_prefix("Oficina N° "))
            && !seen.insert(n.to_string())
        {
            return Err(format!("document number {n} used twice"));
        }
    }
    summary.numbered = seen.len() as u64;
    // Attentions (and their requesters) equal everywhere; every draft was numbered by the
    // device that made it, from its block; no attention number twice.
    compare_with_server(storage, UNIT, &stores, Entity::Person).await?;
    let attentions = compare_with_server(storage, UNIT, &stores, Entity::Attention).await?;
    let mut numbers = BTreeSet::new();
    for ((id, field), v) in &attentions {
        if field == "number" {
            let n = v
                .as_i64()
                .ok_or_else(|| format!("attention {id} still unnumbered after healing"))?;
            let year = attentions
                .get(&(id.clone(), "year".to_string()))
                .and_then(Value::as_i64)
                .ok_or_else(|| format!("attention {id} without year"))?;
            if !numbers.insert((year, n)) {
                return Err(format!("attention number {n}-{year} used twice"));
            }
        }
    }
    summary.numbered += numbers.len() as u64;
    for (name, store) in &stores {
        let left = store.sync_drafts_by_year().map_err(|e| e.to_string())?;
        if !left.is_empty() {
            return Err(format!("{name}: drafts left after healing: {left:?}"));
        }
    }
    Ok(())
}

/// Checks that every replica holds exactly the server's merged state of `entity` in `unit`
/// (same records, same values); returns that state as `(id, field) → value`.
pub async fn compare_with_server(
    storage: &Storage,
    unit: &str,
    replicas: &[(&str, &Store)],
    entity: Entity,
) -> Result<BTreeMap<(String, String), Value>, String> {
    let u = unit.to_string();
    let state = storage
        .run(move |tx| units::unit_state(tx, &u))
        .await
        .map_err(|e| e.to_string())?;
    let mut server: BTreeMap<(String, String), Value> = BTreeMap::new();
    for ((e, id, field), v) in &state {
        if e == entity.table() {
            let v: Value = serde_json::from_str(v).map_err(|e| e.to_string())?;
            server.insert((id.clone(), field.clone()), v);
        }
    }
    let server_ids: BTreeSet<&String> = server.keys().map(|(id, _)| id).collect();
    for (name, store) in replicas {
        let snap = store.replica_snapshot(entity).map_err(|e| e.to_string())?;
        let ids: BTreeSet<&String> = snap.keys().map(|(id, _)| id).collect();
        if ids != server_ids {
            return Err(format!(
                "{name}: {} records differ: replica {} vs server {}",
                entity.table(),
                ids.len(),
                server_ids.len()
            ));
        }
        for ((id, col), v) in &snap {
            let s = server
                .get(&(id.clone(), col.clone()))
                .unwrap_or(&Value::Null);
            let same =
                s == v || (s.as_bool().map(|b| Value::from(i64::from(b))).as_ref() == Some(v));
            if !same {
                return Err(format!(
                    "{name}: {}.{col} of {id}: replica {v} vs server {s}",
                    entity.table()
                ));
            }
        }
    }
    Ok(server)
}

/// Runs `seeds` and returns the first failure with its seed.
pub async fn run_seeds(
    seeds: impl IntoIterator<Item = u64>,
    cfg: Config,
) -> Result<Vec<Summary>, String> {
    let mut out = Vec::new();
    let started = std::time::Instant::now();
    for seed in seeds {
        match run(seed, cfg).await {
            Ok(s) => {
                out.push(s);
                if out.len() % 50 == 0 {
                    eprintln!(
                        "{} seeds OK so far (last {seed}), {:.0?}",
                        out.len(),
                        started.elapsed()
                    );
                }
            }
            Err(e) => {
                return Err(format!(
                    "seed {seed} FAILED: {e}\n(re-run: CHASKI_SYNC_SEED={seed} cargo test -p chaski-sync-tests)"
                ));
            }
        }
    }
    Ok(out)
}
