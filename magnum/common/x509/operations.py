"""Make CAs, issue certificates and sign CSRs, all as PEM strings.

Defaults come from ``[x509]``; callers pass explicit values only in tests.
Keys are RSA (``rsa_key_size``), signatures SHA-256, serials random 128-bit
(RFC 5280 caps them at 20 octets), and validity starts a day in the past so
a node whose clock lags the conductor's still accepts a fresh certificate.
"""

from __future__ import annotations

import datetime
import ipaddress
from collections.abc import Sequence

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

import magnum.conf
from magnum.common import exception
from magnum.common.x509 import validator

CONF = magnum.conf.CONF
_CLOCK_SKEW = datetime.timedelta(days=1)


def _new_key(key_size: int | None) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(
        public_exponent=65537, key_size=key_size or CONF.x509.rsa_key_size
    )


def _key_pem(key: rsa.RSAPrivateKey) -> str:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


def _cert_pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _name(common_name: str, organization: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        attrs.insert(0, x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    return x509.Name(attrs)


def _validity(builder: x509.CertificateBuilder, days: int | None) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    term = datetime.timedelta(days=days or CONF.x509.term_of_validity)
    return builder.not_valid_before(now - _CLOCK_SKEW).not_valid_after(now + term)


def _general_name(value: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(value))
    except ValueError:
        return x509.DNSName(value)


def load_ca(ca_cert_pem: str, ca_key_pem: str) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    cert = x509.load_pem_x509_certificate(ca_cert_pem.encode())
    key = serialization.load_pem_private_key(ca_key_pem.encode(), password=None)
    return cert, key


def generate_ca(
    common_name: str, *, key_size: int | None = None, days: int | None = None
) -> tuple[str, str]:
    """A self-signed CA that may sign end-entity certificates only (pathlen 0)."""
    key = _new_key(key_size)
    subject = _name(common_name)
    public = key.public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
    )
    cert = _validity(builder, days).sign(key, hashes.SHA256())
    return _cert_pem(cert), _key_pem(key)


def issue(
    ca_cert_pem: str,
    ca_key_pem: str,
    common_name: str,
    *,
    organization: str | None = None,
    sans: Sequence[str] = (),
    server: bool = False,
    client: bool = False,
    key_size: int | None = None,
    days: int | None = None,
) -> tuple[str, str]:
    """A new key and an end-entity certificate for it, signed by the CA."""
    if not (server or client):
        raise ValueError("a certificate must be for a server, a client or both")
    ca_cert, ca_key = load_ca(ca_cert_pem, ca_key_pem)
    key = _new_key(key_size)
    usages = []
    if server:
        usages.append(ExtendedKeyUsageOID.SERVER_AUTH)
    if client:
        usages.append(ExtendedKeyUsageOID.CLIENT_AUTH)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(common_name, organization))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
    )
    names = list(dict.fromkeys(sans))
    if names:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([_general_name(n) for n in names]), critical=False
        )
    cert = _validity(builder, days).sign(ca_key, hashes.SHA256())
    return _cert_pem(cert), _key_pem(key)


def load_csr(csr_pem: str) -> x509.CertificateSigningRequest:
    """Parse and verify a PEM CSR; anything wrong is InvalidCsr (400)."""
    if not isinstance(csr_pem, str) or "BEGIN CERTIFICATE REQUEST" not in csr_pem:
        raise exception.InvalidCsr(reason="not a PEM certificate request")
    try:
        csr = x509.load_pem_x509_csr(csr_pem.encode())
        signature_ok = csr.is_signature_valid
        extensions = csr.extensions  # parse now so a malformed extension is a 400, not a 500
    except (ValueError, TypeError, x509.DuplicateExtension, x509.UnsupportedGeneralNameType) as e:
        raise exception.InvalidCsr(reason=type(e).__name__) from None
    if not signature_ok:
        raise exception.InvalidCsr(reason="the signature does not match the public key")
    del extensions
    return csr


def sign_csr(
    csr_pem: str,
    ca_cert_pem: str,
    ca_key_pem: str,
    *,
    days: int | None = None,
    allowed_extensions: Sequence[str] | None = None,
    allowed_key_usage: Sequence[str] | None = None,
    allow_ca: bool | None = None,
) -> str:
    """Sign a CSR: its subject and key are kept, its extensions filtered."""
    csr = load_csr(csr_pem)
    ca_cert, ca_key = load_ca(ca_cert_pem, ca_key_pem)
    builder = (
        x509.CertificateBuilder()
        .subject_name(csr.subject)
        .issuer_name(ca_cert.subject)
        .public_key(csr.public_key())
        .serial_number(x509.random_serial_number())
    )
    kept = validator.filter_extensions(
        csr.extensions,
        allowed_extensions=CONF.x509.allowed_extensions
        if allowed_extensions is None
        else allowed_extensions,
        allowed_key_usage=CONF.x509.allowed_key_usage
        if allowed_key_usage is None
        else allowed_key_usage,
        allow_ca=CONF.x509.allow_ca if allow_ca is None else allow_ca,
    )
    for ext in kept:
        builder = builder.add_extension(ext.value, critical=ext.critical)
    try:
        cert = _validity(builder, days).sign(ca_key, hashes.SHA256())
    except (ValueError, TypeError) as e:
        # e.g. a public key type the CA cannot certify.
        raise exception.InvalidCsr(reason=str(e)) from None
    return _cert_pem(cert)


def fingerprint(cert_pem: str) -> str:
    """SHA-256 fingerprint of a certificate, safe to log (a key never is)."""
    cert = x509.load_pem_x509_certificate(cert_pem.encode())
    return cert.fingerprint(hashes.SHA256()).hex()
