"""/v1/containers: Docker containers on swarm bays (the 2015/2016 API, mv <= 1.10).

The API records a new container (``Creating``) and casts its creation to the
conductor that owns the bay; a delete moves the row to ``Deleting`` with one
conditional UPDATE and casts too. The actions are RPC calls answered by that
conductor, which talks to the Docker API of the container's node:

    PUT  /v1/containers/{ident}/start | stop | reboot | pause | unpause
    GET  /v1/containers/{ident}/logs[?since=<unix time or ISO 8601>&tail=<n>]
    PUT  /v1/containers/{ident}/execute?command=<command>  (or a JSON body)

Lists read the rows, whose status the conductor's periodic sync keeps in
line with Docker; ``GET /v1/containers/{ident}`` asks the conductor for a
live look.
"""

from __future__ import annotations

import datetime
import logging
import urllib.parse
from typing import Any

import oslo_messaging as messaging
import pecan
from oslo_utils import strutils, timeutils
from pecan import rest
from wsme import types as wtypes

from magnum import objects
from magnum.api import errors
from magnum.api.controllers.v1 import resource
from magnum.api.types import container as types
from magnum.common import context as magnum_context
from magnum.common import exception, states
from magnum.objects import fields

LOG = logging.getLogger(__name__)
STATUS = fields.ContainerStatus
COES = ("swarm", "swarm-mode")
PATCHABLE = {"name"}
SUMMARY = (
    "uuid",
    "name",
    "bay_uuid",
    "image",
    "command",
    "status",
    "memory",
    "environment",
    "links",
)
INTERNAL = ("/status", "/status_reason", "/host", "/container_id")
# What a delete may start from; a running or paused container needs force.
DELETABLE = frozenset({STATUS.STOPPED, STATUS.ERROR, STATUS.UNKNOWN})
FORCE_DELETABLE = frozenset(STATUS.ALL) - {STATUS.DELETING}


def find_bay(context: Any, ident: str) -> Any:
    """The bay a body names: unknown is the caller's mistake (400)."""
    try:
        return objects.Cluster.get(context, ident)
    except exception.ResourceNotFound as err:
        raise exception.InvalidParameterValue(err=f"Bay {ident} could not be found.") from err


def parse_since(value: str | None) -> float | None:
    """``since`` as a unix timestamp: seconds, or an ISO 8601 time."""
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            parsed = timeutils.parse_isotime(value)
        except ValueError as err:
            raise exception.InvalidParameterValue(
                err=f"since={value!r} is neither a unix time nor an ISO 8601 time."
            ) from err
        seconds = parsed.astimezone(datetime.UTC).timestamp()
    if seconds <= 0:
        raise exception.InvalidParameterValue(err="since must be after 1970-01-01T00:00:00Z.")
    return seconds


def parse_bool(name: str, value: str | None) -> bool:
    if value is None:
        return False
    try:
        return strutils.bool_from_string(value, strict=True)
    except ValueError as err:
        raise exception.InvalidParameterValue(err=f"{name}={value!r} is not a boolean.") from err


def parse_tail(value: str | None) -> int | None:
    if value is None or value == "all":
        return None
    try:
        tail = int(value)
    except ValueError:
        tail = -1
    if tail < 0:
        raise exception.InvalidParameterValue(
            err=f"tail={value!r} must be a number of lines (0 or more) or 'all'."
        )
    return tail


class ContainerActionController(rest.RestController):
    """One action on one container, e.g. PUT /v1/containers/{ident}/start."""

    def __init__(self, parent: ContainerController, ident: str, action: str) -> None:
        self.parent = parent
        self.ident = ident
        self.action = action

    def _load(self) -> Any:
        self.parent.check_version(self.action)
        return self.parent.load(self.ident, self.action)

    def _rpc(self) -> Any:
        return pecan.request.rpcapi


