"""Rules for /v1/clustertemplates; the legacy baymodel:* names default to the same."""

import functools

from magnum.common.policies import base, legacy

ADMIN = "rule:context_is_admin"

COLLECTION = "/v1/clustertemplates"
MEMBER = "/v1/clustertemplates/{clustertemplate_ident}"


_rule = functools.partial(base.route_rule, "clustertemplate")


rules = [
    _rule(
        "create",
        "rule:admin_or_project_member_deny_cluster_user",
        "Create a cluster template.",
        "POST",
        COLLECTION,
    ),
    _rule(
        "delete", "rule:admin_or_project_member", "Delete a cluster template.", "DELETE", MEMBER
    ),
    _rule(
        "delete_all_projects",
        "rule:context_is_admin",
        "Delete a cluster template of any project.",
        "DELETE",
        MEMBER,
    ),
    _rule(
        "detail",
        "rule:admin_or_project_reader_deny_cluster_user",
        "List cluster templates with all their fields.",
        "GET",
        COLLECTION + "/detail",
    ),
    _rule(
        "detail_all_projects",
        "rule:context_is_admin",
        "List cluster templates of every project.",
        "GET",
        COLLECTION + "/detail",
    ),
    _rule(
        "get",
        "rule:admin_or_project_reader_deny_cluster_user",
        "Show a cluster template.",
        "GET",
        MEMBER,
    ),
    _rule(
        "get_one_all_projects",
        "rule:context_is_admin",
        "Show a cluster template of any project.",
        "GET",
        MEMBER,
    ),
    _rule(
        "get_all",
        "rule:admin_or_project_reader_deny_cluster_user",
        "List cluster templates.",
        "GET",
        COLLECTION,
    ),
    _rule(
        "get_all_all_projects",
        "rule:context_is_admin",
        "List cluster templates of every project.",
        "GET",
        COLLECTION,
    ),
    _rule("update", "rule:admin_or_project_member", "Update a cluster template.", "PATCH", MEMBER),
    _rule(
        "update_all_projects",
        "rule:context_is_admin",
        "Update a cluster template of any project.",
        "PATCH",
        MEMBER,
    ),
    _rule(
        "publish",
        "rule:context_is_admin",
        "Make a cluster template public or hidden.",
        "POST",
        COLLECTION,
    ),
]


def list_rules():
    return rules + legacy.aliases("baymodel", "clustertemplate", rules, "/v1/baymodels")
