import pytest
from oslo_config import cfg

from magnum.common import context, exception, policy


@pytest.fixture(autouse=True)
def fresh_enforcer():
    cfg.CONF([], project="magnum")
    policy.reset()
    yield
    policy.reset()


def ctx(project, roles):
    return context.RequestContext(project_id=project, user_id="u-" + project, roles=roles)


def test_member_may_create_but_reader_may_not():
    policy.authorize("cluster:create", None, ctx("p1", ["member", "reader"]))
    with pytest.raises(exception.PolicyNotAuthorized):
        policy.authorize("cluster:create", None, ctx("p1", ["reader"]))


def test_object_checks_compare_the_owner():
    owned_by_p2 = {"project_id": "p2", "user_id": "u-p2"}
    with pytest.raises(exception.PolicyNotAuthorized) as info:
        policy.authorize("cluster:get", owned_by_p2, ctx("p1", ["member", "reader"]))
    assert info.value.code == 403
    assert "cluster:get" in info.value.format_message()
    policy.authorize("cluster:get", owned_by_p2, ctx("p1", ["admin"]))


def test_legacy_names_follow_the_modern_rules():
    assert policy.check("bay:create", None, ctx("p1", ["member"]))
    assert not policy.check("bay:create", None, ctx("p1", ["reader"]))
    assert not policy.check("baymodel:publish", None, ctx("p1", ["member"]))
    assert policy.check("baymodel:publish", None, ctx("p1", ["admin"]))


def test_mservices_is_admin_only():
    assert not policy.check("magnum-service:get_all", None, ctx("p1", ["member"]))
    assert policy.check("magnum-service:get_all", None, ctx("p1", ["admin"]))
