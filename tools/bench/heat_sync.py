"""Status sync of many in-progress bays against a real Heat: wall time and API calls.

Starts a real Keystone and Heat (tests/fixtures/keystone.py, heat.py), creates
``--bays`` stacks of a tiny template (one ``OS::Heat::None``; what matters
is the number of stacks Heat holds, not what is in them), then runs sync
passes of ``magnum.drivers.heat.stacks.list_stacks`` over all of them and
prints, per pass, the wall time and the number of HTTP calls made to Heat,
next to a baseline pass over ONE bay measured in the same run (ratios, not
absolute times: the machine is shared). The goal: calls per pass constant,
whatever the number of bays (heatclient pages the listing, so "constant"
means ceil(bays / page size), printed as well).

    python tools/bench/heat_sync.py               # 1,000 bays
    python tools/bench/heat_sync.py --bays 100    # quicker

Measured 2026-12-04 on the shared 2-core machine (others working): 1,000
bays, 1 Heat call per pass, 2.8-7.0 s per pass vs 36-203 ms for one bay
(35-85x the time for 1,000x the bays); creating the 1,000 stacks took 313 s.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from keystoneauth1 import session as ks_session  # noqa: E402

from magnum.drivers.heat import stacks  # noqa: E402
from tests.fixtures import heat as heat_fixture  # noqa: E402
from tests.fixtures import keystone as ks_fixture  # noqa: E402

TEMPLATE = "heat_template_version: 2021-04-16\nresources:\n  nothing: {type: OS::Heat::None}\n"


class CountingSession(ks_session.Session):
    """A session that counts the requests sent to Heat (not to Keystone)."""

    heat_calls = 0

    def request(self, url, method, **kwargs):  # type: ignore[override]
        if kwargs.get("endpoint_filter", {}).get("service_type") == "orchestration" or (
            ":" in str(url) and "/v1/" in str(url)
        ):
            self.heat_calls += 1
        return super().request(url, method, **kwargs)


def timed_pass(heat, session: CountingSession, names: list[str]) -> tuple[float, int, int]:
    before = session.heat_calls
    started = time.perf_counter()
    views = stacks.list_stacks(heat, names)
    elapsed = time.perf_counter() - started
    assert views is not None, "Heat unreachable"
    return elapsed, session.heat_calls - before, len(views)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bays", type=int, default=1000)
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    with ks_fixture.running() as ks, heat_fixture.running(ks) as heat:
        print(f"keystone + heat ready; heat setup {heat.setup_seconds:.1f} s")
        auth = ks.session("a-member").auth
        session = CountingSession(auth=auth)
        client = stacks.client(session)
        names = [f"bench-bay-{i:05d}" for i in range(args.bays)]
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda n: client.stacks.create(stack_name=n, template=TEMPLATE), names))
        print(f"created {args.bays} stacks in {time.perf_counter() - started:.1f} s")
        for index in range(args.passes):
            base_t, base_calls, _ = timed_pass(client, session, names[:1])
            all_t, all_calls, seen = timed_pass(client, session, names)
            print(
                f"pass {index + 1}: 1 bay {base_t * 1000:.0f} ms / {base_calls} call(s); "
                f"{args.bays} bays {all_t * 1000:.0f} ms / {all_calls} call(s), {seen} seen; "
                f"time ratio {all_t / base_t:.1f}x for {args.bays}x the bays"
            )


if __name__ == "__main__":
    main()
