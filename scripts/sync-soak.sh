#!/bin/sh
# Long randomized run of the sync scenarios (issue 5): N seeded runs (default 1000), each with
# a real server, three real store files, a connection-cutting proxy, a faulty transport, killed
# syncs, client and server restarts; after healing every replica must equal the server.
# Usage: scripts/sync-soak.sh [SEEDS] [FIRST_SEED]
set -eu
cd "$(dirname "$0")/.."
SEEDS="${1:-1000}"
START="${2:-1}"
CHASKI_SYNC_SEEDS="$SEEDS" CHASKI_SYNC_SEED_START="$START" \
    cargo test --release -p chaski-sync-tests --test scenarios -- --nocapture
