#!/usr/bin/env bash
# End-to-end test of the REAL Chaski app: builds it with the UI embedded, starts tauri-driver
# (which drives WebKitWebDriver) on a virtual X display, and runs tests/e2e against a fresh,
# empty data directory. Installs what is missing first. Screenshots land in $CHASKI_E2E_SHOTS
# (default: target/e2e-shots). CHASKI_E2E_TEST=<name> runs only tests/e2e/tests/<name>.rs.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

apt_install_missing libwebkit2gtk-4.1-dev build-essential pkg-config \
    webkit2gtk-driver xvfb xauth imagemagick \
    dbus gnome-keyring openssl qpdf poppler-utils libnss3-tools
ensure_rust
ensure_node
ensure_ui_packages
ensure_tauri_driver

cd "$ROOT"
TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
export CARGO_TARGET_DIR="$TARGET_DIR"

say "Compilando la app con la interfaz incrustada (tauri build --debug --no-bundle)"
ui/node_modules/.bin/tauri build --debug --no-bundle
APP="$TARGET_DIR/debug/chaski"
[ -x "$APP" ] || { echo "no se encontró el binario de la app en $APP" >&2; exit 1; }

say "Compilando la prueba de punta a punta"
cargo test -p chaski-e2e --no-run --locked

WORK="$(mktemp -d -t chaski-e2e.XXXXXX)"
SHOTS="${CHASKI_E2E_SHOTS:-$TARGET_DIR/e2e-shots}"
mkdir -p "$SHOTS" "$WORK/data" "$WORK/config" "$WORK/chaski"
export XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config" CHASKI_DATA_DIR="$WORK/chaski"
export CHASKI_E2E_APP="$APP" CHASKI_E2E_SHOTS="$SHOTS"
# Several runs may share the machine: each takes its own tauri-driver port and, next to it, its
# own port for WebKitWebDriver (tauri-driver's default 4445 would collide).
PORT="${CHASKI_E2E_PORT:-4444}"
NATIVE_PORT="${CHASKI_E2E_NATIVE_PORT:-$((PORT + 1000))}"
export CHASKI_E2E_WEBDRIVER="http://127.0.0.1:$PORT"

# Everything that needs the display runs inside one xvfb-run: tauri-driver first, then the test;
# the WebDriver session is closed by the test, and only then is tauri-driver stopped with
# SIGTERM (a SIGKILL would leave WebKitWebDriver and the app running). All of it runs inside a
# private D-Bus session with its own unlocked gnome-keyring (keyring-test-env.sh), so the app's
# "Recordar contraseña" uses a real Secret Service and never the person's own keyring.
say "Prueba de punta a punta bajo Xvfb (datos en $WORK)"
set +e
"$ROOT/scripts/keyring-test-env.sh" xvfb-run --auto-servernum --server-args="-screen 0 1366x768x24" bash -c '
    set -u
    tauri-driver --port "$0" --native-port "$2" >"$1/tauri-driver.log" 2>&1 &
    driver=$!
    for _ in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$0") 2>/dev/null && break
        sleep 0.1
    done
    timeout 900 cargo test -p chaski-e2e --locked ${CHASKI_E2E_TEST:+--test "$CHASKI_E2E_TEST"} -- --nocapture --test-threads=1
    rc=$?
    kill -TERM "$driver" 2>/dev/null
    wait "$driver" 2>/dev/null
    exit $rc
' "$PORT" "$WORK" "$NATIVE_PORT"
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
    echo "--- tauri-driver.log ---" >&2
    tail -n 50 "$WORK/tauri-driver.log" >&2 || true
    echo "La prueba de punta a punta falló (código $rc); datos y registro en $WORK" >&2
    exit "$rc"
fi
rm -rf "$WORK"
say "Prueba de punta a punta aprobada; capturas en $SHOTS"
