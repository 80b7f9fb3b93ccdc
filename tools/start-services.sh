#!/usr/bin/env bash
# The per-service functions are called indirectly, as "${name}_up" etc.
# shellcheck disable=SC2317,SC2012
# Start the services magnum's tests and demo use, each only when it does not
# answer, then wait (bounded) until each answers. With arguments, only those:
#   tools/start-services.sh                      # rabbitmq mariadb postgresql dockerd
#   tools/start-services.sh dockerd              # just the Docker engine
# A service that does not come up fails the script with the tail of its log.
# dockerd logs to $MAGNUM_LOG_DIR/dockerd.log (default <repo>/test-artifacts).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOG_DIR="${MAGNUM_LOG_DIR:-$REPO_ROOT/test-artifacts}"
TIMEOUT="${MAGNUM_SERVICE_TIMEOUT:-60}"

say() { printf 'services: %s\n' "$*"; }

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# --- per service: how to check, how to start, where its log is ---------------
rabbitmq_up() { tcp_open 127.0.0.1 5672 && rabbitmq-diagnostics -q ping >/dev/null 2>&1; }
rabbitmq_start() { rabbitmq-server -detached; }
rabbitmq_log() { ls -t /var/log/rabbitmq/*.log 2>/dev/null | head -n1; }

mariadb_up() { mysqladmin -h127.0.0.1 -uroot --connect-timeout=2 ping >/dev/null 2>&1; }
mariadb_start() { start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd; }
mariadb_log() { echo /var/log/mysql/error.log; }

postgresql_up() { pg_isready -h 127.0.0.1 -q; }
postgresql_start() { pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start; }
postgresql_log() { ls -t /var/log/postgresql/*.log 2>/dev/null | head -n1; }

dockerd_up() { docker info >/dev/null 2>&1; }
dockerd_start() {
    command -v dockerd >/dev/null || { say "dockerd is not installed: run tools/install.sh" >&2; return 1; }
    mkdir -p "$LOG_DIR"
    # setsid: the engine outlives this script and the test run that started it.
    setsid dockerd >>"$LOG_DIR/dockerd.log" 2>&1 </dev/null &
}
dockerd_log() { echo "$LOG_DIR/dockerd.log"; }
# -------------------------------------------------------------------------------

wait_up() {
    local name=$1 deadline=$((SECONDS + TIMEOUT))
    until "${name}_up"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            local log
            log="$("${name}_log")"
            say "$name did not answer within ${TIMEOUT} s; last lines of ${log:-its log}:" >&2
            if [ -n "$log" ] && [ -f "$log" ]; then tail -n 40 "$log" >&2; fi
            return 1
        fi
        sleep 1
    done
}

services=("$@")
if [ "${#services[@]}" -eq 0 ]; then services=(rabbitmq mariadb postgresql dockerd); fi

started=()
for name in "${services[@]}"; do
    case "$name" in
        rabbitmq|mariadb|postgresql|dockerd) ;;
        *) say "unknown service '$name' (rabbitmq, mariadb, postgresql, dockerd)" >&2; exit 2 ;;
    esac
    if "${name}_up"; then
        say "$name is up"
    else
        say "starting $name"
        "${name}_start" || say "the start command of $name failed; waiting for it anyway" >&2
        started+=("$name")
    fi
done

failed=0
for name in "${started[@]}"; do
    t0=$SECONDS
    if wait_up "$name"; then
        say "$name is up after $((SECONDS - t0)) s"
    else
        failed=1
    fi
done
exit "$failed"
