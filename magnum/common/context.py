"""The request context: who is calling, for which project, with which roles.

It is built by the API from keystonemiddleware's headers (or the noauth
defaults), travels over RPC with every call so the conductor acts as the
caller, and is what policy checks and DB scoping read.
"""

from __future__ import annotations

from typing import Any

from oslo_context import context


class RequestContext(context.RequestContext):
    def __init__(self, all_projects: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # True when an admin asked to see every project's rows (and policy allowed it).
        self.all_projects = all_projects

    def to_dict(self) -> dict[str, Any]:
        values = super().to_dict()
        values["all_projects"] = self.all_projects
        return values

    @classmethod
    def from_dict(cls, values: dict[str, Any], **kwargs: Any) -> RequestContext:
        kwargs.setdefault("all_projects", values.get("all_projects", False))
        return super().from_dict(values, **kwargs)

    def elevated(self) -> RequestContext:
        ctx = self.__class__.from_dict(self.to_dict())
        ctx.is_admin = True
        if "admin" not in ctx.roles:
            ctx.roles = [*ctx.roles, "admin"]
        return ctx


def get_admin_context() -> RequestContext:
    """A context for the conductor's own work (periodic tasks): every project."""
    return RequestContext(is_admin=True, all_projects=True, overwrite=False, roles=["admin"])
