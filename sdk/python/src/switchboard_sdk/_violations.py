"""Reading the fields named by a validation error."""

from __future__ import annotations

import json
from dataclasses import dataclass

from connectrpc.errors import ConnectError

from buf.validate import validate_pb2

_VIOLATIONS = validate_pb2.Violations.DESCRIPTOR.full_name


@dataclass(frozen=True)
class FieldViolation:
    """One field that failed the server's request validation."""

    field: str
    """Dotted path of the field in the request, for example ``user.extension``."""
    rule_id: str
    """Identifier of the rule that failed, for example ``string.pattern``."""
    message: str
    """Human-readable description of the failure."""


def field_violations(error: BaseException) -> list[FieldViolation]:
    """List the fields named by a validation error.

    Switchboard answers a request that breaks the schema's constraints with
    ``Code.INVALID_ARGUMENT`` and a ``buf.validate.Violations`` detail; this
    returns its entries. It returns an empty list for any other error,
    including checks the server makes against its configuration (such as the
    dial plan's extension length), which name the field in the message only.
    """
    if not isinstance(error, ConnectError):
        return []
    found: list[FieldViolation] = []
    for detail in error.details:
        if detail.type_name != _VIOLATIONS:
            continue
        violations = validate_pb2.Violations.FromString(detail.message_bytes)
        found.extend(
            FieldViolation(
                field=_path(v.field), rule_id=v.rule_id, message=v.message
            )
            for v in violations.violations
        )
    return found


def _path(path: validate_pb2.FieldPath) -> str:
    parts = []
    for element in path.elements:
        which = element.WhichOneof("subscript")
        if which is None:
            parts.append(element.field_name)
        else:
            parts.append(f"{element.field_name}[{_subscript(element, which)}]")
    return ".".join(parts)


def _subscript(element: validate_pb2.FieldPathElement, which: str) -> str:
    value = getattr(element, which)
    if which == "string_key":
        return json.dumps(value)
    if which == "bool_key":
        return "true" if value else "false"
    return str(value)
