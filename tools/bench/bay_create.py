#!/usr/bin/env python3
"""Time local bays through magnum's HTTP API, against the driver and the raw recipe.

For each bay size (1 master + W workers) and each of N runs it measures, in
the same run and interleaved so drift hits every path alike:

* ``raw``: the research recipe done with plain Docker SDK calls
  (``tools/bench/local_bay_create.py``'s ``RawRecipe``);
* ``driver``: ``LocalDriver.create`` / ``delete`` called in this process;
* ``all-in-one``: ``POST /v1/clusters`` on ``magnum-all`` (SQLite) until
  ``GET`` shows CREATE_COMPLETE, then ``DELETE`` until ``GET`` answers 404;
* ``split``: the same on ``magnum-api`` + ``magnum-conductor`` over
  RabbitMQ with MariaDB.

The API paths poll every 50 ms, so they carry up to 50 ms of polling
resolution. It prints one table of medians and the ratios to ``raw``, and
whether the target holds (a 3-worker bay CREATE_COMPLETE within 5 s of the
POST)::

    python tools/bench/bay_create.py --runs 5 --workers 1 3

Needs root, the host Docker engine, RabbitMQ and MariaDB
(tools/start-services.sh). Builds the node image first if missing (not
timed). Logs of the started processes land in test-artifacts/bench-bays-*.log.
Leaves nothing behind.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import local_bay_create  # noqa: E402

from magnum import conf  # noqa: E402
from magnum.drivers.local import driver, engine, image  # noqa: E402
from tests.fixtures import processes  # noqa: E402
from tests.fixtures.bays import BayAPI  # noqa: E402

CONF = conf.CONF
TARGET_WORKERS = 3
TARGET_SECONDS = 5.0
TIMEOUT = 120.0
PATHS = ("raw", "driver", "all-in-one", "split")


def through_api(api: BayAPI, template: str, workers: int) -> tuple[float, float]:
    started = time.monotonic()
    uuid_ = api.create_bay(template, node_count=workers)
    bay = api.wait_for(uuid_, TIMEOUT)
    created = time.monotonic() - started
    if bay["status"] != "CREATE_COMPLETE":
        raise RuntimeError(f"bay {uuid_} is {bay['status']}: {bay['status_reason']}")
    started = time.monotonic()
    api.delete(uuid_)
    api.wait_gone(uuid_, TIMEOUT)
    return created, time.monotonic() - started


def measure(
    runs: int, sizes: list[int], timers: dict[str, Callable[[int], tuple[float, float]]]
) -> dict[tuple[int, str], tuple[float, float]]:
    """Median (create, delete) seconds per (workers, path)."""
    samples: dict[tuple[int, str], list[tuple[float, float]]] = {}
    for workers in sizes:
        for _ in range(runs):
            for path, timer in timers.items():
                samples.setdefault((workers, path), []).append(timer(workers))
    return {
        key: (
            statistics.median(s[0] for s in values),
            statistics.median(s[1] for s in values),
        )
        for key, values in samples.items()
    }


def table(medians: dict[tuple[int, str], tuple[float, float]], sizes: list[int]) -> str:
    header = ("bay", "path", "create s", "create / raw", "delete s", "delete / raw")
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for workers in sizes:
        raw_create, raw_delete = medians[(workers, "raw")]
        for path in PATHS:
            create, delete = medians[(workers, path)]
            cells = (
                f"1 master + {workers} worker{'s' * (workers > 1)}",
                path,
                f"{create:.2f}",
                f"{create / raw_create:.2f}",
                f"{delete:.2f}",
                f"{delete / raw_delete:.2f}",
            )
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per bay size (default 3)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 3], help="workers per bay")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.workers) | {TARGET_WORKERS})

    # Short: node socket paths must fit in 107 bytes.
    scratch = tempfile.mkdtemp(prefix="mgb-", dir="/tmp")
    CONF([], project="magnum", default_config_files=[])
    CONF.set_override("state_path", scratch)
    host = engine.host_client()
    apis: list[BayAPI] = []
    try:
        image.ensure_node_image(host, CONF.local.node_image)
        local = driver.LocalDriver()
        raw = local_bay_create.RawRecipe(host, CONF.local.node_image, os.path.join(scratch, "raw"))
        with contextlib.ExitStack() as stack:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-bays-")))
            timers: dict[str, Callable[[int], tuple[float, float]]] = {
                "raw": lambda w: local_bay_create.bench_raw(raw, w),
                "driver": lambda w: local_bay_create.bench_driver(local, w),
            }
            for path in (processes.ALL_IN_ONE, processes.SPLIT):
                url = stack.enter_context(
                    processes.deployment(
                        path,
                        workdir,
                        conductor={"heartbeat_interval": 1, "sync_interval": 1},
                        local={"state_dir": os.path.join(scratch, path[:3])},
                    )
                )
                api = BayAPI(url, host)
                apis.append(api)
                template = api.create_template(server_type="local")
                timers[path] = lambda w, api=api, template=template: through_api(api, template, w)
            medians = measure(args.runs, sizes, timers)
    finally:
        for api in apis:
            api.remove_everything()
        host.close()
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"median of {args.runs} run(s); node image {CONF.local.node_image}; seconds")
    print(table(medians, sizes))
    worst = max(medians[(TARGET_WORKERS, p)][0] for p in ("all-in-one", "split"))
    verdict = "met" if worst <= TARGET_SECONDS else "NOT met"
    print(
        f"target: 1 master + {TARGET_WORKERS} workers CREATE_COMPLETE within "
        f"{TARGET_SECONDS:g} s of the POST: {verdict} (slowest API path {worst:.2f} s)"
    )
    return 0 if verdict == "met" else 1


if __name__ == "__main__":
    sys.exit(main())