class StateActionController(ContainerActionController):
    @errors.expose(types.Container, status_code=200)
    def put(self):
        container = self._load()
        updated = self._rpc().container_action(
            self.parent.context, container.cluster_id, container.uuid, self.action
        )
        return self.parent.to_wire(updated)


class LogsController(ContainerActionController):
    @errors.expose(types.ContainerOutput, wtypes.text, wtypes.text)
    def get(self, since=None, tail=None):
        since_seconds, lines = parse_since(since), parse_tail(tail)
        container = self._load()
        result = self._rpc().container_logs(
            self.parent.context, container.cluster_id, container.uuid, since_seconds, lines
        )
        return types.ContainerOutput(**result)


class ExecuteController(ContainerActionController):
    @errors.expose(types.ContainerOutput, wtypes.text, body=types.ExecuteRequest)
    def put(self, command=None, body=None):
        if command is None and body is not None and body.command is not wtypes.Unset:
            command = body.command
        if not command or not command.strip():
            raise exception.InvalidParameterValue(
                err="execute needs a non-empty command (?command=... or a JSON body)."
            )
        container = self._load()
        result = self._rpc().container_execute(
            self.parent.context, container.cluster_id, container.uuid, command
        )
        return types.ContainerOutput(**result)


ACTION_CONTROLLERS = {
    "start": StateActionController,
    "stop": StateActionController,
    "reboot": StateActionController,
    "pause": StateActionController,
    "unpause": StateActionController,
    "logs": LogsController,
    "execute": ExecuteController,
}


