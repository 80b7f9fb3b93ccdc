"""The shared wire types: what each accepts, what it refuses, and the legacy renaming."""

from __future__ import annotations

import pytest
from wsme import types as wtypes

from magnum.api.types import cluster as cluster_types
from magnum.api.types import cluster_template as template_types
from magnum.api.types import common
from magnum.api.types import nodegroup as nodegroup_types
from magnum.common import exception


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (True, True),
        (False, False),
        ("True", True),
        ("true", True),
        ("false", False),
        ("FALSE", False),
        ("1", True),
        ("0", False),
        ("yes", True),
        ("off", False),
    ],
)
def test_boolean_accepts_what_clients_send(given, expected):
    assert common.BooleanType.validate(given) is expected


@pytest.mark.parametrize("given", ["maybe", "2", " ", "truthy"])
def test_boolean_refuses_anything_else(given):
    with pytest.raises(ValueError):
        common.BooleanType.validate(given)


@pytest.mark.parametrize(("given", "expected"), [(3, 3), ("3", 3), ("-2", -2), (1024, 1024)])
def test_integer_accepts_numbers_and_numeric_strings(given, expected):
    assert common.IntegerType().validate(given) == expected


@pytest.mark.parametrize("given", ["three", "3.5", 3.5, True, None, [3]])
def test_integer_refuses_what_is_not_an_integer(given):
    with pytest.raises(ValueError, match="not an integer"):
        common.IntegerType().validate(given)


def test_integer_bounds_are_inclusive():
    port = common.IntegerType(minimum=1024, maximum=65535)
    assert port.validate(1024) == 1024
    assert port.validate("65535") == 65535
    with pytest.raises(ValueError, match="greater or equal to 1024"):
        port.validate(1023)
    with pytest.raises(ValueError, match="less or equal to 65535"):
        port.validate("65536")


def test_labels_accept_a_dict_or_its_json_text():
    labels = common.LabelsType()
    assert labels.validate({"a": "b", "n": 3, "f": 1.5, "t": True}) == {
        "a": "b",
        "n": 3,
        "f": 1.5,
        "t": True,
    }
    assert labels.validate('{"kube_tag": "v1.30"}') == {"kube_tag": "v1.30"}
    assert labels.validate("") == {}


@pytest.mark.parametrize(
    "given",
    ["{not json", '["a", "b"]', ["a"], 42, {"a": {"nested": "dict"}}, {"a": ["list"]}],
)
def test_labels_refuse_anything_but_a_flat_object(given):
    with pytest.raises(ValueError):
        common.LabelsType().validate(given)


@pytest.mark.parametrize("given", ["k8s", "a", "My_Cluster-1.test", "x" * 242])
def test_name_accepts_cluster_style_names(given):
    assert common.NameType().validate(given) == given


@pytest.mark.parametrize("given", ["1abc", "-abc", "has space", "ünicode", "", "a/b", 7])
def test_name_refuses_the_rest(given):
    with pytest.raises(ValueError, match="not a valid name"):
        common.NameType().validate(given)


def test_name_length_is_bounded():
    with pytest.raises(ValueError, match="longer than 242"):
        common.NameType().validate("x" * 243)
    assert common.NameType(max_length=5).validate("abcde") == "abcde"


def test_json_type_refuses_what_json_cannot_hold():
    assert common.JsonType.validate({"a": [1, None]}) == {"a": [1, None]}
    with pytest.raises(ValueError, match="not JSON serializable"):
        common.JsonType.validate({1, 2})


def test_json_patch_keeps_value_only_when_given():
    patch = common.JsonPatch(op="remove", path="/labels/a")
    assert patch.as_dict() == {"op": "remove", "path": "/labels/a"}
    patch = common.JsonPatch(op="add", path="/labels/a", value=None)
    assert patch.as_dict() == {"op": "add", "path": "/labels/a", "value": None}


class Thing(wtypes.Base):
    thing_template_id = wtypes.wsattr(wtypes.text, mandatory=True)
    create_timeout = wtypes.wsattr(common.IntegerType(minimum=0), default=60)
    extra = wtypes.wsattr(wtypes.text)
    status = wtypes.wsattr(wtypes.text, readonly=True)


def test_renamed_type_uses_the_legacy_names():
    Legacy = common.renamed_type(
        Thing,
        {"thing_template_id": "model_id", "create_timeout": "legacy_timeout"},
        "LegacyThing",
        drop=("extra",),
    )
    attrs = {a.name: a for a in wtypes.list_attributes(Legacy)}
    assert set(attrs) == {"model_id", "legacy_timeout", "status"}
    assert attrs["model_id"].mandatory
    assert attrs["legacy_timeout"].default == 60
    assert attrs["status"].readonly
    assert Legacy.__name__ == "LegacyThing"


def test_renamed_type_keeps_validation_and_takes_overrides():
    Legacy = common.renamed_type(
        Thing,
        {"create_timeout": "legacy_timeout"},
        "StrictThing",
        overrides={"legacy_timeout": wtypes.wsattr(common.IntegerType(minimum=1), default=5)},
    )
    parsed = common.from_json(Legacy, {"thing_template_id": "t", "legacy_timeout": "7"})
    assert (parsed.thing_template_id, parsed.legacy_timeout) == ("t", 7)
    with pytest.raises(exception.Invalid, match="legacy_timeout"):
        common.from_json(Legacy, {"thing_template_id": "t", "legacy_timeout": 0})


