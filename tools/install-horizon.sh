#!/usr/bin/env bash
# Install the OpenStack dashboard with the Magnum panel for the e2e tier,
# idempotently, in its OWN virtualenv (Horizon pins Django and friends
# differently from magnum). tests/e2e/conftest.py runs this script when the
# venv is missing or out of date, then serves Horizon from it.
#   MAGNUM_HORIZON_VENV  where the venv goes (default ~/.cache/magnum-horizon/venv)
#   MAGNUM_PYTHON        the interpreter to build it with (default python3)
#
# python-magnumclient is pinned to 4.11.0: 5.0.0 dropped the input_auth_token
# keyword and positional list() arguments that magnum-ui 19.0.0 uses, and
# every panel call then fails. tools/horizon-constraints.txt pins the rest
# (a pip freeze of a venv where the e2e tier passed).
#
# The install also writes Horizon's local_settings.py (which Horizon only
# reads from inside its own package), enables magnum-ui's panels and builds
# the static files (collectstatic + offline compression) once, so starting
# the server later takes about a second.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MAGNUM_HORIZON_VENV:-$HOME/.cache/magnum-horizon/venv}"
PYTHON="${MAGNUM_PYTHON:-python3}"
CONSTRAINTS="$REPO_ROOT/tools/horizon-constraints.txt"
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$HOME/.cache/pip}"
PACKAGES=(horizon==27.0.0 magnum-ui==19.0.0 python-magnumclient==4.11.0)
STAMP="$VENV/.magnum-horizon-digest"

say() { printf 'install-horizon: %s\n' "$*"; }

# What the venv is made from: packages, constraints and the settings below.
digest() {
    { echo "${PACKAGES[*]}"; cat "$CONSTRAINTS" "${BASH_SOURCE[0]}"; } | sha256sum | cut -d' ' -f1
}

mkdir -p "$(dirname "$VENV")"
exec 9>"$VENV.lock"
flock 9

if [ -x "$VENV/bin/django-admin" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(digest)" ]; then
    say "Horizon venv up to date in $VENV"
    exit 0
fi

started=$SECONDS
if [ -e "$VENV" ] && [ ! -f "$VENV/pyvenv.cfg" ]; then
    say "$VENV exists and is not a virtualenv: refusing to replace it" >&2
    exit 1
fi
say "creating $VENV with ${PACKAGES[*]} (cache $PIP_CACHE_DIR)"
rm -rf "$VENV"
"$PYTHON" -m venv "$VENV"
# pip's "Location ... is ignored" lines are noise from this machine's index config.
quiet_pip() { "$VENV/bin/python" -m pip install -q "$@" 2>&1 | { grep -v '^WARNING: Location' || true; }; }
quiet_pip --upgrade pip
quiet_pip -c "$CONSTRAINTS" "${PACKAGES[@]}"
if [ ! -x "$VENV/bin/django-admin" ]; then
    say "pip install failed: no django-admin in $VENV" >&2
    exit 1
fi

dashboard="$("$VENV/bin/python" -c 'import openstack_dashboard, os; print(os.path.dirname(openstack_dashboard.__file__))')"
magnum_ui="$("$VENV/bin/python" -c 'import magnum_ui, os; print(os.path.dirname(magnum_ui.__file__))')"
cp "$magnum_ui"/enabled/_[0-9]*.py "$dashboard/local/enabled/"

# Everything that differs per run (Keystone URL, session directory) comes
# from the environment when the server starts.
cat > "$dashboard/local/local_settings.py" <<'EOF'
# Written by magnum's tools/install-horizon.sh for the e2e tier (loopback only).
import os

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Test only: a fixed key for a dashboard that never leaves 127.0.0.1.
SECRET_KEY = os.environ.get("MAGNUM_HORIZON_SECRET_KEY", "magnum-e2e-not-a-secret")
OPENSTACK_KEYSTONE_URL = os.environ.get("MAGNUM_HORIZON_KEYSTONE_URL", "http://127.0.0.1:1/v3")
OPENSTACK_KEYSTONE_DEFAULT_DOMAIN = "Default"
OPENSTACK_KEYSTONE_DEFAULT_ROLE = "member"
OPENSTACK_API_VERSIONS = {"identity": 3, "container-infra": "1.13"}
# Horizon's default cache is memcached on 127.0.0.1:11211.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.file"
SESSION_FILE_PATH = os.environ.get("MAGNUM_HORIZON_SESSION_DIR", "/tmp")
STATIC_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static-root")
COMPRESS_OFFLINE = True
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
EOF
# Without it a login lands on /project/ (Overview), which answers 403 when the
# catalog has no compute service.
cat > "$dashboard/local/local_settings.d/_50_magnum_e2e.py" <<'EOF'
HORIZON_CONFIG["user_home"] = "/project/clusters/"
EOF

export DJANGO_SETTINGS_MODULE=openstack_dashboard.settings
"$VENV/bin/django-admin" collectstatic --noinput -v 0
"$VENV/bin/django-admin" compress --force -v 0
digest > "$STAMP"
say "Horizon installed in $((SECONDS - started)) s ($REPO_ROOT uses it from tests/e2e/conftest.py)"
