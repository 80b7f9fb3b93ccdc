"""The x509keypair cert manager on the real (migrated SQLite) schema."""

from __future__ import annotations

import os
import pathlib
import stat
import types

import pytest
from cryptography.fernet import Fernet

from magnum import conf, objects
from magnum.common import cert_manager, context, exception
from magnum.common.cert_manager import x509keypair
from magnum.common.x509 import operations
from tests.fixtures.database import database  # noqa: F401  (pytest fixture)

CONF = conf.CONF
CLUSTER = types.SimpleNamespace(
    uuid="7f7c2b52-2bb1-4ad6-9a3e-5b1a8b0a0c11", project_id="p1", user_id="u1"
)


@pytest.fixture
def key(database):  # noqa: F811
    value = Fernet.generate_key().decode()
    CONF.set_override("encryption_key", value, group="certificates")
    yield value
    CONF.clear_override("encryption_key", group="certificates")


@pytest.fixture
def ctx():
    return context.RequestContext(project_id="p1", user_id="u1", is_admin=True)


@pytest.fixture(scope="module")
def pair():
    return operations.generate_ca("bay", key_size=1024, days=1)


def test_round_trip_and_key_encrypted_at_rest(key, ctx, pair):
    manager = cert_manager.get_cert_manager()
    ref = manager.store(ctx, CLUSTER, "ca", pair[0], pair[1])
    row = objects.X509KeyPair.get_by_uuid(ctx, ref)
    assert "PRIVATE KEY" not in row.private_key
    assert row.cluster_id == CLUSTER.uuid and row.project_id == "p1"
    stored = manager.get(ctx, ref)
    assert stored.certificate == pair[0] and stored.private_key == pair[1]
    assert "PRIVATE" not in repr(stored) and pair[1] not in repr(stored)


def test_delete_for_cluster_removes_only_that_bay(key, ctx, pair):
    manager = cert_manager.get_cert_manager()
    mine = manager.store(ctx, CLUSTER, "ca", pair[0], pair[1])
    other = types.SimpleNamespace(
        uuid="0b9f5d3e-74f6-4b80-9d8e-6c1a2f3e4d55", project_id="p1", user_id="u1"
    )
    theirs = manager.store(ctx, other, "ca", pair[0], pair[1])
    manager.delete_for_cluster(ctx, CLUSTER.uuid)
    with pytest.raises(exception.NotFound):
        objects.X509KeyPair.get_by_uuid(ctx, mine)
    assert manager.get(ctx, theirs).private_key == pair[1]
    manager.delete(ctx, theirs)
    manager.delete(ctx, theirs)  # already gone: not an error


def test_missing_key_is_a_clear_error(database, tmp_path):  # noqa: F811
    CONF.set_override("state_path", str(tmp_path))
    try:
        with pytest.raises(exception.CertificateKeyUnavailable) as err:
            cert_manager.get_cert_manager()
    finally:
        CONF.clear_override("state_path")
    assert err.value.code == 503 and "encryption_key" in err.value.format_message()


def test_malformed_key_is_a_clear_error(database):  # noqa: F811
    CONF.set_override("encryption_key", "not-a-key", group="certificates")
    try:
        with pytest.raises(exception.CertificateKeyUnavailable):
            x509keypair.check_key()
    finally:
        CONF.clear_override("encryption_key", group="certificates")


def test_wrong_key_cannot_decrypt(key, ctx, pair):
    ref = cert_manager.get_cert_manager().store(ctx, CLUSTER, "ca", pair[0], pair[1])
    CONF.set_override("encryption_key", Fernet.generate_key().decode(), group="certificates")
    with pytest.raises(exception.CertificateKeyUnavailable):
        cert_manager.get_cert_manager().get(ctx, ref)


def test_all_in_one_generates_a_private_key_file_once(database, tmp_path, ctx, pair):  # noqa: F811
    CONF.set_override("state_path", str(tmp_path / "state"))
    try:
        path = x509keypair.ensure_local_key()
        first = pathlib.Path(path).read_bytes()
        assert x509keypair.ensure_local_key() == path and pathlib.Path(path).read_bytes() == first
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        manager = cert_manager.get_cert_manager()
        assert manager.get(ctx, manager.store(ctx, CLUSTER, "ca", *pair)).private_key == pair[1]
    finally:
        CONF.clear_override("state_path")
