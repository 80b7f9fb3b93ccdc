"""[certificates] options: where bay certificates are stored."""

from oslo_config import cfg

group = cfg.OptGroup("certificates", title="Options for the storage of bay certificates")

opts = [
    cfg.StrOpt(
        "cert_manager_type",
        default="x509keypair",
        choices=[("x509keypair", "In magnum's own database (x509keypair table).")],
        help="Where the CA and client certificates of each bay are stored. "
        "x509keypair is built in; for production keep private keys in a "
        "secret store such as Barbican (see doc/source/admin/certificates.rst).",
    ),
    cfg.StrOpt(
        "encryption_key",
        secret=True,
        help="Fernet key (url-safe base64 of 32 random bytes, e.g. from "
        "cryptography.fernet.Fernet.generate_key()) that encrypts the private "
        "keys kept in the x509keypair table. Every conductor of a deployment "
        "needs the same key. When unset, magnum-all keeps a generated one in "
        "$state_path/certificates.key; split services refuse to use stored "
        "keys without it.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts() -> dict:
    return {group: opts}
