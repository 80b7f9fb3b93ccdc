"""Wire shape of federations (spec 3.6)."""

from wsme import types as wtypes

from magnum.api.types import common

REQUIRED_STR255 = wtypes.StringType(min_length=1, max_length=255)


class Federation(wtypes.Base):
    uuid = wtypes.wsattr(wtypes.text)
    name = wtypes.wsattr(common.NameType(max_length=242))
    hostcluster_id = wtypes.wsattr(REQUIRED_STR255, mandatory=True)
    member_ids = wtypes.wsattr([wtypes.text], default=[])
    properties = wtypes.wsattr(common.JsonType(), mandatory=True)
    status = wtypes.wsattr(wtypes.text, readonly=True)
    status_reason = wtypes.wsattr(wtypes.text, readonly=True)
    project_id = wtypes.wsattr(wtypes.text, readonly=True)
    links = wtypes.wsattr([common.Link], readonly=True)
    created_at = wtypes.wsattr(wtypes.text, readonly=True)
    updated_at = wtypes.wsattr(wtypes.text, readonly=True)


class FederationCollection(wtypes.Base):
    federations = [Federation]
    next = wtypes.text
