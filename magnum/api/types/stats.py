"""Wire shape of /v1/stats."""

from wsme import types as wtypes


class Stats(wtypes.Base):
    clusters = int
    nodes = int
