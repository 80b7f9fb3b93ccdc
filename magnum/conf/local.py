"""[local] options: the Docker-in-Docker bay driver (server_type = local)."""

import os

from oslo_config import cfg

group = cfg.OptGroup(
    "local", title="Options for local bays, whose nodes are Docker-in-Docker containers"
)

opts = [
    cfg.StrOpt(
        "docker_url",
        default="unix:///var/run/docker.sock",
        help="Docker engine that runs the node containers of local bays.",
    ),
    cfg.StrOpt(
        "docker_api_version",
        default="1.41",
        help="Docker Engine API version used with the host engine and the nodes. "
        "Pinned so a client can be made before a node's socket exists.",
    ),
    cfg.StrOpt(
        "node_image",
        default="magnum/local-node:slim",
        help="Image of the node containers; built on first use from the host's "
        "docker.io binaries when missing.",
    ),
    cfg.StrOpt(
        "kubernetes_version",
        default="1.20.2",
        help="Kubernetes version of local Kubernetes bays, reported as coe_version. "
        "Its binaries are read from <kubernetes_cache_dir>/<version>/ when the "
        "Kubernetes node image must be built.",
    ),
    cfg.StrOpt(
        "kubernetes_node_image",
        default="magnum/local-kube-node:v$kubernetes_version",
        help="Image of the nodes of local Kubernetes bays. When the host engine "
        "lacks it, it is baked from [local] node_image and the binaries that "
        "tools/build-kubernetes.sh cached; point it at a newer image (pulled into "
        "the host engine beforehand) when a registry is at hand.",
    ),
    cfg.StrOpt(
        "kubernetes_cache_dir",
        default=os.path.expanduser("~/.cache/magnum-kubernetes"),
        sample_default="~/.cache/magnum-kubernetes",
        help="Where tools/build-kubernetes.sh caches the Kubernetes binaries, one "
        "folder per version.",
    ),
    cfg.StrOpt(
        "host_binaries_path",
        default="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        help="Directories, separated by ':', searched for the host programs the node "
        "image is built from (dockerd, containerd, runc, docker-proxy, tini, busybox, "
        "xtables-nft-multi) when [local] node_image is missing.",
    ),
    cfg.StrOpt(
        "state_dir",
        default="$state_path/local",
        help="Directory holding one folder per bay with each node's Docker API socket. "
        "Keep it short: a socket path (<state_dir>/<bay uuid>/<nodegroup>-<index>/"
        "docker.sock) must fit in 107 bytes.",
    ),
    cfg.StrOpt(
        "subnet_pool",
        default="10.210.0.0/16",
        help="Pool the per-bay node networks are carved from, one /24 per bay. It "
        "must not overlap docker0 (172.17/16) or swarm overlays (10.0.0.0/8 is "
        "swarm's default address pool, so keep this outside 10.0/16).",
    ),
    cfg.StrOpt(
        "node_security",
        default="auto",
        choices=[
            ("auto", "Use --privileged when the host grants every capability, else caps."),
            ("privileged", "Always --privileged."),
            (
                "caps",
                "All capabilities the host grants, seccomp/apparmor unconfined, all devices.",
            ),
        ],
        help="How node containers get the rights an inner dockerd needs.",
    ),
    cfg.FloatOpt(
        "swarm_heartbeat",
        default=1.0,
        min=0.1,
        help="Swarm dispatcher heartbeat period of local bays, in seconds.",
    ),
    cfg.IntOpt(
        "node_ready_timeout",
        default=90,
        min=1,
        help="Seconds to wait for a node's dockerd to answer and join the swarm.",
    ),
    cfg.IntOpt(
        "max_parallel_nodes",
        default=8,
        min=1,
        help="Node containers of one bay started, joined or removed at the same time.",
    ),
    cfg.IntOpt(
        "drain_timeout",
        default=30,
        min=0,
        help="Seconds a node being removed may take to stop its swarm tasks after "
        "it is drained; the node then leaves the swarm even if some still run.",
    ),
]


def register_opts(conf: cfg.ConfigOpts) -> None:
    conf.register_group(group)
    conf.register_opts(opts, group=group)


def list_opts() -> dict:
    return {group: opts}
