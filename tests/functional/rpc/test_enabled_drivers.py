"""Drivers are enabled by configuration: the test-only fake driver is off by default."""

from __future__ import annotations

import requests

from tests.fixtures import processes

HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


def template(server_type: str) -> dict:
    return {
        "name": f"t-{server_type}",
        "coe": "swarm-mode",
        "image_id": "magnum-node",
        "server_type": server_type,
        "external_network_id": "none",
    }


def test_fake_templates_are_refused_where_only_the_real_drivers_are_enabled(tmp_path) -> None:
    # Exactly the default: enabled_drivers = local (write_config adds fake otherwise).
    with processes.deployment(
        processes.ALL_IN_ONE, tmp_path, drivers={"enabled_drivers": "local"}
    ) as url:
        refused = requests.post(
            f"{url}/v1/clustertemplates", json=template("fake"), headers=HEADERS, timeout=30
        )
        assert refused.status_code == 400, refused.text
        assert "fake" in refused.json()["errors"][0]["detail"]
        listed = requests.get(f"{url}/v1/clustertemplates", headers=HEADERS, timeout=30)
        assert listed.json()["clustertemplates"] == []  # nothing recorded
        accepted = requests.post(
            f"{url}/v1/clustertemplates", json=template("local"), headers=HEADERS, timeout=30
        )
        assert accepted.status_code == 201, accepted.text
