"""/v1/clustertemplates, and /v1/baymodels as the same logic with legacy names.

The API checks shape, ownership and policy only; whether an image, flavor or
network exists is the driver's ``validate`` in the conductor. The one lookup
done here is in the database: some enabled driver, as the conductors published
it (``objects.MagnumService.declared_cluster_type``), must provide the
template's (server_type, cluster_distro, coe), else 400; its declaration also
says which network and volume drivers a template may name.
"""

from __future__ import annotations

import random
from typing import Any

from oslo_config import cfg

from magnum import objects
from magnum.api.controllers.v1 import resource
from magnum.api.types import cluster_template as types
from magnum.common import exception, policy

CONF = cfg.CONF

UNREMOVABLE = (
    "/coe",
    "/image_id",
    "/network_driver",
    "/external_network_id",
    "/tls_disabled",
    "/public",
    "/server_type",
    "/registry_enabled",
    "/cluster_distro",
    "/hidden",
)
ADJECTIVES = ("brave", "calm", "eager", "gentle", "lively", "proud", "swift", "vivid")
NOUNS = ("harbor", "lagoon", "meadow", "summit", "canyon", "glacier", "delta", "ridge")


def generated_name(kind: str) -> str:
    rng = random.SystemRandom()
    return f"{rng.choice(ADJECTIVES)}-{rng.choice(NOUNS)}-{rng.randint(1000, 9999)}-{kind}"


def _conf_drivers(coe: str) -> tuple[list[str], str | None]:
    group = CONF.cluster_template
    if coe == "kubernetes":
        return group.kubernetes_allowed_network_drivers, group.kubernetes_default_network_driver
    if coe in ("swarm", "swarm-mode"):
        return group.swarm_allowed_network_drivers, group.swarm_default_network_driver
    return ["all"], "docker"


def validate_template(context: Any, values: dict[str, Any]) -> None:
    """The create-time rules of spec 3.1 (also re-run after a PATCH)."""
    coe = values["coe"]
    declared = objects.MagnumService.declared_cluster_type(
        context, values.get("server_type") or "vm", values.get("cluster_distro"), coe
    )
    allowed, _default = _conf_drivers(coe)
    network_driver = values.get("network_driver")
    if network_driver:
        supported = declared["network_drivers"]
        if network_driver not in supported:
            raise exception.InvalidParameterValue(
                err=f"Network driver type {network_driver} is not supported for {coe}; "
                f"expected one of {', '.join(supported)}."
            )
        if "all" not in allowed and network_driver not in allowed:
            raise exception.InvalidParameterValue(
                err=f"Network driver {network_driver} is not allowed by this cloud for {coe}; "
                f"allowed: {', '.join(allowed)}."
            )
    volume_driver = values.get("volume_driver")
    if volume_driver and volume_driver not in declared["volume_drivers"]:
        raise exception.InvalidParameterValue(
            err=f"Volume driver type {volume_driver} is not supported for {coe}."
        )
    if (
        values.get("docker_storage_driver") == "devicemapper"
        and (values.get("docker_volume_size") or 0) < 3
    ):
        raise exception.InvalidParameterValue(
            err="docker volume size must be at least 3 GB to use the devicemapper storage driver."
        )


class ClusterTemplateController(resource.ResourceController):
    resource = resource.Resource(
        collection="clustertemplates",
        display="ClusterTemplate",
        policy="clustertemplate",
        object_class=objects.ClusterTemplate,
        wire=types.ClusterTemplate,
        wire_collection=types.ClusterTemplateCollection,
        unremovable_paths=UNREMOVABLE,
    )

    def policy_target(self, obj: Any, action: str) -> Any:
        # A public template is readable by every project: reading it is
        # checked against the caller's own project, not the owner's. Changing
        # it still needs the owner's (or an admin's) rights.
        if action == "get" and obj.public:
            return None
        return obj

    def check_publish(self, values: dict[str, Any]) -> None:
        publishing = values.get("public") or values.get("hidden")
        if publishing and not policy.check(f"{self.resource.policy}:publish", None, self.context):
            raise exception.ClusterTemplatePublishDenied()

    def create(self, values: dict[str, Any]) -> Any:
        self.check_publish(values)
        values.setdefault("name", generated_name("template"))
        if not values.get("network_driver"):
            values["network_driver"] = _conf_drivers(values["coe"])[1]
        if values.get("cluster_distro"):
            values["cluster_distro"] = values["cluster_distro"].lower()
        validate_template(self.context, values)
        values.pop("uuid", None)
        template = objects.ClusterTemplate(
            self.context,
            project_id=self.context.project_id,
            user_id=self.context.user_id,
            **values,
        )
        template.create()
        return template

    def update(self, obj: Any, changes: dict[str, Any]) -> Any:
        if "public" in changes or "hidden" in changes:
            self.check_publish({"public": True})
        merged = {f: getattr(obj, f) for f in obj.fields if obj.obj_attr_is_set(f)}
        merged.update(changes)
        validate_template(self.context, merged)
        return super().update(obj, changes)

    def remove(self, obj: Any) -> None:
        obj.destroy()  # ClusterTemplateReferenced (400) while a cluster uses it


class BayModelController(ClusterTemplateController):
    resource = resource.Resource(
        collection="baymodels",
        display="BayModel",
        policy="baymodel",
        object_class=objects.ClusterTemplate,
        wire=types.BayModel,
        wire_collection=types.BayModelCollection,
        summary=("uuid", "name", "image_id", "apiserver_port", "coe", "links"),
        max_version="1.10",
        unremovable_paths=UNREMOVABLE + ("/keypair_id",),
        admin_sees_all=False,
    )
