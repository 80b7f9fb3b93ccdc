"""Object versions: a field change without a version bump fails here.

When this test fails after you changed an object's fields: bump its VERSION,
note the change in the class comment, add new fields to FIELDS_ADDED, and
paste the new fingerprint below.
"""

from __future__ import annotations

import datetime

import pytest
from oslo_versionedobjects import fixture

from magnum import objects
from magnum.objects import base, fields

expected_object_fingerprints = {
    "Cluster": "1.0-b1047451efdcfb3332d768082bcffbfc",
    "ClusterTemplate": "1.0-c4db52cec0ca01cc947cef1b448961b3",
    "Container": "1.0-fbc89764466ada706ab04ce11fb4a8ff",
    "Federation": "1.0-91e36e162fdbd192e6b15d0a971ecaa5",
    "KubeObject": "1.0-6dda63fc5a3d6a9375d85e1cdec67294",
    "MagnumService": "1.1-31ea09c1e4bed46fca28b0ddcfb9f130",
    "Node": "1.0-70c717c3626c1c028f8316a1433e5d96",
    "NodeGroup": "1.0-d4db719146a4433b4b38776605600cf7",
    "Quota": "1.0-0ec31bc2ea019e88fc603bf4bf4c169a",
    "X509KeyPair": "1.0-7287b64b7abbf1a72c627d478ff21340",
}


@pytest.fixture(autouse=True, scope="module")
def _registered():
    objects.register_all()


def test_versions():
    checker = fixture.ObjectVersionChecker(base.MagnumObjectRegistry.obj_classes())
    expected, actual = checker.test_hashes(expected_object_fingerprints)
    assert expected == actual, (
        "Fields or remotable methods changed: bump VERSION and update expected_object_fingerprints"
    )


def test_every_object_module_is_registered():
    assert set(base.MagnumObjectRegistry.obj_classes()) == set(expected_object_fingerprints)
    for name in expected_object_fingerprints:
        assert getattr(objects, name).obj_name() == name


def test_serializer_round_trip():
    serializer = base.MagnumObjectSerializer()
    cluster = objects.Cluster(
        None,
        uuid="0c5e9cf6-e1ec-4a38-a0b8-7db4a40bb8a5",
        name="bay",
        labels={"count": 3, "on": True},
        status="CREATE_COMPLETE",
        created_at=datetime.datetime(2024, 1, 2, 3, 4, 5),
        trustee_password="s3cret",
    )
    primitive = serializer.serialize_entity(None, cluster)
    assert primitive["magnum_object.namespace"] == "magnum"
    back = serializer.deserialize_entity(None, primitive)
    assert isinstance(back, objects.Cluster)
    assert back.labels == {"count": 3, "on": True}
    assert back.trustee_password == "s3cret"
    assert back.created_at.utcoffset() == datetime.timedelta(0)


def test_make_compatible_drops_fields_added_later(monkeypatch):
    # Pretend coe_version arrived in 1.1 and an older peer asks for 1.0.
    monkeypatch.setattr(objects.Cluster, "VERSION", "1.1")
    monkeypatch.setattr(objects.Cluster, "FIELDS_ADDED", {"coe_version": "1.1"})
    cluster = objects.Cluster(None, name="bay", coe_version="1.30")
    assert cluster.obj_to_primitive("1.0")["magnum_object.data"] == {"name": "bay"}
    assert "coe_version" in cluster.obj_to_primitive("1.1")["magnum_object.data"]


def test_enum_fields_refuse_unknown_values():
    with pytest.raises(ValueError):
        objects.Cluster(None, status="SOMEWHERE_IN_BETWEEN")
    with pytest.raises(ValueError):
        objects.KubeObject(None, kind="deployment")
    with pytest.raises(ValueError):
        objects.Container(None, status="Sleeping")


def test_json_fields_check_and_copy():
    labels = {"a": [1, 2]}
    cluster = objects.Cluster(None, labels=labels)
    labels["a"].append(3)
    assert cluster.labels == {"a": [1, 2]}
    with pytest.raises(ValueError):
        objects.Cluster(None, labels=["x"])
    with pytest.raises(ValueError):
        objects.Cluster(None, labels={"when": datetime.datetime.now()})
    assert fields.JsonDict().stringify({"b": 1, "a": 2}) == '{"a": 2, "b": 1}'


def test_sensitive_fields_are_masked_in_repr():
    keypair = objects.X509KeyPair(None, private_key="-----BEGIN PRIVATE KEY----- abc")
    assert "abc" not in repr(keypair)
