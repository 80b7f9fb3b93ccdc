"""What Keystone authentication costs an API request, against noauth, in one run.

Starts a real Keystone (tests/fixtures/keystone.py) and two ``magnum-all``
processes on SQLite that differ only in ``auth_strategy`` (keystone with
keystonemiddleware's in-process token cache, and noauth), gives both the same
templates, then times ``GET /v1/clustertemplates`` on each, one request of
each in turn, so both see the same machine load:

    python tools/bench/auth_overhead.py            # 5 rounds x 400 requests
    python tools/bench/auth_overhead.py --rounds 10 --requests 1000 --threads 4

Prints per-mode latency (p50, mean, p99) and the ratio
keystone / noauth of the mean latency; exits 1 when the ratio exceeds
``--max-ratio`` (default 1.3). Logs land in test-artifacts/bench-auth-*.log.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent import futures
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from tests.fixtures import keystone as keystone_fixture  # noqa: E402
from tests.fixtures import processes  # noqa: E402

PATH = "/v1/clustertemplates"
SEED_TEMPLATES = 20


@contextlib.contextmanager
def magnum_all(
    state: Path, mode: str, keystone: keystone_fixture.Keystone
) -> Iterator[processes.MagnumProcess]:
    port = processes.free_port()
    config: dict[str, dict] = {
        "DEFAULT": {"state_path": state, "auth_strategy": mode, "host": f"bench-{mode}"},
        "api": {"host_ip": "127.0.0.1", "port": port},
    }
    if mode == "keystone":
        config["keystone_authtoken"] = {
            "www_authenticate_uri": keystone.url,
            "auth_url": keystone.url,
            "auth_type": "password",
            "username": "magnum",
            "password": keystone.users["magnum"].password,
            "project_name": "service",
            "user_domain_id": "default",
            "project_domain_id": "default",
            "interface": "public",
        }
    conf = processes.write_config(state / "magnum.conf", **config)
    process = processes.MagnumProcess(
        "magnum-all", conf, name=f"bench-auth-{mode}-{port}", port=port
    )
    with processes.running(process):
        yield process


def seed(session: requests.Session, url: str) -> None:
    for i in range(SEED_TEMPLATES):
        body = {
            "name": f"bench-{i}-{uuid.uuid4().hex[:4]}",
            "coe": "swarm",
            "server_type": "fake",
            "image_id": "fake-image",
        }
        response = session.post(url + PATH, json=body, timeout=30)
        response.raise_for_status()


def paired_requests(
    urls: dict[str, str], headers: dict[str, dict[str, str]], count: int, threads: int
) -> tuple[dict[str, list[float]], float]:
    """``count`` GETs per mode, one of each in turn (order alternating), so both
    modes see the same load from whatever else runs on the machine.

    Returns the latencies (s) per mode and the wall time of the whole run.
    """
    local = threading.local()
    modes = list(urls)

    def get(mode: str) -> float:
        sessions = local.__dict__.setdefault("sessions", {})
        if mode not in sessions:
            sessions[mode] = requests.Session()
            sessions[mode].headers.update(headers[mode])
        started = time.perf_counter()
        response = sessions[mode].get(urls[mode] + PATH, timeout=30)
        elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"{mode}: GET {PATH} -> {response.status_code}")
        return elapsed

    def pair(i: int) -> dict[str, float]:
        order = modes if i % 2 == 0 else list(reversed(modes))
        return {mode: get(mode) for mode in order}

    started = time.perf_counter()
    with futures.ThreadPoolExecutor(threads) as pool:
        pairs = list(pool.map(pair, range(count)))
    wall = time.perf_counter() - started
    return {mode: [p[mode] for p in pairs] for mode in modes}, wall


def summary(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "p50_ms": statistics.median(ordered) * 1000,
        "mean_ms": statistics.fmean(ordered) * 1000,
        "p99_ms": ordered[int(len(ordered) * 0.99) - 1] * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=400, help="per round and mode")
    parser.add_argument("--threads", type=int, default=1, help="concurrent clients")
    parser.add_argument("--max-ratio", type=float, default=1.3)
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory(prefix="bench-auth-") as tmp,
        keystone_fixture.running(Path(tmp) / "keystone") as keystone,
    ):
        member = keystone.users["a-member"]
        token = keystone.token("a-member")
        modes = {
            "keystone": {"X-Auth-Token": token},
            # The same caller, named by headers instead of a token.
            "noauth": {
                "X-Project-Id": member.project_id or "",
                "X-User-Id": member.id,
                "X-Roles": "member,reader",
            },
        }
        with (
            magnum_all(Path(tmp) / "ks", "keystone", keystone) as ks_api,
            magnum_all(Path(tmp) / "na", "noauth", keystone) as na_api,
        ):
            urls = {"keystone": ks_api.url, "noauth": na_api.url}
            for mode, url in urls.items():
                with requests.Session() as session:
                    session.headers.update(modes[mode])
                    seed(session, url)
            paired_requests(urls, modes, 100, args.threads)  # warm-up: caches, connections
            latencies: dict[str, list[float]] = {mode: [] for mode in modes}
            wall = 0.0
            for _round in range(args.rounds):
                measured, seconds = paired_requests(urls, modes, args.requests, args.threads)
                for mode in modes:
                    latencies[mode] += measured[mode]
                wall += seconds

    results = {mode: summary(latencies[mode]) for mode in modes}
    total = sum(len(v) for v in latencies.values())
    print(
        f"GET {PATH} ({SEED_TEMPLATES} templates), {args.rounds} rounds x "
        f"{args.requests} requests per mode, {args.threads} client thread(s)"
    )
    print(f"{'mode':<10}{'p50 ms':>10}{'mean ms':>10}{'p99 ms':>10}")
    for mode, row in results.items():
        print(f"{mode:<10}{row['p50_ms']:>10.2f}{row['mean_ms']:>10.2f}{row['p99_ms']:>10.2f}")
    print(f"both modes together: {total / wall:.0f} requests/s")
    ratio = results["keystone"]["mean_ms"] / results["noauth"]["mean_ms"]
    p50_ratio = results["keystone"]["p50_ms"] / results["noauth"]["p50_ms"]
    print(f"keystone / noauth: mean {ratio:.3f}x, p50 {p50_ratio:.3f}x (limit {args.max_ratio}x)")
    return 0 if ratio <= args.max_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
