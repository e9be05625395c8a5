import datetime

from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class CallState(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CALL_STATE_UNSPECIFIED: _ClassVar[CallState]
    CALL_STATE_IDLE: _ClassVar[CallState]
    CALL_STATE_DIALING: _ClassVar[CallState]
    CALL_STATE_PROCEEDING: _ClassVar[CallState]
    CALL_STATE_RINGBACK: _ClassVar[CallState]
    CALL_STATE_OFFERING: _ClassVar[CallState]
    CALL_STATE_CONNECTED: _ClassVar[CallState]
    CALL_STATE_ON_HOLD: _ClassVar[CallState]
    CALL_STATE_ON_HOLD_PENDING_TRANSFER: _ClassVar[CallState]
    CALL_STATE_ON_HOLD_PENDING_CONFERENCE: _ClassVar[CallState]
    CALL_STATE_CONFERENCED: _ClassVar[CallState]
    CALL_STATE_DISCONNECTED: _ClassVar[CallState]

class DisconnectReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DISCONNECT_REASON_UNSPECIFIED: _ClassVar[DisconnectReason]
    DISCONNECT_REASON_NORMAL: _ClassVar[DisconnectReason]
    DISCONNECT_REASON_BUSY: _ClassVar[DisconnectReason]
    DISCONNECT_REASON_NO_ANSWER: _ClassVar[DisconnectReason]
    DISCONNECT_REASON_REJECTED: _ClassVar[DisconnectReason]
    DISCONNECT_REASON_UNREACHABLE: _ClassVar[DisconnectReason]
    DISCONNECT_REASON_TRANSFERRED: _ClassVar[DisconnectReason]
    DISCONNECT_REASON_PARKED: _ClassVar[DisconnectReason]
    DISCONNECT_REASON_FAILED: _ClassVar[DisconnectReason]

class Direction(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DIRECTION_UNSPECIFIED: _ClassVar[Direction]
    DIRECTION_INCOMING: _ClassVar[Direction]
    DIRECTION_OUTGOING: _ClassVar[Direction]

class Action(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ACTION_UNSPECIFIED: _ClassVar[Action]
    ACTION_DROP: _ClassVar[Action]
    ACTION_SEND_DIGITS: _ClassVar[Action]
    ACTION_HOLD: _ClassVar[Action]
    ACTION_RETRIEVE: _ClassVar[Action]
    ACTION_BLIND_TRANSFER: _ClassVar[Action]
    ACTION_REDIRECT: _ClassVar[Action]
    ACTION_PICKUP: _ClassVar[Action]
    ACTION_PARK: _ClassVar[Action]
    ACTION_CONSULT_TRANSFER: _ClassVar[Action]
    ACTION_COMPLETE_TRANSFER: _ClassVar[Action]
    ACTION_ANSWER: _ClassVar[Action]
    ACTION_PLAY: _ClassVar[Action]
    ACTION_RECORD: _ClassVar[Action]

class CompleteMode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COMPLETE_MODE_UNSPECIFIED: _ClassVar[CompleteMode]
    COMPLETE_MODE_TRANSFER: _ClassVar[CompleteMode]
    COMPLETE_MODE_CONFERENCE: _ClassVar[CompleteMode]

class CollectReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    COLLECT_REASON_UNSPECIFIED: _ClassVar[CollectReason]
    COLLECT_REASON_MAX_DIGITS: _ClassVar[CollectReason]
    COLLECT_REASON_TERMINATOR: _ClassVar[CollectReason]
    COLLECT_REASON_TIMEOUT: _ClassVar[CollectReason]
    COLLECT_REASON_HANGUP: _ClassVar[CollectReason]
CALL_STATE_UNSPECIFIED: CallState
CALL_STATE_IDLE: CallState
CALL_STATE_DIALING: CallState
CALL_STATE_PROCEEDING: CallState
CALL_STATE_RINGBACK: CallState
CALL_STATE_OFFERING: CallState
CALL_STATE_CONNECTED: CallState
CALL_STATE_ON_HOLD: CallState
CALL_STATE_ON_HOLD_PENDING_TRANSFER: CallState
CALL_STATE_ON_HOLD_PENDING_CONFERENCE: CallState
CALL_STATE_CONFERENCED: CallState
CALL_STATE_DISCONNECTED: CallState
DISCONNECT_REASON_UNSPECIFIED: DisconnectReason
DISCONNECT_REASON_NORMAL: DisconnectReason
DISCONNECT_REASON_BUSY: DisconnectReason
DISCONNECT_REASON_NO_ANSWER: DisconnectReason
DISCONNECT_REASON_REJECTED: DisconnectReason
DISCONNECT_REASON_UNREACHABLE: DisconnectReason
DISCONNECT_REASON_TRANSFERRED: DisconnectReason
DISCONNECT_REASON_PARKED: DisconnectReason
DISCONNECT_REASON_FAILED: DisconnectReason
DIRECTION_UNSPECIFIED: Direction
DIRECTION_INCOMING: Direction
DIRECTION_OUTGOING: Direction
ACTION_UNSPECIFIED: Action
ACTION_DROP: Action
ACTION_SEND_DIGITS: Action
ACTION_HOLD: Action
ACTION_RETRIEVE: Action
ACTION_BLIND_TRANSFER: Action
ACTION_REDIRECT: Action
ACTION_PICKUP: Action
ACTION_PARK: Action
ACTION_CONSULT_TRANSFER: Action
ACTION_COMPLETE_TRANSFER: Action
ACTION_ANSWER: Action
ACTION_PLAY: Action
ACTION_RECORD: Action
COMPLETE_MODE_UNSPECIFIED: CompleteMode
COMPLETE_MODE_TRANSFER: CompleteMode
COMPLETE_MODE_CONFERENCE: CompleteMode
COLLECT_REASON_UNSPECIFIED: CollectReason
COLLECT_REASON_MAX_DIGITS: CollectReason
COLLECT_REASON_TERMINATOR: CollectReason
COLLECT_REASON_TIMEOUT: CollectReason
COLLECT_REASON_HANGUP: CollectReason

class Party(_message.Message):
    __slots__ = ("number", "name")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    number: str
    name: str
    def __init__(self, number: _Optional[str] = ..., name: _Optional[str] = ...) -> None: ...

class Call(_message.Message):
    __slots__ = ("id", "line", "state", "parties", "direction", "disconnect_reason", "related_call_id", "start_time", "answer_time", "version", "allowed_actions", "dialed")
    ID_FIELD_NUMBER: _ClassVar[int]
    LINE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    PARTIES_FIELD_NUMBER: _ClassVar[int]
    DIRECTION_FIELD_NUMBER: _ClassVar[int]
    DISCONNECT_REASON_FIELD_NUMBER: _ClassVar[int]
    RELATED_CALL_ID_FIELD_NUMBER: _ClassVar[int]
    START_TIME_FIELD_NUMBER: _ClassVar[int]
    ANSWER_TIME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    ALLOWED_ACTIONS_FIELD_NUMBER: _ClassVar[int]
    DIALED_FIELD_NUMBER: _ClassVar[int]
    id: str
    line: str
    state: CallState
    parties: _containers.RepeatedCompositeFieldContainer[Party]
    direction: Direction
    disconnect_reason: DisconnectReason
    related_call_id: str
    start_time: _timestamp_pb2.Timestamp
    answer_time: _timestamp_pb2.Timestamp
    version: int
    allowed_actions: _containers.RepeatedScalarFieldContainer[Action]
    dialed: str
    def __init__(self, id: _Optional[str] = ..., line: _Optional[str] = ..., state: _Optional[_Union[CallState, str]] = ..., parties: _Optional[_Iterable[_Union[Party, _Mapping]]] = ..., direction: _Optional[_Union[Direction, str]] = ..., disconnect_reason: _Optional[_Union[DisconnectReason, str]] = ..., related_call_id: _Optional[str] = ..., start_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., answer_time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., version: _Optional[int] = ..., allowed_actions: _Optional[_Iterable[_Union[Action, str]]] = ..., dialed: _Optional[str] = ...) -> None: ...

class MakeCallRequest(_message.Message):
    __slots__ = ("line", "destination", "idempotency_key")
    LINE_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    line: str
    destination: str
    idempotency_key: str
    def __init__(self, line: _Optional[str] = ..., destination: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class MakeCallResponse(_message.Message):
    __slots__ = ("call",)
    CALL_FIELD_NUMBER: _ClassVar[int]
    call: Call
    def __init__(self, call: _Optional[_Union[Call, _Mapping]] = ...) -> None: ...

class DropRequest(_message.Message):
    __slots__ = ("call_id", "expected_version", "idempotency_key")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    expected_version: int
    idempotency_key: str
    def __init__(self, call_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class DropResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class SendDigitsRequest(_message.Message):
    __slots__ = ("call_id", "digits", "idempotency_key")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    DIGITS_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    digits: str
    idempotency_key: str
    def __init__(self, call_id: _Optional[str] = ..., digits: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class SendDigitsResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class HoldRequest(_message.Message):
    __slots__ = ("call_id", "expected_version", "idempotency_key")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    expected_version: int
    idempotency_key: str
    def __init__(self, call_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class HoldResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RetrieveRequest(_message.Message):
    __slots__ = ("call_id", "expected_version", "idempotency_key")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    expected_version: int
    idempotency_key: str
    def __init__(self, call_id: _Optional[str] = ..., expected_version: _Optional[int] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class RetrieveResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class BlindTransferRequest(_message.Message):
    __slots__ = ("call_id", "destination", "expected_version", "idempotency_key")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    destination: str
    expected_version: int
    idempotency_key: str
    def __init__(self, call_id: _Optional[str] = ..., destination: _Optional[str] = ..., expected_version: _Optional[int] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class BlindTransferResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class RedirectRequest(_message.Message):
    __slots__ = ("call_id", "destination", "idempotency_key")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    destination: str
    idempotency_key: str
    def __init__(self, call_id: _Optional[str] = ..., destination: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class RedirectResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class PickupRequest(_message.Message):
    __slots__ = ("line", "call_id", "idempotency_key")
    LINE_FIELD_NUMBER: _ClassVar[int]
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    line: str
    call_id: str
    idempotency_key: str
    def __init__(self, line: _Optional[str] = ..., call_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class PickupResponse(_message.Message):
    __slots__ = ("call_id",)
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    def __init__(self, call_id: _Optional[str] = ...) -> None: ...

class ParkRequest(_message.Message):
    __slots__ = ("call_id", "idempotency_key")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    idempotency_key: str
    def __init__(self, call_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ParkResponse(_message.Message):
    __slots__ = ("orbit",)
    ORBIT_FIELD_NUMBER: _ClassVar[int]
    orbit: str
    def __init__(self, orbit: _Optional[str] = ...) -> None: ...

class UnparkRequest(_message.Message):
    __slots__ = ("line", "orbit", "idempotency_key")
    LINE_FIELD_NUMBER: _ClassVar[int]
    ORBIT_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    line: str
    orbit: str
    idempotency_key: str
    def __init__(self, line: _Optional[str] = ..., orbit: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class UnparkResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ConsultTransferRequest(_message.Message):
    __slots__ = ("call_id", "destination", "expected_version", "idempotency_key")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    DESTINATION_FIELD_NUMBER: _ClassVar[int]
    EXPECTED_VERSION_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    destination: str
    expected_version: int
    idempotency_key: str
    def __init__(self, call_id: _Optional[str] = ..., destination: _Optional[str] = ..., expected_version: _Optional[int] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class ConsultTransferResponse(_message.Message):
    __slots__ = ("call",)
    CALL_FIELD_NUMBER: _ClassVar[int]
    call: Call
    def __init__(self, call: _Optional[_Union[Call, _Mapping]] = ...) -> None: ...

class CompleteTransferRequest(_message.Message):
    __slots__ = ("call_id", "mode", "idempotency_key")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    MODE_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    mode: CompleteMode
    idempotency_key: str
    def __init__(self, call_id: _Optional[str] = ..., mode: _Optional[_Union[CompleteMode, str]] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class CompleteTransferResponse(_message.Message):
    __slots__ = ("call",)
    CALL_FIELD_NUMBER: _ClassVar[int]
    call: Call
    def __init__(self, call: _Optional[_Union[Call, _Mapping]] = ...) -> None: ...

class AnswerRequest(_message.Message):
    __slots__ = ("call_id", "idempotency_key")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    idempotency_key: str
    def __init__(self, call_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class AnswerResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Tone(_message.Message):
    __slots__ = ("frequency_hz", "duration_ms")
    FREQUENCY_HZ_FIELD_NUMBER: _ClassVar[int]
    DURATION_MS_FIELD_NUMBER: _ClassVar[int]
    frequency_hz: int
    duration_ms: int
    def __init__(self, frequency_hz: _Optional[int] = ..., duration_ms: _Optional[int] = ...) -> None: ...

class PlayRequest(_message.Message):
    __slots__ = ("call_id", "tone", "wav", "interrupt_on_digit")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    TONE_FIELD_NUMBER: _ClassVar[int]
    WAV_FIELD_NUMBER: _ClassVar[int]
    INTERRUPT_ON_DIGIT_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    tone: Tone
    wav: bytes
    interrupt_on_digit: bool
    def __init__(self, call_id: _Optional[str] = ..., tone: _Optional[_Union[Tone, _Mapping]] = ..., wav: _Optional[bytes] = ..., interrupt_on_digit: _Optional[bool] = ...) -> None: ...

class PlayResponse(_message.Message):
    __slots__ = ("completed",)
    COMPLETED_FIELD_NUMBER: _ClassVar[int]
    completed: bool
    def __init__(self, completed: _Optional[bool] = ...) -> None: ...

class CollectDigitsRequest(_message.Message):
    __slots__ = ("call_id", "max_digits", "terminator", "inter_digit_timeout_ms", "overall_timeout_ms")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    MAX_DIGITS_FIELD_NUMBER: _ClassVar[int]
    TERMINATOR_FIELD_NUMBER: _ClassVar[int]
    INTER_DIGIT_TIMEOUT_MS_FIELD_NUMBER: _ClassVar[int]
    OVERALL_TIMEOUT_MS_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    max_digits: int
    terminator: str
    inter_digit_timeout_ms: int
    overall_timeout_ms: int
    def __init__(self, call_id: _Optional[str] = ..., max_digits: _Optional[int] = ..., terminator: _Optional[str] = ..., inter_digit_timeout_ms: _Optional[int] = ..., overall_timeout_ms: _Optional[int] = ...) -> None: ...

class CollectDigitsResponse(_message.Message):
    __slots__ = ("digits", "reason")
    DIGITS_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    digits: str
    reason: CollectReason
    def __init__(self, digits: _Optional[str] = ..., reason: _Optional[_Union[CollectReason, str]] = ...) -> None: ...

class StartRecordingRequest(_message.Message):
    __slots__ = ("call_id", "idempotency_key")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    idempotency_key: str
    def __init__(self, call_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class StartRecordingResponse(_message.Message):
    __slots__ = ("recording_id",)
    RECORDING_ID_FIELD_NUMBER: _ClassVar[int]
    recording_id: str
    def __init__(self, recording_id: _Optional[str] = ...) -> None: ...

class StopRecordingRequest(_message.Message):
    __slots__ = ("recording_id", "idempotency_key")
    RECORDING_ID_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    recording_id: str
    idempotency_key: str
    def __init__(self, recording_id: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class StopRecordingResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class DownloadRecordingRequest(_message.Message):
    __slots__ = ("recording_id",)
    RECORDING_ID_FIELD_NUMBER: _ClassVar[int]
    recording_id: str
    def __init__(self, recording_id: _Optional[str] = ...) -> None: ...

class DownloadRecordingResponse(_message.Message):
    __slots__ = ("chunk",)
    CHUNK_FIELD_NUMBER: _ClassVar[int]
    chunk: bytes
    def __init__(self, chunk: _Optional[bytes] = ...) -> None: ...

class RegistrationEvent(_message.Message):
    __slots__ = ("device_id", "sip_username", "contact", "user_agent", "registered")
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    SIP_USERNAME_FIELD_NUMBER: _ClassVar[int]
    CONTACT_FIELD_NUMBER: _ClassVar[int]
    USER_AGENT_FIELD_NUMBER: _ClassVar[int]
    REGISTERED_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    sip_username: str
    contact: str
    user_agent: str
    registered: bool
    def __init__(self, device_id: _Optional[str] = ..., sip_username: _Optional[str] = ..., contact: _Optional[str] = ..., user_agent: _Optional[str] = ..., registered: _Optional[bool] = ...) -> None: ...

class RecordingEvent(_message.Message):
    __slots__ = ("recording_id", "call_id", "duration_ms", "error")
    RECORDING_ID_FIELD_NUMBER: _ClassVar[int]
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    DURATION_MS_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    recording_id: str
    call_id: str
    duration_ms: int
    error: str
    def __init__(self, recording_id: _Optional[str] = ..., call_id: _Optional[str] = ..., duration_ms: _Optional[int] = ..., error: _Optional[str] = ...) -> None: ...

class GetCallRequest(_message.Message):
    __slots__ = ("call_id",)
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    def __init__(self, call_id: _Optional[str] = ...) -> None: ...

class GetCallResponse(_message.Message):
    __slots__ = ("call",)
    CALL_FIELD_NUMBER: _ClassVar[int]
    call: Call
    def __init__(self, call: _Optional[_Union[Call, _Mapping]] = ...) -> None: ...

class ListCallsRequest(_message.Message):
    __slots__ = ("lines",)
    LINES_FIELD_NUMBER: _ClassVar[int]
    lines: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, lines: _Optional[_Iterable[str]] = ...) -> None: ...

class ListCallsResponse(_message.Message):
    __slots__ = ("calls", "sequence")
    CALLS_FIELD_NUMBER: _ClassVar[int]
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    calls: _containers.RepeatedCompositeFieldContainer[Call]
    sequence: int
    def __init__(self, calls: _Optional[_Iterable[_Union[Call, _Mapping]]] = ..., sequence: _Optional[int] = ...) -> None: ...

class WatchEventsRequest(_message.Message):
    __slots__ = ("lines", "after_sequence")
    LINES_FIELD_NUMBER: _ClassVar[int]
    AFTER_SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    lines: _containers.RepeatedScalarFieldContainer[str]
    after_sequence: int
    def __init__(self, lines: _Optional[_Iterable[str]] = ..., after_sequence: _Optional[int] = ...) -> None: ...

class WatchEventsResponse(_message.Message):
    __slots__ = ("event",)
    EVENT_FIELD_NUMBER: _ClassVar[int]
    event: Event
    def __init__(self, event: _Optional[_Union[Event, _Mapping]] = ...) -> None: ...

class Event(_message.Message):
    __slots__ = ("sequence", "time", "line", "call", "digit", "recording", "registration")
    SEQUENCE_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    LINE_FIELD_NUMBER: _ClassVar[int]
    CALL_FIELD_NUMBER: _ClassVar[int]
    DIGIT_FIELD_NUMBER: _ClassVar[int]
    RECORDING_FIELD_NUMBER: _ClassVar[int]
    REGISTRATION_FIELD_NUMBER: _ClassVar[int]
    sequence: int
    time: _timestamp_pb2.Timestamp
    line: str
    call: Call
    digit: DigitEvent
    recording: RecordingEvent
    registration: RegistrationEvent
    def __init__(self, sequence: _Optional[int] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., line: _Optional[str] = ..., call: _Optional[_Union[Call, _Mapping]] = ..., digit: _Optional[_Union[DigitEvent, _Mapping]] = ..., recording: _Optional[_Union[RecordingEvent, _Mapping]] = ..., registration: _Optional[_Union[RegistrationEvent, _Mapping]] = ...) -> None: ...

class DigitEvent(_message.Message):
    __slots__ = ("call_id", "digit")
    CALL_ID_FIELD_NUMBER: _ClassVar[int]
    DIGIT_FIELD_NUMBER: _ClassVar[int]
    call_id: str
    digit: str
    def __init__(self, call_id: _Optional[str] = ..., digit: _Optional[str] = ...) -> None: ...
