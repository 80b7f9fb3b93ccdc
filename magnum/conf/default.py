"""[DEFAULT] options: identity of this process, state directory, auth."""

import os
import socket

from oslo_config import cfg

opts = [
    cfg.StrOpt(
        "host",
        default=socket.gethostname(),
        sample_default="localhost",
        help="Name of this node. Conductors use it as their RPC server name and "
        "their key in the magnum_service table and the hash ring.",
    ),
    cfg.StrOpt(
        "state_path",
        default=os.path.join(os.path.expanduser("~"), ".local", "state", "magnum"),
        sample_default="$HOME/.local/state/magnum",
        help="Directory where magnum keeps its state (the SQLite database of the "
        "embedded mode, the local driver's node sockets, certificates).",
    ),
    cfg.StrOpt(
        "auth_strategy",
        default="noauth",
        choices=[
            (
                "noauth",
                "No authentication, for the embedded all-in-one mode on a "
                "loopback address only: the caller names itself with the "
                "X-Project-Id, X-User-Id and X-Roles headers (else "
                "[DEFAULT] noauth_project_id / noauth_user_id with roles "
                "admin, member and reader); X-Project-Name and X-User-Name "
                "only label log lines. The API warns at start when it "
                "listens on another address.",
            ),
            (
                "keystone",
                "Validate tokens with keystonemiddleware's auth_token, "
                "configured in [keystone_authtoken].",
            ),
        ],
        help="How the API authenticates requests.",
    ),
    cfg.StrOpt(
        "noauth_project_id",
        default="admin",
        help="Project of requests that carry no X-Project-Id header under noauth.",
    ),
    cfg.StrOpt(
        "noauth_user_id",
        default="admin",
        help="User of requests that carry no X-User-Id header under noauth.",
    ),
    cfg.IntOpt(
        "service_down_time",
        default=180,
        min=1,
        help="Seconds since the last heartbeat after which a magnum service "
        "counts as down (mservices state, hash ring membership).",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_opts(opts)


def list_opts() -> dict:
    return {"DEFAULT": opts}
