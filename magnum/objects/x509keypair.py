"""X509KeyPair: a certificate and its key, stored for a cluster."""

from __future__ import annotations

from magnum.objects import base, fields


@base.MagnumObjectRegistry.register
class X509KeyPair(base.MagnumPersistentObject):
    # Version 1.0: initial version
    VERSION = "1.0"

    db_resource = "x509keypair"

    fields = {
        "id": fields.IntegerField(),
        "uuid": fields.UUIDField(nullable=True),
        "project_id": fields.StringField(nullable=True),
        "user_id": fields.StringField(nullable=True),
        "name": fields.StringField(nullable=True),
        "cluster_id": fields.StringField(nullable=True),
        "certificate": fields.StringField(nullable=True),
        "private_key": fields.SecretField(nullable=True),
        "private_key_passphrase": fields.SecretField(nullable=True),
        "intermediates": fields.StringField(nullable=True),
        "ca_cert": fields.StringField(nullable=True),
    }
