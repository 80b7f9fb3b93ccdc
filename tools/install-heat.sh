#!/usr/bin/env bash
# Install a real OpenStack Heat for the functional tier, idempotently, in its
# OWN virtualenv (its pins conflict with magnum's), like install-keystone.sh.
# tests/fixtures/heat.py runs this script when the venv is missing and then
# starts heat-engine and heat-api (heat.wsgi.api under uWSGI) from it.
#   MAGNUM_HEAT_VENV  where the venv goes (default ~/.cache/magnum-heat/venv)
#   MAGNUM_PYTHON     the interpreter to build it with (default python3)
# Heat 27 has no heat-all and no eventlet API server: API and engine are two
# processes and need a real RabbitMQ and MariaDB between them (SQLite locks).
set -euo pipefail

VENV="${MAGNUM_HEAT_VENV:-$HOME/.cache/magnum-heat/venv}"
PYTHON="${MAGNUM_PYTHON:-python3}"
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$HOME/.cache/pip}"
# Pinned: the fixture's heat.conf and process model are written for these.
PACKAGES=(openstack-heat==27.0.1 uWSGI==2.0.31 PyMySQL)
STAMP="$VENV/.magnum-heat-packages"

say() { printf 'install-heat: %s\n' "$*"; }

mkdir -p "$(dirname "$VENV")"
exec 9>"$VENV.lock"
flock 9

if [ -x "$VENV/bin/heat-engine" ] && [ -x "$VENV/bin/uwsgi" ] \
    && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "${PACKAGES[*]}" ]; then
    say "Heat venv up to date in $VENV"
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
quiet_pip() { "$VENV/bin/python" -m pip install -q "$@" 2>&1 | { grep -v '^WARNING: Location' || true; }; }
quiet_pip --upgrade pip
quiet_pip "${PACKAGES[@]}"
if [ ! -x "$VENV/bin/heat-engine" ] || [ ! -x "$VENV/bin/uwsgi" ]; then
    say "pip install failed: no heat-engine or uwsgi in $VENV" >&2
    exit 1
fi
echo "${PACKAGES[*]}" > "$STAMP"
say "Heat installed in $((SECONDS - started)) s"