class ContainerController(resource.ResourceController):
    resource = resource.Resource(
        collection="containers",
        display="Container",
        policy="container",
        object_class=objects.Container,
        wire=types.Container,
        wire_collection=types.ContainerCollection,
        renames=types.RENAMES,
        summary=SUMMARY,
        create_status=201,
        max_version="1.10",
        internal_paths=INTERNAL,
        unremovable_paths=("/bay_uuid",),
        admin_sees_all=False,
    )

    @pecan.expose()
    def _lookup(self, ident: str, action: str, *remainder: str) -> Any:
        controller = ACTION_CONTROLLERS.get(action)
        if controller is None or remainder:
            return None  # not an action: /{ident}/detail and the like are 404s
        return controller(self, ident, action), remainder

    # --- list and show --------------------------------------------------------
    # The generated listings, plus the 2016 ``bay_ident`` filter.
    @errors.expose(
        types.ContainerCollection, wtypes.text, int, wtypes.text, wtypes.text, wtypes.text
    )
    def get_all(self, marker=None, limit=None, sort_key="id", sort_dir="asc", bay_ident=None):
        return self.listing(marker, limit, sort_key, sort_dir, bay_ident, detail=False)

    @errors.expose(
        types.ContainerCollection, wtypes.text, int, wtypes.text, wtypes.text, wtypes.text
    )
    def detail(self, marker=None, limit=None, sort_key="id", sort_dir="asc", bay_ident=None):
        return self.listing(marker, limit, sort_key, sort_dir, bay_ident, detail=True)

    def listing(
        self,
        marker: str | None,
        limit: int | None,
        sort_key: str,
        sort_dir: str,
        bay_ident: str | None,
        detail: bool,
    ) -> Any:
        self.check_version("GET")
        self.authorize("detail" if detail else "get_all")
        segments = pecan.request.path.rstrip("/").split("/")
        if detail and segments[-2:] != ["containers", "detail"]:
            raise exception.NotFound()
        filters = {"cluster_id": find_bay(self.context, bay_ident).uuid} if bay_ident else None
        found, limit = self.list_objects(marker, limit, sort_key, sort_dir, filters)
        page = self.page(found, limit, sort_key, sort_dir, detail, summary=not detail)
        if bay_ident and isinstance(page.next, str):
            page.next += "&" + urllib.parse.urlencode({"bay_ident": bay_ident})
        return page

    @errors.expose(types.Container, wtypes.text)
    def get_one(self, ident):
        self.check_version("GET")
        container = self.load(ident, "get")
        if container.status not in (STATUS.CREATING, STATUS.DELETING) and container.host:
            container = pecan.request.rpcapi.container_show(
                self.context, container.cluster_id, container.uuid
            )
        return self.to_wire(container)

    # --- create ---------------------------------------------------------------
    def create(self, values: dict[str, Any]) -> Any:
        ctx = self.context
        bay = find_bay(ctx, values.pop("cluster_id"))
        template = objects.ClusterTemplate.get_by_uuid(_all_projects(ctx), bay.cluster_template_id)
        if template.coe not in COES:
            raise exception.InvalidParameterValue(
                err=f"Cannot fulfill request with a {template.coe} bay, expecting a swarm bay."
            )
        if bay.status not in states.STABLE_COMPLETE:
            raise exception.ClusterNotReady(cluster=bay.uuid, state=bay.status)
        host = values.get("host")
        if host is not None:
            nodes = pecan.request.rpcapi.cluster_nodes(ctx, bay.uuid)
            if host not in {node["name"] for node in nodes}:
                raise exception.InvalidParameterValue(
                    err=f"host {host} is not a node of bay {bay.uuid}; its nodes are: "
                    + ", ".join(sorted(node["name"] for node in nodes))
                )
        container = objects.Container(
            ctx,
            project_id=ctx.project_id,
            user_id=ctx.user_id,
            cluster_id=bay.uuid,
            status=STATUS.CREATING,
            status_reason=None,
            name=values.get("name"),
            image=values["image"],
            command=values.get("command"),
            memory=values.get("memory"),
            environment=values.get("environment") or {},
            host=host,
        )
        container.create()

        def forget() -> None:
            container.destroy()

        hand_off(
            lambda: pecan.request.rpcapi.container_create(ctx, bay.uuid, container.uuid), forget
        )
        return container

    # --- update (a rename; everything else is fixed at create) ----------------
    def update(self, obj: Any, changes: dict[str, Any]) -> Any:
        refused = sorted(set(changes) - PATCHABLE)
        if refused:
            names = ", ".join(types.RENAMES.get(f, f) for f in refused)
            raise exception.InvalidParameterValue(
                err=f"cannot change container property(ies) {names}."
            )
        return super().update(obj, changes)

    # --- delete ---------------------------------------------------------------
    @errors.expose(None, wtypes.text, wtypes.text, status_code=204)
    def delete(self, ident, force=None):
        self.check_version("DELETE")
        force = parse_bool("force", force)
        container = self.load(ident, "delete")
        allowed = FORCE_DELETABLE if force else DELETABLE
        previous = container.status
        try:
            objects.Container.set_status_if(
                self.context,
                container.uuid,
                STATUS.DELETING,
                allowed,
                values={"status_reason": None},
            )
        except exception.InvalidState as err:
            state = err.kwargs.get("state")
            hint = (
                "stop it first, or delete with force=true" if state in FORCE_DELETABLE else "wait"
            )
            raise exception.ContainerStateConflict(
                container=container.uuid,
                state=state,
                action="delete",
                needed=f"to be {' or '.join(sorted(allowed))} ({hint})",
            ) from err
        ctx = self.context

        def undo() -> None:
            objects.Container.set_status_if(ctx, container.uuid, previous, {STATUS.DELETING})

        hand_off(
            lambda: pecan.request.rpcapi.container_delete(
                ctx, container.cluster_id, container.uuid
            ),
            undo,
        )


def hand_off(cast: Any, undo: Any) -> None:
    """Cast to the bay's conductor; undo the recorded change when nobody can take it."""
    try:
        cast()
    except (messaging.MessagingException, exception.NoConductorAvailable) as err:
        LOG.error("Could not hand a container operation to a conductor: %s", err)
        undo()
        if isinstance(err, exception.NoConductorAvailable):
            raise
        raise exception.ServiceUnavailable(
            reason="the conductors cannot be reached over the message bus"
        ) from err


def _all_projects(context: Any) -> Any:
    return magnum_context.all_projects(context)
