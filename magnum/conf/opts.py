"""Entry points for oslo-config-generator (list_opts) and its defaults."""

from oslo_config import cfg

from magnum import conf as magnum_conf


def list_opts() -> list[tuple]:
    merged: dict = {}
    for module in magnum_conf.MODULES:
        for group, opts in module.list_opts().items():
            key = group.name if isinstance(group, cfg.OptGroup) else group
            merged.setdefault(key, [group, []])[1].extend(opts)
    return [(group, opts) for group, opts in merged.values()]


def set_defaults() -> None:
    """Defaults of library options as magnum wants them in the sample."""
