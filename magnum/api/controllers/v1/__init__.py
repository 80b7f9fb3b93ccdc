"""Every /v1 resource, mounted on one screen.

``COLLECTIONS`` drives both the routing and the GET /v1 document, so the two
cannot disagree.
"""

from __future__ import annotations

from typing import Any

import pecan
from pecan import rest

from magnum.api import links
from magnum.api.controllers.v1 import (
    certificate,
    cluster,
    cluster_template,
    container,
    credential,
    federation,
    magnum_service,
    node,
    nodegroup,
    quota,
    stats,
)

COLLECTIONS: dict[str, Any] = {
    # modern
    "clustertemplates": cluster_template.ClusterTemplateController(),
    "clusters": cluster.ClusterController(),
    "mservices": magnum_service.MagnumServiceController(),
    "federations": federation.FederationController(),
    # served under clusters/{cluster_id}/; listed here for the GET /v1 document
    "nodegroups": nodegroup.NotTopLevel(),
    "stats": stats.StatsController(),
    "quotas": quota.QuotaController(),
    "credentials": credential.CredentialController(),
    "certificates": certificate.CertificateController(),
    # legacy (microversion <= 1.10)
    "baymodels": cluster_template.BayModelController(),
    "bays": cluster.BayController(),
    "nodes": node.NodeController(),
    "containers": container.ContainerController(),
}


class Controller(rest.RestController):
    @pecan.expose("json")
    def get(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "id": "v1",
            "links": [
                links.make("self", ""),
                {
                    "href": "https://docs.openstack.org/api-ref/container-infrastructure-management/",
                    "rel": "describedby",
                    "type": "text/html",
                },
            ],
            "media_types": [
                {
                    "base": "application/json",
                    "type": "application/vnd.openstack.magnum.v1+json",
                }
            ],
        }
        for name in COLLECTIONS:
            if name == "nodegroups":
                doc[name] = [links.make("self", "clusters/{cluster_id}/nodegroups")]
                continue
            doc[name] = [links.make("self", name), links.make("bookmark", name, bookmark=True)]
        return doc

    @pecan.expose()
    def _lookup(self, name: str, *remainder: str) -> Any:
        controller = COLLECTIONS.get(name)
        if controller is None:
            pecan.abort(404)
        return controller, remainder
