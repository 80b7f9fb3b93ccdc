"""The one place that turns failures into the OpenStack error body.

Every 4xx/5xx leaves the API as::

    {"errors": [{"request_id": ..., "code": "magnum.cluster.locked",
                 "status": 409, "title": ..., "detail": ..., "links": []}]}

Three sources feed it: magnum exceptions raised in controllers (through
``expose``, which records their symbolic code and hides the text of anything
not marked ``safe``), WSME's own validation faults (bad JSON, wrong types,
unknown fields), and Pecan/WebOb responses for unknown routes (404) or
methods (405). ``ErrorMiddleware`` rewrites all of them into this shape.
"""

from __future__ import annotations

import inspect
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

import oslo_messaging as messaging
import pecan
import webob
from oslo_db import exception as db_exc
from wsmeext import pecan as wsme_pecan

from magnum.common import exception

LOG = logging.getLogger(__name__)

ERROR_KEY = "magnum.error"
REQUEST_ID_KEY = "openstack.request_id"
GENERIC_DETAIL = (
    "The server hit an unexpected error; the request id in this response lets an "
    "operator find the details in the service log."
)
DEFAULT_CODES = {
    400: "magnum.invalid",
    401: "magnum.unauthorized",
    403: "magnum.forbidden",
    404: "magnum.not_found",
    405: "magnum.method_not_allowed",
    406: "magnum.not_acceptable",
    409: "magnum.conflict",
    413: "magnum.too_large",
    415: "magnum.unsupported_media_type",
}
# Seconds a client is told to wait before retrying a 503 (a backend outage).
RETRY_AFTER_SECONDS = 5


def _title(detail: str, status: int) -> str:
    if detail == GENERIC_DETAIL:
        return webob.Response(status=status).status.split(" ", 1)[1]
    head = detail.split(". ", 1)[0].strip().rstrip(".")
    return head or webob.Response(status=status).status.split(" ", 1)[1]


def error_entry(
    status: int, detail: str, code: str | None, request_id: str, **extra: Any
) -> dict[str, Any]:
    entry = {
        "request_id": request_id,
        "code": code or DEFAULT_CODES.get(status, "magnum.server_error"),
        "status": status,
        "title": _title(detail, status),
        "detail": detail,
        "links": [],
    }
    entry.update(extra)
    return entry


def _json_response(status: int, entry: dict[str, Any]) -> webob.Response:
    response = webob.Response(status=status, content_type="application/json", charset="utf-8")
    response.text = json.dumps({"errors": [entry]})
    if status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def render(
    err: exception.MagnumException, environ: dict, extra: dict[str, Any] | None = None
) -> webob.Response:
    """The error response for a magnum exception (used by middlewares)."""
    detail = err.format_message() if err.safe else GENERIC_DETAIL
    entry = error_entry(
        err.code, detail, err.error_code, environ.get(REQUEST_ID_KEY, ""), **(extra or {})
    )
    return _json_response(err.code, entry)


def _translate(err: Exception) -> exception.MagnumException:
    """Map what a controller raised onto a magnum exception fit for clients."""
    if isinstance(err, exception.MagnumException):
        return err
    if isinstance(err, db_exc.DBInvalidUnicodeParameter):
        return exception.Invalid("The request holds text the database cannot store.")
    if isinstance(err, db_exc.DBDataError):
        return exception.Invalid("A value of the request does not fit its database column.")
    if isinstance(err, messaging.MessagingTimeout):
        return exception.ConductorTimeout(method="the request", timeout="the configured")
    if isinstance(err, messaging.MessageDeliveryFailure | messaging.MessagingException):
        return exception.ServiceUnavailable(reason="the message bus to the conductors failed")
    if isinstance(err, db_exc.DBConnectionError):
        # Unreachable, stopped, or frozen past [database] statement_timeout.
        return exception.ServiceUnavailable(reason="the database cannot be reached")
    return exception.MagnumException()


def expose(*args: Any, **kwargs: Any) -> Callable:
    """``wsmeext.pecan.wsexpose`` that records magnum's error code for the renderer."""

    def decorate(func: Callable) -> Callable:
        def wrapped(self: Any, *f_args: Any, **f_kwargs: Any) -> Any:
            try:
                return func(self, *f_args, **f_kwargs)
            except Exception as raw:
                err = _translate(raw)
                if err.code >= 500 or not err.safe:
                    LOG.error(
                        "%s %s failed: %s",
                        pecan.request.method,
                        pecan.request.path,
                        raw,
                        exc_info=not isinstance(raw, exception.MagnumException) or not err.safe,
                    )
                pecan.request.environ[ERROR_KEY] = err
                raise err from raw

        wrapped.__name__ = func.__name__
        wrapped.__doc__ = func.__doc__
        # WSME and Pecan read argument names with getfullargspec, which
        # honours __signature__ (not __wrapped__).
        wrapped.__signature__ = inspect.signature(func)  # type: ignore[attr-defined]
        exposed = wsme_pecan.wsexpose(*args, **kwargs)(wrapped)
        # functools.wraps copied that signature onto WSME's (self, *args,
        # **kwargs) wrapper too; Pecan must not see it there, or it answers
        # 404 to a GET that leaves optional query arguments out.
        vars(exposed).pop("__signature__", None)
        return exposed

    return decorate


class ErrorMiddleware:
    """Rewrite every error response of the app below into the OpenStack body."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        request = webob.Request(environ)
        try:
            response = request.get_response(self.app)
        except Exception as raw:  # a failure below the controllers (hooks, auth)
            err = _translate(raw)
            level = logging.ERROR if err.code >= 500 or not err.safe else logging.INFO
            LOG.log(
                level,
                "%s %s failed: %s",
                request.method,
                environ.get("PATH_INFO", ""),
                raw,
                exc_info=not err.safe,
            )
            return render(err, environ)(environ, start_response)
        if response.status_int < 400:
            return response(environ, start_response)
        return self._rewrite(response, environ)(environ, start_response)

    def _rewrite(self, response: webob.Response, environ: dict) -> webob.Response:
        status = response.status_int
        request_id = environ.get(REQUEST_ID_KEY, "")
        recorded = environ.get(ERROR_KEY)
        body: Any = None
        if response.content_type == "application/json":
            try:
                body = json.loads(response.text or "null")
            except ValueError:
                body = None
        if isinstance(body, dict) and isinstance(body.get("errors"), list):
            for entry in body["errors"]:
                entry.setdefault("request_id", request_id)
            new = _json_response(status, body["errors"][0])
            new.text = json.dumps(body)
        elif isinstance(recorded, exception.MagnumException):
            new = render(recorded, environ)
        else:
            if status >= 500:
                # WSME puts str(exception) of anything it caught here: never
                # show that to clients (wsme already logged it).
                detail = GENERIC_DETAIL
            elif isinstance(body, dict) and "faultstring" in body:
                detail = str(body["faultstring"])
            else:
                detail = _webob_detail(response)
            new = _json_response(status, error_entry(status, detail, None, request_id))
        for name, value in response.headers.items():
            if name.lower() not in ("content-type", "content-length"):
                new.headers[name] = value
        return new


def _webob_detail(response: webob.Response) -> str:
    if response.status_int == 404:
        return "The resource could not be found."
    if response.status_int == 405:
        allowed = response.headers.get("Allow")
        suffix = f" Allowed: {allowed}." if allowed else ""
        return f"The method is not allowed for this resource.{suffix}"
    return response.status.split(" ", 1)[1] + "."
