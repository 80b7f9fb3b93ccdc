"""Wire types shared by every resource, and the legacy-name renaming helper."""

from __future__ import annotations

import ast
import json
import re
from typing import Any

import wsme
import wsme.rest.json
from oslo_utils import netutils, strutils, uuidutils
from wsme import types as wtypes

from magnum.common import exception

# Horizon's magnum-ui stringifies every value it sends and turns an unset
# field into "" ("keypair": "", "master_lb_enabled": ""). As in upstream
# Magnum, an empty string in an optional field means "not given": the field
# keeps its default, and a mandatory one is reported missing (400).
EMPTY = ""


class BooleanType(wtypes.UserType):
    """true/false, also as strings in any case ("True", "yes", "0") as Horizon sends."""

    basetype = wtypes.text
    name = "boolean"

    @staticmethod
    def validate(value: Any) -> Any:
        if isinstance(value, bool):
            return value
        if value == EMPTY:
            return wtypes.Unset
        try:
            return strutils.bool_from_string(value, strict=True)
        except ValueError as err:
            raise ValueError(str(err)) from err

    @staticmethod
    def frombasetype(value: Any) -> Any:
        return value


# Integer columns are 32-bit signed on MariaDB and PostgreSQL: a larger value
# would reach the database and fail there (a 500) instead of here (a 400).
INT32_MAX = 2**31 - 1


class IntegerType(wtypes.UserType):
    """An integer within bounds (at most INT32_MAX); numeric strings ("3") are accepted."""

    basetype = wtypes.text
    name = "integer"

    def __init__(
        self, minimum: int | None = None, maximum: int = INT32_MAX, empty_is_unset: bool = True
    ) -> None:
        self.minimum = minimum
        self.maximum = min(maximum, INT32_MAX)
        # False for mandatory fields: WSME checks that a mandatory key is
        # present, not that its value is set, so "" must fail here.
        self.empty_is_unset = empty_is_unset

    def validate(self, value: Any) -> Any:
        if value == EMPTY and self.empty_is_unset:
            return wtypes.Unset
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError(f"{value!r} is not an integer.")
        if isinstance(value, str) and len(value) > 20:
            raise ValueError(f"{value[:20]!r}... is not an integer within bounds.")
        try:
            number = int(value)
        except ValueError as err:
            raise ValueError(f"{value!r} is not an integer.") from err
        if self.minimum is not None and number < self.minimum:
            raise ValueError(f"Value should be greater or equal to {self.minimum}.")
        if number > self.maximum:
            raise ValueError(f"Value should be less or equal to {self.maximum}.")
        return number

    def frombasetype(self, value: Any) -> Any:
        return value


class OptionalString(wtypes.StringType):
    """A bounded string where "" means not given (see EMPTY)."""

    def validate(self, value: Any) -> Any:
        if value == EMPTY:
            return wtypes.Unset
        return super().validate(value)


# A labels / taints string longer than this is refused before parsing:
# ast.literal_eval's cost grows with the input and nests deeply.
MAX_LITERAL_LENGTH = 65536
LITERAL_LEAVES = (str, int, float, bool)


def decode_literal(text: str, what: str) -> Any:
    """JSON, or the Python literal python-magnumclient sends, as plain data.

    Only dicts, lists and str/number/bool leaves come back; anything else
    (sets, bytes, None, tuples) or a string too long is a ValueError (400).
    """
    if len(text) > MAX_LITERAL_LENGTH:
        raise ValueError(f"{what} are longer than {MAX_LITERAL_LENGTH} characters.")
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as err:
        raise ValueError(f"{what} {text!r} are neither JSON nor a Python literal.") from err
    if not _plain(value, depth=0):
        raise ValueError(f"{what} {text!r} must be made of objects, lists and strings.")
    return value


def _plain(value: Any, depth: int) -> bool:
    if depth > 4:
        return False
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v, depth + 1) for v in value)
    return isinstance(value, LITERAL_LEAVES)


def check_text(value: str, what: str = "Name") -> str:
    """ValueError for text no row can hold or no path may carry.

    NUL and control characters, characters beyond the Basic Multilingual
    Plane (4-byte UTF-8, which a MariaDB column without utf8mb4 cannot
    store), and the path segments "." and "..".
    """
    if value in (".", ".."):
        raise ValueError(f"{what} {value!r} is not allowed.")
    for char in value:
        if ord(char) < 0x20 or ord(char) == 0x7F:
            raise ValueError(f"{what} must not contain control characters such as NUL.")
        if ord(char) > 0xFFFF:
            raise ValueError(f"{what} must not contain characters beyond U+FFFF.")
    return value


class SafeString(wtypes.StringType):
    """A bounded free-form name (nodegroups) that check_text accepts."""

    def validate(self, value: Any) -> Any:
        value = super().validate(value)
        return check_text(value) if isinstance(value, str) else value


