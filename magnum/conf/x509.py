"""[x509] options: the per-bay certificate authority."""

from oslo_config import cfg

group = cfg.OptGroup("x509", title="Options for the certificates magnum issues")

opts = [
    cfg.BoolOpt(
        "allow_ca",
        default=False,
        help="Let a signed CSR keep CA:true and certificate-signing usages.",
    ),
    cfg.ListOpt(
        "allowed_extensions",
        default=[
            "keyUsage",
            "extendedKeyUsage",
            "subjectAltName",
            "basicConstraints",
            "subjectKeyIdentifier",
        ],
        help="Extensions of a CSR that survive signing; others are dropped.",
    ),
    cfg.ListOpt(
        "allowed_key_usage",
        default=["Digital Signature", "Key Encipherment", "Non Repudiation"],
        help="Key usages a signed certificate may keep.",
    ),
    cfg.IntOpt(
        "term_of_validity",
        default=365 * 5,
        min=1,
        help="Days a certificate magnum issues is valid.",
    ),
    cfg.IntOpt("rsa_key_size", default=2048, min=1024, help="Size of the RSA keys magnum makes."),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts() -> dict:
    return {group: opts}
