"""The request context: who is calling, for which project, with which roles.

It is built by the API from keystonemiddleware's headers (or the noauth
defaults), travels over RPC with every call so the conductor acts as the
caller, and is what policy checks and DB scoping read.

It carries the caller's token (the conductor needs it to create a bay's
trust), so it must never be logged whole: ``repr`` and oslo.log's context
values show ``***`` instead of the token.
"""

from __future__ import annotations

from concurrent import futures
from typing import Any

from oslo_context import context

MASK = "***"


class RequestContext(context.RequestContext):
    def __init__(self, all_projects: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # True when an admin asked to see every project's rows (and policy allowed it).
        self.all_projects = all_projects

    def to_dict(self) -> dict[str, Any]:
        values = super().to_dict()
        values["all_projects"] = self.all_projects
        # Names are for the conductor's log lines; the base dict drops them.
        values.update(
            user_name=self.user_name,
            project_name=self.project_name,
            user_domain_name=self.user_domain_name,
            project_domain_name=self.project_domain_name,
        )
        return values

    @classmethod
    def from_dict(cls, values: dict[str, Any], **kwargs: Any) -> RequestContext:
        kwargs.setdefault("all_projects", values.get("all_projects", False))
        return super().from_dict(values, **kwargs)

    def to_policy_values(self) -> Any:
        values = super().to_policy_values()
        # Legacy check strings ("is_admin:True or project_id:...") read this.
        values["is_admin"] = bool(self.is_admin)
        return values

    def redacted(self) -> dict[str, Any]:
        """``to_dict`` without the token: what may be logged or shown."""
        values = self.to_dict()
        if values.get("auth_token"):
            values["auth_token"] = MASK
        return values

    def __repr__(self) -> str:
        return f"<RequestContext {self.redacted()!r}>"

    def elevated(self) -> RequestContext:
        ctx = self.__class__.from_dict(self.to_dict())
        ctx.is_admin = True
        if "admin" not in ctx.roles:
            ctx.roles = [*ctx.roles, "admin"]
        return ctx


def all_projects(context: Any) -> Any:
    """A copy of ``context`` that finds rows of every project (None stays None).

    For code acting on rows already authorized (the conductor, the API's
    reads of a bay's own nodegroups and containers); policy still checks the
    original context.
    """
    if context is None or getattr(context, "all_projects", False):
        return context
    clone = context.__class__.from_dict(context.to_dict())
    clone.all_projects = True
    return clone


def get_admin_context() -> RequestContext:
    """A context for the conductor's own work (periodic tasks): every project."""
    return RequestContext(is_admin=True, all_projects=True, overwrite=False, roles=["admin"])


def clear_store() -> None:
    """Forget this thread's logging context (oslo.context has no public call for it)."""
    vars(context._request_store).pop("context", None)


class ContextExecutor(futures.ThreadPoolExecutor):
    """A thread pool whose tasks log with the context of the thread that submitted them.

    oslo.log reads the request context from a thread-local store; a worker
    thread would otherwise show whichever request it served last.
    """

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> futures.Future:
        ctx = context.get_current()

        def run() -> Any:
            if ctx is not None:
                ctx.update_store()
            else:
                clear_store()
            try:
                return fn(*args, **kwargs)
            finally:
                clear_store()

        return super().submit(run)