class SafeName(OptionalString):
    """A bounded free-form name (templates, bays) that check_text accepts; "" is not given."""

    def validate(self, value: Any) -> Any:
        value = super().validate(value)
        return check_text(value) if isinstance(value, str) else value


class IPAddressType(wtypes.UserType):
    """An IPv4 or IPv6 address ("" means not given)."""

    basetype = wtypes.text
    name = "ipaddress"

    @staticmethod
    def validate(value: Any) -> Any:
        if value == EMPTY:
            return wtypes.Unset
        if not isinstance(value, str) or not netutils.is_valid_ip(value):
            raise ValueError(f"{value!r} is not an IP address.")
        return value

    @staticmethod
    def frombasetype(value: Any) -> Any:
        return value


class JsonType(wtypes.UserType):
    """Any JSON value (PATCH values, labels)."""

    basetype = wtypes.text
    name = "json"

    @staticmethod
    def validate(value: Any) -> Any:
        try:
            json.dumps(value)
        except (TypeError, ValueError) as err:
            raise ValueError(f"{value!r} is not JSON serializable.") from err
        return value

    @staticmethod
    def frombasetype(value: Any) -> Any:
        return value


class LabelsType(wtypes.UserType):
    """A dict of str keys to str/int/bool/float values (template and cluster labels)."""

    basetype = wtypes.text
    name = "labels"

    @staticmethod
    def validate(value: Any) -> dict[str, Any]:
        if isinstance(value, str):
            # Old clients and PATCH bodies send the dict as a JSON string,
            # magnumclient's CLIs as a Python literal ("{'a': 'b'}").
            value = decode_literal(value, "Labels") if value.strip() else {}
        if not isinstance(value, dict):
            raise ValueError(f"Labels must be an object, not {type(value).__name__}.")
        for key, item in value.items():
            if not isinstance(key, str) or not isinstance(item, str | int | float | bool):
                raise ValueError(f"Label {key!r} must map to a string, number or boolean.")
        return value

    @staticmethod
    def frombasetype(value: Any) -> Any:
        return value


class NameType(wtypes.UserType):
    """A cluster-style name: starts with a letter; letters, digits, _ . -"""

    basetype = wtypes.text
    name = "name"
    pattern = re.compile(r"^[a-zA-Z][a-zA-Z0-9_.-]*$")

    def __init__(self, max_length: int = 242) -> None:
        self.max_length = max_length

    def validate(self, value: Any) -> str:
        if not isinstance(value, str) or not self.pattern.match(value):
            raise ValueError(
                f"{value!r} is not a valid name: it must start with a letter and "
                "use only letters, digits, _ . and -."
            )
        if len(value) > self.max_length:
            raise ValueError(f"Name is longer than {self.max_length} characters.")
        return value

    def frombasetype(self, value: Any) -> Any:
        return value


class JsonPatch(wtypes.Base):
    """One RFC 6902 operation of a PATCH body (add, replace, remove)."""

    path = wtypes.wsattr(wtypes.StringType(pattern=r"^(/[\w-]+)+$"), mandatory=True)
    op = wtypes.wsattr(wtypes.Enum(str, "add", "replace", "remove"), mandatory=True)
    value = wtypes.wsattr(JsonType(), default=wtypes.Unset)

    def as_dict(self) -> dict[str, Any]:
        op: dict[str, Any] = {"op": self.op, "path": self.path}
        if self.value is not wtypes.Unset:
            op["value"] = self.value
        return op


class Link(wtypes.Base):
    href = wtypes.text
    rel = wtypes.text
    type = wtypes.text


def is_uuid(value: str) -> bool:
    return uuidutils.is_uuid_like(value)


def renamed_type(
    base: type,
    renames: dict[str, str],
    name: str,
    overrides: dict[str, Any] | None = None,
    drop: tuple[str, ...] = (),
) -> type:
    """A copy of WSME type ``base`` with attributes renamed for a legacy route.

    ``renames`` maps the modern attribute name to the legacy one. The legacy
    type is derived, never written by hand, so the two cannot drift apart.
    """
    attrs: dict[str, Any] = {}
    for attr in wtypes.list_attributes(base):
        if attr.name in drop:
            continue
        wire_name = renames.get(attr.name, attr.name)
        attrs[wire_name] = wtypes.wsattr(
            attr.datatype,
            mandatory=attr.mandatory,
            default=attr.default,
            readonly=attr.readonly,
        )
    attrs.update(overrides or {})
    return type(name, (wtypes.Base,), attrs)


def from_json(datatype: type, value: Any) -> Any:
    """Validate a plain dict against a WSME type (PATCH re-validation)."""
    try:
        return wsme.rest.json.fromjson(datatype, value)
    except wsme.exc.UnknownAttribute as err:
        raise exception.Invalid(
            f"Unknown attribute(s): {', '.join(sorted(err.attributes))}."
        ) from err
    except (wsme.exc.InvalidInput, exception.Invalid, ValueError) as err:
        raise exception.Invalid(str(err)) from err
