"""GET /v1/stats: how many clusters and nodes a project (or, for admins, everyone) has.

Added in 1.4 but, as upstream, served at every microversion (clients send 1.1).

Nodes are summed over every nodegroup, masters included.
"""

from __future__ import annotations

import pecan
from pecan import rest
from wsme import types as wtypes

from magnum import objects
from magnum.api import errors
from magnum.api.types import stats as types
from magnum.common import exception, policy


class StatsController(rest.RestController):
    @errors.expose(types.Stats, wtypes.text, wtypes.text)
    def get_all(self, project_id=None, type="cluster"):  # noqa: A002 - the query parameter
        context = pecan.request.context
        if type != "cluster":
            raise exception.InvalidParameterValue(
                err=f"Invalid stats type {type!r}; the only one is 'cluster'."
            )
        if project_id and project_id != context.project_id and not context.is_admin:
            raise exception.NotAuthorized(
                "Only an administrator may read the stats of another project."
            )
        policy.authorize(
            "stats:get_all", {"project_id": project_id or context.project_id}, context
        )
        # An admin asking for no project in particular gets the totals of all.
        scope = project_id or (None if context.is_admin else context.project_id)
        clusters, nodes = objects.Cluster.get_stats(context, scope)
        return types.Stats(clusters=clusters, nodes=nodes)

    @errors.expose(types.Stats, wtypes.text)
    def get_one(self, ident):
        raise exception.NotFound()
