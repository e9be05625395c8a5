import datetime

from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from switchboard.config.v1 import common_pb2 as _common_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ClassOfService(_message.Message):
    __slots__ = ("id", "name", "description", "dialing_scope", "permissions", "etag", "create_time", "update_time")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    DIALING_SCOPE_FIELD_NUMBER: _ClassVar[int]
    PERMISSIONS_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    CREATE_TIME_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    description: str
    dialing_scope: _common_pb2.DialingScope
    permissions: FeaturePermissions
    etag: str
    create_time: _timestamp_pb2.Timestamp
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., description: _Optional[str] = ..., dialing_scope: _Optional[_Union[_common_pb2.DialingScope, str]] = ..., permissions: _Optional[_Union[FeaturePermissions, _Mapping]] = ..., etag: _Optional[str] = ..., create_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class FeaturePermissions(_message.Message):
    __slots__ = ("forward_external", "transfer_external", "record_calls", "barge_in", "intercom", "pickup", "park", "voicemail")
    FORWARD_EXTERNAL_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_EXTERNAL_FIELD_NUMBER: _ClassVar[int]
    RECORD_CALLS_FIELD_NUMBER: _ClassVar[int]
    BARGE_IN_FIELD_NUMBER: _ClassVar[int]
    INTERCOM_FIELD_NUMBER: _ClassVar[int]
    PICKUP_FIELD_NUMBER: _ClassVar[int]
    PARK_FIELD_NUMBER: _ClassVar[int]
    VOICEMAIL_FIELD_NUMBER: _ClassVar[int]
    forward_external: bool
    transfer_external: bool
    record_calls: bool
    barge_in: bool
    intercom: bool
    pickup: bool
    park: bool
    voicemail: bool
    def __init__(self, forward_external: _Optional[bool] = ..., transfer_external: _Optional[bool] = ..., record_calls: _Optional[bool] = ..., barge_in: _Optional[bool] = ..., intercom: _Optional[bool] = ..., pickup: _Optional[bool] = ..., park: _Optional[bool] = ..., voicemail: _Optional[bool] = ...) -> None: ...
