"""Wire shape of cluster templates; baymodels are the same type renamed."""

from wsme import types as wtypes

from magnum.api.types import common

# "" counts as not given (see common.EMPTY).
STR255 = common.OptionalString(min_length=1, max_length=255)
# Mandatory fields: WSME checks the key is present, so "" must fail the type.
REQUIRED_STR255 = wtypes.StringType(min_length=1, max_length=255)
OPTIONAL_STR255 = wtypes.StringType(min_length=0, max_length=255)

# Fields a client may not set (they come from the server).
READ_ONLY = ("uuid", "project_id", "user_id", "links", "created_at", "updated_at")


class ClusterTemplate(wtypes.Base):
    uuid = wtypes.wsattr(wtypes.text)
    name = wtypes.wsattr(common.SafeName(min_length=1, max_length=255))
    coe = wtypes.wsattr(
        wtypes.Enum(str, "kubernetes", "swarm", "swarm-mode", "mesos"), mandatory=True
    )
    image_id = wtypes.wsattr(REQUIRED_STR255, mandatory=True)
    keypair_id = wtypes.wsattr(STR255)
    flavor_id = wtypes.wsattr(STR255)
    master_flavor_id = wtypes.wsattr(STR255)
    dns_nameserver = wtypes.wsattr(common.IPAddressType())
    external_network_id = wtypes.wsattr(STR255)
    fixed_network = wtypes.wsattr(STR255)
    fixed_subnet = wtypes.wsattr(STR255)
    network_driver = wtypes.wsattr(STR255)
    volume_driver = wtypes.wsattr(STR255)
    apiserver_port = wtypes.wsattr(common.IntegerType(minimum=1024, maximum=65535))
    docker_volume_size = wtypes.wsattr(common.IntegerType(minimum=1))
    docker_storage_driver = wtypes.wsattr(STR255)
    cluster_distro = wtypes.wsattr(STR255)
    http_proxy = wtypes.wsattr(STR255)
    https_proxy = wtypes.wsattr(STR255)
    no_proxy = wtypes.wsattr(STR255)
    registry_enabled = wtypes.wsattr(common.BooleanType(), default=False)
    tls_disabled = wtypes.wsattr(common.BooleanType(), default=False)
    master_lb_enabled = wtypes.wsattr(common.BooleanType(), default=False)
    floating_ip_enabled = wtypes.wsattr(common.BooleanType(), default=True)
    public = wtypes.wsattr(common.BooleanType(), default=False)
    hidden = wtypes.wsattr(common.BooleanType(), default=False)
    server_type = wtypes.wsattr(STR255, default="vm")
    insecure_registry = wtypes.wsattr(STR255)
    labels = wtypes.wsattr(common.LabelsType(), default={})
    tags = wtypes.wsattr(OPTIONAL_STR255)
    driver = wtypes.wsattr(STR255)
    project_id = wtypes.wsattr(wtypes.text, readonly=True)
    user_id = wtypes.wsattr(wtypes.text, readonly=True)
    links = wtypes.wsattr([common.Link], readonly=True)
    created_at = wtypes.wsattr(wtypes.text, readonly=True)
    updated_at = wtypes.wsattr(wtypes.text, readonly=True)


class ClusterTemplateCollection(wtypes.Base):
    clustertemplates = [ClusterTemplate]
    next = wtypes.text


BayModel = common.renamed_type(
    ClusterTemplate,
    {},
    "BayModel",
    overrides={
        # Liberty/Mitaka clients always name a keypair; the legacy route keeps it mandatory.
        "keypair_id": wtypes.wsattr(REQUIRED_STR255, mandatory=True),
        "ssh_authorized_key": wtypes.wsattr(wtypes.StringType(min_length=1)),
    },
)


class BayModelCollection(wtypes.Base):
    baymodels = [BayModel]
    next = wtypes.text
