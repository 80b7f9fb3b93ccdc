from __future__ import annotations

import json
import logging

from oslo_config import cfg
from oslo_log import formatters
from oslo_log import log as oslo_log

from magnum.common import context, rpc

TOKEN = "gAAAAABsecret-token-value-that-must-not-be-logged"


def caller(**overrides) -> context.RequestContext:
    values = {
        "user_id": "u1",
        "user_name": "alice",
        "project_id": "p1",
        "project_name": "blue",
        "user_domain_id": "default",
        "project_domain_id": "default",
        "roles": ["member", "reader"],
        "request_id": "req-5b4c1a6e-aaaa-bbbb-cccc-000000000001",
        "auth_token": TOKEN,
        "is_admin": False,
        "overwrite": False,
    }
    values.update(overrides)
    return context.RequestContext(**values)


def test_rpc_round_trip_keeps_who_and_what() -> None:
    serializer = rpc.RequestContextSerializer()
    ctx = caller(all_projects=True, is_admin=True)
    wire = serializer.serialize_context(ctx)
    json.dumps(wire)  # what crosses the bus is plain JSON
    back = serializer.deserialize_context(wire)
    assert isinstance(back, context.RequestContext)
    for field in (
        "user_id",
        "user_name",
        "project_id",
        "project_name",
        "user_domain_id",
        "project_domain_id",
        "roles",
        "request_id",
        "is_admin",
        "all_projects",
    ):
        assert getattr(back, field) == getattr(ctx, field), field
    # The conductor needs the caller's token to create a bay's trust.
    assert back.auth_token == TOKEN


def test_token_is_never_in_what_gets_logged() -> None:
    ctx = caller()
    assert TOKEN not in repr(ctx)
    assert TOKEN not in str(ctx)
    assert TOKEN not in json.dumps(ctx.redacted())
    assert ctx.redacted()["auth_token"] == context.MASK
    assert TOKEN not in json.dumps(ctx.get_logging_values(), default=str)


def test_oslo_log_lines_with_the_context_hide_the_token() -> None:
    ctx = caller()
    record = logging.LogRecord("magnum", logging.INFO, __file__, 1, "working for %s", (ctx,), None)
    record.context = ctx
    conf = cfg.ConfigOpts()
    oslo_log.register_options(conf)
    conf([])
    line = formatters.ContextFormatter(config=conf).format(record)
    assert "req-5b4c1a6e" in line and "u1" in line
    assert TOKEN not in line
    json_line = formatters.JSONFormatter().format(record)
    assert TOKEN not in json_line


def test_policy_values_carry_is_admin_for_legacy_check_strings() -> None:
    assert caller(is_admin=True).to_policy_values()["is_admin"] is True
    assert caller().to_policy_values()["is_admin"] is False


def test_admin_context_sees_every_project() -> None:
    admin = context.get_admin_context()
    assert admin.is_admin and admin.all_projects
    assert admin.auth_token is None
