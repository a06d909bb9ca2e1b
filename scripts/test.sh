#!/usr/bin/env bash
# Installs what is missing and runs every test: formatting, lints, the Rust tests (store on
# real SQLite files, server on SQLite and on a real PostgreSQL it starts, sync scenarios with
# injected faults, PDFs checked with qpdf/pdftotext/pdffonts/pdfsig, the OS keyring through a
# real Secret Service, the generated TypeScript bindings checked for drift), the UI tests, and
# the end-to-end test of the real app through its webview under Xvfb.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

apt_install_missing "${APP_APT_PACKAGES[@]}" "${TEST_APT_PACKAGES[@]}"
ensure_rust
ensure_node
ensure_ui_packages
ensure_tauri_driver

cd "$ROOT"
started=$SECONDS
# Keep a copy of everything printed, to count the tests at the end.
LOG="$(mktemp -t chaski-test.XXXXXX)"
trap 'rm -f "$LOG"' EXIT
exec > >(tee -a "$LOG") 2>&1
step() { say "$* ($((SECONDS - started)) s)"; }

step "Formato (cargo fmt --check)"
cargo fmt --all -- --check

step "Interfaz: svelte-check y compilación (ui/dist)"
(cd ui && npm run check && npm run build)

step "Lints (cargo clippy -D warnings)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Pruebas de Rust (dentro de una sesión D-Bus con un Secret Service real para el llavero)"
"$ROOT/scripts/keyring-test-env.sh" cargo test --workspace --locked

step "Pruebas de la interfaz (Vitest)"
(cd ui && npm test)

step "Prueba de punta a punta (app real, WebKitWebDriver, Xvfb)"
"$ROOT/scripts/e2e.sh"

step "Todas las pruebas pasaron"
# One closing line for every runner together (cargo's "test result" lines and Vitest's summary).
sed 's/\x1b\[[0-9;]*m//g' "$LOG" | awk '
    /^test result: / { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
    /^ *Tests +[0-9]+ passed/ { p += $2 }
    END { printf "total: %d passed, %d failed\n", p, f }'

