"""/v1/federations: a host cluster and member clusters, recorded (spec 3.6).

No driver federates clusters yet, so a federation has no backend work: its
create and updates are final once recorded, and it is written straight in
its COMPLETE state (never an IN_PROGRESS row that nothing would finish).
When a driver gains federation support, the conductor takes over here.
"""

from __future__ import annotations

from typing import Any

from magnum import objects
from magnum.api.controllers.v1 import resource
from magnum.api.controllers.v1.cluster_template import generated_name
from magnum.api.types import federation as types
from magnum.common import exception, states

SUMMARY = ("uuid", "name", "hostcluster_id", "member_ids", "status", "properties", "links")
DNS_ZONE = "dns-zone"


def check_properties(properties: Any) -> dict[str, Any]:
    if not isinstance(properties, dict) or not properties.get(DNS_ZONE):
        raise exception.InvalidParameterValue(
            err=f"properties must be an object with a '{DNS_ZONE}' entry."
        )
    return properties


class FederationController(resource.ResourceController):
    resource = resource.Resource(
        collection="federations",
        display="Federation",
        policy="federation",
        object_class=objects.Federation,
        wire=types.Federation,
        wire_collection=types.FederationCollection,
        summary=SUMMARY,
        create_status=202,
        admin_sees_all=False,
    )

    def visible_cluster(self, ident: str) -> Any:
        try:
            return objects.Cluster.get(self.context, ident)
        except exception.ResourceNotFound as err:
            raise exception.InvalidParameterValue(
                err=f"Cluster {ident} could not be found."
            ) from err

    def create(self, values: dict[str, Any]) -> Any:
        host = self.visible_cluster(values["hostcluster_id"])
        members = [self.visible_cluster(m).uuid for m in values.get("member_ids") or []]
        federation = objects.Federation(
            self.context,
            name=values.get("name") or generated_name("federation"),
            project_id=self.context.project_id,
            hostcluster_id=host.uuid,
            member_ids=list(dict.fromkeys(members)),
            properties=check_properties(values["properties"]),
            status=states.CREATE_COMPLETE,
            status_reason="Recorded; no driver needs to act on federations.",
        )
        federation.create()
        return federation

    def create_response(self, obj: Any) -> Any:
        return resource.accepted(obj)

    def update_response(self, obj: Any) -> Any:
        return resource.accepted(obj)

    def apply_patch(self, obj: Any, patch: list[Any]) -> dict[str, Any]:
        """Join (add), leave (remove) one cluster, or replace the properties.

        ``remove`` on /member_ids names the cluster to take out in ``value``,
        as upstream clients send it, rather than a list index.
        """
        members = list(obj.member_ids or [])
        properties = obj.properties
        for op in (p.as_dict() for p in patch):
            path, action, value = op["path"], op["op"], op.get("value")
            if path in ("/member_ids", "/member_ids/-") and action in ("add", "remove"):
                if not isinstance(value, str):
                    raise exception.PatchError(patch=op, reason="value must be a cluster uuid")
                member = self.visible_cluster(value).uuid
                if action == "add":
                    if member in members:
                        raise exception.MemberAlreadyExists(member=member, federation=obj.uuid)
                    members.append(member)
                elif member not in members:
                    raise exception.PatchError(patch=op, reason=f"{member} is not a member")
                else:
                    members.remove(member)
            elif path == "/properties" and action in ("add", "replace"):
                properties = check_properties(value)
            else:
                raise exception.PatchError(
                    patch=op, reason="only /member_ids (add, remove) and /properties may change"
                )
        changes: dict[str, Any] = {}
        if members != list(obj.member_ids or []):
            changes["member_ids"] = members
        if properties != obj.properties:
            changes["properties"] = properties
        return changes

    def update(self, obj: Any, changes: dict[str, Any]) -> Any:
        changes["status"] = states.UPDATE_COMPLETE
        return super().update(obj, changes)
