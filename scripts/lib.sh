# Shared helpers for Chaski's scripts. Sourced, not run.
# Installs only what is missing, so a second run costs seconds.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Packages to build and run the desktop app.
APP_APT_PACKAGES=(
    build-essential pkg-config curl ca-certificates file
    libwebkit2gtk-4.1-dev libssl-dev libdbus-1-dev
    fonts-liberation2
)
# Extra packages that the test suite uses: a headless display, the WebKit WebDriver for the
# end-to-end test, the PDF validators, a real PostgreSQL for the server suite and a real
# Secret Service for the keyring.
TEST_APT_PACKAGES=(
    xvfb xauth webkit2gtk-driver imagemagick x11-utils
    poppler-utils qpdf libnss3-tools openssl
    postgresql
    gnome-keyring libsecret-tools dbus dbus-x11
)

apt_install_missing() {
    local missing=()
    local pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        return 0
    fi
    say "Instalando paquetes del sistema: ${missing[*]}"
    local attempt
    for attempt in 1 2 3 4 5; do
        if as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive \
            apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
            return 0
        fi
        say "apt-get falló (intento $attempt); reintentando en 10 s (posible bloqueo de dpkg)"
        sleep 10
    done
    echo "No se pudieron instalar: ${missing[*]}" >&2
    return 1
}

ensure_rust() {
    if ! command -v cargo >/dev/null 2>&1; then
        if [ -x "$HOME/.cargo/bin/cargo" ]; then
            export PATH="$HOME/.cargo/bin:$PATH"
        else
            echo "Falta Rust (cargo). Instálelo con rustup (https://rustup.rs) y vuelva a ejecutar." >&2
            return 1
        fi
    fi
    if command -v rustup >/dev/null 2>&1; then
        rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
        rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
    fi
}

ensure_node() {
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        apt_install_missing nodejs npm
    fi
    local major
    major="$(node -p 'process.versions.node.split(".")[0]')"
    if [ "$major" -lt 20 ]; then
        echo "Se necesita Node.js 20 o superior (hay $(node --version))." >&2
        return 1
    fi
}

# npm install with the committed lockfile (npm ci fails here on the Tauri CLI's
# other-platform optional packages), only when package.json or the lockfile changed.
ensure_ui_packages() {
    local stamp="$ROOT/ui/node_modules/.chaski-installed"
    if [ ! -f "$stamp" ] || [ "$ROOT/ui/package.json" -nt "$stamp" ] || [ "$ROOT/ui/package-lock.json" -nt "$stamp" ]; then
        say "Instalando paquetes de npm (ui/)"
        (cd "$ROOT/ui" && npm install --no-audit --no-fund)
        touch "$stamp"
    fi
}

ensure_tauri_driver() {
    if ! command -v tauri-driver >/dev/null 2>&1; then
        if [ -x "$HOME/.cargo/bin/tauri-driver" ]; then
            export PATH="$HOME/.cargo/bin:$PATH"
        else
            say "Instalando tauri-driver"
            cargo install tauri-driver --version '^2' --locked
        fi
    fi
}
