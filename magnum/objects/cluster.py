"""Cluster (a bay, under its legacy name): a set of nodes running a COE."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Self

from magnum.objects import base, fields


@base.MagnumObjectRegistry.register
class Cluster(base.MagnumPersistentObject):
    # Version 1.0: initial version
    VERSION = "1.0"

    db_resource = "cluster"

    fields = {
        "id": fields.IntegerField(),
        "uuid": fields.UUIDField(nullable=True),
        "project_id": fields.StringField(nullable=True),
        "user_id": fields.StringField(nullable=True),
        "name": fields.StringField(nullable=True),
        "cluster_template_id": fields.StringField(nullable=True),
        "keypair": fields.StringField(nullable=True),
        "docker_volume_size": fields.IntegerField(nullable=True),
        "labels": fields.JsonDictField(nullable=True),
        "master_flavor_id": fields.StringField(nullable=True),
        "flavor_id": fields.StringField(nullable=True),
        "stack_id": fields.StringField(nullable=True),
        "api_address": fields.StringField(nullable=True),
        "node_addresses": fields.ListOfStringsField(nullable=True),
        "master_addresses": fields.ListOfStringsField(nullable=True),
        "node_count": fields.IntegerField(nullable=True),
        "master_count": fields.IntegerField(nullable=True),
        "status": fields.ClusterStatusField(nullable=True),
        "status_reason": fields.StringField(nullable=True),
        "status_updated_at": fields.DateTimeField(nullable=True),
        "health_status": fields.ClusterHealthStatusField(nullable=True),
        "health_status_reason": fields.JsonDictField(nullable=True),
        "create_timeout": fields.IntegerField(nullable=True),
        "discovery_url": fields.StringField(nullable=True),
        "ca_cert_ref": fields.StringField(nullable=True),
        "magnum_cert_ref": fields.StringField(nullable=True),
        "etcd_ca_cert_ref": fields.StringField(nullable=True),
        "front_proxy_ca_cert_ref": fields.StringField(nullable=True),
        "trust_id": fields.StringField(nullable=True),
        "trustee_username": fields.StringField(nullable=True),
        "trustee_user_id": fields.StringField(nullable=True),
        "trustee_password": fields.SecretField(nullable=True),
        "coe_version": fields.StringField(nullable=True),
        "container_version": fields.StringField(nullable=True),
        "fixed_network": fields.StringField(nullable=True),
        "fixed_subnet": fields.StringField(nullable=True),
        "floating_ip_enabled": fields.BooleanField(nullable=True),
        "master_lb_enabled": fields.BooleanField(nullable=True),
        # The conductor holding the cluster's lock; written only by the
        # reserve/release calls of magnum.db.api, never through save().
        "reservation": fields.StringField(nullable=True),
    }

    def create_within_quota(self, default_limit: int, context: Any = None) -> None:
        """Like ``create``, refused with ResourceLimitExceeded past the project's quota."""
        row = self.dbapi().create_cluster_within_quota(self.obj_get_changes(), default_limit)
        self._from_db_object(self, row, context)

    @classmethod
    def set_status_if(
        cls,
        context: Any,
        uuid: str,
        new_status: str,
        allowed_from: Iterable[str] | None,
        values: Mapping[str, Any] | None = None,
        action: str | None = None,
    ) -> Self:
        """Move a cluster's status atomically (see ``Connection.set_cluster_status_if``)."""
        row = cls.dbapi().set_cluster_status_if(uuid, new_status, allowed_from, values, action)
        return cls._from_db_object(cls(context), row)

    @classmethod
    def list_in_states(cls, context: Any, states: Iterable[str]) -> list[Self]:
        """Clusters of every project whose status is one of ``states`` (the conductor's sync)."""
        return cls._from_db_object_list(context, cls.dbapi().get_clusters_in_states(states))

    @classmethod
    def count(cls, context: Any, project_id: str | None = None) -> int:
        return cls.dbapi().count_clusters(project_id)

    @classmethod
    def get_stats(cls, context: Any, project_id: str | None = None) -> tuple[int, int]:
        """(clusters, nodes) of one project or of all."""
        return cls.dbapi().get_cluster_stats(project_id)
