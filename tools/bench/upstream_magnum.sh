#!/usr/bin/env bash
# upstream_magnum.sh - the performance baseline: serve UPSTREAM OpenStack Magnum's API
# (magnum==23.0.0 from PyPI) on 127.0.0.1:9511 the way upstream deploys it (its WSGI module
# magnum.wsgi.api:application under uWSGI, 1 worker process, 1 thread) and measure it with wrk.
# Driven by tools/bench/api_throughput.py --against-upstream (tools/bench/upstream_compare.py),
# which points it at free ports and a throwaway database on the shared MariaDB.
#
# Usage: upstream-magnum-api.sh install | start | stop | bench | status
#   install  venv + pip (magnum, magnum-capi-helm, uWSGI, PyMySQL), apt (wrk, mariadb-server),
#            write config, create the database and run `magnum-db-manage upgrade`.
#            With the private MariaDB it leaves that mariadbd running (`stop` ends it).
#   start    start the private MariaDB (if used), the Glance stub and the API; wait until
#            GET / answers. UPSTREAM_SERVER=console serves with the `magnum-api` console
#            script instead (Werkzeug; only GET / works there, see below).
#   stop     stop only the PIDs recorded under $UPSTREAM_ROOT/run (and the private mariadbd).
#   bench    empty the cluster_template table, seed BENCH_N templates through the API, then
#            run wrk for BENCH_SECONDS at each concurrency in BENCH_CONCURRENCY on
#            GET /, GET /v1/clustertemplates, GET /v1/clustertemplates/<uuid>,
#            POST /v1/clustertemplates (in that order: creates last, so the list stays at N).
#            Prints a markdown table and writes it, with the raw wrk output, to
#            $UPSTREAM_ROOT/results/.
#   status   what runs.
#
# Env: UPSTREAM_ROOT (default ~/.cache/magnum-bench/upstream), MAGNUM_VERSION (23.0.0; "newest" = newest
#      on PyPI), UPSTREAM_DB=mariadb (default) | sqlite, UPSTREAM_DB_URL (an existing MariaDB
#      database instead of the private server, e.g.
#      mysql+pymysql://root@127.0.0.1:3306/magnum_anchor; create the database first),
#      UPSTREAM_MARIADB_PORT (3316), UPSTREAM_DB_MAX_OVERFLOW (500; see magnum.conf below),
#      MAGNUM_PORT (9511), GLANCE_STUB_PORT (19292),
#      UWSGI_PROCESSES (1), UWSGI_THREADS (1), UPSTREAM_SERVER=uwsgi (default) | console,
#      BENCH_N (100), BENCH_SECONDS (10), BENCH_CONCURRENCY ("1 8"), BENCH_WARMUP (2),
#      BENCH_REPEAT (3 runs per row, medians reported), BENCH_QUIET (30: before each run
#      wait, at most 60 s, until processes not ours use < 30 % of a core; shared machines).
#
# Why the moving parts (details: /work/shared/research/upstream-api-baseline.md):
# - Magnum has NO auth_strategy option. "noauth" is upstream's own test recipe: the paste
#   pipeline without the authtoken filter; identity then comes from X-User-Id, X-Project-Id,
#   X-Roles (policy needs role reader to read, member to create, matching the project).
# - POST /v1/clustertemplates always looks the image up in Glance (3 find_image calls per
#   create, through openstacksdk) and resolves a cluster driver from the image's os_distro.
#   magnum 23 ships no driver at all, so magnum-capi-helm (an official OpenStack driver) is
#   installed, a tiny Glance stub answers every image id with os_distro=ubuntu, and one paste
#   filter puts into the environ what keystonemiddleware would: a token body whose catalog
#   points "image" at the stub. Keypair and flavor are not looked up when the body omits them.
# - magnum 23 leaks a pooled DB connection on most GET /v1/clustertemplates; with oslo.db's
#   default max_overflow (50) one worker stalls for good after ~15 s of list load, so the
#   this recipe sets max_overflow = 500 (UPSTREAM_DB_MAX_OVERFLOW=50 shows the stock failure).
# - SQLite: `magnum-db-manage upgrade` fails (migration 3b6c4c42adb4 adds a unique constraint
#   with ALTER). With UPSTREAM_DB=sqlite the script tries it, then builds the schema from the
#   models (metadata.create_all) and stamps head.
# - uWSGI "http" router in front of a uwsgi socket (like devstack's Apache + uwsgi socket):
#   with http11-socket + keep-alive a 1-thread worker serves one client connection at a time
#   and makes the other connections wait ~4 s (head-of-line blocking); plain http-socket
#   closes every connection (wrk then counts one read error per request).
set -euo pipefail
ROOT=${UPSTREAM_ROOT:-$HOME/.cache/magnum-bench/upstream}
MAGNUM_VERSION=${MAGNUM_VERSION:-23.0.0}
CAPI_HELM_VERSION=${CAPI_HELM_VERSION:-1.4.0}
UWSGI_VERSION=${UWSGI_VERSION:-2.0.31}
DB_KIND=${UPSTREAM_DB:-mariadb}
DB_PORT=${UPSTREAM_MARIADB_PORT:-3316}
DB_MAX_OVERFLOW=${UPSTREAM_DB_MAX_OVERFLOW:-500}
PORT=${MAGNUM_PORT:-9511}
GLANCE_PORT=${GLANCE_STUB_PORT:-19292}
PROCESSES=${UWSGI_PROCESSES:-1}
THREADS=${UWSGI_THREADS:-1}
SERVER=${UPSTREAM_SERVER:-uwsgi}
VENV=$ROOT/venv
ETC=$ROOT/etc
LIB=$ROOT/lib
RUN=$ROOT/run
LOGD=$ROOT/log
MDB=$ROOT/mariadb
URL=http://127.0.0.1:$PORT
log() { echo "[upstream-magnum] $*" >&2; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

db_url() {
  if [ -n "${UPSTREAM_DB_URL:-}" ]; then echo "$UPSTREAM_DB_URL"
  elif [ "$DB_KIND" = sqlite ]; then echo "sqlite:///$ROOT/magnum.sqlite"
  else echo "mysql+pymysql://magnum:secret@127.0.0.1:$DB_PORT/magnum?charset=utf8mb4"; fi
}
private_mariadb() { [ "$DB_KIND" = mariadb ] && [ -z "${UPSTREAM_DB_URL:-}" ]; }

# Stop a PID we recorded: TERM, wait, then KILL it and the children it still has.
kill_pidfile() {  # pidfile [seconds]
  local f=$1 secs=${2:-15} p kids
  [ -f "$f" ] || return 0
  p=$(cat "$f")
  if kill -0 "$p" 2>/dev/null; then
    kids=$(ps -o pid= --ppid "$p" 2>/dev/null || true)
    kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq $((secs * 10))); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$p" 2>/dev/null; then log "forcing $p"; kill -KILL "$p" 2>/dev/null || true; fi
    for k in $kids; do kill -0 "$k" 2>/dev/null && kill -KILL "$k" 2>/dev/null || true; done
  fi
  rm -f "$f"
}

