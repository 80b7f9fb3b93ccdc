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

# shellcheck source=tools/lib/service-venv.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/service-venv.sh"
# Pinned: the fixture's heat.conf and process model are written for these.
install_service_venv heat "${MAGNUM_HEAT_VENV:-$HOME/.cache/magnum-heat/venv}" \
    "openstack-heat==27.0.1 uWSGI==2.0.31 PyMySQL" "heat-engine uwsgi"
