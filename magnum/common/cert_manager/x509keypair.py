"""The built-in cert manager: the x509keypair table, keys encrypted with Fernet.

The Fernet key comes from ``[certificates] encryption_key``. The all-in-one
service may instead keep a generated key next to its state
(``ensure_local_key``); split services must share a configured key, and a
missing or wrong key is a clear ``CertificateKeyUnavailable`` (503), never a
plaintext fallback.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

from cryptography.fernet import Fernet, InvalidToken

import magnum.conf
from magnum import objects
from magnum.common import exception
from magnum.common.cert_manager import StoredCert

CONF = magnum.conf.CONF
LOCAL_KEY_FILE = "certificates.key"


def _local_key_path() -> str:
    return os.path.join(CONF.state_path, LOCAL_KEY_FILE)


def ensure_local_key() -> str:
    """For magnum-all: the key in state_path, made (mode 0600) on first use."""
    path = _local_key_path()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "wb") as f:
            f.write(Fernet.generate_key())
    return path


def _fernet() -> Fernet:
    key = CONF.certificates.encryption_key
    if not key and os.path.exists(_local_key_path()):
        with open(_local_key_path(), "rb") as f:
            key = f.read().strip()
    if not key:
        raise exception.CertificateKeyUnavailable(
            reason="[certificates] encryption_key is not set (all services need the same key)"
        )
    try:
        return Fernet(key)
    except (ValueError, TypeError):
        raise exception.CertificateKeyUnavailable(
            reason="[certificates] encryption_key is not a Fernet key (base64 of 32 bytes)"
        ) from None


def check_key() -> None:
    """Fail at start-up rather than at the first bay when the key is unusable."""
    _fernet()


class X509KeyPairManager:
    def __init__(self) -> None:
        self._fernet = _fernet()

    def store(
        self,
        context: Any,
        cluster: Any,
        name: str,
        certificate: str,
        private_key: str,
        ca_cert: str | None = None,
    ) -> str:
        keypair = objects.X509KeyPair(
            context,
            name=name,
            cluster_id=cluster.uuid,
            project_id=cluster.project_id,
            user_id=cluster.user_id,
            certificate=certificate,
            ca_cert=ca_cert,
            private_key=self._fernet.encrypt(private_key.encode()).decode(),
        )
        keypair.create()
        return keypair.uuid

    def get(self, context: Any, ref: str) -> StoredCert:
        keypair = objects.X509KeyPair.get_by_uuid(context, ref)
        try:
            key = self._fernet.decrypt(keypair.private_key.encode()).decode()
        except (InvalidToken, AttributeError):
            raise exception.CertificateKeyUnavailable(
                reason="the configured encryption_key does not decrypt the stored key"
            ) from None
        return StoredCert(
            ref=keypair.uuid,
            name=keypair.name,
            certificate=keypair.certificate,
            private_key=key,
            ca_cert=keypair.ca_cert,
        )

    def delete(self, context: Any, ref: str) -> None:
        with contextlib.suppress(exception.NotFound):
            objects.X509KeyPair.get_by_uuid(context, ref).destroy()

    def delete_for_cluster(self, context: Any, cluster_uuid: str) -> None:
        for keypair in objects.X509KeyPair.list(context, filters={"cluster_id": cluster_uuid}):
            keypair.destroy()
