"""Keystone client pieces that need no Keystone (the calls themselves run
against a real one in tests/functional/auth/test_keystone.py)."""

from __future__ import annotations

import types

import pytest
from keystoneauth1 import loading
from oslo_config import cfg

from magnum.common import context, exception
from magnum.common.clients import keystone
from magnum.conf import keystone as keystone_conf

AUTH_URL = "http://127.0.0.1:9/v3"


@pytest.fixture
def conf():
    conf = cfg.ConfigOpts()
    keystone_conf.register_opts(conf)
    conf([])
    keystone.reset()
    yield conf
    # The groups are module-level OptGroup objects that keep overrides across
    # ConfigOpts instances: drop them.
    conf.reset()
    keystone.reset()


def password_auth(conf: cfg.ConfigOpts, group: str) -> None:
    loading.register_auth_conf_options(conf, group)
    conf.set_override("auth_type", "password", group)
    conf.register_opts(loading.get_auth_plugin_conf_options("password"), group)
    for name, value in (("auth_url", AUTH_URL), ("username", "magnum"), ("password", "pw")):
        conf.set_override(name, value, group)


def test_keystone_auth_is_used_when_configured(conf):
    password_auth(conf, "keystone_auth")
    assert keystone.identity_url(conf) == AUTH_URL


def test_keystone_authtoken_is_the_fallback(conf):
    password_auth(conf, "keystone_authtoken")
    assert keystone.service_auth(conf).auth_url == AUTH_URL


def test_no_service_credentials_is_a_clear_error(conf):
    with pytest.raises(exception.KeystoneFailure, match="no service credentials"):
        keystone.service_auth(conf)


def test_a_trust_needs_the_callers_token(conf):
    password_auth(conf, "keystone_auth")
    caller = context.RequestContext(user_id="u", project_id="p", auth_token=None)
    with pytest.raises(exception.KeystoneFailure, match="carried no token") as info:
        keystone.caller_session(caller, conf)
    assert info.value.safe and info.value.code == 502


def test_a_trust_needs_a_trustee_domain(conf):
    with pytest.raises(exception.KeystoneFailure, match="trustee_domain_id"):
        keystone.trustee_domain_id(conf)


def test_trustee_repr_hides_the_password():
    trustee = keystone.Trustee(user_id="u", username="n", password="s3cret-value", trust_id="t")
    assert "s3cret-value" not in repr(trustee)


@pytest.mark.parametrize("cluster_user_trust", [False, True])
def test_nodes_get_the_trust_id_only_when_allowed(conf, cluster_user_trust):
    password_auth(conf, "keystone_auth")
    conf.set_override("trustee_domain_id", "d1", "trust")
    conf.set_override("cluster_user_trust", cluster_user_trust, "trust")
    cluster = types.SimpleNamespace(
        trustee_user_id="tu", trustee_username="tn", trustee_password="tp", trust_id="tr"
    )
    creds = keystone.node_credentials(cluster, conf)
    assert creds["auth_url"] == AUTH_URL and creds["trustee_domain_id"] == "d1"
    assert creds["trustee_password"] == "tp"
    assert creds["trust_id"] == ("tr" if cluster_user_trust else "")
