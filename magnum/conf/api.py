"""[api] options: the HTTP server of magnum-api."""

from oslo_config import cfg

group = cfg.OptGroup("api", title="Options for the magnum-api service")

opts = [
    cfg.HostAddressOpt("host_ip", default="127.0.0.1", help="Address magnum-api listens on."),
    cfg.BoolOpt(
        "allow_noauth_on_non_loopback",
        default=False,
        help="Let magnum-api and magnum-all start with auth_strategy = noauth on "
        "an address other than loopback. Under noauth callers name their own "
        "project and roles, so this gives anyone who reaches the API admin rights.",
    ),
    cfg.PortOpt("port", default=9511, help="Port magnum-api listens on."),
    cfg.IntOpt(
        "workers",
        default=1,
        min=1,
        help="Number of magnum-api worker processes, each with [api] threads request threads.",
    ),
    cfg.IntOpt("threads", default=16, min=1, help="Request threads per API worker."),
    cfg.IntOpt(
        "max_limit",
        default=1000,
        min=1,
        help="The most items a collection returns in one page; larger limits are clamped.",
    ),
    cfg.IntOpt(
        "max_request_body_size",
        default=1048576,
        min=1,
        help="Largest request body, in bytes, magnum-api reads; larger ones get 413.",
    ),
    cfg.IntOpt(
        "max_json_depth",
        default=32,
        min=2,
        help="Deepest nesting of arrays and objects a JSON request body may have; "
        "deeper ones get 400 (Python's parser would otherwise run out of stack).",
    ),
    cfg.StrOpt(
        "public_endpoint",
        help="Public URL of the API, used in links and version documents instead "
        "of the request's host URL (set it behind a proxy).",
    ),
    cfg.BoolOpt(
        "enable_proxy_headers_parsing",
        default=False,
        help="Trust X-Forwarded-* headers from a proxy in front of the API.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts() -> dict:
    return {group: opts}
