"""Wire shape of quotas (spec 3.4): no uuid and no links; the id is the list marker."""

from wsme import types as wtypes

from magnum.api.types import common


class Quota(wtypes.Base):
    id = wtypes.wsattr(int, readonly=True)
    project_id = wtypes.wsattr(wtypes.StringType(min_length=1, max_length=255))
    resource = wtypes.wsattr(wtypes.Enum(str, "Cluster"))
    hard_limit = wtypes.wsattr(common.IntegerType(minimum=0), default=1)
    created_at = wtypes.wsattr(wtypes.text, readonly=True)
    updated_at = wtypes.wsattr(wtypes.text, readonly=True)


class QuotaCollection(wtypes.Base):
    quotas = [Quota]
    next = wtypes.text
