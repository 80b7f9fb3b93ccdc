"""Every configuration option of magnum, registered on one ConfigOpts.

Each option group lives in its own module with ``register_opts(conf)`` and
``list_opts()``; this package registers them all on ``CONF``. Nothing else in
the tree calls ``register_opts``.
"""

from oslo_config import cfg

from magnum.conf import (
    api,
    certificates,
    cluster,
    cluster_template,
    conductor,
    database,
    default,
    docker,
    drivers,
    keystone,
    local,
    quota,
    x509,
)

CONF = cfg.CONF

MODULES = (
    default,
    api,
    conductor,
    database,
    cluster,
    cluster_template,
    local,
    drivers,
    docker,
    quota,
    x509,
    certificates,
    keystone,
)

for _module in MODULES:
    _module.register_opts(CONF)
