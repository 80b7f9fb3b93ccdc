"""[cluster] options: defaults and limits of bays (clusters)."""

from oslo_config import cfg

group = cfg.OptGroup("cluster", title="Options for bays (clusters)")

opts = [
    cfg.IntOpt(
        "create_timeout",
        default=60,
        min=1,
        help="Minutes a bay may stay CREATE_IN_PROGRESS when its create_timeout "
        "is 0 (unset); past it the conductor marks it CREATE_FAILED.",
    ),
    cfg.IntOpt(
        "update_timeout",
        default=60,
        min=1,
        help="Minutes a bay may stay UPDATE_IN_PROGRESS before UPDATE_FAILED.",
    ),
    cfg.IntOpt(
        "delete_timeout",
        default=30,
        min=1,
        help="Minutes a bay may stay DELETE_IN_PROGRESS before DELETE_FAILED.",
    ),
    cfg.IntOpt(
        "max_nodes_per_nodegroup",
        default=100,
        min=1,
        help="Most nodes one nodegroup may ask for; a create, resize or nodegroup "
        "change above it is refused with 400 before anything is built.",
    ),
    cfg.IntOpt(
        "max_nodes_per_cluster",
        default=200,
        min=1,
        help="Most nodes (masters and workers) a new bay may ask for; above it "
        "the create is refused with 400.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts() -> dict:
    return {group: opts}
