import json

import webob

from magnum.api import errors
from magnum.common import exception


def _wrap(app):
    def with_id(environ, start_response):
        environ["openstack.request_id"] = "req-123"
        return errors.ErrorMiddleware(app)(environ, start_response)

    return with_id


def test_magnum_exception_is_rendered_with_its_code():
    def app(environ, start_response):
        raise exception.ClusterLocked(cluster="c1", host="h1")

    response = webob.Request.blank("/v1/clusters/c1").get_response(_wrap(app))
    assert response.status_int == 409
    entry = response.json["errors"][0]
    assert entry["code"] == "magnum.cluster.locked"
    assert entry["request_id"] == "req-123"
    assert entry["status"] == 409
    assert "c1" in entry["detail"] and entry["title"]


def test_unexpected_exception_hides_its_text():
    def app(environ, start_response):
        raise RuntimeError("password=hunter2 in a connection string")

    response = webob.Request.blank("/").get_response(_wrap(app))
    assert response.status_int == 500
    assert "hunter2" not in response.text
    assert response.json["errors"][0]["detail"] == errors.GENERIC_DETAIL


def test_plain_404_and_405_become_error_bodies():
    for status, extra in ((404, {}), (405, {"Allow": "GET"})):

        def app(environ, start_response, status=status, extra=extra):
            return webob.Response(status=status, headers=extra, body=b"<html>x</html>")(
                environ, start_response
            )

        response = webob.Request.blank("/nowhere").get_response(_wrap(app))
        assert response.status_int == status
        assert response.content_type == "application/json"
        entry = response.json["errors"][0]
        assert entry["status"] == status and entry["request_id"] == "req-123"
        if status == 405:
            assert response.headers["Allow"] == "GET"


def test_wsme_fault_is_rewritten():
    def app(environ, start_response):
        body = json.dumps(
            {
                "faultcode": "Client",
                "faultstring": "Invalid input for field/attribute node_count. Value: 'x'.",
                "debuginfo": None,
            }
        )
        return webob.Response(status=400, body=body.encode(), content_type="application/json")(
            environ, start_response
        )

    response = webob.Request.blank("/v1/clusters").get_response(_wrap(app))
    entry = response.json["errors"][0]
    assert entry["code"] == "magnum.invalid"
    assert entry["detail"].startswith("Invalid input for field/attribute node_count")
    assert entry["title"] == "Invalid input for field/attribute node_count"


def test_unsafe_exception_message_is_not_a_template_error():
    err = exception.ResourceNotFound(resource="Cluster", ident="abc")
    assert err.format_message() == "Cluster abc could not be found."
    assert err.error_code == "magnum.cluster.not_found"
    assert exception.InvalidParameterValue(err="bad").code == 400


def test_an_unreachable_database_is_503_with_retry_after():
    from oslo_db import exception as db_exc

    def app(environ, start_response):
        raise db_exc.DBConnectionError("(2013, 'Lost connection to MySQL server during query')")

    response = webob.Request.blank("/v1/clusters").get_response(_wrap(app))
    assert response.status_int == 503
    assert response.headers["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    entry = response.json["errors"][0]
    assert entry["code"] == "magnum.unavailable"
    assert "database" in entry["detail"] and "2013" not in entry["detail"]
