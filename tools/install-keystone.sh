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

# shellcheck source=tools/lib/service-venv.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/service-venv.sh"
# Pinned: the fixture's keystone.conf and bootstrap flags are written for these.
install_service_venv keystone "${MAGNUM_KEYSTONE_VENV:-$HOME/.cache/magnum-keystone/venv}" \
    "keystone==30.0.0 gunicorn==23.0.0" "keystone-manage gunicorn"
