"""Default policy rules, one module per resource."""

import itertools

from magnum.common.policies import (
    base,
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


def list_rules():
    return list(
        itertools.chain(
            base.list_rules(),
            cluster_template.list_rules(),
            cluster.list_rules(),
            node.list_rules(),
            nodegroup.list_rules(),
            container.list_rules(),
            magnum_service.list_rules(),
            stats.list_rules(),
            quota.list_rules(),
            credential.list_rules(),
            federation.list_rules(),
            certificate.list_rules(),
        )
    )