install_pkgs() {
  local need=()
  command -v wrk >/dev/null || need+=(wrk)
  if private_mariadb && ! command -v mariadbd >/dev/null; then need+=(mariadb-server); fi
  if [ ${#need[@]} -gt 0 ]; then
    log "apt-get install ${need[*]} (Debian's policy-rc.d keeps services from auto-starting)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q "${need[@]}" >/dev/null 2>&1 || {
      apt-get update -q >/dev/null; apt-get install -y -q "${need[@]}" >/dev/null; }
  fi
  local newest
  newest=$(python3 -m pip index versions magnum 2>/dev/null | sed -n 's/^magnum (\(.*\))$/\1/p')
  [ "$MAGNUM_VERSION" = newest ] && MAGNUM_VERSION=$newest
  log "magnum: newest on PyPI is ${newest:-unknown}; installing $MAGNUM_VERSION"
  if [ -x "$VENV/bin/uwsgi" ] && "$VENV/bin/pip" show magnum 2>/dev/null | grep -qx "Version: $MAGNUM_VERSION"; then
    return
  fi
  local t=$SECONDS
  mkdir -p "$ROOT"
  python3 -m venv "$VENV"
  echo "magnum==$MAGNUM_VERSION" > "$ROOT/constraints.txt"   # the driver must not move magnum
  "$VENV/bin/pip" install -q -c "$ROOT/constraints.txt" "magnum==$MAGNUM_VERSION" \
    "magnum-capi-helm==$CAPI_HELM_VERSION" "uWSGI==$UWSGI_VERSION" PyMySQL 2>&1 \
    | grep -v '^WARNING: Location' || true
  [ -x "$VENV/bin/uwsgi" ] && [ -x "$VENV/bin/magnum-db-manage" ] || { log "pip install failed"; exit 1; }
  "$VENV/bin/pip" freeze 2>/dev/null > "$ROOT/pip-freeze.txt"
  log "pip install took $((SECONDS - t))s ($(du -sm "$VENV" | cut -f1) MB)"
}

write_lib() {
  mkdir -p "$LIB"
  # Stands in for keystonemiddleware's output only: keystone.token_info with a catalog.
  cat > "$LIB/magnum_bench_noauth.py" <<'EOF'
"""Paste filter for a Keystone-less benchmark of upstream magnum-api.

keystonemiddleware's auth_token puts 'keystone.token_info' (the validated v3
token body) into the WSGI environ; magnum's ContextHook copies it into the
request context and builds its Glance client from that token's catalog. This
filter adds the same key with a static token whose catalog has one 'image'
endpoint (the local Glance stub). Identity (X-User-Id, X-Project-Id, X-Roles,
X-Auth-Token) comes from the request headers, as in upstream's noauth tests.
"""


def filter_factory(global_conf, **local_conf):
    image_url = local_conf.get('image_endpoint', 'http://127.0.0.1:19292')
    dom = {'id': 'default', 'name': 'Default'}
    token_info = {'token': {
        'methods': ['token'],
        'issued_at': '2026-01-01T00:00:00.000000Z',
        'expires_at': '2099-01-01T00:00:00.000000Z',
        'user': {'id': 'benchuser', 'name': 'bench', 'domain': dom},
        'project': {'id': 'benchproject', 'name': 'bench', 'domain': dom},
        'roles': [{'id': 'member', 'name': 'member'},
                  {'id': 'reader', 'name': 'reader'}],
        'catalog': [{'type': 'image', 'name': 'glance', 'id': 'image',
                     'endpoints': [{'id': 'image-public',
                                    'interface': 'public',
                                    'region': 'RegionOne',
                                    'region_id': 'RegionOne',
                                    'url': image_url}]}],
    }}

    def _filter(app):
        def middleware(environ, start_response):
            environ['keystone.token_info'] = token_info
            return app(environ, start_response)
        return middleware
    return _filter
EOF
  cat > "$LIB/glance_stub.py" <<'EOF'
"""Glance v2 stand-in for the benchmark: every image id exists.

GET / -> 300 version list (keystoneauth discovers the version on every new
session), GET /v2/images/<id> -> an active image with os_distro=argv[2].
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])
DISTRO = sys.argv[2]
BASE = 'http://127.0.0.1:%d' % PORT


def image(image_id, name=None):
    return {'id': image_id, 'name': name or image_id, 'status': 'active',
            'visibility': 'public', 'os_distro': DISTRO,
            'disk_format': 'qcow2', 'container_format': 'bare',
            'min_disk': 0, 'min_ram': 0, 'protected': False, 'tags': [],
            'created_at': '2026-01-01T00:00:00Z',
            'updated_at': '2026-01-01T00:00:00Z',
            'self': '/v2/images/' + image_id,
            'file': '/v2/images/%s/file' % image_id,
            'schema': '/v2/schemas/image'}


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    # Headers and body in one segment, no Nagle: written apart, they meet the
    # client's delayed ACK and every Glance call then stalls ~40 ms.
    wbufsize = 65536
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def _send(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path, _, query = self.path.partition('?')
        parts = [p for p in path.split('/') if p]
        if parts in ([], ['versions'], ['v2']):
            v = {'id': 'v2.16', 'status': 'CURRENT',
                 'links': [{'rel': 'self', 'href': BASE + '/v2/'}]}
            return self._send(200 if parts else 300, {'versions': [v]})
        if parts[:2] == ['v2', 'images'] and len(parts) == 3:
            return self._send(200, image(parts[2]))
        if parts == ['v2', 'images']:
            names = [kv[5:] for kv in query.split('&') if kv.startswith('name=')]
            found = [image('00000000-0000-4000-8000-000000000001', names[0])] if names else []
            return self._send(200, {'images': found, 'schema': '/v2/schemas/images'})
        return self._send(404, {'message': 'not found'})


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(('127.0.0.1', PORT), Handler).serve_forever()
EOF
  # SQLite fallback: the schema from the models (alembic cannot ALTER constraints there).
  cat > "$LIB/sqlite_schema.py" <<'EOF'
import sys
import warnings
warnings.simplefilter('ignore')
import sqlalchemy  # noqa: E402
from magnum.db.sqlalchemy import models  # noqa: E402
models.Base.metadata.create_all(sqlalchemy.create_engine(sys.argv[1]))
print('created tables:', ', '.join(sorted(models.Base.metadata.tables)))
EOF
  cat > "$LIB/bench.py" <<'EOF'
"""Seed cluster templates through the API, run wrk, report a table.

argv: url db_url n seconds warmup "concurrencies" repeat quiet results_dir run_dir mode
Each (endpoint, concurrency) runs `repeat` times; the table shows medians. Before each run
it waits (up to 60 s) until processes other than ours use less than `quiet` % CPU, because
the machine may be shared.
"""
import datetime
import http.client
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
import warnings

warnings.simplefilter('ignore')
URL, DB_URL, N, SECS, WARM, CONCS, REPEAT, QUIET, RESULTS, RUN, MODE = sys.argv[1:12]
N, SECS, WARM, REPEAT, QUIET = int(N), int(SECS), int(WARM), int(REPEAT), float(QUIET)
CONCS = [int(c) for c in CONCS.split()]
HOST, PORT = URL.split('//')[1].split(':')
NCPU = os.cpu_count() or 1
IMAGE = '5f2b7c1e-1d3a-4c55-9c1e-0b0d5a1e7c01'
HEADERS = {'OpenStack-API-Version': 'container-infra latest',
           'X-Auth-Token': 'bench', 'X-Project-Id': 'benchproject',
           'X-User-Id': 'benchuser', 'X-Roles': 'member,reader'}
TICK = os.sysconf('SC_CLK_TCK')
stamp = datetime.datetime.now().strftime('%Y%m%d-%H%M%S')
raw_dir = os.path.join(RESULTS, stamp)
os.makedirs(raw_dir, exist_ok=True)


def api(method, path, body=None):
    c = http.client.HTTPConnection(HOST, int(PORT), timeout=120)
    h = dict(HEADERS)
    if body is not None:
        h['Content-Type'] = 'application/json'
        body = json.dumps(body)
    c.request(method, path, body=body, headers=h)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


def pids(name):
    try:
        return [int(p) for p in open(os.path.join(RUN, name)).read().split()]
    except OSError:
        return []


def cpu(pid_list):
    total = 0
    for p in pid_list:
        try:
            f = open('/proc/%d/stat' % p).read().rsplit(')', 1)[1].split()
            total += int(f[11]) + int(f[12])
        except OSError:
            pass
    return total / TICK


def host_cpu():
    f = [int(x) for x in open('/proc/stat').readline().split()[1:8]]
    return (sum(f) - f[3] - f[4]) / TICK


def ours():
    return cpu(pids('server.pids') + pids('glance.pid') + pids('mariadb.pid'))


def wait_quiet():
    """Wait until CPU used by others (not server, stub, DB) is below QUIET %."""
    t_end = time.time() + 60
    while True:
        h0, o0, t0 = host_cpu(), ours(), time.time()
        time.sleep(1)
        others = ((host_cpu() - h0) - (ours() - o0)) / (time.time() - t0) * 100
        if others < QUIET or time.time() > t_end:
            return others


ENGINE = None


def db_conns():
    """Server connections open on MariaDB (the API's pool plus leaked ones), else ''."""
    global ENGINE
    if not DB_URL.startswith('mysql'):
        return ''
    import sqlalchemy
    if ENGINE is None:
        ENGINE = sqlalchemy.create_engine(DB_URL, poolclass=sqlalchemy.pool.NullPool)
    with ENGINE.connect() as conn:
        n = conn.execute(sqlalchemy.text("SHOW STATUS LIKE 'Threads_connected'")).fetchone()[1]
    return int(n) - 1


def mem(pid):
    out = {}
    try:
        for line in open('/proc/%d/status' % pid):
            if line.startswith(('VmRSS', 'VmHWM')):
                k, v = line.split(':')
                out[k] = int(v.split()[0]) // 1024
    except OSError:
        pass
    return out


def to_ms(v):
    m = re.match(r'([\d.]+)(us|ms|s|m)$', v)
    n, u = float(m.group(1)), m.group(2)
    return n * {'us': 0.001, 'ms': 1, 's': 1000, 'm': 60000}[u]


def wrk(name, path, script, conc, secs):
    threads = min(conc, NCPU)
    cmd = ['wrk', '-t%d' % threads, '-c%d' % conc, '-d%ds' % secs,
           '--timeout', '30s', '--latency', '-s', script, URL + path]
    before = wait_quiet()
    srv, stub, db = pids('server.pids'), pids('glance.pid'), pids('mariadb.pid')
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    c0 = (cpu(srv), cpu(stub), cpu(db), host_cpu(), time.time())
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    c1 = (cpu(srv), cpu(stub), cpu(db), host_cpu(), time.time())
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(os.path.join(raw_dir, '%s-c%d.txt' % (name, conc)), 'a') as f:
        f.write(' '.join(cmd) + '\n' + out + '\n')
    rps = float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1))
    lat = dict(re.findall(r'^\s+(50|99)%\s+(\S+)$', out, re.M))
    total = int(re.search(r'(\d+) requests in', out).group(1))
    bad = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
    sock = re.search(r'Socket errors: (.*)', out)
    wall = c1[4] - c0[4]
    wrk_cpu = ((r1.ru_utime + r1.ru_stime) - (r0.ru_utime + r0.ru_stime)) / wall * 100
    r = {'rps': rps, 'p50': to_ms(lat['50']), 'p99': to_ms(lat['99']),
         'n': total, 'bad': int(bad.group(1)) if bad else 0,
         'sock': sock.group(1) if sock else '',
         'srv': (c1[0] - c0[0]) / wall * 100, 'stub': (c1[1] - c0[1]) / wall * 100,
         'db': (c1[2] - c0[2]) / wall * 100, 'wrk': wrk_cpu,
         'host': (c1[3] - c0[3]) / wall * 100, 'before': before}
    r['others'] = max(0.0, r['host'] - r['srv'] - r['stub'] - r['db'] - wrk_cpu)
    r['conns'] = db_conns()
    return r


def lua(name, body=None):
    p = os.path.join(raw_dir, name + '.lua')
    with open(p, 'w') as f:
        for k, v in HEADERS.items():
            f.write('wrk.headers["%s"] = "%s"\n' % (k, v))
        if body is not None:
            f.write('wrk.method = "POST"\n')
            f.write('wrk.headers["Content-Type"] = "application/json"\n')
            f.write("wrk.body = '%s'\n" % json.dumps(body))
    return p


def main():
    status, data = api('GET', '/')
    assert status == 200, (status, data)
    version = json.loads(data)['versions'][0]['max_version']
    targets = [('GET /', '/', lua('get'))]
    notes = []
    if MODE == 'uwsgi':
        import sqlalchemy
        eng = sqlalchemy.create_engine(DB_URL)
        with eng.begin() as conn:
            conn.execute(sqlalchemy.text('DELETE FROM cluster_template'))
        t = time.perf_counter()
        uuids = []
        for i in range(N):
            status, data = api('POST', '/v1/clustertemplates',
                               {'name': 'seed-%03d' % i, 'image_id': IMAGE,
                                'coe': 'kubernetes'})
            assert status == 201, (status, data[:500])
            uuids.append(json.loads(data)['uuid'])
        seed_s = time.perf_counter() - t
        status, data = api('GET', '/v1/clustertemplates')
        listed = len(json.loads(data)['clustertemplates'])
        assert status == 200 and listed == N, (status, listed)
        status, one = api('GET', '/v1/clustertemplates/' + uuids[N // 2])
        assert status == 200, (status, one[:300])
        notes.append('Seeded %d cluster templates through the API in %.1f s (%.0f ms each, '
                     'one at a time); the list returns %d items, %d bytes; show returns %d '
                     'bytes.' % (N, seed_s, seed_s / N * 1000, listed, len(data), len(one)))
        print(notes[-1], flush=True)
        targets += [
            ('GET /v1/clustertemplates', '/v1/clustertemplates', lua('get')),
            ('GET /v1/clustertemplates/<uuid>',
             '/v1/clustertemplates/' + uuids[N // 2], lua('get')),
            ('POST /v1/clustertemplates', '/v1/clustertemplates',
             lua('post', {'name': 'wrk-create', 'image_id': IMAGE,
                          'coe': 'kubernetes'})),
        ]
    else:
        notes.append('Console mode (the magnum-api script): only GET / is measured; every '
                     'DB read or write is an RPC call to magnum-conductor there.')
        print(notes[-1], flush=True)
    rows = []
    for label, path, script in targets:
        name = re.sub(r'[^a-z]+', '-', label.lower()).strip('-')
        if WARM:
            wrk(name + '-warmup', path, script, CONCS[0], WARM)
        for c in CONCS:
            runs = []
            for _ in range(REPEAT):
                r = wrk(name, path, script, c, SECS)
                runs.append(r)
                print('%-32s c=%-2d %7.1f req/s  p50 %8.2f ms  p99 %8.2f ms  non-2xx %d  '
                      'server CPU %3.0f%%  wrk %3.0f%%  others %3.0f%% (before %3.0f%%)  '
                      'DB conns %s' % (label, c, r['rps'], r['p50'], r['p99'], r['bad'],
                                       r['srv'], r['wrk'], r['others'], r['before'],
                                       r['conns']), flush=True)
            rows.append((label, c, runs))
    srv = pids('server.pids')
    mems = [(p, open('/proc/%d/cmdline' % p).read().replace('\0', ' ').strip()[:60], mem(p))
            for p in srv if os.path.exists('/proc/%d' % p)]
    if MODE == 'uwsgi':
        with eng.begin() as conn:
            final = conn.execute(sqlalchemy.text('SELECT COUNT(*) FROM cluster_template')).scalar()
        notes.append('cluster_template rows at the end: %d (the list runs saw %d).' % (final, N))

    def med(runs, k):
        return statistics.median(r[k] for r in runs)

    lines = ['# upstream magnum-api bench %s' % stamp, '',
             'API max microversion %s; server: %s; %d runs of %d s per row (medians), '
             'warm-up %d s per endpoint; wrk, keep-alive, threads = min(c, %d cores).'
             % (version, MODE, REPEAT, SECS, WARM, NCPU), '',
             '| endpoint | c | req/s | req/s range | p50 ms | p99 ms | requests | non-2xx | '
             'socket errors | server CPU % | Glance stub CPU % | MariaDB CPU % | wrk CPU % | '
             'others CPU % | DB conns after |',
             '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|']
    for label, c, runs in rows:
        socks = sorted({r['sock'] for r in runs if r['sock']}) or ['0']
        lines.append(
            '| %s | %d | %.1f | %.1f-%.1f | %.2f | %.2f | %d | %d | %s | %.0f | %.0f | %.0f '
            '| %.0f | %.0f | %s |'
            % (label, c, med(runs, 'rps'), min(r['rps'] for r in runs),
               max(r['rps'] for r in runs), med(runs, 'p50'), med(runs, 'p99'),
               sum(r['n'] for r in runs), sum(r['bad'] for r in runs), '; '.join(socks),
               med(runs, 'srv'), med(runs, 'stub'), med(runs, 'db'), med(runs, 'wrk'),
               med(runs, 'others'),
               ','.join(str(r['conns']) for r in runs) if DB_URL.startswith('mysql') else '-'))
    lines += ['', 'CPU columns: percent of one core, medians; "others" = processes not ours '
              '(other work on a shared machine). DB conns after: MariaDB connections open after '
              'each run (pool + leaked; empty on SQLite).', '',
              'Server processes after the bench (MiB):', '']
    for p, cmd, m in mems:
        lines.append('- pid %d `%s`: RSS %s, peak RSS %s'
                     % (p, cmd, m.get('VmRSS'), m.get('VmHWM')))
    lines += [''] + notes
    report = '\n'.join(lines) + '\n'
    with open(os.path.join(RESULTS, 'bench-%s.md' % stamp), 'w') as f:
        f.write(report)
    print('\n' + report)
    print('raw wrk output: %s' % raw_dir)


main()
EOF
}

write_config() {
  mkdir -p "$ETC" "$RUN" "$LOGD"
  cat > "$ETC/magnum.conf" <<EOF
[DEFAULT]
debug = false
log_file = $LOGD/magnum-api.log
host = upstream-anchor
# In-memory oslo.messaging driver: nothing here needs the conductor (see the .md).
transport_url = fake://
[database]
connection = $(db_url)
# magnum 23 leaks one pooled connection per list request that the young GC generations do
# not reclaim (get_cluster_template_list runs query.all() after its enginefacade session
# block has closed). With oslo.db's max_overflow=50 a 1-worker API exhausts the pool after
# ~15 s of list load and every request then waits pool_timeout (30 s) and fails. A large
# overflow lets the periodic full GC return them (sawtooth ~25-100 connections).
# UPSTREAM_DB_MAX_OVERFLOW=50 reproduces the stock failure. (Ignored on SQLite: NullPool;
# there each leaked session keeps a read lock until the GC frees it, so creates issued right
# after list load can fail with "database is locked"; the bench's show phase sits between.)
max_overflow = $DB_MAX_OVERFLOW
[api]
host = 127.0.0.1
port = $PORT
workers = 1
api_paste_config = $ETC/api-paste.ini
EOF
  # Upstream's etc/magnum/api-paste.ini minus authtoken, plus the token_info filter.
  cat > "$ETC/api-paste.ini" <<EOF
[composite:main]
paste.composite_factory = magnum.api:root_app_factory
/: api
/healthcheck: healthcheck

[pipeline:api]
pipeline = cors http_proxy_to_wsgi request_id osprofiler noauth_catalog api_v1

[app:api_v1]
paste.app_factory = magnum.api.app:app_factory

[filter:noauth_catalog]
paste.filter_factory = magnum_bench_noauth:filter_factory
image_endpoint = http://127.0.0.1:$GLANCE_PORT

[filter:osprofiler]
paste.filter_factory = magnum.common.profiler:WsgiMiddleware.factory

[filter:request_id]
paste.filter_factory = oslo_middleware:RequestId.factory

[filter:cors]
paste.filter_factory = oslo_middleware.cors:filter_factory
oslo_config_project = magnum

[app:healthcheck]
paste.app_factory = oslo_middleware:Healthcheck.app_factory
backends = disable_by_file
disable_by_file_path = $RUN/healthcheck_disable

[filter:http_proxy_to_wsgi]
paste.filter_factory = oslo_middleware.http_proxy_to_wsgi:HTTPProxyToWSGI.factory
oslo_config_project = magnum
EOF
  # devstack's write_uwsgi_config settings (module, processes, master, enable-threads,
  # thunder-lock, lazy-apps, buffer-size, die-on-term, graceful SIGTERM), with uWSGI's own
  # "http" router in Apache's place. No "Connection: close" header, no per-request log.
  cat > "$ETC/uwsgi.ini" <<EOF
[uwsgi]
module = magnum.wsgi.api:application
pyargv = --config-file $ETC/magnum.conf
virtualenv = $VENV
pythonpath = $LIB
http = 127.0.0.1:$PORT
http-keepalive = 1
; The router copies a response to the client in http-buffer-size pieces (default: one
; page). 4 KiB writes meet Nagle + the client's delayed ACK: +40 ms on the 110 KB list.
http-buffer-size = 1048576
socket = $RUN/magnum-api.sock
chmod-socket = 600
master = true
processes = $PROCESSES
threads = $THREADS
enable-threads = true
thunder-lock = true
lazy-apps = true
buffer-size = 65535
die-on-term = true
exit-on-reload = false
worker-reload-mercy = 10
hook-master-start = unix_signal:15 gracefully_kill_them_all
procname-prefix-spaced = magnum-api
pidfile = $RUN/uwsgi.pid
logto = $LOGD/uwsgi.log
disable-logging = true
EOF
}

start_mariadb() {
  private_mariadb || return 0
  mkdir -p "$MDB"
  if ! alive "$RUN/mariadb.pid"; then
    if [ ! -d "$MDB/data/mysql" ]; then
      mariadb-install-db --no-defaults --datadir="$MDB/data" --user=root \
        --auth-root-authentication-method=normal --skip-test-db >"$LOGD/mariadb-install-db.log" 2>&1
    fi
    setsid mariadbd --no-defaults --datadir="$MDB/data" --user=root --bind-address=127.0.0.1 \
      --port="$DB_PORT" --socket="$MDB/mysqld.sock" --pid-file="$MDB/mysqld.pid" \
      --log-error="$LOGD/mariadb.log" --skip-name-resolve --innodb-buffer-pool-size=128M \
      --innodb-flush-log-at-trx-commit=2 --max-connections=1000 </dev/null >/dev/null 2>&1 &
    echo $! > "$RUN/mariadb.pid"
  fi
  for _ in $(seq 150); do
    mariadb-admin --socket="$MDB/mysqld.sock" -uroot ping >/dev/null 2>&1 && break; sleep 0.2
  done
  mariadb --socket="$MDB/mysqld.sock" -uroot -e "CREATE DATABASE IF NOT EXISTS magnum CHARACTER SET utf8mb4;
    CREATE USER IF NOT EXISTS 'magnum'@'127.0.0.1' IDENTIFIED BY 'secret';
    GRANT ALL ON magnum.* TO 'magnum'@'127.0.0.1';"
}

db_sync() {
  local mdm=("$VENV/bin/magnum-db-manage" --config-file "$ETC/magnum.conf")
  if [ "$DB_KIND" = sqlite ]; then
    [ -f "$ROOT/magnum.sqlite" ] && "${mdm[@]}" version 2>/dev/null | grep -q 'revision is [0-9a-f]' && return
    rm -f "$ROOT/magnum.sqlite"
    if "${mdm[@]}" upgrade >"$LOGD/db-upgrade-sqlite.log" 2>&1; then return; fi
    log "magnum-db-manage upgrade fails on SQLite at: $(grep 'Running upgrade' "$LOGD/db-upgrade-sqlite.log" | tail -1 | sed 's/.*Running upgrade //')"
    log "  $(grep -m1 '^NotImplementedError' "$LOGD/db-upgrade-sqlite.log" | cut -c1-110)"
    log "falling back to models' create_all + 'magnum-db-manage stamp head'"
    rm -f "$ROOT/magnum.sqlite"
    "$VENV/bin/python" "$LIB/sqlite_schema.py" "$(db_url)" >&2
    "${mdm[@]}" stamp head >>"$LOGD/db-upgrade-sqlite.log" 2>&1
  else
    "${mdm[@]}" upgrade >"$LOGD/db-upgrade.log" 2>&1 || { tail -5 "$LOGD/db-upgrade.log" >&2; exit 1; }
  fi
  log "schema: $("${mdm[@]}" version 2>/dev/null | tail -1)"
}

install() {
  install_pkgs
  write_lib
  write_config
  start_mariadb
  db_sync
}

start_glance_stub() {
  alive "$RUN/glance.pid" && return
  setsid "$VENV/bin/python" "$LIB/glance_stub.py" "$GLANCE_PORT" ubuntu </dev/null >"$LOGD/glance-stub.log" 2>&1 &
  echo $! > "$RUN/glance.pid"
  for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$GLANCE_PORT/v2/images/x" && return; sleep 0.1; done
  log "glance stub did not start"; exit 1
}

wait_api() {
  local t0=$SECONDS
  for _ in $(seq 300); do
    if curl -sf -o /dev/null "$URL/"; then log "API up on $URL after $((SECONDS - t0))s"; return; fi
    sleep 0.2
  done
  log "API did not answer; see $LOGD"; exit 1
}

start() {
  [ -x "$VENV/bin/uwsgi" ] || install
  write_lib
  write_config
  start_mariadb
  db_sync
  start_glance_stub
  if alive "$RUN/uwsgi.pid" || alive "$RUN/console.pid"; then log "already running"; return; fi
  if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then log "port $PORT is taken"; exit 1; fi
  echo "$SERVER" > "$RUN/server.mode"
  if [ "$SERVER" = console ]; then
    # The console script: Werkzeug run_simple(processes=[api]workers), and it sets
    # MagnumObject.indirection_api, so object reads and writes are RPC calls to a conductor.
    PYTHONPATH=$LIB setsid "$VENV/bin/magnum-api" --config-file "$ETC/magnum.conf" \
      </dev/null >"$LOGD/magnum-api-console.out" 2>&1 &
    echo $! > "$RUN/console.pid"
    wait_api
    cat "$RUN/console.pid" > "$RUN/server.pids"
  else
    setsid "$VENV/bin/uwsgi" --ini "$ETC/uwsgi.ini" </dev/null >/dev/null 2>&1 &
    wait_api
    local m; m=$(cat "$RUN/uwsgi.pid")
    { echo "$m"; ps -o pid= --ppid "$m"; } | tr -s ' \n' ' ' > "$RUN/server.pids"
    ps -o pid=,rss=,args= -p "$(tr ' ' ',' < "$RUN/server.pids" | sed 's/,$//')" >&2
  fi
}

stop() {
  kill_pidfile "$RUN/uwsgi.pid" 15
  kill_pidfile "$RUN/console.pid" 15
  kill_pidfile "$RUN/glance.pid" 5
  if [ -f "$RUN/mariadb.pid" ] && alive "$RUN/mariadb.pid"; then
    mariadb-admin --socket="$MDB/mysqld.sock" -uroot shutdown >/dev/null 2>&1 || true
    kill_pidfile "$RUN/mariadb.pid" 30
  fi
  rm -f "$RUN/mariadb.pid" "$RUN/server.pids" "$RUN/magnum-api.sock"
  log "stopped"
}

status() {
  for f in uwsgi console glance mariadb; do
    if alive "$RUN/$f.pid"; then echo "$f: running (pid $(cat "$RUN/$f.pid"))"; else echo "$f: stopped"; fi
  done
}

bench() {
  curl -sf -o /dev/null "$URL/" || { log "API not running: start it first"; exit 1; }
  command -v wrk >/dev/null || { log "wrk missing: run install"; exit 1; }
  mkdir -p "$ROOT/results"
  write_lib
  local conn  # the database the running server uses, whatever UPSTREAM_DB says now
  conn=$(sed -n 's/^connection = //p' "$ETC/magnum.conf")
  "$VENV/bin/python" "$LIB/bench.py" "$URL" "$conn" "${BENCH_N:-100}" "${BENCH_SECONDS:-10}" \
    "${BENCH_WARMUP:-2}" "${BENCH_CONCURRENCY:-1 8}" "${BENCH_REPEAT:-3}" "${BENCH_QUIET:-30}" \
    "$ROOT/results" "$RUN" "$(cat "$RUN/server.mode")"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  bench) bench ;;
  status) status ;;
  *) echo "usage: $0 install|start|stop|bench|status" >&2; exit 2 ;;
esac
