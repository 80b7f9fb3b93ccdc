#!/usr/bin/env bash
# The embedded, all-in-one magnum on this machine (README's service command):
#   install (tools/install.sh --service) -> dockerd if it is down -> magnum-all in the
#   background on 127.0.0.1:9511 (noauth, SQLite, state in ./state) -> wait for
#   GET /healthcheck -> demo (tools/demo.py): cluster template demo-swarm and
#   the 2-node local swarm cluster demo, through python-magnumclient.
#
#   bash tools/run-embedded.sh          start (or reuse) the service, run the demo
#   bash tools/run-embedded.sh stop     stop the service (SIGTERM)
#   bash tools/run-embedded.sh status   is it running?
#
# Environment: MAGNUM_STATE (default <repo>/state), MAGNUM_PORT (9511),
# MAGNUM_VENV (<repo>/.venv), MAGNUM_DEMO=0 to skip the demo.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
export MAGNUM_VENV="${MAGNUM_VENV:-$REPO_ROOT/.venv}"
STATE="${MAGNUM_STATE:-$REPO_ROOT/state}"
PORT="${MAGNUM_PORT:-9511}"
CONF="$STATE/magnum.conf"
LOG="$STATE/magnum-all.log"
PIDFILE="$STATE/magnum-all.pid"
ENDPOINT="http://127.0.0.1:$PORT"
PY="$MAGNUM_VENV/bin/python"

say() { printf 'embedded: %s\n' "$*"; }

running_pid() {
    local pid
    [ -f "$PIDFILE" ] || return 1
    pid="$(cat "$PIDFILE")"
    kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

healthy() {
    "$PY" - "$ENDPOINT/healthcheck" <<'PYEOF' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as response:
    sys.exit(0 if response.status == 200 else 1)
PYEOF
}

stop_service() {
    local pid
    if ! pid="$(running_pid)"; then
        say "magnum-all is not running"
        rm -f "$PIDFILE"
        return 0
    fi
    say "stopping magnum-all (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 30); do
        kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; say "stopped"; return 0; }
        sleep 1
    done
    say "magnum-all (pid $pid) did not stop within 30 s; see $LOG" >&2
    return 1
}

write_config() {
    # Node sockets live under [local] state_dir and a unix socket path must fit
    # in 107 bytes: keep the directory short when the checkout path is long.
    local local_dir="$STATE/local"
    if [ "${#local_dir}" -gt 40 ]; then
        local_dir="/tmp/magnum-local-$(printf '%s' "$STATE" | sha1sum | cut -c1-8)"
    fi
    cat > "$CONF" <<CONFEOF
# Written by tools/run-embedded.sh on every start; edit that script instead.
[DEFAULT]
state_path = $STATE
auth_strategy = noauth
# transport_url is not used: magnum-all talks to its conductor in-process.

[api]
host_ip = 127.0.0.1
port = $PORT

[database]
connection = sqlite:///$STATE/magnum.sqlite

[local]
state_dir = $local_dir
CONFEOF
}

start_service() {
    local pid
    if pid="$(running_pid)" && healthy; then
        say "magnum-all already running (pid $pid) on $ENDPOINT"
        return 0
    fi
    if healthy; then
        say "something else answers on $ENDPOINT; stop it or set MAGNUM_PORT" >&2
        return 1
    fi
    mkdir -p "$STATE"
    write_config
    say "starting magnum-all on $ENDPOINT (config $CONF, log $LOG)"
    rm -f "$PIDFILE"
    # The service outlives this script: its own session, pid written by itself.
    # shellcheck disable=SC2016
    setsid sh -c 'echo $$ > "$1"; shift; exec "$@"' magnum-all "$PIDFILE" \
        "$MAGNUM_VENV/bin/magnum-all" --config-file "$CONF" >>"$LOG" 2>&1 </dev/null &
    for _ in $(seq 1 50); do [ -s "$PIDFILE" ] && break; sleep 0.1; done
    pid="$(cat "$PIDFILE")"
    for _ in $(seq 1 60); do
        if healthy; then
            say "magnum-all is up (pid $pid)"
            return 0
        fi
        if ! kill -0 "$pid" 2>/dev/null; then
            say "magnum-all exited during start-up; last lines of $LOG:" >&2
            tail -n 30 "$LOG" >&2
            rm -f "$PIDFILE"
            return 1
        fi
        sleep 1
    done
    say "magnum-all did not answer $ENDPOINT/healthcheck within 60 s; see $LOG" >&2
    return 1
}

usage() {
    cat <<USAGEEOF

The embedded magnum runs in the background (pid $(cat "$PIDFILE" 2>/dev/null || echo '?')).
  API:      $ENDPOINT/v1  (noauth)  log: $LOG
  CLI:      . $MAGNUM_VENV/bin/activate; export OS_AUTH_TYPE=none OS_ENDPOINT=$ENDPOINT/v1
            openstack coe cluster list; openstack coe cluster show demo; openstack coe service list
  Python:   $PY -c "from magnumclient.v1 import client; c = client.Client(endpoint_override='$ENDPOINT/v1', auth_token='noauth'); print(c.clusters.list())"
  HTTP:     curl -s $ENDPOINT/v1/clusters
  Swarm:    docker -H <api_address printed above> node ls
  Again:    bash tools/run-embedded.sh        (reuses the service and the demo cluster)
  Stop:     bash tools/run-embedded.sh stop   (SIGTERM; state stays in $STATE)
USAGEEOF
}

case "${1:-start}" in
    stop) stop_service; exit ;;
    status)
        if pid="$(running_pid)"; then say "running (pid $pid) on $ENDPOINT"; else say "not running"; exit 1; fi
        exit ;;
    start) ;;
    *) echo "usage: $0 [start|stop|status]" >&2; exit 2 ;;
esac

bash tools/install.sh --service
MAGNUM_LOG_DIR="$STATE" bash tools/start-services.sh dockerd
start_service
if [ "${MAGNUM_DEMO:-1}" != 0 ]; then
    "$PY" tools/demo.py --endpoint "$ENDPOINT/v1" --timeout "${MAGNUM_DEMO_TIMEOUT:-120}"
fi
usage
