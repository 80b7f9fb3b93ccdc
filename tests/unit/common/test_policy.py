from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from oslo_config import cfg

from magnum.api.controllers import v1
from magnum.api.controllers.v1 import resource
from magnum.common import context, exception, policies, policy


@pytest.fixture(autouse=True)
def fresh_enforcer():
    cfg.CONF([], project="magnum")
    policy.reset()
    yield
    policy.reset()
    cfg.CONF.clear_override("enforce_new_defaults", "oslo_policy")
    cfg.CONF.clear_override("policy_file", "oslo_policy")


def ctx(project, roles, user=None):
    return context.RequestContext(project_id=project, user_id=user or "u-" + project, roles=roles)


# Personas, as Keystone's implied roles present them, against an object of p1.
OWNER = {"project_id": "p1", "user_id": "u-p1"}
PERSONAS = {
    "admin": ctx("p9", ["admin", "member", "reader"]),
    "member": ctx("p1", ["member", "reader"]),
    "reader": ctx("p1", ["reader"]),
    "other_member": ctx("p2", ["member", "reader"]),
    "cluster_user": ctx("p1", ["cluster_user", "member", "reader"]),
}
ADMIN_ONLY = {"admin"}
MEMBERS = {"admin", "member"}
READERS = {"admin", "member", "reader"}

# Who each rule lets through (spec section 8.2); the legacy names follow them.
EXPECTED: dict[str, set[str]] = {"magnum-service:get_all": ADMIN_ONLY}
for prefix in ("cluster", "bay"):
    EXPECTED.update({f"{prefix}:{a}": MEMBERS for a in ("create", "delete", "update")})
    EXPECTED.update({f"{prefix}:{a}": MEMBERS for a in ("resize", "upgrade")})
    EXPECTED.update({f"{prefix}:{a}": READERS for a in ("get", "get_all", "detail")})
    EXPECTED[f"{prefix}:update_health_status"] = MEMBERS | {"cluster_user"}
for prefix in ("clustertemplate", "baymodel"):
    EXPECTED[f"{prefix}:create"] = MEMBERS
    EXPECTED.update({f"{prefix}:{a}": MEMBERS | {"cluster_user"} for a in ("update", "delete")})
    EXPECTED.update({f"{prefix}:{a}": READERS for a in ("get", "get_all", "detail")})
    EXPECTED[f"{prefix}:publish"] = ADMIN_ONLY
for action in ("create", "delete", "update"):
    EXPECTED[f"node:{action}"] = MEMBERS | {"cluster_user"}
for action in ("get", "get_all", "detail"):
    EXPECTED[f"node:{action}"] = READERS | {"cluster_user"}
for action in ("create", "delete", "update", "start", "stop", "reboot", "pause", "unpause"):
    EXPECTED[f"container:{action}"] = MEMBERS | {"cluster_user"}
for action in ("logs", "execute"):
    EXPECTED[f"container:{action}"] = MEMBERS | {"cluster_user"}
for action in ("get", "get_all", "detail"):
    EXPECTED[f"container:{action}"] = READERS | {"cluster_user"}

for action in ("create", "delete", "update"):
    EXPECTED[f"nodegroup:{action}"] = MEMBERS | {"cluster_user"}
for action in ("get", "get_all"):
    EXPECTED[f"nodegroup:{action}"] = READERS | {"cluster_user"}
EXPECTED["stats:get_all"] = READERS | {"cluster_user"}
EXPECTED.update({f"quota:{a}": ADMIN_ONLY for a in ("create", "update", "delete", "get_all")})
EXPECTED["quota:get"] = READERS | {"cluster_user"}
EXPECTED["credential:rotate"] = {"member"}
# Certificates are per user (admin_or_project_*_user); the cluster_user
# persona is the same user with the member role, so it passes too.
EXPECTED["certificate:create"] = MEMBERS | {"cluster_user"}
EXPECTED["certificate:get"] = READERS | {"cluster_user"}
EXPECTED["certificate:rotate_ca"] = MEMBERS | {"cluster_user"}
EXPECTED.update({f"federation:{a}": MEMBERS for a in ("create", "delete", "update")})
EXPECTED.update({f"federation:{a}": READERS for a in ("get", "get_all", "detail")})

ROUTE_RULES = sorted(r.name for r in policies.list_rules() if ":" in r.name)


@pytest.mark.parametrize("rule", ROUTE_RULES)
def test_default_of_every_route_rule(rule: str) -> None:
    if rule.endswith("_all_projects"):
        wanted = ADMIN_ONLY
    else:
        assert rule in EXPECTED, (
            f"{rule} has no expected personas: add it to EXPECTED in {__file__} "
            "(spec section 8.2 gives the defaults)"
        )
        wanted = EXPECTED[rule]
    allowed = {name for name, who in PERSONAS.items() if policy.check(rule, OWNER, who)}
    assert allowed == wanted


def test_member_may_create_but_reader_may_not():
    policy.authorize("cluster:create", None, ctx("p1", ["member", "reader"]))
    with pytest.raises(exception.PolicyNotAuthorized):
        policy.authorize("cluster:create", None, ctx("p1", ["reader"]))


