"""Initial schema: every table of the first release.

Revision ID: afd742766907
Revises:
Create Date: 2026-07-20 00:00:00

Written out in full rather than imported from the models, so that later model
changes cannot alter what this revision creates.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "afd742766907"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MYSQL_TABLE_ARGS = {
    "mysql_engine": "InnoDB",
    "mysql_charset": "utf8mb4",
    "mysql_collate": "utf8mb4_bin",
}


def _base_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
    ]


def _str(name: str, length: int = 255, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.String(length), nullable=nullable)


def _int(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def _bool(name: str) -> sa.Column:
    return sa.Column(name, sa.Boolean(), nullable=True)


def _text(name: str) -> sa.Column:
    # Also the storage of the JSON-encoded columns.
    return sa.Column(name, sa.Text(), nullable=True)


def _owned_table(table: str, *columns: sa.Column, extra: Sequence = ()) -> None:
    """A table whose rows have a uuid and belong to a project."""
    op.create_table(
        table,
        *_base_columns(),
        _str("uuid", 36, nullable=False),
        *columns,
        sa.UniqueConstraint("uuid", name=f"uniq_{table}0uuid"),
        *extra,
        **MYSQL_TABLE_ARGS,
    )
    op.create_index(f"ix_{table}_project_id", table, ["project_id"])


def upgrade() -> None:
    _owned_table(
        "cluster_template",
        _str("project_id"),
        _str("user_id"),
        _str("name"),
        _str("coe"),
        _str("image_id"),
        _str("keypair_id"),
        _str("flavor_id"),
        _str("master_flavor_id"),
        _str("dns_nameserver"),
        _str("external_network_id"),
        _str("fixed_network"),
        _str("fixed_subnet"),
        _str("network_driver"),
        _str("volume_driver"),
        _int("apiserver_port"),
        _int("docker_volume_size"),
        _str("docker_storage_driver"),
        _str("cluster_distro"),
        _str("http_proxy"),
        _str("https_proxy"),
        _str("no_proxy"),
        _bool("registry_enabled"),
        _bool("tls_disabled"),
        _bool("master_lb_enabled"),
        _bool("floating_ip_enabled"),
        _bool("public"),
        _bool("hidden"),
        _str("server_type"),
        _str("insecure_registry"),
        _text("labels"),
        _str("tags"),
        _str("driver"),
        _text("ssh_authorized_key"),
    )

    _owned_table(
        "cluster",
        _str("project_id"),
        _str("user_id"),
        _str("name"),
        _str("cluster_template_id", 36),
        _str("keypair"),
        _int("docker_volume_size"),
        _text("labels"),
        _str("master_flavor_id"),
        _str("flavor_id"),
        _str("stack_id"),
        _str("api_address"),
        _text("node_addresses"),
        _text("master_addresses"),
        _int("node_count"),
        _int("master_count"),
        _str("status", 20),
        _text("status_reason"),
        sa.Column("status_updated_at", sa.DateTime(), nullable=True),
        _str("health_status", 20),
        _text("health_status_reason"),
        _int("create_timeout"),
        _str("discovery_url"),
        _str("ca_cert_ref", 512),
        _str("magnum_cert_ref", 512),
        _str("etcd_ca_cert_ref", 512),
        _str("front_proxy_ca_cert_ref", 512),
        _str("trust_id"),
        _str("trustee_username"),
        _str("trustee_user_id"),
        _str("trustee_password"),
        _str("coe_version"),
        _str("container_version"),
        _str("fixed_network"),
        _str("fixed_subnet"),
        _bool("floating_ip_enabled"),
        _bool("master_lb_enabled"),
        _str("reservation"),
    )
    op.create_index("ix_cluster_cluster_template_id", "cluster", ["cluster_template_id"])

    op.create_table(
        "nodegroup",
        *_base_columns(),
        _str("uuid", 36, nullable=False),
        _str("name", nullable=False),
        _str("cluster_id", 36, nullable=False),
        _str("project_id"),
        _int("docker_volume_size"),
        _text("labels"),
        _str("flavor_id"),
        _str("image_id"),
        _text("node_addresses"),
        _int("node_count"),
        _str("role"),
        _int("max_node_count"),
        _int("min_node_count", nullable=False),
        _bool("is_default"),
        _str("stack_id"),
        _str("status", 20),
        _text("status_reason"),
        _str("version"),
        _text("node_labels"),
        _text("node_taints"),
        sa.UniqueConstraint("uuid", name="uniq_nodegroup0uuid"),
        sa.UniqueConstraint("cluster_id", "name", name="uniq_nodegroup0cluster_id0name"),
        **MYSQL_TABLE_ARGS,
    )
    op.create_index("ix_nodegroup_project_id", "nodegroup", ["project_id"])

    _owned_table(
        "node",
        _str("project_id"),
        _str("user_id"),
        _str("type"),
        _str("image_id"),
        _str("ironic_node_id"),
        extra=[sa.UniqueConstraint("ironic_node_id", name="uniq_node0ironic_node_id")],
    )

    _owned_table(
        "container",
        _str("project_id"),
        _str("user_id"),
        _str("name"),
        _str("image"),
        _text("command"),
        _str("cluster_id", 36),
        _str("status", 20),
        _text("status_reason"),
        _str("memory"),
        _text("environment"),
        _str("host"),
        _str("container_id"),
    )
    op.create_index("ix_container_cluster_id", "container", ["cluster_id"])

    _owned_table(
        "kube_object",
        _str("project_id"),
        _str("user_id"),
        _str("kind", 32, nullable=False),
        _str("name"),
        _str("cluster_id", 36),
        _str("description"),
        _text("images"),
        _text("labels"),
        _text("selector"),
        _str("status"),
        _str("host"),
        _str("ip"),
        _text("ports"),
        _int("replicas"),
    )
    op.create_index("ix_kube_object_cluster_id_kind", "kube_object", ["cluster_id", "kind"])

    _owned_table(
        "x509keypair",
        _str("project_id"),
        _str("user_id"),
        _str("name"),
        _str("cluster_id", 36),
        _text("certificate"),
        _text("private_key"),
        _str("private_key_passphrase"),
        _text("intermediates"),
        _text("ca_cert"),
    )

    op.create_table(
        "magnum_service",
        *_base_columns(),
        _str("host", nullable=False),
        _str("binary", nullable=False),
        _bool("disabled"),
        _str("disabled_reason"),
        sa.Column("last_seen_up", sa.DateTime(), nullable=True),
        _bool("forced_down"),
        _int("report_count", nullable=False),
        sa.UniqueConstraint("host", "binary", name="uniq_magnum_service0host0binary"),
        **MYSQL_TABLE_ARGS,
    )

    op.create_table(
        "quotas",
        *_base_columns(),
        _str("project_id", nullable=False),
        _str("resource", nullable=False),
        _int("hard_limit", nullable=False),
        sa.UniqueConstraint("project_id", "resource", name="uniq_quotas0project_id0resource"),
        **MYSQL_TABLE_ARGS,
    )

    _owned_table(
        "federation",
        _str("project_id"),
        _str("name"),
        _str("hostcluster_id", 36),
        _text("member_ids"),
        _str("status", 20),
        _text("status_reason"),
        _text("properties"),
    )
