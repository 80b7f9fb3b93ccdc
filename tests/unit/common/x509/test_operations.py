"""The signing rules of spec section 7, checked on real certificates."""

from __future__ import annotations

import datetime
import ipaddress

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID, NameOID

from magnum.common import exception
from magnum.common.x509 import operations

# Small keys keep the suite fast; sizes are a parameter, not a rule under test.
KEY_SIZE = 1024


@pytest.fixture(scope="module")
def ca() -> tuple[str, str]:
    return operations.generate_ca("bay-one", key_size=KEY_SIZE, days=30)


def _cert(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())


def _csr(*extensions: tuple[x509.ExtensionType, bool], cn: str = "someone") -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    builder = x509.CertificateSigningRequestBuilder().subject_name(
        x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    )
    for value, critical in extensions:
        builder = builder.add_extension(value, critical=critical)
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM).decode()


def _usage(**on: bool) -> x509.KeyUsage:
    fields = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    fields.update(on)
    return x509.KeyUsage(**fields)


def _sign(csr: str, ca: tuple[str, str], **kw) -> x509.Certificate:
    kw.setdefault(
        "allowed_extensions",
        ["keyUsage", "extendedKeyUsage", "subjectAltName", "basicConstraints"],
    )
    kw.setdefault(
        "allowed_key_usage", ["Digital Signature", "Key Encipherment", "Non Repudiation"]
    )
    kw.setdefault("allow_ca", False)
    return _cert(operations.sign_csr(csr, *ca, days=10, **kw))


def test_ca_is_self_signed_ca_pathlen_zero_with_sign_usages(ca):
    cert = _cert(ca[0])
    assert cert.subject == cert.issuer
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "bay-one"
    bc = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert bc.critical and bc.value.ca and bc.value.path_length == 0
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert ku.key_cert_sign and ku.crl_sign and not ku.digital_signature
    assert isinstance(cert.signature_hash_algorithm, hashes.SHA256)
    assert cert.public_key().key_size == KEY_SIZE
    cert.verify_directly_issued_by(cert)


def test_validity_is_term_of_validity_from_a_day_ago(ca):
    cert = _cert(ca[0])
    now = datetime.datetime.now(datetime.UTC)
    assert abs(
        (now - cert.not_valid_before_utc) - datetime.timedelta(days=1)
    ) < datetime.timedelta(minutes=5)
    assert abs(
        (cert.not_valid_after_utc - now) - datetime.timedelta(days=30)
    ) < datetime.timedelta(minutes=5)


def test_ca_defaults_come_from_x509_options():
    from magnum import conf

    conf.CONF.set_override("term_of_validity", 7, group="x509")
    conf.CONF.set_override("rsa_key_size", 1024, group="x509")
    try:
        cert = _cert(operations.generate_ca("defaults")[0])
    finally:
        conf.CONF.clear_override("term_of_validity", group="x509")
        conf.CONF.clear_override("rsa_key_size", group="x509")
    assert cert.public_key().key_size == 1024
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days == 8


def test_issued_server_cert_has_sans_and_server_auth(ca):
    cert_pem, key_pem = operations.issue(
        *ca, "node-0", sans=["10.1.2.3", "node-0", "10.1.2.3"], server=True, key_size=KEY_SIZE
    )
    cert = _cert(cert_pem)
    cert.verify_directly_issued_by(_cert(ca[0]))
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.IPAddress) == [ipaddress.ip_address("10.1.2.3")]
    assert san.get_values_for_type(x509.DNSName) == ["node-0"]
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.SERVER_AUTH]
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    key = serialization.load_pem_private_key(key_pem.encode(), password=None)
    assert key.public_key().public_numbers() == cert.public_key().public_numbers()


def test_issued_client_cert_carries_organization(ca):
    cert = _cert(
        operations.issue(
            *ca, "admin", organization="system:masters", client=True, key_size=KEY_SIZE
        )[0]
    )
    assert (
        cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "system:masters"
    )
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert ku.digital_signature and ku.key_encipherment and not ku.key_cert_sign


def test_issue_needs_a_purpose(ca):
    with pytest.raises(ValueError):
        operations.issue(*ca, "nothing", key_size=KEY_SIZE)


def test_signed_csr_keeps_subject_and_key_and_is_issued_by_the_ca(ca):
    csr_pem = _csr(cn="user-a")
    cert = _sign(csr_pem, ca)
    csr = x509.load_pem_x509_csr(csr_pem.encode())
    assert cert.subject == csr.subject
    assert cert.issuer == _cert(ca[0]).subject
    assert cert.public_key().public_numbers() == csr.public_key().public_numbers()
    cert.verify_directly_issued_by(_cert(ca[0]))
    assert cert.serial_number.bit_length() > 64


