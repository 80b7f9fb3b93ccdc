"""[docker] options: the Docker Engine API of a bay, used for containers."""

from oslo_config import cfg

group = cfg.OptGroup("docker", title="Options for talking to the Docker API of a bay")

opts = [
    cfg.StrOpt(
        "docker_remote_api_version",
        default="1.41",
        help="Docker Engine API version used with a bay's nodes.",
    ),
    cfg.IntOpt(
        "default_timeout",
        default=30,
        min=1,
        help="Seconds a call to a bay's Docker API may take.",
    ),
    cfg.IntOpt(
        "max_output_bytes",
        default=1024 * 1024,
        min=1024,
        help="Largest container logs or exec output returned in one response; "
        "longer output is cut and marked as truncated.",
    ),
    cfg.IntOpt(
        "stop_timeout",
        default=10,
        min=0,
        help="Seconds a container may take to end after SIGTERM on stop or reboot "
        "before it is killed.",
    ),
    cfg.IntOpt(
        "container_sync_interval",
        default=10,
        min=1,
        help="Seconds between two passes of the conductor task that aligns container "
        "statuses with what Docker reports (one listing per bay node per pass).",
    ),
    cfg.IntOpt(
        "operation_timeout",
        default=600,
        min=30,
        help="Seconds after which a container still Creating is put in Error, and "
        "one still Deleting is deleted again (its conductor stopped half-way). "
        "Creating includes copying the image into the bay's node.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts() -> dict:
    return {group: opts}
