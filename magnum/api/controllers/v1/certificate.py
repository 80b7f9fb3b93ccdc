"""/v1/certificates: a cluster's CA certificate and CSR signing (spec 2.6, 3.7).

The owning conductor holds the CA, so both are RPC calls (a timeout is 504);
the API only finds the cluster (404 for another project's) and checks policy.
"""

from __future__ import annotations

import pecan
from pecan import rest
from wsme import types as wtypes

from magnum import objects
from magnum.api import errors, links
from magnum.api.types import certificate as cert_types
from magnum.api.types import common
from magnum.common import exception, policy


def _answer(cluster, pem: str, csr: str | None = None) -> cert_types.Certificate:
    return cert_types.Certificate(
        cluster_uuid=cluster.uuid,
        bay_uuid=cluster.uuid,
        csr=csr,
        pem=pem,
        links=[
            common.Link(**links.make("self", "certificates", cluster.uuid)),
            common.Link(**links.make("bookmark", "certificates", cluster.uuid, bookmark=True)),
        ],
    )


class CertificateController(rest.RestController):
    @errors.expose(cert_types.Certificate, wtypes.text, wtypes.text)
    def get_one(self, cluster_ident, ca_cert_type=None):
        context = pecan.request.context
        cluster = objects.Cluster.get(context, cluster_ident)
        policy.authorize("certificate:get", cluster, context)
        pem = pecan.request.rpcapi.get_ca_certificate(context, cluster.uuid, ca_cert_type)
        return _answer(cluster, pem)

    @errors.expose(cert_types.Certificate, body=cert_types.Certificate, status_code=201)
    def post(self, certificate):
        context = pecan.request.context
        ident = certificate.cluster_uuid or certificate.bay_uuid
        if not ident or ident is wtypes.Unset:
            raise exception.InvalidParameterValue(err="cluster_uuid (or bay_uuid) is required.")
        if not certificate.csr or certificate.csr is wtypes.Unset:
            raise exception.InvalidCsr(reason="csr is required")
        cluster = objects.Cluster.get(context, ident)
        policy.authorize("certificate:create", cluster, context)
        ca_cert_type = certificate.ca_cert_type or None
        pem = pecan.request.rpcapi.sign_certificate(
            context, cluster.uuid, certificate.csr, ca_cert_type
        )
        return _answer(cluster, pem, csr=certificate.csr)
