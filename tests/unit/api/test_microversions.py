import pytest
import webob

from magnum.api import errors, microversions
from magnum.common import exception

V = microversions.Version


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, V(1, 1)),
        ({"OpenStack-API-Version": "container-infra 1.5"}, V(1, 5)),
        ({"OpenStack-API-Version": "container-infrastructure-management 1.14"}, V(1, 14)),
        ({"OpenStack-API-Version": "container-infra latest"}, microversions.MAX_VERSION),
        ({"OpenStack-API-Version": "compute 2.1, container-infra 1.9"}, V(1, 9)),
        ({"X-OpenStack-Magnum-API-Version": "1.3"}, V(1, 3)),
        ({"X-OpenStack-Magnum-API-Version": "latest"}, microversions.MAX_VERSION),
    ],
)
def test_negotiate(headers, expected):
    assert microversions.negotiate(headers) == expected


@pytest.mark.parametrize(
    ("headers", "error"),
    [
        ({"OpenStack-API-Version": "container-infra 9.9"}, exception.MicroversionUnsupported),
        ({"OpenStack-API-Version": "container-infra 1.0"}, exception.MicroversionUnsupported),
        ({"OpenStack-API-Version": "container-infra 2.1"}, exception.MicroversionUnsupported),
        ({"OpenStack-API-Version": "container-infra abc"}, exception.InvalidMicroversion),
        ({"OpenStack-API-Version": "foo 1.1"}, exception.InvalidMicroversion),
        ({"X-OpenStack-Magnum-API-Version": "1"}, exception.InvalidMicroversion),
    ],
)
def test_negotiate_refuses(headers, error):
    with pytest.raises(error) as info:
        microversions.negotiate(headers)
    assert info.value.code == 406


def test_require_gates_methods():
    microversions.require(V(1, 9), "1.9", "nodegroups")
    with pytest.raises(exception.MethodNotSupportedForVersion):
        microversions.require(V(1, 8), "1.9", "nodegroups")
    with pytest.raises(exception.MethodNotSupportedForVersion):
        microversions.require(V(1, 11), "1.1", "bays", maximum="1.10")


def test_versions_table_is_contiguous():
    minors = sorted(v.minor for v in microversions.VERSIONS)
    assert minors == list(range(1, max(minors) + 1))
    assert str(microversions.MAX_VERSION) == "1.14"


def _app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [environ[microversions.ENVIRON_KEY].__str__().encode()]


def test_middleware_sets_headers_and_rejects():
    app = microversions.MicroversionMiddleware(_app, errors.render)
    ok = webob.Request.blank("/v1", headers={"OpenStack-API-Version": "container-infra 1.4"})
    response = ok.get_response(app)
    assert response.text == "1.4"
    assert response.headers["OpenStack-API-Version"] == "container-infrastructure-management 1.4"
    assert response.headers["OpenStack-API-Maximum-Version"].endswith("1.14")
    bad = webob.Request.blank("/v1", headers={"OpenStack-API-Version": "container-infra 7.0"})
    response = bad.get_response(app)
    assert response.status_int == 406
    entry = response.json["errors"][0]
    assert entry["code"] == "magnum.microversion-unsupported"
    assert entry["title"] == "Requested microversion is unsupported"
    assert entry["max_version"] == "1.14" and entry["min_version"] == "1.1"
    assert response.headers["OpenStack-API-Minimum-Version"].endswith("1.1")
