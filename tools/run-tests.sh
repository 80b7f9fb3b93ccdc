#!/usr/bin/env bash
# summary and run_pytest are called indirectly (trap, step).
# shellcheck disable=SC2317
# The whole test suite on a fresh machine (README's test command):
#   install (tools/install.sh) -> services (tools/start-services.sh: RabbitMQ,
#   MariaDB, PostgreSQL, dockerd) -> ruff check -> pytest tests/unit tests/functional
# Arguments replace the default test paths and are passed to pytest:
#   bash tools/run-tests.sh tests/functional/rpc -x
# Logs of every process the tests start, dockerd's log and junit-*.xml land in
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
# Artefacts of this run only; dockerd.log stays (a running engine writes to it).
find "$MAGNUM_ARTIFACTS" -mindepth 1 -maxdepth 1 ! -name dockerd.log -exec rm -rf {} +

timings=()
step() {
    local name=$1 t0=$SECONDS rc=0
    shift
    printf '\n==> %s\n' "$name"
    "$@" || rc=$?
    local note=""
    if [ "$rc" -ne 0 ]; then note="  FAILED (exit $rc)"; fi
    timings+=("$(printf '%-22s %4d s%s' "$name" $((SECONDS - t0)) "$note")")
    return "$rc"
}
summary() {
    local rc=$?
    printf '\n==> durations\n'
    printf '  %s\n' "${timings[@]}"
    printf '  %-22s %4d s  (exit %d)\n' total "$SECONDS" "$rc"
}
trap summary EXIT

run_pytest() {  # NAME WORKERS PYTEST-ARGS...
    local name=$1 workers=$2 xdist=() rc=0
    shift 2
    if [ "$workers" -gt 1 ]; then xdist=(-n "$workers" --dist loadfile); fi
    "$MAGNUM_VENV/bin/python" -m pytest -p no:cacheprovider -q -ra \
        --junitxml="$MAGNUM_ARTIFACTS/junit-$name.xml" "${xdist[@]}" "$@" || rc=$?
    if [ "$rc" -eq 5 ]; then
        echo "pytest collected no tests in $*: that is a failure" >&2
    fi
    return "$rc"
}

step install bash tools/install.sh
step services bash tools/start-services.sh rabbitmq mariadb postgresql dockerd
# From here every step runs even when an earlier one failed; the exit status
# says whether any did.
failed=0
step "ruff check" "$MAGNUM_VENV/bin/ruff" check . || failed=1
if [ "$#" -gt 0 ]; then
    step pytest run_pytest selected "$PYTEST_WORKERS" "$@" || failed=1
else
    # One session per tier. The gabbi tests get their own: gabbi's pytest
    # plugin, which tests/functional/api loads, takes every test id containing
    # ':' (IPv6 addresses, database URLs) for one of its own and breaks the
    # collection of any session it shares.
    step "pytest unit" run_pytest unit "$PYTEST_WORKERS" tests/unit || failed=1
    step "pytest functional" run_pytest functional "$PYTEST_WORKERS" tests/functional \
        --ignore=tests/functional/api || failed=1
    # One module (test_gabbi.py): nothing for xdist to spread.
    step "pytest functional/api" run_pytest functional-api 1 tests/functional/api || failed=1
    # Horizon + magnum-ui in headless chromium against a real Keystone and
    # magnum-all; one module, screenshots in test-artifacts/e2e/.
    step "pytest e2e" run_pytest e2e 1 tests/e2e || failed=1
fi
exit "$failed"
