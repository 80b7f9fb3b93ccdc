"""Field types of magnum's objects: oslo.versionedobjects' plus magnum's enums.

Object modules import every field type from here, so one name space serves
them all. Changing an enum's values changes the fingerprint of every object
that uses it (tests/unit/objects/test_objects.py), which forces a version bump.
"""

from __future__ import annotations

import json
from typing import Any

from oslo_versionedobjects import fields

from magnum.common import states

BooleanField = fields.BooleanField
DateTimeField = fields.DateTimeField
DictOfStringsField = fields.DictOfStringsField
IntegerField = fields.IntegerField
ListOfStringsField = fields.ListOfStringsField
StringField = fields.StringField
UUIDField = fields.UUIDField


class Secret(fields.String):
    """A string never shown in logs or reprs (passwords, private keys)."""

    def stringify(self, value: Any) -> str:
        return "None" if value is None else "'***'"


class SecretField(fields.AutoTypedField):
    AUTO_TYPE = Secret()


class ClusterStatus(fields.Enum):
    ALL = states.ALL

    def __init__(self) -> None:
        super().__init__(valid_values=self.ALL)


class ClusterStatusField(fields.BaseEnumField):
    AUTO_TYPE = ClusterStatus()


class ClusterHealthStatus(fields.Enum):
    ALL = states.HEALTH_STATES

    def __init__(self) -> None:
        super().__init__(valid_values=self.ALL)


class ClusterHealthStatusField(fields.BaseEnumField):
    AUTO_TYPE = ClusterHealthStatus()


class ContainerStatus(fields.Enum):
    CREATING = "Creating"
    DELETING = "Deleting"
    ERROR = "Error"
    RUNNING = "Running"
    STOPPED = "Stopped"
    PAUSED = "Paused"
    UNKNOWN = "Unknown"
    ALL = (CREATING, DELETING, ERROR, RUNNING, STOPPED, PAUSED, UNKNOWN)

    def __init__(self) -> None:
        super().__init__(valid_values=self.ALL)


class ContainerStatusField(fields.BaseEnumField):
    AUTO_TYPE = ContainerStatus()


class KubeObjectKind(fields.Enum):
    POD = "pod"
    SERVICE = "service"
    REPLICATION_CONTROLLER = "replicationcontroller"
    ALL = (POD, SERVICE, REPLICATION_CONTROLLER)

    def __init__(self) -> None:
        super().__init__(valid_values=self.ALL)


class KubeObjectKindField(fields.BaseEnumField):
    AUTO_TYPE = KubeObjectKind()


class FederationStatus(fields.Enum):
    CREATE_IN_PROGRESS = "CREATE_IN_PROGRESS"
    CREATE_FAILED = "CREATE_FAILED"
    CREATE_COMPLETE = "CREATE_COMPLETE"
    UPDATE_IN_PROGRESS = "UPDATE_IN_PROGRESS"
    UPDATE_FAILED = "UPDATE_FAILED"
    UPDATE_COMPLETE = "UPDATE_COMPLETE"
    DELETE_IN_PROGRESS = "DELETE_IN_PROGRESS"
    DELETE_FAILED = "DELETE_FAILED"
    DELETE_COMPLETE = "DELETE_COMPLETE"
    ALL = (
        CREATE_IN_PROGRESS, CREATE_FAILED, CREATE_COMPLETE,
        UPDATE_IN_PROGRESS, UPDATE_FAILED, UPDATE_COMPLETE,
        DELETE_IN_PROGRESS, DELETE_FAILED, DELETE_COMPLETE,
    )  # fmt: skip

    def __init__(self) -> None:
        super().__init__(valid_values=self.ALL)


class FederationStatusField(fields.BaseEnumField):
    AUTO_TYPE = FederationStatus()


class QuotaResource(fields.Enum):
    CLUSTER = "Cluster"
    ALL = (CLUSTER,)

    def __init__(self) -> None:
        super().__init__(valid_values=self.ALL)


class QuotaResourceField(fields.BaseEnumField):
    AUTO_TYPE = QuotaResource()


class NodeGroupRole:
    """Roles magnum itself gives nodegroups.

    Deliberately not an enum field: users may create nodegroups with roles of
    their own (``infra``, ``gpu`` ...); only ``master`` is refused on create.
    """

    MASTER = "master"
    WORKER = "worker"


class _Json(fields.FieldType):
    """A JSON container (dict or list) whose values keep their JSON types.

    Labels and kube object ports carry numbers and booleans that the stock
    string-only dict and list fields would turn into strings.
    """

    container: type = dict

    def coerce(self, obj: Any, attr: str, value: Any) -> Any:
        if not isinstance(value, self.container):
            raise ValueError(
                f"{attr} must be a {self.container.__name__}, not {type(value).__name__}"
            )
        try:
            # A round trip both validates and copies, so callers cannot mutate
            # the object's value behind its change tracking.
            return json.loads(json.dumps(value))
        except (TypeError, ValueError) as err:
            raise ValueError(f"{attr} is not JSON serializable: {err}") from err

    @staticmethod
    def to_primitive(obj: Any, attr: str, value: Any) -> Any:
        return value

    @staticmethod
    def from_primitive(obj: Any, attr: str, value: Any) -> Any:
        return value

    def stringify(self, value: Any) -> str:
        return json.dumps(value, sort_keys=True)

    def get_schema(self) -> dict[str, Any]:
        return {"type": ["object" if self.container is dict else "array"]}


class JsonDict(_Json):
    container = dict


class JsonList(_Json):
    container = list


class JsonDictField(fields.AutoTypedField):
    AUTO_TYPE = JsonDict()


class JsonListField(fields.AutoTypedField):
    AUTO_TYPE = JsonList()
