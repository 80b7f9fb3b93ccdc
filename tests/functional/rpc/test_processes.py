"""magnum-api, magnum-conductor and magnum-all as real processes.

The same HTTP behaviour is checked on both deployments (see conftest.py):
API and conductor apart on RabbitMQ + MariaDB, and magnum-all on SQLite.
Then the lifecycle: a conductor's heartbeat in /v1/mservices, SIGTERM, a
crash, and a database that cannot be reached at start-up.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest
import requests
from magnumclient import exceptions as client_exceptions
from magnumclient.v1 import client as magnum_client

from tests.fixtures import processes
from tests.functional.rpc.conftest import SERVICE_DOWN_TIME, Deployment, service_config

VERSION_HEADERS = ("OpenStack-API-Minimum-Version", "OpenStack-API-Maximum-Version")


def get(deployment: Deployment, path: str, **kwargs) -> requests.Response:
    return requests.get(deployment.url + path, timeout=10, **kwargs)


def assert_error_body(response: requests.Response, status: int) -> dict:
    """The OpenStack error format: one entry in ``errors`` naming the request."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    error = response.json()["errors"][0]
    assert error["request_id"] == response.headers["X-OpenStack-Request-Id"]
    assert error["request_id"].startswith("req-")
    assert error["status"] == status
    assert error["code"]
    assert error["title"]
    assert error["detail"]
    return error


def assert_version_headers(response: requests.Response) -> None:
    for header in VERSION_HEADERS:
        service, _, version = response.headers[header].partition(" ")
        assert service == "container-infrastructure-management"
        assert version.count(".") == 1


def wait_for_state(conductor: processes.MagnumProcess, state: str, timeout: float) -> float:
    """Seconds until the conductor's mservices row shows ``state``."""
    started = time.monotonic()
    while (current := conductor.service_state()) != state:
        if time.monotonic() - started > timeout:
            pytest.fail(f"{conductor.host} still {current!r} after {timeout} s, not {state!r}")
        time.sleep(0.5)
    return time.monotonic() - started


def client_for(deployment: Deployment) -> magnum_client.Client:
    # Under noauth any token will do; endpoint_override + auth_token makes
    # magnumclient skip Keystone entirely.
    return magnum_client.Client(endpoint_override=deployment.url + "/v1", auth_token="noauth")


# --- HTTP behaviour, on both deployments ---------------------------------------


def test_root_is_the_version_document(deployment: Deployment) -> None:
    response = get(deployment, "/")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "OpenStack Magnum API"
    (version,) = body["versions"]
    assert version["id"] == "v1"
    assert version["status"] == "CURRENT"
    assert version["min_version"] == "1.1"
    assert version["links"][0]["href"].startswith(deployment.url + "/v1")
    assert_version_headers(response)


def test_v1_document_links_its_collections(deployment: Deployment) -> None:
    response = get(deployment, "/v1")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == "v1"
    assert body["media_types"][0]["base"] == "application/json"
    assert body["mservices"][0]["href"].startswith(deployment.url + "/v1/mservices")
    assert_version_headers(response)


@pytest.mark.parametrize("path", ["/v1/no-such-collection", "/v1/mservices/a/b/c", "/nope"])
def test_unknown_route_is_404_in_the_error_format(deployment: Deployment, path: str) -> None:
    response = get(deployment, path)
    assert_error_body(response, 404)
    assert_version_headers(response)


def test_wrong_method_is_405_in_the_error_format(deployment: Deployment) -> None:
    response = requests.put(deployment.url + "/v1/mservices", json={}, timeout=10)
    assert_error_body(response, 405)
    assert_version_headers(response)


@pytest.mark.parametrize(
    "header",
    ["container-infra 9.9", "container-infra 1.999", "container-infra abc", "foo 1.1"],
)
def test_unacceptable_microversion_is_406(deployment: Deployment, header: str) -> None:
    response = get(deployment, "/v1/mservices", headers={"OpenStack-API-Version": header})
    error = assert_error_body(response, 406)
    assert_version_headers(response)
    if header.endswith("9"):
        assert error["min_version"] == "1.1"
        assert error["max_version"]


def test_negotiated_version_is_echoed(deployment: Deployment) -> None:
    response = get(deployment, "/v1", headers={"OpenStack-API-Version": "container-infra 1.1"})
    assert response.status_code == 200
    assert response.headers["OpenStack-API-Version"] == "container-infrastructure-management 1.1"


def test_healthcheck(deployment: Deployment) -> None:
    response = get(deployment, "/healthcheck")
    assert response.status_code == 200


def test_conductor_is_up_in_mservices(deployment: Deployment) -> None:
    response = get(deployment, "/v1/mservices")
    assert response.status_code == 200
    rows = [r for r in response.json()["mservices"] if r["host"] == deployment.conductor_host]
    assert len(rows) == 1, response.json()
    assert rows[0]["binary"] == "magnum-conductor"
    assert rows[0]["state"] == "up"
    assert rows[0]["report_count"] >= 1


