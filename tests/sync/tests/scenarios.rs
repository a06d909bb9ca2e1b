//! Seeded randomized sync scenarios. A short run here (a few seeds, seconds); the long run:
//! `CHASKI_SYNC_SEEDS=1000 cargo test --release -p chaski-sync-tests` (or
//! `scripts/sync-soak.sh`). One seed: `CHASKI_SYNC_SEED=42`.

use chaski_sync_tests::scenario::{Config, run_seeds};

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seeded_scenarios_converge() {
    let seeds: Vec<u64> = match env_u64("CHASKI_SYNC_SEED") {
        Some(seed) => vec![seed],
        None => {
            let start = env_u64("CHASKI_SYNC_SEED_START").unwrap_or(1);
            let n = env_u64("CHASKI_SYNC_SEEDS").unwrap_or(4);
            (start..start + n).collect()
        }
    };
    let cfg = Config::default();
    let started = std::time::Instant::now();
    match run_seeds(seeds.iter().copied(), cfg).await {
        Ok(summaries) => {
            let sum = |f: fn(&chaski_sync_tests::scenario::Summary) -> u64| {
                summaries.iter().map(f).sum::<u64>()
            };
            eprintln!(
                "{} seeds OK in {:.1?}: {} writes, {} server changes, {} killed syncs, {} client restarts, {} server restarts, {} cut connections, {} injected faults, {} numbered documents, {} conflicts, {} attentions ({} drafts)",
                summaries.len(),
                started.elapsed(),
                sum(|s| s.writes),
                sum(|s| s.server_changes),
                sum(|s| s.killed_syncs),
                sum(|s| s.client_restarts),
                sum(|s| s.server_restarts),
                sum(|s| s.cuts),
                sum(|s| s.faults),
                sum(|s| s.numbered),
                sum(|s| s.conflicts),
                sum(|s| s.attentions),
                sum(|s| s.drafts),
            );
        }
        Err(e) => panic!("{e}"),
    }
}
