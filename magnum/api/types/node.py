"""Wire shape of the legacy node record (2015 API)."""

from wsme import types as wtypes

from magnum.api.types import common

STR255 = wtypes.StringType(min_length=1, max_length=255)


class Node(wtypes.Base):
    uuid = wtypes.wsattr(wtypes.text)
    type = wtypes.wsattr(STR255)
    image_id = wtypes.wsattr(STR255)
    ironic_node_id = wtypes.wsattr(STR255)
    links = wtypes.wsattr([common.Link], readonly=True)
    created_at = wtypes.wsattr(wtypes.text, readonly=True)
    updated_at = wtypes.wsattr(wtypes.text, readonly=True)


class NodeCollection(wtypes.Base):
    nodes = [Node]
    next = wtypes.text
