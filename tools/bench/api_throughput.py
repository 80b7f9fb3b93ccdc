"""API throughput of the two deployments, as one table.

Starts ``magnum-all`` on SQLite and ``magnum-api`` ([api] workers 2) +
``magnum-conductor`` on RabbitMQ and MariaDB (as the functional tests do,
through tests/fixtures/processes.py), then drives each endpoint over loopback
for a fixed time with ``wrk`` (or a bounded Python thread pool when wrk is
missing) and prints requests/s and p50/p99 latency per endpoint:

    GET /v1, GET /v1/mservices, and when the routes exist
    GET /v1/clustertemplates, GET /v1/clustertemplates/<uuid>, POST /v1/clustertemplates

    python tools/bench/api_throughput.py --quick        # ~2 s per endpoint
    python tools/bench/api_throughput.py --duration 20 --concurrency 16
    python tools/bench/api_throughput.py --against-upstream [--rounds 5 --duration 10]

``--against-upstream`` measures the split deployment ([api] workers 1) side by
side with upstream Magnum 23.0.0 under uWSGI, in interleaved paired rounds, and
prints ratios (tools/bench/upstream_compare.py).

Needs RabbitMQ and MariaDB running (tools/start-services.sh). Logs of the
started processes land in test-artifacts/bench-*.log.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent import futures
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from tests.fixtures import processes  # noqa: E402

TEMPLATE_BODY = {
    "name": "bench",
    "coe": "swarm",
    "server_type": "local",
    "image_id": "magnum/local-node",
}
SEED_TEMPLATES = 20


@dataclasses.dataclass
class Endpoint:
    label: str
    method: str
    path: str
    body: dict | None = None


@dataclasses.dataclass
class Result:
    mode: str
    endpoint: str
    tool: str
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


# --- endpoints ---------------------------------------------------------------------


def endpoints_of(url: str) -> list[Endpoint]:
    found = [
        Endpoint("GET /v1", "GET", "/v1"),
        Endpoint("GET /v1/mservices", "GET", "/v1/mservices"),
    ]
    if "clustertemplates" not in requests.get(url + "/v1", timeout=10).json():
        return found
    uuids = []
    for _ in range(SEED_TEMPLATES):
        response = requests.post(url + "/v1/clustertemplates", json=TEMPLATE_BODY, timeout=10)
        response.raise_for_status()
        uuids.append(response.json()["uuid"])
    return found + [
        Endpoint("list clustertemplates", "GET", "/v1/clustertemplates"),
        Endpoint("show clustertemplate", "GET", f"/v1/clustertemplates/{uuids[0]}"),
        # Last: every create grows the table the list above reads.
        Endpoint("create clustertemplate", "POST", "/v1/clustertemplates", TEMPLATE_BODY),
    ]


# --- load generators -----------------------------------------------------------------

_WRK_LATENCY = re.compile(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def run_wrk(url: str, endpoint: Endpoint, duration: float, concurrency: int) -> tuple:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(f'wrk.method = "{endpoint.method}"\n')
        if endpoint.body is not None:
            script.write(f"wrk.body = {json.dumps(json.dumps(endpoint.body))}\n")
            script.write('wrk.headers["Content-Type"] = "application/json"\n')
    argv = [
        "wrk", "--latency", "-t", "2", "-c", str(concurrency), "-d", f"{max(1, round(duration))}s",
        "-s", script.name, url + endpoint.path,
    ]  # fmt: skip
    try:
        output = subprocess.run(
            argv, capture_output=True, text=True, check=True, timeout=duration + 60
        ).stdout
    finally:
        Path(script.name).unlink()
    summary = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)\b", output)
    total = int(summary.group(1))
    seconds = float(summary.group(2)) * {"ms": 0.001, "s": 1.0, "m": 60.0}[summary.group(3)]
    errors = sum(int(m) for m in re.findall(r"Non-2xx or 3xx responses: (\d+)", output)) + sum(
        int(m) for m in re.findall(r"(?:connect|read|write|timeout) (\d+)", output)
    )
    latency = {p: float(v) * _WRK_UNITS[u] for p, v, u in _WRK_LATENCY.findall(output)}
    return total, errors, seconds, latency.get("50", 0.0), latency.get("99", 0.0)


def run_threads(url: str, endpoint: Endpoint, duration: float, concurrency: int) -> tuple:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def worker() -> None:
        nonlocal errors
        own: list[float] = []
        own_errors = 0
        with requests.Session() as session:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    response = session.request(
                        endpoint.method, url + endpoint.path, json=endpoint.body, timeout=30
                    )
                    failed = response.status_code >= 400
                except requests.RequestException:
                    failed = True
                own.append((time.perf_counter() - started) * 1000)
                own_errors += failed
        with lock:
            latencies.extend(own)
            errors += own_errors

    started = time.monotonic()
    with futures.ThreadPoolExecutor(concurrency) as pool:
        for future in [pool.submit(worker) for _ in range(concurrency)]:
            future.result()
    seconds = time.monotonic() - started
    if len(latencies) < 2:
        return len(latencies), errors, seconds, 0.0, 0.0
    cuts = statistics.quantiles(latencies, n=100)
    return len(latencies), errors, seconds, cuts[49], cuts[98]


def measure(
    mode: str, url: str, tool: str, duration: float, concurrency: int, log: Callable
) -> list[Result]:
    runner = run_wrk if tool == "wrk" else run_threads
    results = []
    for endpoint in endpoints_of(url):
        log(f"{mode}: {endpoint.label} for {duration:.0f} s with {tool}")
        total, errors, seconds, p50, p99 = runner(url, endpoint, duration, concurrency)
        results.append(Result(mode, endpoint.label, tool, total, errors, seconds, p50, p99))
    return results


def table(results: list[Result], concurrency: int) -> str:
    header = (
        f"{'deployment':<12} {'endpoint':<24} {'client':<7} {'requests':>9} {'errors':>7} "
        f"{'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
    )
    lines = [f"magnum API throughput, {concurrency} concurrent connections, loopback", header]
    lines.append("-" * len(header))
    for r in results:
        lines.append(
            f"{r.mode:<12} {r.endpoint:<24} {r.tool:<7} {r.requests:>9} {r.errors:>7} "
            f"{r.rate:>9.1f} {r.p50_ms:>8.1f} {r.p99_ms:>8.1f}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 s per endpoint")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per endpoint")
    parser.add_argument("--concurrency", type=int, default=8, help="connections at once")
    parser.add_argument("--api-workers", type=int, default=2, help="[api] workers of magnum-api")
    parser.add_argument(
        "--client", choices=["auto", "wrk", "python"], default="auto",
        help="load generator (auto: wrk when installed)",
    )  # fmt: skip
    parser.add_argument(
        "--deployment", choices=["all-in-one", "split"], action="append",
        help="deployments to measure (default: both)",
    )  # fmt: skip
    parser.add_argument(
        "--against-upstream", action="store_true",
        help="compare with upstream magnum 23.0.0 under uWSGI (ratios, interleaved rounds)",
    )  # fmt: skip
    parser.add_argument("--rounds", type=int, default=5, help="paired rounds (--against-upstream)")
    args = parser.parse_args()
    duration = 2.0 if args.quick else args.duration
    if not 0 < duration <= 300 or not 1 <= args.concurrency <= 256:
        parser.error("--duration must be in (0, 300] and --concurrency in [1, 256]")
    tool = args.client
    if tool == "auto":
        tool = "wrk" if shutil.which("wrk") else "python"
    elif tool == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install wrk, or tools/install.sh)")

    def log(message: str) -> None:
        print(f"bench: {message}", file=sys.stderr, flush=True)

    if args.against_upstream:
        if tool != "wrk":
            parser.error("--against-upstream needs wrk")
        import upstream_compare  # next to this script

        with tempfile.TemporaryDirectory(prefix="magnum-bench-") as tmp:
            report = upstream_compare.compare(
                sorted({1, args.concurrency}), args.rounds, duration, log, Path(tmp)
            )
        processes.delete_rabbit_vhost()
        print(report)
        return 0

    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="magnum-bench-") as tmp:
        workdir = Path(tmp)
        for mode in args.deployment or ["all-in-one", "split"]:
            log(f"starting {mode}")
            deployment = processes.deployment(
                mode,
                workdir,
                # Quiet logs: the benchmark measures the API, not log formatting.
                conductor={"heartbeat_interval": 10},
                api={"workers": args.api_workers if mode == processes.SPLIT else 1},
            )
            with deployment as url:
                results += measure(mode, url, tool, duration, args.concurrency, log)
    processes.delete_rabbit_vhost()
    print(table(results, args.concurrency))
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
