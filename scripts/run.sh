#!/usr/bin/env bash
# Installs what is missing and opens Chaski on a local database in the OS app-data directory.
#   ./scripts/run.sh            # the app, empty the first time (it asks for the unit and technician)
#   ./scripts/run.sh --demo     # the same, and loads the synthetic demo data set
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

app_args=()
for arg in "$@"; do
    case "$arg" in
        --demo) app_args+=(--demo) ;;
        -h|--help) sed -n 2,4p "$0"; exit 0 ;;
        *) echo "Opción desconocida: $arg (use --demo o --help)" >&2; exit 2 ;;
    esac
done

apt_install_missing "${APP_APT_PACKAGES[@]}"
ensure_rust
ensure_node
ensure_ui_packages

# The Tauri CLI finds src-tauri/ (and ui/ for the dev server) from the repository root.
cd "$ROOT"
say "Abriendo Chaski (la primera compilación tarda unos minutos)"
if [ "${#app_args[@]}" -gt 0 ]; then
    exec ui/node_modules/.bin/tauri dev -- -- "${app_args[@]}"
else
    exec ui/node_modules/.bin/tauri dev
fi