def test_serials_differ(ca):
    csr_pem = _csr()
    assert _sign(csr_pem, ca).serial_number != _sign(csr_pem, ca).serial_number


def test_ca_flag_is_stripped_unless_allow_ca(ca):
    csr_pem = _csr((x509.BasicConstraints(ca=True, path_length=None), True))
    bc = _sign(csr_pem, ca).extensions.get_extension_for_class(x509.BasicConstraints).value
    assert not bc.ca
    assert (
        _sign(csr_pem, ca, allow_ca=True)
        .extensions.get_extension_for_class(x509.BasicConstraints)
        .value.ca
    )


def test_cert_sign_usages_are_stripped_even_when_listed(ca):
    csr_pem = _csr((_usage(digital_signature=True, key_cert_sign=True, crl_sign=True), True))
    allowed = ["Digital Signature", "Certificate Sign", "CRL Sign"]
    ku = (
        _sign(csr_pem, ca, allowed_key_usage=allowed)
        .extensions.get_extension_for_class(x509.KeyUsage)
        .value
    )
    assert ku.digital_signature and not ku.key_cert_sign and not ku.crl_sign
    ku = _sign(
        csr_pem, ca, allowed_key_usage=allowed, allow_ca=True
    ).extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.value.key_cert_sign and ku.value.crl_sign


def test_key_usages_are_intersected_with_allowed(ca):
    csr_pem = _csr(
        (_usage(digital_signature=True, data_encipherment=True, content_commitment=True), False)
    )
    ku = _sign(csr_pem, ca).extensions.get_extension_for_class(x509.KeyUsage).value
    assert ku.digital_signature and ku.content_commitment and not ku.data_encipherment


def test_key_usage_with_nothing_allowed_is_dropped(ca):
    csr_pem = _csr((_usage(data_encipherment=True), False))
    with pytest.raises(x509.ExtensionNotFound):
        _sign(csr_pem, ca).extensions.get_extension_for_class(x509.KeyUsage)


def test_extensions_not_allowed_are_dropped(ca):
    csr_pem = _csr(
        (x509.SubjectAlternativeName([x509.DNSName("a.example")]), False),
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), False),
        (x509.OCSPNoCheck(), False),
    )
    cert = _sign(csr_pem, ca, allowed_extensions=["subjectAltName"])
    oids = {ext.oid for ext in cert.extensions}
    assert oids == {ExtensionOID.SUBJECT_ALTERNATIVE_NAME}
    cert = _sign(csr_pem, ca)
    assert ExtensionOID.OCSP_NO_CHECK not in {ext.oid for ext in cert.extensions}
    assert ExtensionOID.EXTENDED_KEY_USAGE in {ext.oid for ext in cert.extensions}


def test_defaults_come_from_x509_options(ca):
    csr_pem = _csr(
        (x509.BasicConstraints(ca=True, path_length=None), True), (x509.OCSPNoCheck(), False)
    )
    cert = _cert(operations.sign_csr(csr_pem, *ca))
    assert not cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert ExtensionOID.OCSP_NO_CHECK not in {ext.oid for ext in cert.extensions}


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "hello",
        "-----BEGIN CERTIFICATE REQUEST-----\nnot base64\n-----END CERTIFICATE REQUEST-----\n",
        "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
        None,
        42,
    ],
)
def test_malformed_csr_is_invalid_csr(ca, bad):
    with pytest.raises(exception.InvalidCsr) as err:
        operations.sign_csr(bad, *ca)
    assert err.value.code == 400


def test_csr_with_a_forged_signature_is_refused(ca):
    good = x509.load_pem_x509_csr(_csr(cn="victim").encode())
    other = x509.load_pem_x509_csr(_csr(cn="victim").encode())
    # Splice another key's signature onto the request: same subject, wrong proof of possession.
    der = bytearray(good.public_bytes(serialization.Encoding.DER))
    sig, other_sig = good.signature, other.signature
    der[der.rfind(sig) : der.rfind(sig) + len(sig)] = other_sig
    forged = x509.load_der_x509_csr(bytes(der)).public_bytes(serialization.Encoding.PEM).decode()
    with pytest.raises(exception.InvalidCsr):
        operations.sign_csr(forged, *ca)


def test_fingerprint_is_hex_sha256(ca):
    assert len(operations.fingerprint(ca[0])) == 64
