"""Cluster quotas under parallel creates, on real processes.

``deployment`` is magnum-api (2 pre-forked workers) + magnum-conductor on
MariaDB and RabbitMQ, then magnum-all on SQLite (conftest.py). Many clients
create clusters of one project at once; the quota must hold exactly: as many
202s as the quota allows, the rest 403 ResourceLimitExceeded, never more rows.
Clusters use the ``fake`` driver: the race is in the API and the database.
"""

from __future__ import annotations

import concurrent.futures
import uuid

import requests

from tests.functional.rpc.conftest import Deployment

HEADERS = {"OpenStack-API-Version": "container-infra 1.10"}
QUOTA = 3
ATTEMPTS = 12


def test_parallel_creates_never_overshoot_the_quota(deployment: Deployment) -> None:
    url = deployment.url
    project = f"quota-{uuid.uuid4().hex[:8]}"
    member = {**HEADERS, "X-Project-Id": project, "X-Roles": "member,reader"}
    template = requests.post(
        f"{url}/v1/clustertemplates",
        json={
            "name": f"t-{project}",
            "coe": "swarm-mode",
            "image_id": "none",
            "server_type": "fake",
        },
        headers=member,
        timeout=10,
    )
    assert template.status_code == 201, template.text
    quota = requests.post(
        f"{url}/v1/quotas",
        json={"project_id": project, "resource": "Cluster", "hard_limit": QUOTA},
        headers=HEADERS,
        timeout=10,
    )
    assert quota.status_code == 201, quota.text

    def create(i: int) -> requests.Response:
        return requests.post(
            f"{url}/v1/clusters",
            json={"name": f"c{i}", "cluster_template_id": template.json()["uuid"]},
            headers=member,
            timeout=30,
        )

    with concurrent.futures.ThreadPoolExecutor(ATTEMPTS) as pool:
        answers = list(pool.map(create, range(ATTEMPTS)))
    codes = sorted(r.status_code for r in answers)
    assert codes == [202] * QUOTA + [403] * (ATTEMPTS - QUOTA), [r.text for r in answers]
    refused = next(r for r in answers if r.status_code == 403).json()["errors"][0]
    assert refused["code"] == "magnum.quota.exceeded"

    listed = requests.get(f"{url}/v1/clusters", headers=member, timeout=10).json()["clusters"]
    assert len(listed) == QUOTA
    stats = requests.get(f"{url}/v1/stats", headers=member, timeout=10).json()
    assert stats["clusters"] == QUOTA
