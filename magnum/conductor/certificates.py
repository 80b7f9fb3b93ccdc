"""A bay's certificate authority, run by the conductor that owns the bay.

``ensure(context, cluster)`` makes the bay's CA and the conductor's client
certificate once and records their references on the bay
(``ca_cert_ref``, ``magnum_cert_ref``); ``BayCertificates`` is the driver
seam's ``BayPKI`` on top of them: it issues node and client certificates and
signs users' CSRs. ``rotate(context, cluster)`` replaces both, so
certificates of the old CA stop being accepted once the driver has
redistributed the new one. Logs name certificates by fingerprint only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from oslo_log import log as logging

from magnum.common import cert_manager, exception
from magnum.common.x509 import operations

LOG = logging.getLogger(__name__)
CONDUCTOR_CN = "Magnum-Conductor"
# The CA kinds a bay may have and the bay field that refers to each.
CA_REFS = {
    "default": "ca_cert_ref",
    "etcd": "etcd_ca_cert_ref",
    "front_proxy": "front_proxy_ca_cert_ref",
}


class BayCertificates:
    """BayPKI for one bay: CA material decrypted on demand, never logged."""

    def __init__(self, context: Any, cluster: Any, manager: cert_manager.CertManager) -> None:
        self._context = context
        self._cluster = cluster
        self._manager = manager

    def _ca(self, ca_kind: str) -> cert_manager.StoredCert:
        ref = getattr(self._cluster, CA_REFS[ca_kind], None) if ca_kind in CA_REFS else None
        if not ref:
            raise KeyError(ca_kind)
        return self._manager.get(self._context, ref)

    @property
    def ca_pem(self) -> str:
        return self.ca_pem_of("default")

    def ca_pem_of(self, ca_kind: str) -> str:
        return self._ca(ca_kind).certificate

    def issue(
        self,
        common_name: str,
        *,
        organization: str | None = None,
        sans: Sequence[str] = (),
        server: bool = False,
        client: bool = False,
        ca_kind: str = "default",
    ) -> tuple[str, str]:
        ca = self._ca(ca_kind)
        return operations.issue(
            ca.certificate,
            ca.private_key,
            common_name,
            organization=organization,
            sans=sans,
            server=server,
            client=client,
        )

    def sign(self, csr_pem: str, ca_kind: str = "default") -> str:
        """Sign a user's or node's CSR with the filtering rules of [x509]."""
        ca = self._ca(ca_kind)
        return operations.sign_csr(csr_pem, ca.certificate, ca.private_key)

    def conductor_tls(self) -> Any:
        from magnum.drivers import base  # the seam's TLSMaterial; drivers import us, not back

        stored = self._manager.get(self._context, self._cluster.magnum_cert_ref)
        return base.TLSMaterial(
            ca_pem=self.ca_pem, cert_pem=stored.certificate, key_pem=stored.private_key
        )


def _make(context: Any, cluster: Any, manager: cert_manager.CertManager) -> dict[str, str]:
    ca_cert, ca_key = operations.generate_ca(cluster.name or cluster.uuid)
    ca_ref = manager.store(context, cluster, "ca", ca_cert, ca_key)
    cert, key = operations.issue(ca_cert, ca_key, CONDUCTOR_CN, client=True)
    magnum_ref = manager.store(context, cluster, "magnum", cert, key, ca_cert=ca_cert)
    LOG.info(
        "Cluster %s: CA %s and conductor certificate %s made",
        cluster.uuid,
        operations.fingerprint(ca_cert),
        operations.fingerprint(cert),
    )
    return {"ca_cert_ref": ca_ref, "magnum_cert_ref": magnum_ref}


def ensure(context: Any, cluster: Any) -> BayCertificates:
    """The bay's PKI, making its CA and conductor certificate on first use.

    Runs under the bay's lock (the owning conductor), so two callers never
    make two CAs for one bay.
    """
    manager = cert_manager.get_cert_manager()
    if not cluster.ca_cert_ref or not cluster.magnum_cert_ref:
        for field, ref in _make(context, cluster, manager).items():
            setattr(cluster, field, ref)
        cluster.save()
    return BayCertificates(context, cluster, manager)


def rotate(context: Any, cluster: Any) -> BayCertificates:
    """New CA and conductor certificate; the old ones are forgotten.

    The caller hands the result to the driver's ``rotate_ca`` so the nodes get
    certificates of the new CA; until then the old refs are still on the row
    only in the caller's memory, never both in the store.
    """
    manager = cert_manager.get_cert_manager()
    old = [cluster.ca_cert_ref, cluster.magnum_cert_ref]
    for field, ref in _make(context, cluster, manager).items():
        setattr(cluster, field, ref)
    cluster.save()
    for ref in old:
        if ref:
            manager.delete(context, ref)
    return BayCertificates(context, cluster, manager)


def forget(context: Any, cluster: Any) -> None:
    """Delete every certificate of the bay (with the bay)."""
    cert_manager.get_cert_manager().delete_for_cluster(context, cluster.uuid)


# ca_cert_type of the API (spec 3.7) -> CA kind of the seam.
CA_CERT_TYPES = {
    None: "default",
    "": "default",
    "kubernetes": "default",
    "etcd": "etcd",
    "front_proxy": "front_proxy",
    "front-proxy": "front_proxy",
}


def for_request(task: Any) -> BayCertificates:
    """The PKI of a locked bay for an API request; 400 when the bay has none."""
    if task.cluster_template.tls_disabled:
        raise exception.InvalidParameterValue(
            err=f"Cluster {task.cluster.uuid} has TLS disabled; it has no certificate authority."
        )
    return ensure(task.context, task.cluster)


def ca_kind(pki: BayCertificates, ca_cert_type: str | None) -> str:
    kind = CA_CERT_TYPES.get(ca_cert_type)
    if kind is None:
        raise exception.InvalidParameterValue(
            err=f"Unknown ca_cert_type {ca_cert_type!r}; expected one of "
            "kubernetes, etcd, front_proxy."
        )
    try:
        pki.ca_pem_of(kind)
    except KeyError:
        raise exception.InvalidParameterValue(
            err=f"This cluster has no {ca_cert_type} CA."
        ) from None
    return kind


def ca_of_type(pki: BayCertificates, ca_cert_type: str | None) -> str:
    return pki.ca_pem_of(ca_kind(pki, ca_cert_type))
