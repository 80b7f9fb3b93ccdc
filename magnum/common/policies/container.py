"""Rules for /v1/containers and their actions (legacy API, microversion <= 1.10)."""

import functools

from magnum.common.policies import base

COLLECTION = "/v1/containers"
MEMBER = "/v1/containers/{container_ident}"
READER = "rule:admin_or_project_reader"
MEMBER_RULE = "rule:admin_or_project_member"


_rule = functools.partial(base.route_rule, "container")


rules = [
    _rule("create", MEMBER_RULE, "Create a container on a bay.", "POST", COLLECTION),
    _rule("delete", MEMBER_RULE, "Delete a container.", "DELETE", MEMBER),
    _rule(
        "detail", READER, "List containers with all their fields.", "GET", COLLECTION + "/detail"
    ),
    _rule("get", READER, "Show a container.", "GET", MEMBER),
    _rule("get_all", READER, "List containers.", "GET", COLLECTION),
    _rule("update", MEMBER_RULE, "Rename a container.", "PATCH", MEMBER),
    _rule("start", MEMBER_RULE, "Start a container.", "PUT", MEMBER + "/start"),
    _rule("stop", MEMBER_RULE, "Stop a container.", "PUT", MEMBER + "/stop"),
    _rule("reboot", MEMBER_RULE, "Restart a container.", "PUT", MEMBER + "/reboot"),
    _rule("pause", MEMBER_RULE, "Pause a container.", "PUT", MEMBER + "/pause"),
    _rule("unpause", MEMBER_RULE, "Unpause a container.", "PUT", MEMBER + "/unpause"),
    # Logs may hold secrets the container printed: members only, like execute.
    _rule("logs", MEMBER_RULE, "Read the output of a container.", "GET", MEMBER + "/logs"),
    _rule(
        "execute",
        MEMBER_RULE,
        "Run a command in a running container.",
        "PUT",
        MEMBER + "/execute",
    ),
]


def list_rules():
    return rules
