"""[cluster_template] options: what bay models (cluster templates) may choose."""

from oslo_config import cfg

group = cfg.OptGroup("cluster_template", title="Options for bay models (cluster templates)")

opts = [
    cfg.ListOpt(
        "kubernetes_allowed_network_drivers",
        default=["all"],
        help="Network drivers a kubernetes template may use; 'all' allows every supported one.",
    ),
    cfg.StrOpt(
        "kubernetes_default_network_driver",
        default="flannel",
        help="Network driver of a kubernetes template that names none.",
    ),
    cfg.ListOpt(
        "swarm_allowed_network_drivers",
        default=["all"],
        help="Network drivers a swarm template may use; 'all' allows every supported one.",
    ),
    cfg.StrOpt(
        "swarm_default_network_driver",
        default="docker",
        help="Network driver of a swarm template that names none.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts() -> dict:
    return {group: opts}
