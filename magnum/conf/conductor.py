"""[conductor] options: RPC topic, heartbeat, periodic tasks, worker pool."""

from oslo_config import cfg

group = cfg.OptGroup("conductor", title="Options for the magnum-conductor service")

opts = [
    cfg.StrOpt("topic", default="magnum-conductor", help="The RPC topic conductors listen on."),
    cfg.IntOpt(
        "rpc_timeout",
        default=60,
        min=1,
        help="Seconds the API waits for the reply of a synchronous RPC call before answering 504.",
    ),
    cfg.IntOpt(
        "heartbeat_interval",
        default=2,
        min=1,
        help="Seconds between two heartbeats of a conductor in magnum_service.",
    ),
    cfg.IntOpt(
        "heartbeat_timeout",
        default=10,
        min=2,
        help="Seconds without a heartbeat after which a conductor counts as "
        "down: it leaves the hash ring and the locks it holds on bays are "
        "cleared, so another conductor resumes its operations. Capped by "
        "[DEFAULT] service_down_time. Keep it several heartbeat_intervals "
        "long: a conductor that misses it is treated as dead.",
    ),
    cfg.IntOpt(
        "sync_interval",
        default=5,
        min=1,
        help="Seconds between two passes of the status sync over in-progress bays.",
    ),
    cfg.BoolOpt(
        "periodic_enable", default=True, help="Run the periodic tasks (status sync, heartbeat)."
    ),
    cfg.IntOpt(
        "workers",
        default=8,
        min=1,
        help="Threads of the pool that runs long bay operations; a slow bay "
        "never blocks the others beyond this bound.",
    ),
    cfg.IntOpt(
        "hash_ring_partitions_exponent",
        default=5,
        min=1,
        max=12,
        help="2 to this power virtual nodes per conductor on the hash ring.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts() -> dict:
    return {group: opts}
