"""The Magnum panel of the real OpenStack dashboard, in headless Chromium, against our API.

A project member logs in, opens Container Infra -> Cluster Templates and
Clusters, creates a local swarm template and a one-node cluster, watches it
reach CREATE_COMPLETE on the Clusters page (with the stats donut counting
it), resizes it and deletes it. No page may show an error toast.

The create wizards only open with Nova, Neutron and Glance in the catalog
(keypairs, flavors, networks, images), which do not exist here; the writes
therefore go through the panel's own REST proxy (``/api/container_infra/``)
with the browser's logged-in session, which is exactly the request the
wizard's Angular code makes, stringified values and all. Nothing is mocked.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import pytest
import requests

from tests.e2e.conftest import SCREENSHOTS, Horizon
from tests.fixtures import keystone as keystone_fixture

PAGE_TIMEOUT = 60.0
BAY_TIMEOUT = 180.0
ERROR_SELECTOR = ".alert-danger, .alert-error, .toast-error"
# The panel's proxy builds its client from the user's session; these are the
# headers its Angular code sends with every call.
AJAX_HEADERS = {"X-Requested-With": "XMLHttpRequest", "Content-Type": "application/json"}


class Panel:
    """The dashboard as the logged-in browser sees it."""

    def __init__(self, driver: Any, horizon: Horizon) -> None:
        self.driver = driver
        self.url = horizon.url
        self.shots: list[str] = []
        # Toasts expected while a route the panel calls is not written yet.
        self.tolerated: set[str] = set()

    # --- browser ----------------------------------------------------------------

    def login(self, user: keystone_fixture.User) -> None:
        from selenium.webdriver.common.by import By

        self.driver.get(self.url + "/auth/login/")
        self.driver.find_element(By.ID, "id_username").send_keys(user.name)
        self.driver.find_element(By.ID, "id_password").send_keys(user.password)
        self.driver.find_element(By.ID, "loginBtn").click()
        self.wait_for(lambda: "/auth/login" not in self.driver.current_url, "login")

    def open(self, path: str, shot: str) -> None:
        """Open ``path``, wait for its Angular calls, screenshot it, check for errors."""
        self.driver.get(self.url + path)
        self.settle()
        self.screenshot(shot)
        self.assert_no_errors(shot)

    def settle(self) -> None:
        """Until the page has no pending Angular HTTP call, twice in a row."""
        script = (
            "try { return angular.element(document.body).injector()"
            ".get('$http').pendingRequests.length; } catch (e) { return -1; }"
        )
        idle = 0
        deadline = time.monotonic() + PAGE_TIMEOUT
        while idle < 2:
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.driver.current_url} never settled")
            idle = idle + 1 if self.driver.execute_script(script) == 0 else 0
            time.sleep(0.25)

    def screenshot(self, name: str) -> None:
        path = SCREENSHOTS / f"{len(self.shots) + 1:02d}-{name}.png"
        self.driver.save_screenshot(str(path))
        self.shots.append(str(path))

    def errors(self) -> list[str]:
        from selenium.webdriver.common.by import By

        found = self.driver.find_elements(By.CSS_SELECTOR, ERROR_SELECTOR)
        texts = [element.text for element in found if element.is_displayed()]
        return [text for text in texts if text not in self.tolerated]

    def assert_no_errors(self, page: str) -> None:
        errors = self.errors()
        assert not errors, f"error toasts on {page}: {errors}"

    def text(self) -> str:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.TAG_NAME, "body").text

    def wait_for(self, check: Any, what: str, timeout: float = PAGE_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.5)

    # --- the panel's REST proxy, with the browser's session -----------------------

    def proxy(self, method: str, path: str, body: Any = None) -> requests.Response:
        session = requests.Session()
        for cookie in self.driver.get_cookies():
            session.cookies.set(cookie["name"], cookie["value"])
        headers = {**AJAX_HEADERS, "X-CSRFToken": session.cookies.get("csrftoken", "")}
        headers["Referer"] = self.url + "/project/clusters/"
        return session.request(
            method,
            f"{self.url}/api/container_infra/{path}",
            json=body,
            headers=headers,
            timeout=60,
        )


@pytest.fixture(scope="module")
def panel(browser: Any, horizon: Horizon, keystone: keystone_fixture.Keystone) -> Panel:
    panel = Panel(browser, horizon)
    panel.login(keystone.users["a-member"])
    return panel


def _row_text(panel: Panel, name: str) -> str:
    lines = [line for line in panel.text().splitlines() if name in line]
    return " ".join(lines)


def _stats_text(panel: Panel) -> str:
    """The Stats box beside the donut: "Clusters Used N of M Nodes K"."""
    from selenium.webdriver.common.by import By

    return panel.driver.find_element(By.CSS_SELECTOR, "dl.dl-horizontal").text.replace("\n", " ")


def test_cluster_lifecycle_in_the_panel(panel: Panel) -> None:
    # The donut needs GET /v1/stats; without it the panel shows an error toast.
    assert panel.proxy("GET", "stats/").status_code == 200
    panel.settle()
    panel.screenshot("after-login")
    panel.assert_no_errors("the page after login")
    panel.open("/project/cluster_templates/", "cluster-templates-empty")
    panel.open("/project/clusters/", "clusters-empty")

    # The template wizard's model after cleanNullProperties(): booleans as
    # the checkboxes leave them; magnum-ui's proxy stringifies every value.
    template_name = f"e2e-swarm-{uuid.uuid4().hex[:6]}"
    response = panel.proxy(
        "POST",
        "cluster_templates/",
        {
            "name": template_name,
            "coe": "swarm",
            "image_id": "magnum-local-node",
            "server_type": "local",
            "public": False,
            "hidden": False,
            "registry_enabled": False,
            "tls_disabled": True,
            "master_lb_enabled": False,
            "floating_ip_enabled": True,
            "docker_volume_size": 10,
            "network_driver": "docker",
        },
    )
    assert response.status_code == 201, response.text
    template = response.json()
    panel.open("/project/cluster_templates/", "cluster-templates")
    assert template_name in panel.text()

    # What the cluster wizard's buildRequestObject() sends with no keypair,
    # flavor or network to choose; the proxy drops "rollback" and turns
    # every value into a string, None into "" ("keypair": "", ...).
    cluster_name = f"e2e-bay-{uuid.uuid4().hex[:6]}"
    response = panel.proxy(
        "POST",
        "clusters/",
        {
            "discovery_url": None,
            "create_timeout": 60,
            "rollback": False,
            "name": cluster_name,
            "cluster_template_id": template["uuid"],
            "keypair": "",
            "labels": {
                "availability_zone": "",
                "auto_scaling_enabled": False,
                "auto_healing_enabled": True,
                "master_lb_floating_ip_enabled": False,
            },
            "master_lb_enabled": None,
            "master_count": 1,
            "node_count": 1,
        },
    )
    assert response.status_code == 201, response.text
    cluster_id = response.json()["uuid"]

    def status() -> str:
        response = panel.proxy("GET", f"clusters/{cluster_id}")
        assert response.status_code == 200, response.text
        return response.json()["status"]

    panel.wait_for(lambda: status() != "CREATE_IN_PROGRESS", "the cluster", BAY_TIMEOUT)
    assert status() == "CREATE_COMPLETE"
    panel.open("/project/clusters/", "clusters-create-complete")
    assert "CREATE_COMPLETE" in _row_text(panel, cluster_name)
    # One cluster of one master and one worker.
    panel.wait_for(lambda: "Used 1 of" in _stats_text(panel), "the stats donut")
    assert "NaN" not in panel.text()
    assert _stats_text(panel).endswith("Nodes 2"), _stats_text(panel)
    panel.open(f"/ngdetails/OS::Magnum::Cluster/{cluster_id}", "cluster-detail")
    assert cluster_name in panel.text()

    # Resize: the dialog's data (cluster + nodegroups), then the action.
    response = panel.proxy("GET", f"clusters/{cluster_id}/resize")
    assert response.status_code == 200, response.text
    response = panel.proxy("POST", f"clusters/{cluster_id}/resize", {"node_count": "2"})
    assert response.status_code in (200, 202, 204), response.text
    panel.wait_for(lambda: status() != "UPDATE_IN_PROGRESS", "the resize", BAY_TIMEOUT)
    assert status() == "UPDATE_COMPLETE"
    response = panel.proxy("GET", f"clusters/{cluster_id}")
    assert response.json()["node_count"] == 2
    panel.open("/project/clusters/", "clusters-resized")
    panel.wait_for(lambda: _stats_text(panel).endswith("Nodes 3"), "the stats after resize")

    # Delete, as the table's action does: a list of ids.
    response = panel.proxy("DELETE", "clusters/", [cluster_id])
    assert response.status_code == 204, response.text

    def gone() -> bool:
        return panel.proxy("GET", "clusters/").json()["items"] == []

    panel.wait_for(gone, "the delete", BAY_TIMEOUT)
    panel.open("/project/clusters/", "clusters-deleted")
    assert cluster_name not in panel.text()
    response = panel.proxy("DELETE", "cluster_templates/", [template["uuid"]])
    assert response.status_code == 204, response.text
    panel.open("/project/cluster_templates/", "cluster-templates-deleted")
