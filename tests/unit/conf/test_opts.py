from __future__ import annotations

import pytest
from oslo_config import cfg

from magnum import conf as magnum_conf
from magnum.conf import opts as conf_opts


def _group_name(group: cfg.OptGroup | str) -> str:
    return group.name if isinstance(group, cfg.OptGroup) else group


def _listed() -> dict[str, list[cfg.Opt]]:
    listed: dict[str, list[cfg.Opt]] = {}
    for group, opts in conf_opts.list_opts():
        listed.setdefault(_group_name(group), []).extend(opts)
    return listed


def _module_id(module) -> str:
    return module.__name__.rsplit(".", 1)[-1]


@pytest.mark.parametrize("module", magnum_conf.MODULES, ids=_module_id)
def test_list_opts_covers_every_option_of_the_module(module) -> None:
    listed = _listed()
    for group, opts in module.list_opts().items():
        names = {opt.dest for opt in listed.get(_group_name(group), [])}
        missing = sorted(opt.dest for opt in opts if opt.dest not in names)
        assert not missing, f"[{_group_name(group)}] not in list_opts(): {missing}"


@pytest.mark.parametrize("module", magnum_conf.MODULES, ids=_module_id)
def test_register_opts_registers_what_list_opts_lists(module) -> None:
    conf = cfg.ConfigOpts()
    module.register_opts(conf)
    for group, opts in module.list_opts().items():
        name = _group_name(group)
        section = conf if name == "DEFAULT" else conf[name]
        for opt in opts:
            assert opt.dest in section, f"[{name}] {opt.dest} is listed but not registered"


def test_every_option_has_help_text() -> None:
    undocumented = [
        f"[{group}] {opt.dest}"
        for group, opts in _listed().items()
        for opt in opts
        if not (opt.help or "").strip()
    ]
    assert not undocumented


def test_no_option_is_listed_twice() -> None:
    for group, opts in _listed().items():
        names = [opt.dest for opt in opts]
        assert len(names) == len(set(names)), f"[{group}] lists an option twice"