def test_from_json_names_unknown_attributes():
    with pytest.raises(exception.Invalid, match="Unknown attribute"):
        common.from_json(Thing, {"thing_template_id": "t", "colour": "blue"})


def test_bay_type_is_the_cluster_type_renamed():
    bay = {a.name for a in wtypes.list_attributes(cluster_types.Bay)}
    cluster = {a.name for a in wtypes.list_attributes(cluster_types.Cluster)}
    assert {"baymodel_id", "bay_create_timeout"} <= bay
    assert not {"cluster_template_id", "create_timeout", "merge_labels", "faults"} & bay
    assert bay - {"baymodel_id", "bay_create_timeout"} <= cluster


# --- what Horizon's magnum-ui sends: every value a string, unset as "" --------


@pytest.mark.parametrize(
    "datatype",
    [common.BooleanType(), common.IntegerType(minimum=1), common.OptionalString(min_length=1)],
)
def test_an_empty_string_means_not_given(datatype):
    assert datatype.validate("") is wtypes.Unset


def test_optional_string_keeps_its_bounds():
    bounded = common.OptionalString(min_length=1, max_length=3)
    assert bounded.validate("abc") == "abc"
    with pytest.raises(ValueError):
        bounded.validate("abcd")


def test_cluster_create_body_from_the_panel():
    """The body magnum-ui 19 sends for a cluster made in its wizard with no
    keypair, flavor or network chosen (measured: research/horizon-magnum-ui.md)."""
    body = {
        "discovery_url": "",
        "create_timeout": "60",
        "name": "e2e-bay",
        "cluster_template_id": "4f1c6b8e-2a57-4d1f-9a57-3f0b7c1e9d11",
        "keypair": "",
        "labels": {"availability_zone": "", "auto_healing_enabled": True},
        "master_lb_enabled": "",
        "master_count": "1",
        "node_count": "1",
        "merge_labels": "True",
    }
    cluster = common.from_json(cluster_types.Cluster, body)
    assert cluster.keypair is wtypes.Unset
    assert cluster.discovery_url is wtypes.Unset
    assert cluster.master_lb_enabled is wtypes.Unset
    assert (cluster.node_count, cluster.master_count, cluster.create_timeout) == (1, 1, 60)
    assert cluster.merge_labels is True


def test_empty_optional_fields_keep_their_defaults():
    body = {"cluster_template_id": "t", "node_count": "", "create_timeout": "", "merge_labels": ""}
    cluster = common.from_json(cluster_types.Cluster, body)
    assert (cluster.node_count, cluster.create_timeout, cluster.merge_labels) == (1, 60, False)


def test_template_create_body_from_the_panel():
    body = {
        "name": "swarm",
        "coe": "swarm",
        "image_id": "magnum-local-node",
        "server_type": "local",
        "public": "False",
        "hidden": "False",
        "registry_enabled": "False",
        "tls_disabled": "True",
        "master_lb_enabled": "",
        "floating_ip_enabled": "True",
        "docker_volume_size": "10",
        "keypair_id": "",
        "flavor_id": "",
        "external_network_id": "",
        "dns_nameserver": "",
    }
    template = common.from_json(template_types.ClusterTemplate, body)
    assert (template.public, template.tls_disabled, template.docker_volume_size) == (
        False,
        True,
        10,
    )
    assert template.master_lb_enabled is False  # the default
    assert template.keypair_id is wtypes.Unset
    assert template.external_network_id is wtypes.Unset


@pytest.mark.parametrize(
    ("datatype", "body"),
    [
        (cluster_types.Cluster, {"cluster_template_id": ""}),
        (template_types.ClusterTemplate, {"coe": "swarm", "image_id": ""}),
    ],
)
def test_an_empty_mandatory_field_is_refused(datatype, body):
    with pytest.raises(exception.Invalid, match="minimum character requirement"):
        common.from_json(datatype, body)


def test_an_empty_resize_count_is_refused():
    with pytest.raises(exception.Invalid, match="not an integer"):
        common.from_json(cluster_types.ResizeRequest, {"node_count": ""})
    resize = common.from_json(cluster_types.ResizeRequest, {"node_count": "2", "nodegroup": ""})
    assert (resize.node_count, resize.nodegroup) == (2, wtypes.Unset)


# --- Python-literal labels and taints (python-magnumclient's CLIs send str(dict)) ---


def test_labels_decode_the_python_literal_of_magnumclient():
    assert common.LabelsType.validate("{'a': 'b', 'n': 1}") == {"a": "b", "n": 1}


def test_labels_still_decode_json():
    assert common.LabelsType.validate('{"a": "b"}') == {"a": "b"}


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "{'a': {1, 2}}",
        "{'a': b'x'}",
        "{1: 'a'}",
        "{'a': None}",
        "[" * 200 + "]" * 200,
        "{'a': '" + "x" * common.MAX_LITERAL_LENGTH + "'}",
    ],
)
def test_labels_refuse_what_is_no_plain_literal(text):
    with pytest.raises(ValueError):
        common.LabelsType.validate(text)


def test_node_taints_decode_the_string_openstack_coe_sends():
    sent = str([{"key": "k", "value": "v", "effect": "NoSchedule"}])
    assert nodegroup_types.NodeTaintsType.validate(sent) == [
        {"key": "k", "value": "v", "effect": "NoSchedule"}
    ]


def test_node_labels_decode_the_python_literal():
    assert nodegroup_types.NodeLabelsType.validate("{'x': 'y'}") == {"x": "y"}
