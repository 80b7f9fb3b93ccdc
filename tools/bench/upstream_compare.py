"""This project's API against upstream Magnum 23.0.0, side by side, as ratios.

Used by ``api_throughput.py --against-upstream``. Upstream is installed from
PyPI into its own venv under ~/.cache/magnum-bench/upstream (cached) and served
by tools/bench/upstream_magnum.sh exactly as upstream deploys it: uWSGI, one
worker, one thread, the paste pipeline without authtoken, a Glance stand-in
(upstream's create looks the image up in Glance and nothing else here can
answer it). Both sides get the same 100 cluster templates, the same wrk flags
(keep-alive) and the same headers. Rows run in interleaved paired rounds,
alternating which side goes first, so machine noise from the other work on
this shared host hits both alike; the table reports the median of the
per-round ratios and the quietest round (the one with the highest upstream
rate) in brackets.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from tests.fixtures import processes  # noqa: E402

RECIPE = Path(__file__).with_name("upstream_magnum.sh")
CACHE = Path.home() / ".cache/magnum-bench/upstream"
IMAGE = "5f2b7c1e-1d3a-4c55-9c1e-0b0d5a1e7c01"
# What upstream's noauth pipeline needs to see a member of a project; ours ignores them.
HEADERS = {
    "OpenStack-API-Version": "container-infra latest",
    "X-Auth-Token": "bench",
    "X-Project-Id": "benchproject",
    "X-User-Id": "benchuser",
    "X-Roles": "member,reader",
}
SEED = 100
# The legacy bay/baymodel routes answer up to microversion 1.10 (1.11 removed them).
LEGACY = {"OpenStack-API-Version": "container-infra 1.10"}


@dataclasses.dataclass
class Side:
    name: str
    url: str
    pid_of_api: Callable[[], int | None]
    db_conns: Callable[[], int | None]
    # Each side's create body names a driver it has: upstream's Glance stand-in answers
    # os_distro=ubuntu (magnum-capi-helm, kubernetes); ours builds locally.
    body: dict = dataclasses.field(default_factory=dict)
    uuids: list[str] = dataclasses.field(default_factory=list)
    bay_routes: bool = False


@dataclasses.dataclass
class Row:
    label: str
    method: str
    path: str  # {uuid} and {baymodel} are filled per side
    concurrency: int
    body: dict | None = None
    headers: dict = dataclasses.field(default_factory=dict)
    ratios: list[float] = dataclasses.field(default_factory=list)
    rates: dict[str, list[float]] = dataclasses.field(default_factory=dict)
    p99s: dict[str, list[float]] = dataclasses.field(default_factory=dict)
    errors: dict[str, int] = dataclasses.field(default_factory=dict)


UPSTREAM_BODY = {"image_id": IMAGE, "coe": "kubernetes"}
OURS_BODY = {"image_id": "magnum/local-node", "coe": "swarm", "server_type": "local"}


def seed(side: Side, count: int = SEED) -> None:
    with requests.Session() as session:
        session.headers.update(HEADERS)
        for i in range(count):
            response = session.post(
                side.url + "/v1/clustertemplates",
                json={**side.body, "name": f"seed-{i:03d}"},
                timeout=60,
            )
            if response.status_code != 201:
                raise RuntimeError(
                    f"{side.name}: seeding failed: {response.status_code} {response.text[:300]}"
                )
            side.uuids.append(response.json()["uuid"])
        legacy = session.get(side.url + "/v1/baymodels", headers=LEGACY, timeout=60)
        side.bay_routes = legacy.status_code == 200


def rows(concurrencies: list[int]) -> tuple[list[Row], list[Row]]:
    """Read rows (any order) and create rows (last: creates grow the list)."""
    reads, creates = [], []
    for c in concurrencies:
        reads += [
            Row("GET /", "GET", "/", c),
            Row("GET /v1/clustertemplates (100)", "GET", "/v1/clustertemplates", c),
            Row("GET /v1/clustertemplates/<uuid>", "GET", "/v1/clustertemplates/{uuid}", c),
            Row("GET /v1/baymodels (100)", "GET", "/v1/baymodels", c, headers=LEGACY),
            Row("GET /v1/baymodels/<uuid>", "GET", "/v1/baymodels/{uuid}", c, headers=LEGACY),
        ]
        creates.append(
            Row("POST /v1/clustertemplates", "POST", "/v1/clustertemplates", c, {"name": "wrk"})
        )
    return reads, creates


_LATENCY = re.compile(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, row: Row, body: dict | None, duration: float) -> tuple[float, float, int]:
    """req/s, p99 ms and errors of one wrk run."""
    lua = Path(tempfile.gettempdir()) / f"magnum-bench-{os.getpid()}.lua"
    lines = [f'wrk.method = "{row.method}"']
    lines += [f'wrk.headers["{k}"] = "{v}"' for k, v in {**HEADERS, **row.headers}.items()]
    if body is not None:
        lines.append(f"wrk.body = {json.dumps(json.dumps(body))}")
        lines.append('wrk.headers["Content-Type"] = "application/json"')
    lua.write_text("\n".join(lines) + "\n")
    argv = ["wrk", "--latency", "-t", str(min(2, row.concurrency)), "-c", str(row.concurrency),
            "-d", f"{max(1, round(duration))}s", "-s", str(lua), url]  # fmt: skip
    try:
        out = subprocess.run(
            argv, capture_output=True, text=True, check=True, timeout=duration + 120
        ).stdout
    finally:
        lua.unlink(missing_ok=True)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = _LATENCY.search(out)
    errors = sum(int(m) for m in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(m) for m in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return rate, (float(p99.group(1)) * _UNITS[p99.group(2)] if p99 else 0.0), errors


def run_rounds(
    sides: list[Side], table: list[Row], rounds: int, duration: float, log: Callable
) -> None:
    for n in range(rounds):
        order = sides if n % 2 == 0 else sides[::-1]
        for row in table:
            got = {}
            for side in order:
                if "baymodel" in row.path and not side.bay_routes:
                    continue
                path = row.path.format(uuid=side.uuids[0])
                body = None if row.body is None else {**side.body, **row.body}
                rate, p99, errors = wrk(side.url + path, row, body, duration)
                row.rates.setdefault(side.name, []).append(rate)
                row.p99s.setdefault(side.name, []).append(p99)
                row.errors[side.name] = row.errors.get(side.name, 0) + errors
                got[side.name] = rate
            log(f"round {n + 1}/{rounds} {row.label} c={row.concurrency}: "
                + ", ".join(f"{k} {v:.1f}/s" for k, v in got.items()))  # fmt: skip
            if "upstream" in got and "ours" in got and got["upstream"]:
                row.ratios.append(got["ours"] / got["upstream"])


def render(table: list[Row], rounds: int, duration: float, extra: list[str]) -> str:
    out = [
        f"ours (split, [api] workers = 1) vs upstream magnum 23.0.0 (uWSGI 1x1), "
        f"{rounds} interleaved rounds x {duration:.0f} s per row, wrk keep-alive",
        "",
        "| route | c | upstream req/s | ours req/s | ours / upstream (quietest) "
        "| p99 upstream / ours ms | errors u/o |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in table:

        def med(d: dict, k: str) -> str:
            return f"{statistics.median(d[k]):.1f}" if d.get(k) else "n/a"

        if row.ratios:
            quiet = max(range(len(row.ratios)), key=lambda i: row.rates["upstream"][i])
            ratio = f"{statistics.median(row.ratios):.2f} ({row.ratios[quiet]:.2f})"
        else:
            ratio = "n/a (a side lacks the route)"
        out.append(
            f"| {row.label} | {row.concurrency} "
            f"| {med(row.rates, 'upstream')} | {med(row.rates, 'ours')} "
            f"| {ratio} | {med(row.p99s, 'upstream')} / {med(row.p99s, 'ours')} "
            f"| {row.errors.get('upstream', 0)} / {row.errors.get('ours', 0)} |"
        )
    return "\n".join(out + [""] + extra)


# --- process facts -------------------------------------------------------------------


def pid_listening(port: int) -> int | None:
    out = subprocess.run(
        ["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True
    ).stdout
    found = re.search(r"pid=(\d+)", out)
    return int(found.group(1)) if found else None


def rss_mib(pid: int | None) -> float | None:
    if pid is None:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def mysql_conns(url: str) -> Callable[[], int | None]:
    """Open connections to ``url``'s database (the API's pool and any leaked ones)."""
    database = url.rsplit("/", 1)[1].split("?")[0]

    def count() -> int | None:
        # The name comes from tests/fixtures/database.py (magnum_test_<hex>), not from input.
        query = f"SELECT COUNT(*) FROM information_schema.processlist WHERE db = '{database}'"  # noqa: S608
        out = subprocess.run(["mysql", "-uroot", "-h127.0.0.1", "-N", "-e", query],
                             capture_output=True, text=True)  # fmt: skip
        return int(out.stdout.strip()) if out.returncode == 0 and out.stdout.strip() else None

    return count


# --- upstream ------------------------------------------------------------------------


class Upstream:
    """Upstream magnum-api under uWSGI through the recipe, on free ports and MariaDB."""

    def __init__(self) -> None:
        self.db_url = processes.database_url("mysql")
        self.env = {
            **os.environ,
            "UPSTREAM_ROOT": os.environ.get("UPSTREAM_ROOT", str(CACHE)),
            "UPSTREAM_DB_URL": self.db_url.replace("mysql://", "mysql+pymysql://", 1)
            if self.db_url.startswith("mysql://") else self.db_url,
            "MAGNUM_PORT": str(processes.free_port()),
            "GLANCE_STUB_PORT": str(processes.free_port()),
        }  # fmt: skip
        self.url = f"http://127.0.0.1:{self.env['MAGNUM_PORT']}"
        self.run_dir = Path(self.env["UPSTREAM_ROOT"]) / "run"

    def _recipe(self, verb: str) -> None:
        # Not from this checkout: uWSGI puts its cwd on sys.path, and our magnum/ would
        # shadow upstream's package.
        cwd = self.env["UPSTREAM_ROOT"]
        subprocess.run(["bash", str(RECIPE), verb], env=self.env, cwd=cwd, check=True, timeout=900)

    def __enter__(self) -> Upstream:
        try:
            self._recipe("start")
        except BaseException:
            self._recipe("stop")
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self._recipe("stop")

    def worker_pid(self) -> int | None:
        pids = (self.run_dir / "server.pids").read_text().split()
        master = int((self.run_dir / "uwsgi.pid").read_text())
        workers = [int(p) for p in pids if int(p) != master]
        # The last child is the worker (the first is uWSGI's http router).
        return max(workers, key=lambda p: rss_mib(p) or 0) if workers else master


def compare(
    concurrencies: list[int], rounds: int, duration: float, log: Callable, workdir: Path
) -> str:
    reads, creates = rows(concurrencies)
    db_url = processes.database_url("mysql")
    deployment = processes.deployment(
        processes.SPLIT, workdir,
        conductor={"heartbeat_interval": 10}, api={"workers": 1}, database={"connection": db_url},
    )  # fmt: skip
    with Upstream() as up, deployment as url:
        ours_port = int(url.rsplit(":", 1)[1])
        sides = [
            Side("upstream", up.url, up.worker_pid, mysql_conns(up.db_url), UPSTREAM_BODY),
            Side("ours", url, lambda: pid_listening(ours_port), mysql_conns(db_url), OURS_BODY),
        ]
        for side in sides:
            log(f"seeding {SEED} cluster templates into {side.name}")
            seed(side)
        before = {s.name: (rss_mib(s.pid_of_api()), s.db_conns()) for s in sides}
        run_rounds(sides, reads, rounds, duration, log)
        run_rounds(sides, creates, rounds, duration, log)
        after = {s.name: (rss_mib(s.pid_of_api()), s.db_conns()) for s in sides}
    extra = [
        f"{name}: API RSS {before[name][0] or 0:.0f} -> {after[name][0] or 0:.0f} MiB, "
        f"DB connections {before[name][1]} -> {after[name][1]}"
        for name in before
    ]
    return render(reads + creates, rounds, duration, extra)
