"""``application`` for any WSGI server (uWSGI, mod_wsgi, gunicorn ...).

    uwsgi --http :9511 --module magnum.api.wsgi:application \
          --env MAGNUM_CONFIG_FILE=/etc/magnum/magnum.conf

The config file comes from ``MAGNUM_CONFIG_FILE`` (default: oslo.config's
search path, e.g. /etc/magnum/magnum.conf). The server owns processes and
threads; this module only builds the app once per process.
"""

from __future__ import annotations

import os
from typing import Any

from magnum.api import app as api_app
from magnum.common import rpc, service


def init_application() -> Any:
    config_file = os.environ.get("MAGNUM_CONFIG_FILE")
    argv = ["magnum-api-wsgi", *(["--config-file", config_file] if config_file else [])]
    conf = service.prepare(argv)
    rpc.init(conf)
    return api_app.setup_app(conf)


def __getattr__(name: str) -> Any:
    # Built on first access, so importing the module has no side effects.
    if name == "application":
        globals()["application"] = init_application()
        return globals()["application"]
    raise AttributeError(name)
