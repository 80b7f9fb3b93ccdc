"""[quotas] options."""

from oslo_config import cfg

group = cfg.OptGroup("quotas", title="Options for quotas")

opts = [
    cfg.IntOpt(
        "max_clusters_per_project",
        default=20,
        min=0,
        help="Bays a project may have when no quota row names another limit.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts() -> dict:
    return {group: opts}
