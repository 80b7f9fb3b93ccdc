# Sourced by tools/install-<service>.sh: build one OpenStack service's own
# virtualenv, idempotently. Each service pins libraries differently from
# magnum, so each gets a venv of its own; parallel test workers may all find it
# missing, so one installs under a lock and the others then find it up to date.
#
#   install_service_venv NAME VENV "PACKAGE..." "EXECUTABLE..."
#
# NAME names the log lines; the venv counts as up to date when every
# EXECUTABLE is in VENV/bin and the stamp file lists exactly PACKAGE....
# MAGNUM_PYTHON chooses the interpreter (default python3).
install_service_venv() {
    local name=$1 venv=$2 exe
    local -a packages executables
    read -r -a packages <<<"$3"
    read -r -a executables <<<"$4"
    local stamp="$venv/.magnum-$name-packages" python="${MAGNUM_PYTHON:-python3}"
    export PIP_CACHE_DIR="${PIP_CACHE_DIR:-$HOME/.cache/pip}"
    say() { printf 'install-%s: %s\n' "$name" "$*"; }

    mkdir -p "$(dirname "$venv")"
    exec 9>"$venv.lock"
    flock 9

    local ready=1
    for exe in "${executables[@]}"; do [ -x "$venv/bin/$exe" ] || ready=0; done
    if [ "$ready" = 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "${packages[*]}" ]; then
        say "$name venv up to date in $venv"
        return 0
    fi

    local started=$SECONDS
    say "creating $venv with ${packages[*]} (cache $PIP_CACHE_DIR)"
    if [ -e "$venv" ] && [ ! -f "$venv/pyvenv.cfg" ]; then
        say "$venv exists and is not a virtualenv: refusing to replace it" >&2
        return 1
    fi
    rm -rf "$venv"
    "$python" -m venv "$venv"
    # pip's "Location ... is ignored" lines are noise from this machine's index config.
    quiet_pip() { "$venv/bin/python" -m pip install -q "$@" 2>&1 | { grep -v '^WARNING: Location' || true; }; }
    quiet_pip --upgrade pip
    quiet_pip "${packages[@]}"
    for exe in "${executables[@]}"; do
        if [ ! -x "$venv/bin/$exe" ]; then
            say "pip install failed: no $exe in $venv" >&2
            return 1
        fi
    done
    echo "${packages[*]}" > "$stamp"
    say "$name installed in $((SECONDS - started)) s"
}
