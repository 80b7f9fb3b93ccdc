"""[certificates] options: where bay certificates are stored."""

from oslo_config import cfg

group = cfg.OptGroup("certificates", title="Options for the storage of bay certificates")

opts = [
    cfg.StrOpt(
        "cert_manager_type",
        default="x509keypair",
        choices=[("x509keypair", "In magnum's own database (x509keypair table).")],
        help="Where the CA and client certificates of each bay are stored.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts() -> dict:
    return {group: opts}
