"""Versioned objects: what magnum-api and magnum-conductor pass each other.

``register_all()`` imports every object module; each class then appears here
as ``magnum.objects.<Name>`` (e.g. ``objects.Cluster``).
"""

import importlib

MODULES = (
    "cluster",
    "cluster_template",
    "container",
    "federation",
    "kube_object",
    "magnum_service",
    "node",
    "nodegroup",
    "quota",
    "x509keypair",
)


def register_all() -> None:
    for module in MODULES:
        importlib.import_module(f"magnum.objects.{module}")


# Every layer refers to ``objects.<Name>`` at import time (class bodies of
# the controllers), so the objects register when the package is imported.
register_all()
