import datetime

from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import duration_pb2 as _duration_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class LegState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LEG_STATE_UNSPECIFIED: _ClassVar[LegState]
    LEG_STATE_TRYING: _ClassVar[LegState]
    LEG_STATE_RINGING: _ClassVar[LegState]
    LEG_STATE_ANSWERED: _ClassVar[LegState]
    LEG_STATE_ENDED: _ClassVar[LegState]

class LegDirection(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LEG_DIRECTION_UNSPECIFIED: _ClassVar[LegDirection]
    LEG_DIRECTION_INBOUND: _ClassVar[LegDirection]
    LEG_DIRECTION_OUTBOUND: _ClassVar[LegDirection]

class EndReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    END_REASON_UNSPECIFIED: _ClassVar[EndReason]
    END_REASON_NORMAL: _ClassVar[EndReason]
    END_REASON_BUSY: _ClassVar[EndReason]
    END_REASON_NO_ANSWER: _ClassVar[EndReason]
    END_REASON_REJECTED: _ClassVar[EndReason]
    END_REASON_UNREACHABLE: _ClassVar[EndReason]
    END_REASON_CANCELED: _ClassVar[EndReason]
    END_REASON_MEDIA_TIMEOUT: _ClassVar[EndReason]
    END_REASON_COMMANDED: _ClassVar[EndReason]
    END_REASON_FAILED: _ClassVar[EndReason]
    END_REASON_TRANSFERRED: _ClassVar[EndReason]
    END_REASON_PARKED: _ClassVar[EndReason]
LEG_STATE_UNSPECIFIED: LegState
LEG_STATE_TRYING: LegState
LEG_STATE_RINGING: LegState
LEG_STATE_ANSWERED: LegState
LEG_STATE_ENDED: LegState
LEG_DIRECTION_UNSPECIFIED: LegDirection
LEG_DIRECTION_INBOUND: LegDirection
LEG_DIRECTION_OUTBOUND: LegDirection
END_REASON_UNSPECIFIED: EndReason
END_REASON_NORMAL: EndReason
END_REASON_BUSY: EndReason
END_REASON_NO_ANSWER: EndReason
END_REASON_REJECTED: EndReason
END_REASON_UNREACHABLE: EndReason
END_REASON_CANCELED: EndReason
END_REASON_MEDIA_TIMEOUT: EndReason
END_REASON_COMMANDED: EndReason
END_REASON_FAILED: EndReason
END_REASON_TRANSFERRED: EndReason
END_REASON_PARKED: EndReason

class RoutingTable(_message.Message):
    __slots__ = ("revision", "realm", "extension_length", "trunk_access_code", "operator_extension", "users", "route_points")
    REVISION_FIELD_NUMBER: _ClassVar[int]
    REALM_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_LENGTH_FIELD_NUMBER: _ClassVar[int]
    TRUNK_ACCESS_CODE_FIELD_NUMBER: _ClassVar[int]
    OPERATOR_EXTENSION_FIELD_NUMBER: _ClassVar[int]
    USERS_FIELD_NUMBER: _ClassVar[int]
    ROUTE_POINTS_FIELD_NUMBER: _ClassVar[int]
    revision: int
    realm: str
    extension_length: int
    trunk_access_code: str
    operator_extension: str
    users: _containers.RepeatedCompositeFieldContainer[RoutingUser]
    route_points: _containers.RepeatedCompositeFieldContainer[RoutingRoutePoint]
    def __init__(self, revision: _Optional[int] = ..., realm: _Optional[str] = ..., extension_length: _Optional[int] = ..., trunk_access_code: _Optional[str] = ..., operator_extension: _Optional[str] = ..., users: _Optional[_Iterable[_Union[RoutingUser, _Mapping]]] = ..., route_points: _Optional[_Iterable[_Union[RoutingRoutePoint, _Mapping]]] = ...) -> None: ...

class RoutingUser(_message.Message):
    __slots__ = ("id", "extension", "display_name", "virtual", "devices")
    ID_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_FIELD_NUMBER: _ClassVar[int]
    DISPLAY_NAME_FIELD_NUMBER: _ClassVar[int]
    VIRTUAL_FIELD_NUMBER: _ClassVar[int]
    DEVICES_FIELD_NUMBER: _ClassVar[int]
    id: str
    extension: str
    display_name: str
    virtual: bool
    devices: _containers.RepeatedCompositeFieldContainer[RoutingDevice]
    def __init__(self, id: _Optional[str] = ..., extension: _Optional[str] = ..., display_name: _Optional[str] = ..., virtual: _Optional[bool] = ..., devices: _Optional[_Iterable[_Union[RoutingDevice, _Mapping]]] = ...) -> None: ...

class RoutingDevice(_message.Message):
    __slots__ = ("id", "sip_username", "ha1_md5", "ha1_sha256")
    ID_FIELD_NUMBER: _ClassVar[int]
    SIP_USERNAME_FIELD_NUMBER: _ClassVar[int]
    HA1_MD5_FIELD_NUMBER: _ClassVar[int]
    HA1_SHA256_FIELD_NUMBER: _ClassVar[int]
    id: str
    sip_username: str
    ha1_md5: str
    ha1_sha256: str
    def __init__(self, id: _Optional[str] = ..., sip_username: _Optional[str] = ..., ha1_md5: _Optional[str] = ..., ha1_sha256: _Optional[str] = ...) -> None: ...

class RoutingRoutePoint(_message.Message):
    __slots__ = ("id", "extension", "name", "fallback_extension", "answer_timeout_seconds")
    ID_FIELD_NUMBER: _ClassVar[int]
    EXTENSION_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    FALLBACK_EXTENSION_FIELD_NUMBER: _ClassVar[int]
    ANSWER_TIMEOUT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    id: str
    extension: str
    name: str
    fallback_extension: str
    answer_timeout_seconds: int
    def __init__(self, id: _Optional[str] = ..., extension: _Optional[str] = ..., name: _Optional[str] = ..., fallback_extension: _Optional[str] = ..., answer_timeout_seconds: _Optional[int] = ...) -> None: ...

class ApplyRoutingTableRequest(_message.Message):
    __slots__ = ("table",)
    TABLE_FIELD_NUMBER: _ClassVar[int]
    table: RoutingTable
    def __init__(self, table: _Optional[_Union[RoutingTable, _Mapping]] = ...) -> None: ...

class ApplyRoutingTableResponse(_message.Message):
    __slots__ = ("revision",)
    REVISION_FIELD_NUMBER: _ClassVar[int]
    revision: int
    def __init__(self, revision: _Optional[int] = ...) -> None: ...

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

class ListRegistrationsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListRegistrationsResponse(_message.Message):
    __slots__ = ("registrations",)
    REGISTRATIONS_FIELD_NUMBER: _ClassVar[int]
    registrations: _containers.RepeatedCompositeFieldContainer[Registration]
    def __init__(self, registrations: _Optional[_Iterable[_Union[Registration, _Mapping]]] = ...) -> None: ...

class Leg(_message.Message):
    __slots__ = ("id", "call_id", "state", "direction", "user_id", "device_id", "dialed", "caller", "sip_call_id", "codec", "start_time", "answer_time", "end_reason", "sip_status", "held", "calling", "holding", "related_call_id", "conferenced", "route_point_id")
    ID_FIELD_NUMBER: _ClassVar[int]
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    DIALED_FIELD_NUMBER: _ClassVar[int]
    CALLER_FIELD_NUMBER: _ClassVar[int]
    SIP_CALL_ID_FIELD_NUMBER: _ClassVar[int]
    CODEC_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    ANSWER_TIME_FIELD_NUMBER: _ClassVar[int]
    END_REASON_FIELD_NUMBER: _ClassVar[int]
    SIP_STATUS_FIELD_NUMBER: _ClassVar[int]
    HELD_FIELD_NUMBER: _ClassVar[int]
    CALLING_FIELD_NUMBER: _ClassVar[int]
    HOLDING_FIELD_NUMBER: _ClassVar[int]
    RELATED_CALL_ID_FIELD_NUMBER: _ClassVar[int]
    CONFERENCED_FIELD_NUMBER: _ClassVar[int]
    ROUTE_POINT_ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    call_id: str
    state: LegState
    direction: LegDirection
    user_id: str
    device_id: str
    dialed: str
    caller: str
    sip_call_id: str
    codec: str
    start_time: _timestamp_pb2.Timestamp
    answer_time: _timestamp_pb2.Timestamp
    end_reason: EndReason
    sip_status: int
    held: bool
    calling: bool
    holding: bool
    related_call_id: str
    conferenced: bool
    route_point_id: str
    def __init__(self, id: _Optional[str] = ..., call_id: _Optional[str] = ..., state: _Optional[_Union[LegState, str]] = ..., direction: _Optional[_Union[LegDirection, str]] = ..., user_id: _Optional[str] = ..., device_id: _Optional[str] = ..., dialed: _Optional[str] = ..., caller: _Optional[str] = ..., sip_call_id: _Optional[str] = ..., codec: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., answer_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., end_reason: _Optional[_Union[EndReason, str]] = ..., sip_status: _Optional[int] = ..., held: _Optional[bool] = ..., calling: _Optional[bool] = ..., holding: _Optional[bool] = ..., related_call_id: _Optional[str] = ..., conferenced: _Optional[bool] = ..., route_point_id: _Optional[str] = ...) -> None: ...

class AnswerLegRequest(_message.Message):
    __slots__ = ("leg_id",)
    LEG_ID_FIELD_NUMBER: _ClassVar[int]
    leg_id: str
    def __init__(self, leg_id: _Optional[str] = ...) -> None: ...

class AnswerLegResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class PlayLegRequest(_message.Message):
    __slots__ = ("leg_id", "samples", "interrupt_on_digit")
    LEG_ID_FIELD_NUMBER: _ClassVar[int]
    SAMPLES_FIELD_NUMBER: _ClassVar[int]
    INTERRUPT_ON_DIGIT_FIELD_NUMBER: _ClassVar[int]
    leg_id: str
    samples: bytes
    interrupt_on_digit: bool
    def __init__(self, leg_id: _Optional[str] = ..., samples: _Optional[bytes] = ..., interrupt_on_digit: _Optional[bool] = ...) -> None: ...

class PlayLegResponse(_message.Message):
    __slots__ = ("completed",)
    COMPLETED_FIELD_NUMBER: _ClassVar[int]
    completed: bool
    def __init__(self, completed: _Optional[bool] = ...) -> None: ...

class CollectDigitsLegRequest(_message.Message):
    __slots__ = ("leg_id", "max_digits", "terminator", "inter_digit_timeout_ms", "overall_timeout_ms")
    LEG_ID_FIELD_NUMBER: _ClassVar[int]
    MAX_DIGITS_FIELD_NUMBER: _ClassVar[int]
    TERMINATOR_FIELD_NUMBER: _ClassVar[int]
    INTER_DIGIT_TIMEOUT_MS_FIELD_NUMBER: _ClassVar[int]
    OVERALL_TIMEOUT_MS_FIELD_NUMBER: _ClassVar[int]
    leg_id: str
    max_digits: int
    terminator: str
    inter_digit_timeout_ms: int
    overall_timeout_ms: int
    def __init__(self, leg_id: _Optional[str] = ..., max_digits: _Optional[int] = ..., terminator: _Optional[str] = ..., inter_digit_timeout_ms: _Optional[int] = ..., overall_timeout_ms: _Optional[int] = ...) -> None: ...

class CollectDigitsLegResponse(_message.Message):
    __slots__ = ("digits", "reason")
    DIGITS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    digits: str
    reason: str
    def __init__(self, digits: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class StartRecordingLegRequest(_message.Message):
    __slots__ = ("leg_id",)
    LEG_ID_FIELD_NUMBER: _ClassVar[int]
    leg_id: str
    def __init__(self, leg_id: _Optional[str] = ...) -> None: ...

class StartRecordingLegResponse(_message.Message):
    __slots__ = ("recording_id",)
    RECORDING_ID_FIELD_NUMBER: _ClassVar[int]
    recording_id: str
    def __init__(self, recording_id: _Optional[str] = ...) -> None: ...

class StopRecordingLegRequest(_message.Message):
    __slots__ = ("recording_id",)
    RECORDING_ID_FIELD_NUMBER: _ClassVar[int]
    recording_id: str
    def __init__(self, recording_id: _Optional[str] = ...) -> None: ...

class StopRecordingLegResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ReadRecordingRequest(_message.Message):
    __slots__ = ("recording_id",)
    RECORDING_ID_FIELD_NUMBER: _ClassVar[int]
    recording_id: str
    def __init__(self, recording_id: _Optional[str] = ...) -> None: ...

class ReadRecordingResponse(_message.Message):
    __slots__ = ("chunk",)
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    chunk: bytes
    def __init__(self, chunk: _Optional[bytes] = ...) -> None: ...

class ConsultLegRequest(_message.Message):
    __slots__ = ("leg_id", "destination")
    LEG_ID_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    leg_id: str
    destination: str
    def __init__(self, leg_id: _Optional[str] = ..., destination: _Optional[str] = ...) -> None: ...

class ConsultLegResponse(_message.Message):
    __slots__ = ("call_id", "leg_id")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    LEG_ID_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    leg_id: str
    def __init__(self, call_id: _Optional[str] = ..., leg_id: _Optional[str] = ...) -> None: ...

class CompleteTransferLegRequest(_message.Message):
    __slots__ = ("leg_id", "conference")
    LEG_ID_FIELD_NUMBER: _ClassVar[int]
    CONFERENCE_FIELD_NUMBER: _ClassVar[int]
    leg_id: str
    conference: bool
    def __init__(self, leg_id: _Optional[str] = ..., conference: _Optional[bool] = ...) -> None: ...

class CompleteTransferLegResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class HoldLegRequest(_message.Message):
    __slots__ = ("leg_id",)
    LEG_ID_FIELD_NUMBER: _ClassVar[int]
    leg_id: str
    def __init__(self, leg_id: _Optional[str] = ...) -> None: ...

class HoldLegResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RetrieveLegRequest(_message.Message):
    __slots__ = ("leg_id",)
    LEG_ID_FIELD_NUMBER: _ClassVar[int]
    leg_id: str
    def __init__(self, leg_id: _Optional[str] = ...) -> None: ...

class RetrieveLegResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class TransferLegRequest(_message.Message):
    __slots__ = ("leg_id", "destination")
    LEG_ID_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    leg_id: str
    destination: str
    def __init__(self, leg_id: _Optional[str] = ..., destination: _Optional[str] = ...) -> None: ...

class TransferLegResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RedirectLegRequest(_message.Message):
    __slots__ = ("leg_id", "destination")
    LEG_ID_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    leg_id: str
    destination: str
    def __init__(self, leg_id: _Optional[str] = ..., destination: _Optional[str] = ...) -> None: ...

class RedirectLegResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class PickupLegRequest(_message.Message):
    __slots__ = ("leg_id", "user_id")
    LEG_ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    leg_id: str
    user_id: str
    def __init__(self, leg_id: _Optional[str] = ..., user_id: _Optional[str] = ...) -> None: ...

class PickupLegResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ParkLegRequest(_message.Message):
    __slots__ = ("leg_id",)
    LEG_ID_FIELD_NUMBER: _ClassVar[int]
    leg_id: str
    def __init__(self, leg_id: _Optional[str] = ...) -> None: ...

class ParkLegResponse(_message.Message):
    __slots__ = ("orbit",)
    ORBIT_FIELD_NUMBER: _ClassVar[int]
    orbit: str
    def __init__(self, orbit: _Optional[str] = ...) -> None: ...

class UnparkCallRequest(_message.Message):
    __slots__ = ("orbit", "user_id")
    ORBIT_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    orbit: str
    user_id: str
    def __init__(self, orbit: _Optional[str] = ..., user_id: _Optional[str] = ...) -> None: ...

class UnparkCallResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class OriginateRequest(_message.Message):
    __slots__ = ("user_id", "destination")
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    user_id: str
    destination: str
    def __init__(self, user_id: _Optional[str] = ..., destination: _Optional[str] = ...) -> None: ...

class OriginateResponse(_message.Message):
    __slots__ = ("call_id",)
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    def __init__(self, call_id: _Optional[str] = ...) -> None: ...

class SendDigitsRequest(_message.Message):
    __slots__ = ("leg_id", "digits", "duration_ms")
    LEG_ID_FIELD_NUMBER: _ClassVar[int]
    DIGITS_FIELD_NUMBER: _ClassVar[int]
    DURATION_MS_FIELD_NUMBER: _ClassVar[int]
    leg_id: str
    digits: str
    duration_ms: int
    def __init__(self, leg_id: _Optional[str] = ..., digits: _Optional[str] = ..., duration_ms: _Optional[int] = ...) -> None: ...

class SendDigitsResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListLegsRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ListLegsResponse(_message.Message):
    __slots__ = ("legs",)
    LEGS_FIELD_NUMBER: _ClassVar[int]
    legs: _containers.RepeatedCompositeFieldContainer[Leg]
    def __init__(self, legs: _Optional[_Iterable[_Union[Leg, _Mapping]]] = ...) -> None: ...

class HangupLegRequest(_message.Message):
    __slots__ = ("leg_id",)
    LEG_ID_FIELD_NUMBER: _ClassVar[int]
    leg_id: str
    def __init__(self, leg_id: _Optional[str] = ...) -> None: ...

class HangupLegResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class EventsRequest(_message.Message):
    __slots__ = ("after_sequence",)
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    after_sequence: int
    def __init__(self, after_sequence: _Optional[int] = ...) -> None: ...

class EventsResponse(_message.Message):
    __slots__ = ("event",)
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: Event
    def __init__(self, event: _Optional[_Union[Event, _Mapping]] = ...) -> None: ...

class Event(_message.Message):
    __slots__ = ("sequence", "time", "registration", "leg", "dtmf", "recording")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    LEG_FIELD_NUMBER: _ClassVar[int]
    DTMF_FIELD_NUMBER: _ClassVar[int]
    RECORDING_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    time: _timestamp_pb2.Timestamp
    registration: RegistrationEvent
    leg: LegEvent
    dtmf: DtmfEvent
    recording: RecordingEvent
    def __init__(self, sequence: _Optional[int] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., registration: _Optional[_Union[RegistrationEvent, _Mapping]] = ..., leg: _Optional[_Union[LegEvent, _Mapping]] = ..., dtmf: _Optional[_Union[DtmfEvent, _Mapping]] = ..., recording: _Optional[_Union[RecordingEvent, _Mapping]] = ...) -> None: ...

class RegistrationEvent(_message.Message):
    __slots__ = ("registration", "removed")
    REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    REMOVED_FIELD_NUMBER: _ClassVar[int]
    registration: Registration
    removed: bool
    def __init__(self, registration: _Optional[_Union[Registration, _Mapping]] = ..., removed: _Optional[bool] = ...) -> None: ...

class LegEvent(_message.Message):
    __slots__ = ("leg",)
    LEG_FIELD_NUMBER: _ClassVar[int]
    leg: Leg
    def __init__(self, leg: _Optional[_Union[Leg, _Mapping]] = ...) -> None: ...

class RecordingEvent(_message.Message):
    __slots__ = ("recording_id", "call_id", "duration", "error")
    RECORDING_ID_FIELD_NUMBER: _ClassVar[int]
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    DURATION_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    recording_id: str
    call_id: str
    duration: _duration_pb2.Duration
    error: str
    def __init__(self, recording_id: _Optional[str] = ..., call_id: _Optional[str] = ..., duration: _Optional[_Union[datetime.timedelta, _duration_pb2.Duration, _Mapping]] = ..., error: _Optional[str] = ...) -> None: ...

class DtmfEvent(_message.Message):
    __slots__ = ("leg_id", "digit")
    LEG_ID_FIELD_NUMBER: _ClassVar[int]
    DIGIT_FIELD_NUMBER: _ClassVar[int]
    leg_id: str
    digit: str
    def __init__(self, leg_id: _Optional[str] = ..., digit: _Optional[str] = ...) -> None: ...

class AttachSwitchRequest(_message.Message):
    __slots__ = ("name", "url", "sip_address")
    NAME_FIELD_NUMBER: _ClassVar[int]
    URL_FIELD_NUMBER: _ClassVar[int]
    SIP_ADDRESS_FIELD_NUMBER: _ClassVar[int]
    name: str
    url: str
    sip_address: str
    def __init__(self, name: _Optional[str] = ..., url: _Optional[str] = ..., sip_address: _Optional[str] = ...) -> None: ...

class AttachSwitchResponse(_message.Message):
    __slots__ = ("heartbeat_seconds",)
    HEARTBEAT_SECONDS_FIELD_NUMBER: _ClassVar[int]
    heartbeat_seconds: int
    def __init__(self, heartbeat_seconds: _Optional[int] = ...) -> None: ...
