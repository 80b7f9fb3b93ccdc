"""Policy enforcement (oslo.policy, rules in code under ``common/policies``).

Controllers call ``authorize(rule, target, context)`` explicitly: for an
existing object the target is the loaded object's owner (``project_id``,
``user_id``), never the caller's own ids, so a project-scoped rule really
compares the owner.
"""

from __future__ import annotations

import threading
from typing import Any

from oslo_config import cfg
from oslo_policy import opts as policy_opts
from oslo_policy import policy

from magnum.common import exception, policies

_ENFORCER: policy.Enforcer | None = None
_LOCK = threading.Lock()

# Policy files are YAML; a JSON file still parses as YAML.
policy_opts.set_defaults(cfg.CONF, "policy.yaml")


def get_enforcer(conf: cfg.ConfigOpts | None = None) -> policy.Enforcer:
    """The process-wide enforcer; also the oslo.policy.enforcer entry point."""
    global _ENFORCER
    with _LOCK:
        if _ENFORCER is None:
            enforcer = policy.Enforcer(conf or cfg.CONF)
            enforcer.register_defaults(policies.list_rules())
            # Operators' overrides are re-read when the file changes (oslo.policy
            # checks its mtime on every enforce), so no restart is needed.
            enforcer.load_rules()
            # Published only when complete: concurrent first requests must
            # never see an enforcer without its rules.
            _ENFORCER = enforcer
    return _ENFORCER


def reset() -> None:
    global _ENFORCER
    with _LOCK:
        if _ENFORCER is not None:
            _ENFORCER.clear()
        _ENFORCER = None


def _target_of(target: Any, context: Any) -> dict[str, Any]:
    if target is None:
        return {"project_id": context.project_id, "user_id": context.user_id}
    if isinstance(target, dict):
        return target
    return {
        "project_id": getattr(target, "project_id", None),
        "user_id": getattr(target, "user_id", None),
    }


def authorize(rule: str, target: Any, context: Any) -> None:
    """Raise PolicyNotAuthorized (403) unless ``context`` may do ``rule`` on ``target``."""
    enforcer = get_enforcer()
    creds = context.to_policy_values()
    try:
        enforcer.authorize(
            rule,
            _target_of(target, context),
            creds,
            do_raise=True,
            exc=exception.PolicyNotAuthorized,
            action=rule,
        )
    except policy.InvalidScope as err:
        raise exception.PolicyNotAuthorized(action=rule) from err


def check(rule: str, target: Any, context: Any) -> bool:
    """True when ``context`` may do ``rule`` on ``target``; never raises."""
    enforcer = get_enforcer()
    return bool(enforcer.enforce(rule, _target_of(target, context), context.to_policy_values()))


def check_is_admin(context: Any) -> bool:
    return check("context_is_admin", {}, context)
