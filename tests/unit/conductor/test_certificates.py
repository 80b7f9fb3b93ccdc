"""The conductor's bay PKI on the real (migrated SQLite) schema."""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from magnum import conf, objects
from magnum.common import context, exception
from magnum.conductor import certificates
from tests.fixtures.database import database  # noqa: F401  (pytest fixture)
from tests.unit.db import utils

CONF = conf.CONF
TEST_KEY_SIZE = 1024  # small keys keep the suite fast; size is not under test


@pytest.fixture
def cluster(database):  # noqa: F811
    CONF.set_override("encryption_key", Fernet.generate_key().decode(), group="certificates")
    CONF.set_override("rsa_key_size", TEST_KEY_SIZE, group="x509")
    ctx = context.RequestContext(project_id=utils.PROJECT, user_id=utils.USER, is_admin=True)
    row = utils.create_cluster(name="bay-ca")
    yield ctx, objects.Cluster.get_by_uuid(ctx, row.uuid)
    CONF.clear_override("encryption_key", group="certificates")
    CONF.clear_override("rsa_key_size", group="x509")


def _load(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())


def _csr() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=TEST_KEY_SIZE)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "user")])
    csr = x509.CertificateSigningRequestBuilder().subject_name(name).sign(key, hashes.SHA256())
    return csr.public_bytes(serialization.Encoding.PEM).decode()


def test_ensure_makes_ca_and_conductor_cert_once(cluster):
    ctx, bay = cluster
    pki = certificates.ensure(ctx, bay)
    fresh = objects.Cluster.get_by_uuid(ctx, bay.uuid)
    assert fresh.ca_cert_ref and fresh.magnum_cert_ref
    ca = _load(pki.ca_pem)
    assert ca.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "bay-ca"
    again = certificates.ensure(ctx, fresh)
    assert again.ca_pem == pki.ca_pem
    assert len(objects.X509KeyPair.list(ctx, filters={"cluster_id": bay.uuid})) == 2


def test_issue_and_sign_chain_to_the_bay_ca(cluster):
    ctx, bay = cluster
    pki = certificates.ensure(ctx, bay)
    ca = _load(pki.ca_pem)
    cert_pem, key_pem = pki.issue("node-0", sans=["10.0.0.5"], server=True)
    _load(cert_pem).verify_directly_issued_by(ca)
    assert "PRIVATE KEY" in key_pem
    _load(pki.sign(_csr())).verify_directly_issued_by(ca)
    with pytest.raises(exception.InvalidCsr):
        pki.sign("garbage")


def test_absent_ca_kind_is_key_error(cluster):
    ctx, bay = cluster
    pki = certificates.ensure(ctx, bay)
    for kind in ("etcd", "front_proxy", "nonsense"):
        with pytest.raises(KeyError):
            pki.ca_pem_of(kind)


def test_rotate_replaces_the_ca_and_forgets_the_old(cluster):
    ctx, bay = cluster
    old = certificates.ensure(ctx, bay)
    old_pem, old_refs = old.ca_pem, (bay.ca_cert_ref, bay.magnum_cert_ref)
    new = certificates.rotate(ctx, bay)
    assert new.ca_pem != old_pem
    for ref in old_refs:
        with pytest.raises(exception.NotFound):
            objects.X509KeyPair.get_by_uuid(ctx, ref)
    signed = _load(new.sign(_csr()))
    signed.verify_directly_issued_by(_load(new.ca_pem))
    with pytest.raises(InvalidSignature):
        signed.verify_directly_issued_by(_load(old_pem))


def test_forget_deletes_every_certificate_of_the_bay(cluster):
    ctx, bay = cluster
    certificates.ensure(ctx, bay)
    certificates.forget(ctx, bay)
    assert objects.X509KeyPair.list(ctx, filters={"cluster_id": bay.uuid}) == []


def test_conductor_tls_is_a_client_cert_of_the_bay_ca(cluster):
    ctx, bay = cluster
    tls = certificates.ensure(ctx, bay).conductor_tls()
    ca = _load(tls.ca_pem)
    cert = _load(tls.cert_pem)
    cert.verify_directly_issued_by(ca)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "Magnum-Conductor"
    assert "PRIVATE KEY" in tls.key_pem and tls.key_pem not in repr(tls)
