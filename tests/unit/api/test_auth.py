"""The authentication edge without a Keystone: what is decided before any token check.

keystonemiddleware rejects a request without a token on its own (no call to
Keystone), so these run with an unreachable ``auth_url``; everything that
needs a real token is in tests/functional/auth/test_keystone.py.
"""

from __future__ import annotations

import logging
import types

import pytest
import webob
from keystoneauth1 import loading
from oslo_config import cfg

from magnum.api import app as api_app
from magnum.api import auth, errors, hooks

UNREACHABLE = "http://127.0.0.1:9/v3"


@pytest.fixture
def conf():
    conf = cfg.CONF
    conf([], project="magnum")
    conf.set_override("auth_strategy", "keystone")
    conf.set_override("www_authenticate_uri", UNREACHABLE, "keystone_authtoken")
    yield conf
    conf.clear_override("auth_strategy")
    conf.clear_override("host_ip", "api")
    conf.clear_override("www_authenticate_uri", "keystone_authtoken")


def plain_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"reached the app"]


@pytest.mark.parametrize("path", sorted(auth.PUBLIC_PATHS))
def test_version_discovery_skips_the_token_check(conf, path):
    response = webob.Request.blank(path or "/").get_response(
        auth.AuthTokenMiddleware(plain_app, conf)
    )
    assert response.status_int == 200
    assert response.text == "reached the app"


@pytest.mark.parametrize("path", ["/v1/clusters", "/v1/mservices", "/v1/../v1/bays", "/v12"])
def test_every_other_path_needs_a_token(conf, path):
    response = webob.Request.blank(path).get_response(auth.AuthTokenMiddleware(plain_app, conf))
    assert response.status_int == 401
    assert response.headers["WWW-Authenticate"] == f'Keystone uri="{UNREACHABLE}"'


def test_the_401_leaves_the_api_in_the_openstack_error_format(conf):
    response = webob.Request.blank("/v1/clustertemplates").get_response(api_app.setup_app(conf))
    assert response.status_int == 401
    assert response.headers["WWW-Authenticate"] == f'Keystone uri="{UNREACHABLE}"'
    error = response.json["errors"][0]
    assert error["status"] == 401
    assert error["code"] == "magnum.unauthorized"
    assert error["request_id"] == response.headers["X-OpenStack-Request-Id"]


def _context_for(headers: dict[str, str]):
    request = webob.Request.blank("/", headers=headers)
    state = types.SimpleNamespace(request=request)
    hooks.ContextHook().before(state)
    return request.context


def test_keystone_mode_ignores_identity_headers_keystone_did_not_confirm(conf):
    ctx = _context_for({"X-Project-Id": "p1", "X-User-Id": "u1", "X-Roles": "admin"})
    assert ctx.project_id is None and ctx.user_id is None
    assert ctx.roles == [] and not ctx.is_admin


def test_keystone_mode_reads_what_auth_token_confirmed(conf):
    ctx = _context_for(
        {
            "X-Identity-Status": "Confirmed",
            "X-Project-Id": "p1",
            "X-User-Id": "u1",
            "X-User-Domain-Id": "default",
            "X-Roles": "member,reader",
            "X-Auth-Token": "tok",
        }
    )
    assert (ctx.project_id, ctx.user_id, ctx.user_domain_id) == ("p1", "u1", "default")
    assert ctx.roles == ["member", "reader"] and not ctx.is_admin
    assert ctx.auth_token == "tok"


def test_noauth_takes_the_caller_from_headers_or_the_configured_defaults(conf):
    conf.set_override("auth_strategy", "noauth")
    named = _context_for({"X-Project-Id": "p1", "X-User-Id": "u1", "X-Roles": "reader"})
    assert (named.project_id, named.user_id, named.roles) == ("p1", "u1", ["reader"])
    assert not named.is_admin
    default = _context_for({})
    assert (default.project_id, default.user_id) == (conf.noauth_project_id, conf.noauth_user_id)
    assert default.is_admin


@pytest.mark.parametrize(
    ("host", "exposed"),
    [
        ("127.0.0.1", False),
        ("::1", False),
        ("localhost", False),
        ("0.0.0.0", True),  # noqa: S104 (the case under test)
        ("10.1.2.3", True),
    ],
)
def test_noauth_on_a_reachable_address_refuses_to_start(conf, caplog, host, exposed):
    conf.set_override("auth_strategy", "noauth")
    conf.set_override("host_ip", host, "api")
    with caplog.at_level(logging.WARNING, logger="magnum.api.auth"):
        if exposed:
            with pytest.raises(SystemExit) as stopped:
                auth.refuse_exposed_noauth_or_exit(conf)
            assert stopped.value.code == 1
            assert "Refusing to start" in caplog.text and host in caplog.text
        else:
            auth.refuse_exposed_noauth_or_exit(conf)
            assert not caplog.records


def test_noauth_on_a_reachable_address_starts_when_allowed_with_a_warning(conf, caplog):
    conf.set_override("auth_strategy", "noauth")
    conf.set_override("host_ip", "10.1.2.3", "api")
    conf.set_override("allow_noauth_on_non_loopback", True, "api")
    with caplog.at_level(logging.WARNING, logger="magnum.api.auth"):
        auth.refuse_exposed_noauth_or_exit(conf)
    assert [r.levelname for r in caplog.records] == ["WARNING"]


def test_keystone_on_a_reachable_address_starts(conf, caplog):
    conf.set_override("auth_strategy", "keystone")
    conf.set_override("host_ip", "10.1.2.3", "api")
    auth.refuse_exposed_noauth_or_exit(conf)


def test_an_unreachable_keystone_is_503_not_500():
    # A private ConfigOpts: the password plugin's required options must not
    # stay registered on the global one.
    conf = cfg.ConfigOpts()
    group = "keystone_authtoken"
    loading.register_auth_conf_options(conf, group)
    conf.register_opts(loading.get_auth_plugin_conf_options("password"), group)
    settings = {"auth_type": "password", "auth_url": UNREACHABLE, "username": "m", "password": "p"}
    for name, value in settings.items():
        conf.set_override(name, value, group)
    conf([])
    app = errors.ErrorMiddleware(auth.AuthTokenMiddleware(plain_app, conf))
    response = webob.Request.blank(
        "/v1/clustertemplates", headers={"X-Auth-Token": "some-token"}
    ).get_response(app)
    assert response.status_int == 503
    error = response.json["errors"][0]
    assert error["status"] == 503 and error["title"]
    assert "some-token" not in response.text
