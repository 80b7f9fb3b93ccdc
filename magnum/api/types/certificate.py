"""Bodies of /v1/certificates (spec 2.6 and 3.7)."""

from __future__ import annotations

from wsme import types as wtypes

from magnum.api.types import common


class Certificate(wtypes.Base):
    """A CA certificate (GET) or a signed CSR (POST).

    ``bay_uuid`` is the legacy name of ``cluster_uuid``: both are answered
    so bay clients and cluster clients read the one they know.
    """

    cluster_uuid = wtypes.text
    bay_uuid = wtypes.text
    csr = wtypes.text
    ca_cert_type = wtypes.text
    pem = wtypes.text
    links = wtypes.wsattr([common.Link], readonly=True)
