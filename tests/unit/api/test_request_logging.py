"""Log lines name the request they belong to; bodies beyond the limits are refused.

The access line and the context oslo.log reads come from the same WSGI
stack magnum-api runs (``setup_app``, noauth), on routes that reach no
database, so the checks run without services.
"""

from __future__ import annotations

import json
import logging
import threading

import pytest
import webob
from oslo_config import cfg
from oslo_context import context as oslo_context

from magnum.api import app as api_app
from magnum.api import hooks
from magnum.common import context


class ContextRecorder(logging.Handler):
    """Keeps each record with the thread-local context oslo.log would print."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.seen: list[tuple[logging.LogRecord, object]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append((record, oslo_context.get_current()))


@pytest.fixture
def conf():
    conf = cfg.CONF
    conf([], project="magnum")
    conf.set_override("auth_strategy", "noauth")
    yield conf
    conf.clear_override("auth_strategy")
    conf.clear_override("max_request_body_size", "api")


@pytest.fixture
def recorder():
    handler = ContextRecorder()
    logger = logging.getLogger("magnum")
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(old_level)


def test_concurrent_requests_of_two_projects_log_their_own_context(conf, recorder):
    app = api_app.setup_app(conf)
    answers: dict[str, list[str]] = {"project-a": [], "project-b": []}
    start = threading.Barrier(8)
    leftovers: list[object] = []

    def client(project: str) -> None:
        start.wait()
        for _ in range(10):
            request = webob.Request.blank("/v1", headers={"X-Project-Id": project})
            request.headers["X-User-Id"] = f"user-of-{project}"
            response = request.get_response(app)
            assert response.status_int == 200
            answers[project].append(response.headers["X-OpenStack-Request-Id"])
        # Once its requests are done, the thread names nobody.
        leftovers.append(oslo_context.get_current())

    threads = [threading.Thread(target=client, args=(p,)) for p in ("project-a", "project-b") * 4]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    access = [(r, c) for r, c in recorder.seen if r.name == "magnum.api.access"]
    assert len(access) == 80
    owner = {rid: project for project, ids in answers.items() for rid in ids}
    for record, ctx in access:
        line = record.getMessage()
        request_id = line.rsplit("request_id: ", 1)[1]
        assert '"GET /v1" status: 200' in line
        assert ctx is not None, line
        assert ctx.request_id == request_id
        assert ctx.project_id == owner[request_id]
        assert ctx.user_id == f"user-of-{owner[request_id]}"
    assert leftovers == [None] * 8


def test_the_error_body_request_id_finds_the_access_line(conf, recorder):
    response = webob.Request.blank("/v1/no-such-collection").get_response(api_app.setup_app(conf))
    assert response.status_int == 404
    request_id = response.json["errors"][0]["request_id"]
    lines = [r.getMessage() for r, _ in recorder.seen if r.name == "magnum.api.access"]
    assert [line for line in lines if line.endswith(request_id)] == [
        f'"GET /v1/no-such-collection" status: 404 time: '
        f"{lines[-1].split('time: ')[1].split(' ')[0]} request_id: {request_id}"
    ]


def test_the_access_line_never_carries_the_token_or_body(conf, recorder):
    request = webob.Request.blank(
        "/v1/clustertemplates?secret=query",
        method="POST",
        headers={"X-Auth-Token": "tok-123", "Content-Type": "application/json"},
        body=json.dumps({"name": "x", "coe": "swarm", "image_id": "pw-in-body"}).encode(),
    )
    conf.set_override("max_request_body_size", 10, "api")
    request.get_response(api_app.setup_app(conf))
    text = " ".join(r.getMessage() for r, _ in recorder.seen)
    assert "tok-123" not in text and "pw-in-body" not in text and "secret=query" not in text


def test_a_body_over_the_size_limit_is_413(conf):
    conf.set_override("max_request_body_size", 100, "api")
    request = webob.Request.blank(
        "/v1/clustertemplates",
        method="POST",
        headers={"Content-Type": "application/json"},
        body=json.dumps({"name": "x" * 200}).encode(),
    )
    response = request.get_response(api_app.setup_app(conf))
    assert response.status_int == 413
    assert response.json["errors"][0]["code"] == "magnum.too_large"


@pytest.mark.parametrize(
    ("raw", "depth"),
    [
        (b"{}", 1),
        (b'{"a": [1, {"b": []}]}', 4),
        (b'{"a": "[[[[\\"[[[["}', 1),
        (b"[" * 5000 + b"]" * 5000, 5000),
    ],
)
def test_json_depth_skips_strings(raw, depth):
    assert hooks.json_depth(raw) == depth


def test_the_worker_pool_runs_tasks_in_the_submitters_context():
    pool = context.ContextExecutor(max_workers=1)
    try:
        seen = []
        for project in ("p1", "p2", None):
            if project:
                context.RequestContext(project_id=project, overwrite=True)
            else:
                context.clear_store()
            pool.submit(lambda: seen.append(oslo_context.get_current())).result()
        assert [getattr(c, "project_id", None) for c in seen] == ["p1", "p2", None]
    finally:
        pool.shutdown()
        context.clear_store()
