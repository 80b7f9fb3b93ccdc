"""Which extensions of a certificate signing request survive signing.

A CSR comes from a user or a node, so nothing in it is trusted: only the
extensions named in ``[x509] allowed_extensions`` are copied, key usages are
intersected with ``[x509] allowed_key_usage``, and unless ``[x509] allow_ca``
is set a CSR can never make itself a CA (CA:true and certificate/CRL signing
are stripped), whatever the lists say.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cryptography import x509
from cryptography.x509.oid import ExtensionOID

# The operator-facing names of key usages (as OpenSSL prints them) mapped to
# the attribute names of cryptography's KeyUsage.
KEY_USAGE_NAMES = {
    "Digital Signature": "digital_signature",
    "Non Repudiation": "content_commitment",
    "Content Commitment": "content_commitment",
    "Key Encipherment": "key_encipherment",
    "Data Encipherment": "data_encipherment",
    "Key Agreement": "key_agreement",
    "Certificate Sign": "key_cert_sign",
    "CRL Sign": "crl_sign",
    "Encipher Only": "encipher_only",
    "Decipher Only": "decipher_only",
}
_KEY_USAGE_FIELDS = tuple(dict.fromkeys(KEY_USAGE_NAMES.values()))
_CA_USAGES = frozenset({"key_cert_sign", "crl_sign"})


def _usage_fields(names: Iterable[str]) -> frozenset[str]:
    fields = set()
    for name in names:
        key = name.strip()
        # Accept both "Digital Signature" and "digital_signature" spellings.
        fields.add(KEY_USAGE_NAMES.get(key, key.lower().replace(" ", "_")))
    return frozenset(fields)


def _filtered_key_usage(
    usage: x509.KeyUsage, allowed: frozenset[str], allow_ca: bool
) -> x509.KeyUsage | None:
    kept = {}
    for field in _KEY_USAGE_FIELDS:
        if field in ("encipher_only", "decipher_only"):
            continue
        kept[field] = (
            bool(getattr(usage, field))
            and field in allowed
            and (allow_ca or field not in _CA_USAGES)
        )
    agreement = kept["key_agreement"]
    # encipher_only/decipher_only are only defined together with keyAgreement.
    kept["encipher_only"] = agreement and "encipher_only" in allowed and usage.encipher_only
    kept["decipher_only"] = agreement and "decipher_only" in allowed and usage.decipher_only
    if not any(kept.values()):
        return None
    return x509.KeyUsage(**kept)


def filter_extensions(
    extensions: x509.Extensions,
    *,
    allowed_extensions: Iterable[str],
    allowed_key_usage: Iterable[str],
    allow_ca: bool,
) -> Iterator[x509.Extension]:
    """Yield the extensions of a CSR that may go into the signed certificate."""
    allowed_names = {name.strip() for name in allowed_extensions}
    usages = _usage_fields(allowed_key_usage)
    for ext in extensions:
        if ext.oid._name not in allowed_names:  # noqa: SLF001 - the OID's registered short name
            continue
        value = ext.value
        if ext.oid == ExtensionOID.BASIC_CONSTRAINTS:
            if value.ca and not allow_ca:
                value = x509.BasicConstraints(ca=False, path_length=None)
        elif ext.oid == ExtensionOID.KEY_USAGE:
            value = _filtered_key_usage(value, usages, allow_ca)
            if value is None:
                continue
        yield x509.Extension(ext.oid, ext.critical, value)
