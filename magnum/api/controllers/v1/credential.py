"""PATCH /v1/credentials/{cluster_ident} (1.12): rotate a cluster's Keystone trust.

A synchronous RPC call: the owning conductor replaces the trustee user and
trust under the cluster's lock, and Keystone's refusal reaches the caller.
"""

from __future__ import annotations

import pecan
from pecan import rest
from wsme import types as wtypes

from magnum import objects
from magnum.api import errors, microversions
from magnum.api.types import cluster as cluster_types
from magnum.common import policy

MIN_VERSION = "1.12"


class CredentialController(rest.RestController):
    @errors.expose(cluster_types.ClusterID, wtypes.text, status_code=202)
    def patch(self, cluster_ident):
        microversions.require(pecan.request.version, MIN_VERSION, "PATCH")
        context = pecan.request.context
        cluster = objects.Cluster.get(context, cluster_ident)
        policy.authorize("credential:rotate", cluster, context)
        pecan.request.rpcapi.credential_rotate(context, cluster.uuid)
        return cluster_types.ClusterID(uuid=cluster.uuid)
