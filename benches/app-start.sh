#!/usr/bin/env bash
# Measures how long the real Chaski app takes from launch to a painted window under Xvfb, and
# how much memory all its processes use (PSS and RSS of the app, WebKitWebProcess and
# WebKitNetworkProcess), next to a minimal Tauri "hello world" built with the same toolchain
# and the same Tauri version in the same run. Both are release builds with embedded assets.
#
#   benches/app-start.sh [RUNS] [release|debug]   (default: 5 runs each, release; prints medians)
#
# Both apps build into the same cargo target dir, so the hello-world reuses the compiled Tauri.
#
# "Painted" means: the window is mapped and a capture of it shows real content (more than a
# handful of distinct colours), polled every ~50 ms.
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

RUNS="${1:-5}"
PROFILE="${2:-release}"
case "$PROFILE" in
    release) TAURI_FLAGS=(--no-bundle); CARGO_FLAGS=(--release) ;;
    debug) TAURI_FLAGS=(--debug --no-bundle); CARGO_FLAGS=() ;;
    *) echo "perfil desconocido: $PROFILE (release o debug)" >&2; exit 2 ;;
esac
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
WORK="$(mktemp -d)"
trap 'kill "${XVFB_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

apt_install_missing xvfb xauth imagemagick x11-utils xdotool
ensure_ui_packages

say "Compilando Chaski ($PROFILE, sin paquete)"
(cd "$ROOT" && CARGO_TARGET_DIR="$TARGET" ui/node_modules/.bin/tauri build "${TAURI_FLAGS[@]}" >/dev/null)
CHASKI_BIN="$TARGET/$PROFILE/chaski"

say "Compilando el hola-mundo de Tauri de referencia"
HELLO="$WORK/hello"
mkdir -p "$HELLO/src" "$HELLO/dist" "$HELLO/icons"
TAURI_VERSION="$(cargo metadata --format-version 1 --manifest-path "$ROOT/Cargo.toml" \
    | python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"]=="tauri"))')"
cp "$ROOT/icons/icon.png" "$HELLO/icons/icon.png"
cat > "$HELLO/Cargo.toml" <<TOML
[package]
name = "hello"
version = "0.1.0"
edition = "2021"
[workspace]
[dependencies]
tauri = { version = "=$TAURI_VERSION", features = ["custom-protocol"] }
[build-dependencies]
tauri-build = "2"
# The same profiles as the workspace, so the compiled Tauri is reused.
[profile.dev]
debug = "line-tables-only"
[profile.dev.package."*"]
debug = false
TOML
echo 'fn main() { tauri_build::build() }' > "$HELLO/build.rs"
cat > "$HELLO/src/main.rs" <<'RS'
fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .expect("error while running hello");
}
RS
cat > "$HELLO/tauri.conf.json" <<'JSON'
{ "productName": "hello", "identifier": "pe.chaski.bench.hello",
  "build": { "frontendDist": "dist" },
  "app": { "windows": [ { "title": "hello", "width": 1280, "height": 800 } ] },
  "bundle": { "icon": ["icons/icon.png"] } }
JSON
echo '<!doctype html><html><body style="background:#1d4e89;color:white;font:32px sans-serif"><h1>Hola mundo</h1></body></html>' > "$HELLO/dist/index.html"
cp "$ROOT/Cargo.lock" "$HELLO/Cargo.lock" 2>/dev/null || true
(cd "$HELLO" && CARGO_TARGET_DIR="$TARGET" cargo build "${CARGO_FLAGS[@]}" >/dev/null 2>&1) \
    || (cd "$HELLO" && CARGO_TARGET_DIR="$TARGET" cargo build "${CARGO_FLAGS[@]}")
HELLO_BIN="$TARGET/$PROFILE/hello"

export DISPLAY=:97
Xvfb "$DISPLAY" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
XVFB_PID=$!
sleep 1

descendants() {
    local pid=$1 child
    echo "$pid"
    for child in $(pgrep -P "$pid"); do descendants "$child"; done
}

# Prints "<ms to painted window> <PSS kB> <RSS kB>" for one launch of $1 whose window title matches the regex $2.
measure_once() {
    local bin=$1 title=$2 data="$WORK/data-$RANDOM"
    mkdir -p "$data"
    local t0 t1 pid wid colors
    t0=$(date +%s%N)
    XDG_DATA_HOME="$data/share" XDG_CONFIG_HOME="$data/config" XDG_CACHE_HOME="$data/cache" \
        CHASKI_DATA_DIR="$data/chaski" "$bin" >/dev/null 2>&1 &
    pid=$!
    wid=""
    for _ in $(seq 1 600); do
        wid=$(xdotool search --onlyvisible --name "$title" 2>/dev/null | head -1 || true)
        if [ -n "$wid" ]; then
            colors=$(import -window "$wid" png:- 2>/dev/null | identify -format '%k' - 2>/dev/null || echo 0)
            [ "${colors:-0}" -gt 8 ] && break
        fi
        sleep 0.05
    done
    t1=$(date +%s%N)
    sleep 3 # let the webview settle before reading memory
    local pss=0 rss=0 p v
    for p in $(descendants "$pid"); do
        [ -r "/proc/$p/smaps_rollup" ] || continue
        v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup"); pss=$((pss + ${v:-0}))
        v=$(awk '/^Rss:/ {print $2}' "/proc/$p/smaps_rollup"); rss=$((rss + ${v:-0}))
    done
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    echo "$(((t1 - t0) / 1000000)) $pss $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

report() {
    local name=$1 bin=$2 title=$3 i
    local results="$WORK/$name.txt"
    : > "$results"
    measure_once "$bin" "$title" >/dev/null # warm the page cache once
    for i in $(seq 1 "$RUNS"); do measure_once "$bin" "$title" >> "$results"; done
    printf '%-12s start %5s ms   PSS %7s kB   RSS %7s kB   (median of %s)\n' "$name" \
        "$(cut -d' ' -f1 "$results" | median)" "$(cut -d' ' -f2 "$results" | median)" \
        "$(cut -d' ' -f3 "$results" | median)" "$RUNS"
}

say "Midiendo ($RUNS arranques de cada uno, Xvfb 1920x1080)"
report "chaski" "$CHASKI_BIN" "^Chaski — Mesa de ayuda$"
report "hello-world" "$HELLO_BIN" "^hello$"
