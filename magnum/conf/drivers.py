"""[drivers] options: which bay drivers this deployment loads."""

from oslo_config import cfg

group = cfg.OptGroup("drivers", title="Options for bay drivers")

opts = [
    cfg.ListOpt(
        "enabled_drivers",
        default=["local"],
        help="Names of the bay drivers (entry points in the magnum.drivers namespace) "
        "this deployment loads; a template whose server_type/coe no enabled driver "
        "provides is refused with 400. The 'fake' driver keeps bays in memory and is "
        "for tests only: never enable it in production.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts() -> dict:
    return {group: opts}
