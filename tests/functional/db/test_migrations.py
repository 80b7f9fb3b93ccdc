"""Migrations create exactly the models' schema on SQLite, MariaDB and PostgreSQL."""

from __future__ import annotations

import tempfile
import unittest

import pytest
import sqlalchemy
from oslo_db.sqlalchemy import test_migrations

from magnum.db import migration
from magnum.db.sqlalchemy import models, query
from tests.fixtures import database as db_fixtures


def _schema(engine) -> dict:
    """Tables, columns, indexes and unique constraints as the database reports them."""
    inspector = sqlalchemy.inspect(engine)
    schema = {}
    for table in inspector.get_table_names():
        schema[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
            ],
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (u["name"], tuple(u["column_names"]))
                for u in inspector.get_unique_constraints(table)
            ),
        }
    return schema


def test_upgrade_head_version_and_idempotence(engine):
    assert migration.version() is None
    migration.upgrade("head")
    assert migration.version() == migration.head()
    first = _schema(engine)
    assert set(first) == set(models.Base.metadata.tables) | {"alembic_version"}

    migration.upgrade("head")  # a second run must change nothing
    assert migration.version() == migration.head()
    assert _schema(engine) == first


def test_unique_constraint_names_are_explicit(engine):
    migration.upgrade("head")
    inspector = sqlalchemy.inspect(engine)
    names = set()
    for table in models.Base.metadata.tables:
        names |= {u["name"] for u in inspector.get_unique_constraints(table)}
        # MariaDB reports unique constraints as unique indexes as well.
        names |= {i["name"] for i in inspector.get_indexes(table) if i["unique"]}
    expected = {
        "uniq_cluster0uuid",
        "uniq_cluster_template0uuid",
        "uniq_container0uuid",
        "uniq_federation0uuid",
        "uniq_kube_object0uuid",
        "uniq_magnum_service0host0binary",
        "uniq_node0ironic_node_id",
        "uniq_node0uuid",
        "uniq_nodegroup0cluster_id0name",
        "uniq_nodegroup0uuid",
        "uniq_quotas0project_id0resource",
        "uniq_x509keypair0uuid",
    }
    assert expected <= names


def test_stamp_records_a_revision(engine):
    migration.upgrade("head")
    migration.stamp("base")
    assert migration.version() is None
    migration.stamp("head")
    assert migration.version() == migration.head()


class _ModelsMigrationsSync(test_migrations.ModelsMigrationsSync):
    """oslo.db's comparison of the migrated schema against models.Base.metadata."""

    kind: str

    def setUp(self) -> None:
        super().setUp()
        if self.kind == "sqlite":
            directory = tempfile.TemporaryDirectory(prefix="magnum-sync-")
            self.addCleanup(directory.cleanup)
            url = f"sqlite:///{directory.name}/magnum.sqlite"
        else:
            url = db_fixtures.make_database(self.kind, drop_at_exit=False)
            self.addCleanup(db_fixtures.drop_database, url)
        self.engine = db_fixtures.create_engine(url)
        self.addCleanup(self.engine.dispose)

    def get_engine(self):
        return self.engine

    def get_metadata(self):
        return models.Base.metadata

    def db_sync(self, engine) -> None:
        undo = query.use_engine(engine)
        try:
            migration.upgrade("head")
        finally:
            undo()


class TestModelsMigrationsSyncSQLite(_ModelsMigrationsSync, unittest.TestCase):
    kind = "sqlite"


class TestModelsMigrationsSyncMariaDB(_ModelsMigrationsSync, unittest.TestCase):
    kind = "mysql"


class TestModelsMigrationsSyncPostgreSQL(_ModelsMigrationsSync, unittest.TestCase):
    kind = "postgresql"


@pytest.mark.parametrize("kind", ["mysql", "postgresql"])
def test_unreachable_server_fails_loudly(kind, monkeypatch):
    monkeypatch.setitem(db_fixtures.SERVER_URLS, kind, f"{kind}://nobody@127.0.0.1:1")
    with pytest.raises(Exception):  # noqa: B017  (driver-specific connection error)
        db_fixtures.make_database(kind, drop_at_exit=False)
