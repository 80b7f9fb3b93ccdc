#!/usr/bin/env bash
# The whole test suite on a fresh machine (README's test command):
#   install (tools/install.sh) -> services (tools/start-services.sh: RabbitMQ,
#   MariaDB, PostgreSQL, dockerd) -> ruff check -> pytest tests/unit tests/functional
# Arguments replace the default test paths and are passed to pytest:
#   bash tools/run-tests.sh tests/functional/rpc -x
# Logs of every process the tests start, dockerd's log and junit.xml land in
# test-artifacts/. Exits non-zero when a step fails or when no test ran.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
export MAGNUM_VENV="${MAGNUM_VENV:-$REPO_ROOT/.venv}"
export MAGNUM_ARTIFACTS="${MAGNUM_ARTIFACTS:-$REPO_ROOT/test-artifacts}"
export MAGNUM_LOG_DIR="$MAGNUM_ARTIFACTS"
# Two workers, one test module each at a time: the functional modules start
# their own processes on free ports, databases and RabbitMQ vhosts, so modules
# may run side by side, while tests inside a module share those fixtures.
PYTEST_WORKERS="${MAGNUM_TEST_WORKERS:-2}"
mkdir -p "$MAGNUM_ARTIFACTS"

timings=()
step() {
    local name=$1 t0=$SECONDS
    shift
    printf '\n==> %s\n' "$name"
    "$@"
    timings+=("$(printf '%-22s %4d s' "$name" $((SECONDS - t0)))")
}
summary() {
    local rc=$?
    printf '\n==> durations\n'
    printf '  %s\n' "${timings[@]}"
    printf '  %-22s %4d s  (exit %d)\n' total "$SECONDS" "$rc"
}
trap summary EXIT

run_pytest() {
    local paths=(tests/unit tests/functional) xdist=()
    if [ "$#" -gt 0 ]; then paths=("$@"); fi
    if [ "$PYTEST_WORKERS" -gt 1 ]; then xdist=(-n "$PYTEST_WORKERS" --dist loadfile); fi
    local rc=0
    "$MAGNUM_VENV/bin/python" -m pytest -p no:cacheprovider -q -ra \
        --junitxml="$MAGNUM_ARTIFACTS/junit.xml" "${xdist[@]}" "${paths[@]}" || rc=$?
    if [ "$rc" -eq 5 ]; then
        echo "pytest collected no tests: that is a failure" >&2
    fi
    return "$rc"
}

step install bash tools/install.sh
step services bash tools/start-services.sh rabbitmq mariadb postgresql dockerd
step "ruff check" "$MAGNUM_VENV/bin/ruff" check .
step pytest run_pytest "$@"
