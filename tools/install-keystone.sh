#!/usr/bin/env bash
# Install a real OpenStack Keystone for the functional tier, idempotently, in
# its OWN virtualenv: keystone pins libraries differently from magnum, so it
# must never share magnum's venv. tests/fixtures/keystone.py runs this script
# when the venv is missing and then starts Keystone from it.
#   MAGNUM_KEYSTONE_VENV  where the venv goes (default ~/.cache/magnum-keystone/venv)
#   MAGNUM_PYTHON         the interpreter to build it with (default python3)
# Keystone is served by gunicorn (pure Python, no compile step), one process
# with threads so Keystone's in-memory cache stays coherent.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MAGNUM_KEYSTONE_VENV:-$HOME/.cache/magnum-keystone/venv}"
PYTHON="${MAGNUM_PYTHON:-python3}"
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$HOME/.cache/pip}"
# Pinned: the fixture's keystone.conf and bootstrap flags are written for these.
PACKAGES=(keystone==30.0.0 gunicorn==23.0.0)
STAMP="$VENV/.magnum-keystone-packages"

say() { printf 'install-keystone: %s\n' "$*"; }

# Parallel test workers may all find the venv missing: one installs, the
# others wait for it and then find it up to date.
mkdir -p "$(dirname "$VENV")"
exec 9>"$VENV.lock"
flock 9

if [ -x "$VENV/bin/keystone-manage" ] && [ -x "$VENV/bin/gunicorn" ] \
    && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "${PACKAGES[*]}" ]; then
    say "Keystone venv up to date in $VENV"
    exit 0
fi

started=$SECONDS
say "creating $VENV with ${PACKAGES[*]} (cache $PIP_CACHE_DIR)"
if [ -e "$VENV" ] && [ ! -f "$VENV/pyvenv.cfg" ]; then
    say "$VENV exists and is not a virtualenv: refusing to replace it" >&2
    exit 1
fi
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
# pip's "Location ... is ignored" lines are noise from this machine's index config.
quiet_pip() { "$VENV/bin/python" -m pip install -q "$@" 2>&1 | { grep -v '^WARNING: Location' || true; }; }
quiet_pip --upgrade pip
quiet_pip "${PACKAGES[@]}"
if [ ! -x "$VENV/bin/keystone-manage" ] || [ ! -x "$VENV/bin/gunicorn" ]; then
    say "pip install failed: no keystone-manage or gunicorn in $VENV" >&2
    exit 1
fi
echo "${PACKAGES[*]}" > "$STAMP"
say "Keystone installed in $((SECONDS - started)) s ($REPO_ROOT uses it from tests/fixtures/keystone.py)"
