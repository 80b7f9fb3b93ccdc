"""SQLAlchemy models: one class per table.

Rows refer to each other by uuid in plain string columns (``cluster.
cluster_template_id``, ``nodegroup.cluster_id`` ...), never by foreign keys,
so a bay and its children can be written by different services without
ordering constraints; ``Connection`` keeps them consistent (cascading
deletes, refusing to delete a referenced template).

Unique constraints carry explicit ``uniq_<table>0<col>[0<col>]`` names:
oslo.db parses that form to report which columns a duplicate hit on MySQL,
and the same names on all three databases keep migrations portable.
Nothing outside ``magnum.db`` imports this module.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from oslo_utils import timeutils
from sqlalchemy import (
    Boolean,
    DateTime,
    Dialect,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Binary collation makes name lookups and unique constraints case-sensitive on
# MariaDB too, as they are on SQLite and PostgreSQL.
MYSQL_TABLE_ARGS = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}


def _utcnow() -> datetime.datetime:
    # A zero-argument callable on purpose: SQLAlchemy passes the execution
    # context to defaults that accept a positional argument, and
    # timeutils.utcnow would take it for ``with_timezone``.
    return timeutils.utcnow()


class _JSONEncoded(TypeDecorator):
    """JSON stored as text, identically on SQLite, MariaDB and PostgreSQL.

    NULL and None read back as an empty container, so callers never have to
    tell "no labels" from "labels: {}".
    """

    impl = Text
    cache_ok = True
    container: type = dict

    def process_bind_param(self, value: Any, dialect: Dialect) -> str:
        if value is None:
            value = self.container()
        if not isinstance(value, self.container):
            raise TypeError(
                f"{type(self).__name__} expects a {self.container.__name__}, "
                f"got {type(value).__name__}"
            )
        return json.dumps(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return self.container()
        return json.loads(value)


class JSONEncodedDict(_JSONEncoded):
    container = dict


class JSONEncodedList(_JSONEncoded):
    container = list


class Base(DeclarativeBase):
    """Columns and helpers every table shares."""

    __abstract__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True, sort_order=-1)
    created_at: Mapped[datetime.datetime | None] = mapped_column(DateTime, default=_utcnow)
    updated_at: Mapped[datetime.datetime | None] = mapped_column(DateTime, onupdate=_utcnow)

    def as_dict(self) -> dict[str, Any]:
        return {column.key: getattr(self, column.key) for column in self.__table__.columns}


def _str(length: int = 255, **kwargs: Any) -> Any:
    return mapped_column(String(length), **kwargs)


def _json(kind: type[_JSONEncoded]) -> Any:
    return mapped_column(kind, nullable=True, default=lambda: kind.container())


def _bool(default: bool) -> Any:
    return mapped_column(Boolean, nullable=True, default=default)


def _uuid_column() -> Any:
    return mapped_column(String(36), nullable=False)


def _scoped_table_args(table: str, *extra: Any) -> tuple:
    """uuid uniqueness and the project_id index of a project-owned table."""
    return (
        UniqueConstraint("uuid", name=f"uniq_{table}0uuid"),
        Index(f"ix_{table}_project_id", "project_id"),
        *extra,
        MYSQL_TABLE_ARGS,
    )


class ClusterTemplate(Base):
    __tablename__ = "cluster_template"
    __table_args__ = _scoped_table_args("cluster_template")

    uuid: Mapped[str] = _uuid_column()
    project_id: Mapped[str | None] = _str()
    user_id: Mapped[str | None] = _str()
    name: Mapped[str | None] = _str()
    coe: Mapped[str | None] = _str()
    image_id: Mapped[str | None] = _str()
    keypair_id: Mapped[str | None] = _str()
    flavor_id: Mapped[str | None] = _str()
    master_flavor_id: Mapped[str | None] = _str()
    dns_nameserver: Mapped[str | None] = _str()
    external_network_id: Mapped[str | None] = _str()
    fixed_network: Mapped[str | None] = _str()
    fixed_subnet: Mapped[str | None] = _str()
    network_driver: Mapped[str | None] = _str()
    volume_driver: Mapped[str | None] = _str()
    apiserver_port: Mapped[int | None] = mapped_column(Integer)
    docker_volume_size: Mapped[int | None] = mapped_column(Integer)
    docker_storage_driver: Mapped[str | None] = _str()
    cluster_distro: Mapped[str | None] = _str()
    http_proxy: Mapped[str | None] = _str()
    https_proxy: Mapped[str | None] = _str()
    no_proxy: Mapped[str | None] = _str()
    registry_enabled: Mapped[bool | None] = _bool(False)
    tls_disabled: Mapped[bool | None] = _bool(False)
    master_lb_enabled: Mapped[bool | None] = _bool(False)
    floating_ip_enabled: Mapped[bool | None] = _bool(True)
    public: Mapped[bool | None] = _bool(False)
    hidden: Mapped[bool | None] = _bool(False)
    server_type: Mapped[str | None] = _str()
    insecure_registry: Mapped[str | None] = _str()
    labels: Mapped[dict | None] = _json(JSONEncodedDict)
    tags: Mapped[str | None] = _str()
    driver: Mapped[str | None] = _str()
    ssh_authorized_key: Mapped[str | None] = mapped_column(Text)


class Cluster(Base):
    __tablename__ = "cluster"
    __table_args__ = _scoped_table_args(
        "cluster", Index("ix_cluster_cluster_template_id", "cluster_template_id")
    )

    uuid: Mapped[str] = _uuid_column()
    project_id: Mapped[str | None] = _str()
    user_id: Mapped[str | None] = _str()
    name: Mapped[str | None] = _str()
    cluster_template_id: Mapped[str | None] = _str(36)
    keypair: Mapped[str | None] = _str()
    docker_volume_size: Mapped[int | None] = mapped_column(Integer)
    labels: Mapped[dict | None] = _json(JSONEncodedDict)
    master_flavor_id: Mapped[str | None] = _str()
    flavor_id: Mapped[str | None] = _str()
    stack_id: Mapped[str | None] = _str()
    api_address: Mapped[str | None] = _str()
    node_addresses: Mapped[list | None] = _json(JSONEncodedList)
    master_addresses: Mapped[list | None] = _json(JSONEncodedList)
    node_count: Mapped[int | None] = mapped_column(Integer)
    master_count: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str | None] = _str(20)
    status_reason: Mapped[str | None] = mapped_column(Text)
    status_updated_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    health_status: Mapped[str | None] = _str(20)
    health_status_reason: Mapped[dict | None] = _json(JSONEncodedDict)
    create_timeout: Mapped[int | None] = mapped_column(Integer)
    discovery_url: Mapped[str | None] = _str()
    ca_cert_ref: Mapped[str | None] = _str(512)
    magnum_cert_ref: Mapped[str | None] = _str(512)
    etcd_ca_cert_ref: Mapped[str | None] = _str(512)
    front_proxy_ca_cert_ref: Mapped[str | None] = _str(512)
    trust_id: Mapped[str | None] = _str()
    trustee_username: Mapped[str | None] = _str()
    trustee_user_id: Mapped[str | None] = _str()
    trustee_password: Mapped[str | None] = _str()
    coe_version: Mapped[str | None] = _str()
    container_version: Mapped[str | None] = _str()
    fixed_network: Mapped[str | None] = _str()
    fixed_subnet: Mapped[str | None] = _str()
    floating_ip_enabled: Mapped[bool | None] = _bool(True)
    master_lb_enabled: Mapped[bool | None] = _bool(False)
    # The host of the conductor that holds the bay's lock, NULL when free.
    reservation: Mapped[str | None] = _str()


class NodeGroup(Base):
    __tablename__ = "nodegroup"
    __table_args__ = (
        UniqueConstraint("uuid", name="uniq_nodegroup0uuid"),
        UniqueConstraint("cluster_id", "name", name="uniq_nodegroup0cluster_id0name"),
        Index("ix_nodegroup_project_id", "project_id"),
        MYSQL_TABLE_ARGS,
    )

    uuid: Mapped[str] = _uuid_column()
    name: Mapped[str] = _str(nullable=False)
    cluster_id: Mapped[str] = _str(36, nullable=False)
    project_id: Mapped[str | None] = _str()
    docker_volume_size: Mapped[int | None] = mapped_column(Integer)
    labels: Mapped[dict | None] = _json(JSONEncodedDict)
    flavor_id: Mapped[str | None] = _str()
    image_id: Mapped[str | None] = _str()
    node_addresses: Mapped[list | None] = _json(JSONEncodedList)
    node_count: Mapped[int | None] = mapped_column(Integer)
    role: Mapped[str | None] = _str()
    max_node_count: Mapped[int | None] = mapped_column(Integer)
    min_node_count: Mapped[int] = mapped_column(Integer, default=0)
    is_default: Mapped[bool | None] = _bool(False)
    stack_id: Mapped[str | None] = _str()
    status: Mapped[str | None] = _str(20)
    status_reason: Mapped[str | None] = mapped_column(Text)
    version: Mapped[str | None] = _str()
    node_labels: Mapped[dict | None] = _json(JSONEncodedDict)
    node_taints: Mapped[list | None] = _json(JSONEncodedList)


class Node(Base):
    """A legacy (Liberty) node: a bare DB record, nothing is provisioned."""

    __tablename__ = "node"
    __table_args__ = _scoped_table_args(
        "node", UniqueConstraint("ironic_node_id", name="uniq_node0ironic_node_id")
    )

    uuid: Mapped[str] = _uuid_column()
    project_id: Mapped[str | None] = _str()
    user_id: Mapped[str | None] = _str()
    type: Mapped[str | None] = _str()
    image_id: Mapped[str | None] = _str()
    ironic_node_id: Mapped[str | None] = _str()


class Container(Base):
    __tablename__ = "container"
    __table_args__ = _scoped_table_args(
        "container", Index("ix_container_cluster_id", "cluster_id")
    )

    uuid: Mapped[str] = _uuid_column()
    project_id: Mapped[str | None] = _str()
    user_id: Mapped[str | None] = _str()
    name: Mapped[str | None] = _str()
    image: Mapped[str | None] = _str()
    command: Mapped[str | None] = mapped_column(Text)
    cluster_id: Mapped[str | None] = _str(36)
    status: Mapped[str | None] = _str(20)
    status_reason: Mapped[str | None] = mapped_column(Text)
    memory: Mapped[str | None] = _str()
    environment: Mapped[dict | None] = _json(JSONEncodedDict)
    # The bay node the container runs on, and Docker's own id for it.
    host: Mapped[str | None] = _str()
    container_id: Mapped[str | None] = _str()


class KubeObject(Base):
    """A pod, service or replication controller of a legacy bay (by ``kind``)."""

    __tablename__ = "kube_object"
    __table_args__ = _scoped_table_args(
        "kube_object", Index("ix_kube_object_cluster_id_kind", "cluster_id", "kind")
    )

    uuid: Mapped[str] = _uuid_column()
    project_id: Mapped[str | None] = _str()
    user_id: Mapped[str | None] = _str()
    kind: Mapped[str] = _str(32, nullable=False)
    name: Mapped[str | None] = _str()
    cluster_id: Mapped[str | None] = _str(36)
    description: Mapped[str | None] = _str()
    images: Mapped[list | None] = _json(JSONEncodedList)
    labels: Mapped[dict | None] = _json(JSONEncodedDict)
    selector: Mapped[dict | None] = _json(JSONEncodedDict)
    status: Mapped[str | None] = _str()
    host: Mapped[str | None] = _str()
    ip: Mapped[str | None] = _str()
    ports: Mapped[list | None] = _json(JSONEncodedList)
    replicas: Mapped[int | None] = mapped_column(Integer)


class X509KeyPair(Base):
    __tablename__ = "x509keypair"
    __table_args__ = _scoped_table_args("x509keypair")

    uuid: Mapped[str] = _uuid_column()
    project_id: Mapped[str | None] = _str()
    user_id: Mapped[str | None] = _str()
    name: Mapped[str | None] = _str()
    cluster_id: Mapped[str | None] = _str(36)
    certificate: Mapped[str | None] = mapped_column(Text)
    private_key: Mapped[str | None] = mapped_column(Text)
    private_key_passphrase: Mapped[str | None] = _str()
    intermediates: Mapped[str | None] = mapped_column(Text)
    ca_cert: Mapped[str | None] = mapped_column(Text)


class MagnumService(Base):
    __tablename__ = "magnum_service"
    __table_args__ = (
        UniqueConstraint("host", "binary", name="uniq_magnum_service0host0binary"),
        MYSQL_TABLE_ARGS,
    )

    host: Mapped[str] = _str(nullable=False)
    binary: Mapped[str] = _str(nullable=False)
    disabled: Mapped[bool | None] = _bool(False)
    disabled_reason: Mapped[str | None] = _str()
    last_seen_up: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    forced_down: Mapped[bool | None] = _bool(False)
    report_count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    # What the conductor's enabled drivers serve (registry.declarations()),
    # published at start so the API can check templates without loading drivers.
    cluster_types: Mapped[list | None] = _json(JSONEncodedList)


class Quota(Base):
    __tablename__ = "quotas"
    __table_args__ = (
        UniqueConstraint("project_id", "resource", name="uniq_quotas0project_id0resource"),
        MYSQL_TABLE_ARGS,
    )

    project_id: Mapped[str] = _str(nullable=False)
    resource: Mapped[str] = _str(nullable=False)
    hard_limit: Mapped[int] = mapped_column(Integer, nullable=False)


class Federation(Base):
    __tablename__ = "federation"
    __table_args__ = _scoped_table_args("federation")

    uuid: Mapped[str] = _uuid_column()
    project_id: Mapped[str | None] = _str()
    name: Mapped[str | None] = _str()
    hostcluster_id: Mapped[str | None] = _str(36)
    member_ids: Mapped[list | None] = _json(JSONEncodedList)
    status: Mapped[str | None] = _str(20)
    status_reason: Mapped[str | None] = mapped_column(Text)
    properties: Mapped[dict | None] = _json(JSONEncodedDict)
