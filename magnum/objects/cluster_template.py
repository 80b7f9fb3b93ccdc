"""ClusterTemplate (a baymodel, under its legacy name): what clusters are made from."""

from __future__ import annotations

from magnum.objects import base, fields


@base.MagnumObjectRegistry.register
class ClusterTemplate(base.MagnumPersistentObject):
    # Version 1.0: initial version
    VERSION = "1.0"

    db_resource = "cluster_template"

    fields = {
        "id": fields.IntegerField(),
        "uuid": fields.UUIDField(nullable=True),
        "project_id": fields.StringField(nullable=True),
        "user_id": fields.StringField(nullable=True),
        "name": fields.StringField(nullable=True),
        "coe": fields.StringField(nullable=True),
        "image_id": fields.StringField(nullable=True),
        "keypair_id": fields.StringField(nullable=True),
        "flavor_id": fields.StringField(nullable=True),
        "master_flavor_id": fields.StringField(nullable=True),
        "dns_nameserver": fields.StringField(nullable=True),
        "external_network_id": fields.StringField(nullable=True),
        "fixed_network": fields.StringField(nullable=True),
        "fixed_subnet": fields.StringField(nullable=True),
        "network_driver": fields.StringField(nullable=True),
        "volume_driver": fields.StringField(nullable=True),
        "apiserver_port": fields.IntegerField(nullable=True),
        "docker_volume_size": fields.IntegerField(nullable=True),
        "docker_storage_driver": fields.StringField(nullable=True),
        "cluster_distro": fields.StringField(nullable=True),
        "http_proxy": fields.StringField(nullable=True),
        "https_proxy": fields.StringField(nullable=True),
        "no_proxy": fields.StringField(nullable=True),
        "registry_enabled": fields.BooleanField(nullable=True),
        "tls_disabled": fields.BooleanField(nullable=True),
        "master_lb_enabled": fields.BooleanField(nullable=True),
        "floating_ip_enabled": fields.BooleanField(nullable=True),
        "public": fields.BooleanField(nullable=True),
        "hidden": fields.BooleanField(nullable=True),
        # Drivers define server types (vm, bm, local, fake, ...).
        "server_type": fields.StringField(nullable=True),
        "insecure_registry": fields.StringField(nullable=True),
        "labels": fields.JsonDictField(nullable=True),
        "tags": fields.StringField(nullable=True),
        "driver": fields.StringField(nullable=True),
        "ssh_authorized_key": fields.StringField(nullable=True),
    }
