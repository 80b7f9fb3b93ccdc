#!/usr/bin/env bash
# Install what magnum needs on a Debian 12 machine, idempotently:
#   - Debian packages for the local driver and the benchmark (docker.io,
#     busybox-static, iptables, tini, wrk), skipped when already installed;
#   - a virtualenv (MAGNUM_VENV, default <repo>/.venv) made with the machine's
#     python3 (MAGNUM_PYTHON to choose another);
#   - magnum in development mode and the test requirements, pinned by
#     tools/constraints.txt (MAGNUM_CONSTRAINTS= to install unpinned);
#   - Keystone and Heat for the functional tier, each in its own venv
#     (tools/install-keystone.sh, tools/install-heat.sh);
#   - the Kubernetes binaries of local Kubernetes bays, built once per machine
#     and cached by version (tools/build-kubernetes.sh; about 10 min the first
#     time on 2 cores, nothing afterwards). MAGNUM_SKIP_KUBERNETES=1 skips it.
# The pip step is skipped when the requirement files have not changed since the
# last successful run; MAGNUM_FORCE_INSTALL=1 forces it.
#
#   bash tools/install.sh             everything above (tools/run-tests.sh, CI)
#   bash tools/install.sh --service   only what the embedded service and its demo
#       need (tools/run-embedded.sh): docker.io busybox-static iptables tini and
#       a venv with magnum and demo-requirements.txt; no test requirements, no
#       Keystone/Heat/Horizon, no chromium, no Kubernetes build (the demo bay
#       is a local swarm). A later full install completes such a venv.
set -euo pipefail

MODE=full
case "${1:-}" in
    "") ;;
    --service) MODE=service ;;
    *) echo "usage: $0 [--service]" >&2; exit 2 ;;
esac

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MAGNUM_VENV:-$REPO_ROOT/.venv}"
PYTHON="${MAGNUM_PYTHON:-python3}"
CONSTRAINTS="${MAGNUM_CONSTRAINTS-$REPO_ROOT/tools/constraints.txt}"
export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$HOME/.cache/pip}"
DEBIAN_PACKAGES=(docker.io busybox-static iptables tini)
if [ "$MODE" = full ]; then
    # The benchmark's load generator, and the e2e tier's headless browser and
    # its Selenium driver (tests/e2e).
    DEBIAN_PACKAGES+=(wrk chromium chromium-driver)
fi

say() { printf 'install: %s\n' "$*"; }

install_debian_packages() {
    local missing=() pkg
    for pkg in "${DEBIAN_PACKAGES[@]}"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$pkg")
        fi
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        say "Debian packages already installed: ${DEBIAN_PACKAGES[*]}"
        return
    fi
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { say "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
        sudo=(sudo)
    fi
    say "installing Debian packages: ${missing[*]}"
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
        --no-install-recommends "${missing[@]}" >/dev/null
}

create_venv() {
    if [ -x "$VENV/bin/python" ]; then
        say "virtualenv $VENV exists ($("$VENV/bin/python" -V 2>&1))"
        return
    fi
    say "creating virtualenv $VENV with $("$PYTHON" -V 2>&1) ($(command -v "$PYTHON"))"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
}

requirements_file() {  # MODE -> the top requirement file pip installs
    if [ "$1" = full ]; then echo "$REPO_ROOT/test-requirements.txt"
    else echo "$REPO_ROOT/demo-requirements.txt"; fi
}

requirements_digest() {  # MODE
    # Anything that changes what pip would install, plus the mode (a service
    # venv lacks the test requirements, so it never passes for a full one) and
    # where the repo is (an editable install points at one checkout).
    {
        echo "$1 $REPO_ROOT"
        cat "$REPO_ROOT/setup.cfg" "$REPO_ROOT/requirements.txt" \
            "$REPO_ROOT/demo-requirements.txt"
        if [ "$1" = full ]; then cat "$REPO_ROOT/test-requirements.txt"; fi
        if [ -n "$CONSTRAINTS" ]; then cat "$CONSTRAINTS"; fi
    } | sha256sum | cut -d' ' -f1
}

install_python_packages() {
    local stamp="$VENV/.magnum-install-digest" digest current="" accepted
    digest="$(requirements_digest "$MODE")"
    accepted=("$digest")
    # A full install holds everything a service install would.
    if [ "$MODE" = service ]; then accepted+=("$(requirements_digest full)"); fi
    if [ -f "$stamp" ]; then current="$(cat "$stamp")"; fi
    if [ "${MAGNUM_FORCE_INSTALL:-0}" != 1 ] && [ -x "$VENV/bin/magnum-api" ] \
        && [ -n "$current" ] && [[ " ${accepted[*]} " == *" $current "* ]]; then
        say "Python packages up to date in $VENV ($MODE install)"
        return
    fi
    local args=(-e "$REPO_ROOT" -r "$(requirements_file "$MODE")")
    if [ -n "$CONSTRAINTS" ]; then args+=(-c "$CONSTRAINTS"); fi
    say "pip install ${args[*]} (cache $PIP_CACHE_DIR)"
    local started=$SECONDS
    "$VENV/bin/python" -m pip install -q "${args[@]}"
    echo "$digest" > "$stamp"
    say "Python packages installed in $((SECONDS - started)) s ($MODE install)"
}

install_started=$SECONDS
install_debian_packages
if [ "$MODE" = service ]; then
    create_venv
    install_python_packages
    say "done in $((SECONDS - install_started)) s (service install): activate with '. $VENV/bin/activate'"
    exit 0
fi
if [ "${MAGNUM_SKIP_KUBERNETES:-0}" != 1 ]; then
    bash "$REPO_ROOT/tools/build-kubernetes.sh"
fi
create_venv
install_python_packages
# A real Keystone for the functional auth tier, in its own venv (its pins
# conflict with ours); skipped when already installed.
bash "$REPO_ROOT/tools/install-keystone.sh"
# A real Heat (heat-api + heat-engine) for the Heat driver's functional
# tests, in its own venv; skipped when already installed.
bash "$REPO_ROOT/tools/install-heat.sh"
# Horizon + magnum-ui for the e2e tier, in their own venv (Django pins).
bash "$REPO_ROOT/tools/install-horizon.sh"
say "done in $((SECONDS - install_started)) s (full install): activate with '. $VENV/bin/activate'"
