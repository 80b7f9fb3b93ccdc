"""Where a bay's certificates and private keys are kept.

``[certificates] cert_manager_type`` selects a backend from ``BACKENDS``; each
implements ``CertManager``. The built-in ``x509keypair`` backend keeps them in
magnum's own database with the private key encrypted at rest; a production
deployment would rather keep private keys in a secret store (Barbican), which
is a backend of this same interface.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol

import magnum.conf

CONF = magnum.conf.CONF


@dataclasses.dataclass(frozen=True)
class StoredCert:
    """A certificate with its key; the key is never part of repr()."""

    ref: str
    name: str
    certificate: str
    private_key: str = dataclasses.field(repr=False)
    ca_cert: str | None = None


class CertManager(Protocol):
    def store(
        self,
        context: Any,
        cluster: Any,
        name: str,
        certificate: str,
        private_key: str,
        ca_cert: str | None = None,
    ) -> str:
        """Keep a certificate and its key for the bay; returns a reference."""

    def get(self, context: Any, ref: str) -> StoredCert:
        """The certificate and decrypted key a reference names."""

    def delete(self, context: Any, ref: str) -> None:
        """Forget one certificate (a missing one is not an error)."""

    def delete_for_cluster(self, context: Any, cluster_uuid: str) -> None:
        """Forget every certificate of a bay."""


def _x509keypair() -> CertManager:
    from magnum.common.cert_manager import x509keypair

    return x509keypair.X509KeyPairManager()


BACKENDS = {"x509keypair": _x509keypair}


def get_cert_manager() -> CertManager:
    return BACKENDS[CONF.certificates.cert_manager_type]()
