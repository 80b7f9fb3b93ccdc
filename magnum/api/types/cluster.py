"""Wire shape of clusters; bays are the same type with legacy names."""

from wsme import types as wtypes

from magnum.api.types import common

# "" counts as not given (see common.EMPTY).
STR255 = common.OptionalString(min_length=1, max_length=255)
# Mandatory fields: WSME checks the key is present, so "" must fail the type.
REQUIRED_STR255 = wtypes.StringType(min_length=1, max_length=255)

# Modern name -> legacy (bay) name.
BAY_RENAMES = {
    "cluster_template_id": "baymodel_id",
    "create_timeout": "bay_create_timeout",
}


class Cluster(wtypes.Base):
    uuid = wtypes.wsattr(wtypes.text)
    name = wtypes.wsattr(common.NameType(max_length=242))
    cluster_template_id = wtypes.wsattr(REQUIRED_STR255, mandatory=True)
    keypair = wtypes.wsattr(STR255)
    node_count = wtypes.wsattr(common.IntegerType(minimum=0), default=1)
    master_count = wtypes.wsattr(common.IntegerType(minimum=1), default=1)
    docker_volume_size = wtypes.wsattr(common.IntegerType(minimum=1))
    labels = wtypes.wsattr(common.LabelsType())
    merge_labels = wtypes.wsattr(common.BooleanType(), default=False)
    master_flavor_id = wtypes.wsattr(STR255)
    flavor_id = wtypes.wsattr(STR255)
    fixed_network = wtypes.wsattr(STR255)
    fixed_subnet = wtypes.wsattr(STR255)
    floating_ip_enabled = wtypes.wsattr(common.BooleanType())
    master_lb_enabled = wtypes.wsattr(common.BooleanType())
    create_timeout = wtypes.wsattr(common.IntegerType(minimum=0), default=60)
    discovery_url = wtypes.wsattr(STR255)
    status = wtypes.wsattr(wtypes.text, readonly=True)
    status_reason = wtypes.wsattr(wtypes.text, readonly=True)
    health_status = wtypes.wsattr(wtypes.Enum(str, "HEALTHY", "UNHEALTHY", "UNKNOWN"))
    health_status_reason = wtypes.wsattr(common.JsonType())
    api_address = wtypes.wsattr(wtypes.text, readonly=True)
    node_addresses = wtypes.wsattr([wtypes.text], readonly=True)
    master_addresses = wtypes.wsattr([wtypes.text], readonly=True)
    coe_version = wtypes.wsattr(wtypes.text, readonly=True)
    container_version = wtypes.wsattr(wtypes.text, readonly=True)
    stack_id = wtypes.wsattr(wtypes.text, readonly=True)
    cluster_id = wtypes.wsattr(wtypes.text, readonly=True)
    project_id = wtypes.wsattr(wtypes.text, readonly=True)
    user_id = wtypes.wsattr(wtypes.text, readonly=True)
    faults = wtypes.wsattr(common.JsonType(), readonly=True)
    labels_overridden = wtypes.wsattr(common.JsonType(), readonly=True)
    labels_added = wtypes.wsattr(common.JsonType(), readonly=True)
    labels_skipped = wtypes.wsattr(common.JsonType(), readonly=True)
    links = wtypes.wsattr([common.Link], readonly=True)
    created_at = wtypes.wsattr(wtypes.text, readonly=True)
    updated_at = wtypes.wsattr(wtypes.text, readonly=True)


class ClusterCollection(wtypes.Base):
    clusters = [Cluster]
    next = wtypes.text


class ClusterID(wtypes.Base):
    """The 202 body of asynchronous cluster operations."""

    uuid = wtypes.text


Bay = common.renamed_type(
    Cluster,
    BAY_RENAMES,
    "Bay",
    overrides={
        "node_count": wtypes.wsattr(common.IntegerType(minimum=1), default=1),
        # Bays never had the 2015 name pattern; any 1..255 string goes.
        "name": wtypes.wsattr(common.SafeName(min_length=1, max_length=255)),
        "bay_create_timeout": wtypes.wsattr(common.IntegerType(minimum=0), default=60),
    },
    drop=(
        "merge_labels",
        "cluster_id",
        "labels_overridden",
        "labels_added",
        "labels_skipped",
        "faults",
        "health_status",
        "health_status_reason",
    ),
)


class BayCollection(wtypes.Base):
    bays = [Bay]
    next = wtypes.text


class Node(wtypes.Base):
    """One host of a cluster, as its driver sees it."""

    name = wtypes.text
    role = wtypes.text
    nodegroup = wtypes.text
    address = wtypes.text
    status = wtypes.text
    labels = {wtypes.text: wtypes.text}


class NodeCollection(wtypes.Base):
    nodes = [Node]


class ResizeRequest(wtypes.Base):
    node_count = wtypes.wsattr(common.IntegerType(minimum=0, empty_is_unset=False), mandatory=True)
    nodes_to_remove = wtypes.wsattr([wtypes.text], default=[])
    nodegroup = wtypes.wsattr(STR255)
