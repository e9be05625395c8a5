import datetime

from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DialPlan(_message.Message):
    __slots__ = ("extension_length", "trunk_access_code", "operator_extension", "sip_realm", "default_class_of_service_id", "etag", "update_time")
    EXTENSION_LENGTH_FIELD_NUMBER: _ClassVar[int]
    TRUNK_ACCESS_CODE_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_EXTENSION_FIELD_NUMBER: _ClassVar[int]
    SIP_REALM_FIELD_NUMBER: _ClassVar[int]
    DEFAULT_CLASS_OF_SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    UPDATE_TIME_FIELD_NUMBER: _ClassVar[int]
    extension_length: int
    trunk_access_code: str
    operator_extension: str
    sip_realm: str
    default_class_of_service_id: str
    etag: str
    update_time: _timestamp_pb2.Timestamp
    def __init__(self, extension_length: _Optional[int] = ..., trunk_access_code: _Optional[str] = ..., operator_extension: _Optional[str] = ..., sip_realm: _Optional[str] = ..., default_class_of_service_id: _Optional[str] = ..., etag: _Optional[str] = ..., update_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
