#!/bin/sh
# Runs a command inside a private D-Bus session with a real, unlocked Secret Service
# (gnome-keyring), so the keyring tests never touch the person's own keyring.
#   scripts/keyring-test-env.sh cargo test -p chaski-app --test use_cases secrets::
# Needs: dbus (dbus-run-session), gnome-keyring; libsecret-tools (secret-tool) is optional.
set -eu
if [ "$#" -eq 0 ]; then
    echo "uso: $0 COMANDO [ARGUMENTOS...]" >&2
    exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "$0: falta $tool (apt-get install dbus gnome-keyring)" >&2
        exit 1
    }
done
KEYRING_HOME=$(mktemp -d "${TMPDIR:-/tmp}/chaski-keyring.XXXXXX")
# The webview may start xdg-document-portal inside the session, which mounts a FUSE file system
# at $XDG_RUNTIME_DIR/doc; rm cannot remove a mount point ("Is a directory"), and a failed
# cleanup must never turn a passing test run into a failure. Unmount lazily, then remove.
cleanup() {
    awk -v home="$KEYRING_HOME" 'index($2, home) == 1 { print $2 }' /proc/mounts 2>/dev/null |
        while read -r mount_point; do
            fusermount3 -uz "$mount_point" 2>/dev/null || fusermount -uz "$mount_point" 2>/dev/null ||
                umount -l "$mount_point" 2>/dev/null || true
        done
    rm -rf "$KEYRING_HOME" 2>/dev/null || echo "$0: aviso: no se pudo borrar $KEYRING_HOME" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# Cargo and rustup live under the real HOME: keep them reachable.
export CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}"
export HOME="$KEYRING_HOME"
export XDG_DATA_HOME="$KEYRING_HOME/data"
export XDG_CONFIG_HOME="$KEYRING_HOME/config"
export XDG_RUNTIME_DIR="$KEYRING_HOME/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
status=0
dbus-run-session -- sh -c '
    printf %s chaski-pruebas | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec "$@"
' keyring-test-env "$@" || status=$?
exit "$status"