def test_magnumclient_lists_services(deployment: Deployment) -> None:
    services = client_for(deployment).mservices.list()
    assert deployment.conductor_host in {s.host for s in services}


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        pytest.param(b'{"name": "x",', "application/json", 400, id="malformed-json"),
        pytest.param(b"name=x", "text/plain", 415, id="text-plain"),
    ],
)
def test_bad_request_body_is_rejected_in_the_error_format(
    deployment: Deployment, body: bytes, content_type: str, status: int
) -> None:
    response = requests.post(
        deployment.url + "/v1/clustertemplates",
        data=body,
        headers={"Content-Type": content_type},
        timeout=10,
    )
    assert_error_body(response, status)
    assert_version_headers(response)


def test_magnumclient_reports_a_missing_template(deployment: Deployment) -> None:
    client = client_for(deployment)
    with pytest.raises(client_exceptions.NotFound):
        client.cluster_templates.get(f"missing-{uuid.uuid4().hex[:6]}")
    assert isinstance(client.cluster_templates.list(), list)


# --- lifecycle ------------------------------------------------------------------


def _extra_conductor(split: Deployment, tmp_path: Path) -> processes.MagnumProcess:
    """A second conductor next to the split deployment's, with its own host name."""
    host = f"conductor-{uuid.uuid4().hex[:8]}"
    text = split.config_file.read_text().replace(split.conductor_host, host)
    conf = tmp_path / "conductor.conf"
    conf.write_text(text)
    return processes.MagnumProcess(
        "magnum-conductor", conf, name=f"split-{host}", host=host, api_url=split.url
    )


def test_sigterm_stops_a_conductor_cleanly_and_it_shows_down(
    split_deployment: Deployment, tmp_path: Path
) -> None:
    conductor = _extra_conductor(split_deployment, tmp_path).start()
    assert conductor.service_state() == "up"
    started = time.monotonic()
    conductor.stop()  # asserts exit status 0 within 20 s
    assert time.monotonic() - started < processes.STOP_TIMEOUT
    # A clean stop marks the row down at once; allow one heartbeat of slack.
    wait_for_state(conductor, "down", timeout=SERVICE_DOWN_TIME)
    assert "Traceback" not in conductor.output()


def test_a_killed_conductor_shows_down_after_service_down_time(
    split_deployment: Deployment, tmp_path: Path
) -> None:
    conductor = _extra_conductor(split_deployment, tmp_path).start()
    conductor.kill9()
    waited = wait_for_state(conductor, "down", timeout=SERVICE_DOWN_TIME + 10)
    assert waited <= SERVICE_DOWN_TIME + 10


@pytest.mark.parametrize("binary", ["magnum-api", "magnum-all"])
def test_sigterm_stops_an_idle_api_process_cleanly(
    binary: str, tmp_path: Path, mariadb_url: str, transport_url: str
) -> None:
    port = processes.free_port()
    sections = {}
    if binary == "magnum-api":
        # Pre-forked workers: the parent must forward SIGTERM and reap them.
        sections = {
            "api": {"workers": 2},
            "database": {"connection": mariadb_url},
            "DEFAULT": {"transport_url": transport_url},
        }
    conf = processes.write_config(
        tmp_path / "magnum.conf",
        **service_config(tmp_path, f"sigterm-{port}", port, **sections),
    )
    process = processes.MagnumProcess(binary, conf, name=f"sigterm-{binary}-{port}", port=port)
    process.start()
    assert requests.get(process.url + "/v1", timeout=10).status_code == 200
    started = time.monotonic()
    process.stop()
    assert time.monotonic() - started < processes.STOP_TIMEOUT
    with pytest.raises(requests.ConnectionError):
        requests.get(process.url + "/healthcheck", timeout=2)


UNREACHABLE_DATABASES = {
    # A port nothing listens on; the password must not reach the log.
    "mysql": "mysql+pymysql://magnum:s3cret-pw@127.0.0.1:{port}/magnum",
    "postgresql": "postgresql+psycopg2://magnum:s3cret-pw@127.0.0.1:{port}/magnum",
}


@pytest.mark.parametrize("kind", sorted(UNREACHABLE_DATABASES))
@pytest.mark.parametrize("binary", ["magnum-api", "magnum-conductor"])
def test_unreachable_database_ends_the_process_with_one_clear_line(
    binary: str, kind: str, tmp_path: Path, transport_url: str
) -> None:
    port = processes.free_port()
    conf = processes.write_config(
        tmp_path / "magnum.conf",
        **service_config(
            tmp_path,
            f"nodb-{port}",
            port,
            DEFAULT={"transport_url": transport_url},
            database={
                "connection": UNREACHABLE_DATABASES[kind].format(port=processes.free_port()),
                "max_retries": 0,
            },
        ),
    )
    process = processes.MagnumProcess(binary, conf, name=f"nodb-{binary}-{kind}", port=port)
    process.start(wait=False)
    status = process.wait_exit(timeout=30)
    output = process.output()
    assert status != 0, output
    critical = [line for line in output.splitlines() if "CRITICAL" in line]
    assert len(critical) == 1, output
    assert "Cannot use the database" in critical[0]
    assert "127.0.0.1" in critical[0]
    assert "Traceback" not in output
    assert "s3cret-pw" not in output
