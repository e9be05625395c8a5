import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from switchboard.config.v1 import common_pb2 as _common_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class GetInfoRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetInfoResponse(_message.Message):
    __slots__ = ("version", "role", "server_id", "server_name", "start_time", "configuration_revision")
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    SERVER_ID_FIELD_NUMBER: _ClassVar[int]
    SERVER_NAME_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    CONFIGURATION_REVISION_FIELD_NUMBER: _ClassVar[int]
    version: str
    role: _common_pb2.ServerRole
    server_id: str
    server_name: str
    start_time: _timestamp_pb2.Timestamp
    configuration_revision: int
    def __init__(self, version: _Optional[str] = ..., role: _Optional[_Union[_common_pb2.ServerRole, str]] = ..., server_id: _Optional[str] = ..., server_name: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., configuration_revision: _Optional[int] = ...) -> None: ...
