"""Python client for the Switchboard IP-PBX API.

The generated messages live in the ``switchboard`` package (for example
``switchboard.config.v1.user_pb2``) and the generated Connect clients in its
``*_connect`` modules. This package adds the glue most programs need: one
object holding a client for every service, sharing one HTTP connection pool
and sending the API token on every request; :func:`watch_events` and
:func:`watch_events_async`, a call-event stream that resumes after a
disconnect without losing or repeating an event; and
:func:`field_violations`, the fields a validation error names.

Example::

    from switchboard_sdk import connect
    from switchboard.system.v1.system_service_pb2 import GetInfoRequest

    with connect("http://127.0.0.1:8080", token) as sb:
        print(sb.system.get_info(GetInfoRequest()).version)
"""

from __future__ import annotations

from ._auth import BearerAuth, BearerAuthSync
from ._client import (
    AsyncSwitchboard,
    Switchboard,
    WireProtocol,
    connect,
    connect_async,
)
from ._events import (
    Backoff,
    EventsOutOfRangeError,
    OutOfRangeReason,
    ReconnectInfo,
    is_retryable_error,
    watch_events,
    watch_events_async,
)
from ._violations import FieldViolation, field_violations

__all__ = [
    "AsyncSwitchboard",
    "Backoff",
    "BearerAuth",
    "BearerAuthSync",
    "EventsOutOfRangeError",
    "FieldViolation",
    "OutOfRangeReason",
    "ReconnectInfo",
    "Switchboard",
    "WireProtocol",
    "connect",
    "connect_async",
    "field_violations",
    "is_retryable_error",
    "watch_events",
    "watch_events_async",
]
