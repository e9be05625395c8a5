import datetime

from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from switchboard.config.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CallLegState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CALL_LEG_STATE_UNSPECIFIED: _ClassVar[CallLegState]
    CALL_LEG_STATE_TRYING: _ClassVar[CallLegState]
    CALL_LEG_STATE_RINGING: _ClassVar[CallLegState]
    CALL_LEG_STATE_CONNECTED: _ClassVar[CallLegState]
CALL_LEG_STATE_UNSPECIFIED: CallLegState
CALL_LEG_STATE_TRYING: CallLegState
CALL_LEG_STATE_RINGING: CallLegState
CALL_LEG_STATE_CONNECTED: CallLegState

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

class ListRegistrationsRequest(_message.Message):
    __slots__ = ("user_id",)
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    def __init__(self, user_id: _Optional[str] = ...) -> None: ...

class ListRegistrationsResponse(_message.Message):
    __slots__ = ("registrations",)
    REGISTRATIONS_FIELD_NUMBER: _ClassVar[int]
    registrations: _containers.RepeatedCompositeFieldContainer[Registration]
    def __init__(self, registrations: _Optional[_Iterable[_Union[Registration, _Mapping]]] = ...) -> None: ...

class Registration(_message.Message):
    __slots__ = ("device_id", "user_id", "sip_username", "contact", "source", "transport", "user_agent", "expire_time")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    SIP_USERNAME_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    TRANSPORT_FIELD_NUMBER: _ClassVar[int]
    USER_AGENT_FIELD_NUMBER: _ClassVar[int]
    EXPIRE_TIME_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    user_id: str
    sip_username: str
    contact: str
    source: str
    transport: str
    user_agent: str
    expire_time: _timestamp_pb2.Timestamp
    def __init__(self, device_id: _Optional[str] = ..., user_id: _Optional[str] = ..., sip_username: _Optional[str] = ..., contact: _Optional[str] = ..., source: _Optional[str] = ..., transport: _Optional[str] = ..., user_agent: _Optional[str] = ..., expire_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListActiveCallsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListActiveCallsResponse(_message.Message):
    __slots__ = ("legs",)
    LEGS_FIELD_NUMBER: _ClassVar[int]
    legs: _containers.RepeatedCompositeFieldContainer[CallLeg]
    def __init__(self, legs: _Optional[_Iterable[_Union[CallLeg, _Mapping]]] = ...) -> None: ...

class CallLeg(_message.Message):
    __slots__ = ("id", "call_id", "state", "outgoing", "user_id", "device_id", "dialed", "caller", "codec", "start_time", "answer_time", "held")
    ID_FIELD_NUMBER: _ClassVar[int]
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    OUTGOING_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    DIALED_FIELD_NUMBER: _ClassVar[int]
    CALLER_FIELD_NUMBER: _ClassVar[int]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    ANSWER_TIME_FIELD_NUMBER: _ClassVar[int]
    HELD_FIELD_NUMBER: _ClassVar[int]
    id: str
    call_id: str
    state: CallLegState
    outgoing: bool
    user_id: str
    device_id: str
    dialed: str
    caller: str
    codec: str
    start_time: _timestamp_pb2.Timestamp
    answer_time: _timestamp_pb2.Timestamp
    held: bool
    def __init__(self, id: _Optional[str] = ..., call_id: _Optional[str] = ..., state: _Optional[_Union[CallLegState, str]] = ..., outgoing: _Optional[bool] = ..., user_id: _Optional[str] = ..., device_id: _Optional[str] = ..., dialed: _Optional[str] = ..., caller: _Optional[str] = ..., codec: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., answer_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., held: _Optional[bool] = ...) -> None: ...
