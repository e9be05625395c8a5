from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor

class DialingScope(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DIALING_SCOPE_UNSPECIFIED: _ClassVar[DialingScope]
    DIALING_SCOPE_INTERNAL: _ClassVar[DialingScope]
    DIALING_SCOPE_LOCAL: _ClassVar[DialingScope]
    DIALING_SCOPE_NATIONAL: _ClassVar[DialingScope]
    DIALING_SCOPE_INTERNATIONAL: _ClassVar[DialingScope]
    DIALING_SCOPE_ALL: _ClassVar[DialingScope]

class ServerRole(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SERVER_ROLE_UNSPECIFIED: _ClassVar[ServerRole]
    SERVER_ROLE_HQ: _ClassVar[ServerRole]
    SERVER_ROLE_DVS: _ClassVar[ServerRole]
DIALING_SCOPE_UNSPECIFIED: DialingScope
DIALING_SCOPE_INTERNAL: DialingScope
DIALING_SCOPE_LOCAL: DialingScope
DIALING_SCOPE_NATIONAL: DialingScope
DIALING_SCOPE_INTERNATIONAL: DialingScope
DIALING_SCOPE_ALL: DialingScope
SERVER_ROLE_UNSPECIFIED: ServerRole
SERVER_ROLE_HQ: ServerRole
SERVER_ROLE_DVS: ServerRole
