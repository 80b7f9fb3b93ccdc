"""Base rules the per-resource defaults are built from (spec section 8.2)."""

from oslo_policy import policy

ROLE_ADMIN = "role:admin"
ADMIN_ONLY = "rule:context_is_admin"
PROJECT_MEMBER = "role:member and project_id:%(project_id)s"
PROJECT_READER = "role:reader and project_id:%(project_id)s"
SAME_USER = "user_id:%(user_id)s"
# The trustee user a bay's nodes use; it may report health and sign CSRs but
# not manage bays. Its role is set by the trust magnum creates.
CLUSTER_USER = "role:cluster_user"

OWNER_FALLBACK_REASON = (
    "Rules now tell readers from members (keystone's reader/member roles). With "
    "[oslo_policy] enforce_new_defaults = False, the old check (admin, or any "
    "role in the owning project) is OR'd in while a deployment assigns the roles."
)


def owner_fallback(name: str) -> policy.DeprecatedRule:
    """The pre-role default of ``name``, kept for enforce_new_defaults = False."""
    return policy.DeprecatedRule(
        name=name,
        check_str="rule:admin_or_owner",
        deprecated_reason=OWNER_FALLBACK_REASON,
        deprecated_since="2023.2",
    )


def route_rule(
    resource: str, action: str, check: str, description: str, method: str, path: str
) -> policy.DocumentedRuleDefault:
    """The rule ``<resource>:<action>`` guarding ``method path``.

    Every rule but the admin-only ones keeps the pre-role ``admin_or_owner``
    default as its deprecated fallback, so deployments with
    ``[oslo_policy] enforce_new_defaults = False`` keep working.
    """
    name = f"{resource}:{action}"
    return policy.DocumentedRuleDefault(
        name=name,
        check_str=check,
        description=description,
        operations=[{"path": path, "method": method}],
        deprecated_rule=None if check == ADMIN_ONLY else owner_fallback(name),
    )


rules = [
    policy.RuleDefault("context_is_admin", ROLE_ADMIN, description="Who is an administrator."),
    policy.RuleDefault(
        "admin_api",
        "rule:context_is_admin",
        description="Legacy name of context_is_admin, kept for old policy files.",
    ),
    policy.RuleDefault(
        "admin_or_owner",
        "is_admin:True or project_id:%(project_id)s",
        description="Deprecated: admin or any user of the owning project.",
    ),
    policy.RuleDefault("admin_or_user", "is_admin:True or " + SAME_USER),
    policy.RuleDefault("is_user", SAME_USER),
    policy.RuleDefault("cluster_user", CLUSTER_USER),
    policy.RuleDefault("project_member", PROJECT_MEMBER),
    policy.RuleDefault("project_reader", PROJECT_READER),
    policy.RuleDefault("admin_or_project_reader", f"rule:context_is_admin or ({PROJECT_READER})"),
    policy.RuleDefault("admin_or_project_member", f"rule:context_is_admin or ({PROJECT_MEMBER})"),
    policy.RuleDefault(
        "admin_or_project_member_user",
        f"rule:context_is_admin or ({PROJECT_MEMBER} and {SAME_USER})",
    ),
    policy.RuleDefault(
        "admin_or_project_member_user_or_cluster_user",
        f"rule:context_is_admin or ({PROJECT_MEMBER} and {SAME_USER}) or "
        f"({CLUSTER_USER} and project_id:%(project_id)s)",
    ),
    policy.RuleDefault(
        "admin_or_project_reader_user",
        f"rule:context_is_admin or ({PROJECT_READER} and {SAME_USER})",
    ),
    policy.RuleDefault(
        "project_member_deny_cluster_user", f"({PROJECT_MEMBER}) and not {CLUSTER_USER}"
    ),
    policy.RuleDefault(
        "admin_or_project_member_deny_cluster_user",
        "rule:context_is_admin or rule:project_member_deny_cluster_user",
    ),
    policy.RuleDefault(
        "project_reader_deny_cluster_user", f"({PROJECT_READER}) and not {CLUSTER_USER}"
    ),
    policy.RuleDefault(
        "admin_or_project_reader_deny_cluster_user",
        "rule:context_is_admin or rule:project_reader_deny_cluster_user",
    ),
]


def list_rules():
    return rules