def test_object_checks_compare_the_owner():
    owned_by_p2 = {"project_id": "p2", "user_id": "u-p2"}
    with pytest.raises(exception.PolicyNotAuthorized) as info:
        policy.authorize("cluster:get", owned_by_p2, ctx("p1", ["member", "reader"]))
    assert info.value.code == 403
    assert info.value.error_code == "magnum.policy.forbidden"
    assert "cluster:get" in info.value.format_message()
    policy.authorize("cluster:get", owned_by_p2, ctx("p1", ["admin"]))


def test_legacy_names_are_aliases_of_the_modern_rules():
    rules = {r.name: r for r in policies.list_rules()}
    for legacy, modern in (("bay", "cluster"), ("baymodel", "clustertemplate")):
        names = [n for n in rules if n.startswith(f"{legacy}:")]
        assert names
        for name in names:
            assert rules[name].check_str == f"rule:{modern}:{name.split(':', 1)[1]}"


def test_mservices_is_admin_only():
    assert not policy.check("magnum-service:get_all", None, ctx("p1", ["member"]))
    assert policy.check("magnum-service:get_all", None, ctx("p1", ["admin"]))


def test_unknown_rules_fail_closed():
    # No "default" rule is registered, so a misspelt name denies even admins.
    assert not policy.check("cluster:no_such_action", OWNER, PERSONAS["admin"])


def _mounted_resources() -> list[resource.Resource]:
    return [
        c.resource for c in v1.COLLECTIONS.values() if isinstance(c, resource.ResourceController)
    ]


@pytest.mark.parametrize("res", _mounted_resources(), ids=lambda r: r.collection)
def test_every_mounted_route_has_its_rules(res: resource.Resource) -> None:
    registered = {r.name for r in policies.list_rules()}
    wanted = {f"{res.policy}:{a}" for a in ("create", "delete", "detail", "get", "get_all")}
    wanted.add(f"{res.policy}:update")
    if res.admin_sees_all:
        actions = ("get_all", "detail", "get_one", "update", "delete")
        wanted |= {f"{res.policy}:{a}_all_projects" for a in actions}
    assert not wanted - registered


def test_old_defaults_come_back_with_enforce_new_defaults_off():
    # A deployment that never assigned member/reader keeps working meanwhile.
    legacy_user = ctx("p1", ["_member_"])
    assert not policy.check("cluster:create", OWNER, legacy_user)
    cfg.CONF.set_override("enforce_new_defaults", False, "oslo_policy")
    policy.reset()
    assert policy.check("cluster:create", OWNER, legacy_user)
    assert not policy.check("cluster:create", {"project_id": "p2"}, legacy_user)


def rewrite(path: Path, text: str) -> None:
    """Write ``text`` with a newer mtime: oslo.policy reloads on a changed mtime,
    and two writes within one kernel clock tick would share one."""
    old = path.stat().st_mtime if path.exists() else 0.0
    path.write_text(text)
    newer = max(time.time(), old + 1)
    os.utime(path, (newer, newer))


def test_operator_policy_file_applies_without_restart(tmp_path: Path):
    policy_file = tmp_path / "policy.yaml"
    rewrite(policy_file, "{}\n")
    cfg.CONF.set_override("policy_file", str(policy_file), "oslo_policy")
    policy.reset()
    member = PERSONAS["member"]
    assert policy.check("clustertemplate:get_all", OWNER, member)
    rewrite(policy_file, '"clustertemplate:get_all": "rule:context_is_admin"\n')
    assert not policy.check("clustertemplate:get_all", OWNER, member)
    assert policy.check("baymodel:get_all", OWNER, PERSONAS["admin"])
    rewrite(policy_file, "{}\n")
    assert policy.check("clustertemplate:get_all", OWNER, member)


def test_policy_generator_shows_the_effective_rules(tmp_path: Path):
    """``oslopolicy-policy-generator`` merges an operator's file with the defaults."""
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text('"cluster:create": "rule:context_is_admin"\n')
    conf_file = tmp_path / "magnum.conf"
    conf_file.write_text(f"[oslo_policy]\npolicy_file = {policy_file}\n")
    tool = Path(sys.executable).parent / "oslopolicy-policy-generator"
    result = subprocess.run(
        [str(tool), "--namespace", "magnum", "--config-file", str(conf_file)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert '"cluster:create": "rule:context_is_admin"' in result.stdout
    assert '"bay:create": "rule:cluster:create"' in result.stdout


def test_concurrent_first_use_always_sees_every_rule():
    """The first requests of a process arrive together (Horizon sends several)."""
    import threading

    policy.reset()
    errors: list[BaseException] = []
    member = ctx("p1", ["member", "reader"])

    def first_request() -> None:
        try:
            policy.authorize("stats:get_all", None, member)
        except BaseException as err:  # noqa: BLE001 - collected for the assertion
            errors.append(err)

    threads = [threading.Thread(target=first_request) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
