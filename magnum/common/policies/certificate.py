"""Rules for /v1/certificates (spec 8.2)."""

from magnum.common.policies import base

PATH = "/v1/certificates"
rules = [
    base.route_rule(
        "certificate",
        "create",
        "rule:admin_or_project_member_user",
        "Sign a certificate signing request with a cluster's CA.",
        "POST",
        PATH,
    ),
    base.route_rule(
        "certificate",
        "get",
        "rule:admin_or_project_reader_user",
        "Show the CA certificate of a cluster.",
        "GET",
        PATH + "/{cluster_ident}",
    ),
    base.route_rule(
        "certificate",
        "rotate_ca",
        "rule:admin_or_project_member",
        "Rotate the CA of a cluster.",
        "PATCH",
        PATH + "/{cluster_ident}",
    ),
]


def list_rules():
    return rules
