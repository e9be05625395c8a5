import datetime

from buf.validate import validate_pb2 as _validate_pb2
from google.protobuf import field_mask_pb2 as _field_mask_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from switchboard.config.v1 import class_of_service_pb2 as _class_of_service_pb2
from switchboard.config.v1 import device_pb2 as _device_pb2
from switchboard.config.v1 import dial_plan_pb2 as _dial_plan_pb2
from switchboard.config.v1 import route_point_pb2 as _route_point_pb2
from switchboard.config.v1 import server_pb2 as _server_pb2
from switchboard.config.v1 import site_pb2 as _site_pb2
from switchboard.config.v1 import user_pb2 as _user_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class ResourceType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    RESOURCE_TYPE_UNSPECIFIED: _ClassVar[ResourceType]
    RESOURCE_TYPE_SITE: _ClassVar[ResourceType]
    RESOURCE_TYPE_SERVER: _ClassVar[ResourceType]
    RESOURCE_TYPE_CLASS_OF_SERVICE: _ClassVar[ResourceType]
    RESOURCE_TYPE_USER: _ClassVar[ResourceType]
    RESOURCE_TYPE_DEVICE: _ClassVar[ResourceType]
    RESOURCE_TYPE_DIAL_PLAN: _ClassVar[ResourceType]
    RESOURCE_TYPE_ROUTE_POINT: _ClassVar[ResourceType]

class Operation(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    OPERATION_UNSPECIFIED: _ClassVar[Operation]
    OPERATION_CREATED: _ClassVar[Operation]
    OPERATION_UPDATED: _ClassVar[Operation]
    OPERATION_DELETED: _ClassVar[Operation]
RESOURCE_TYPE_UNSPECIFIED: ResourceType
RESOURCE_TYPE_SITE: ResourceType
RESOURCE_TYPE_SERVER: ResourceType
RESOURCE_TYPE_CLASS_OF_SERVICE: ResourceType
RESOURCE_TYPE_USER: ResourceType
RESOURCE_TYPE_DEVICE: ResourceType
RESOURCE_TYPE_DIAL_PLAN: ResourceType
RESOURCE_TYPE_ROUTE_POINT: ResourceType
OPERATION_UNSPECIFIED: Operation
OPERATION_CREATED: Operation
OPERATION_UPDATED: Operation
OPERATION_DELETED: Operation

class GetSiteRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetSiteResponse(_message.Message):
    __slots__ = ("site",)
    SITE_FIELD_NUMBER: _ClassVar[int]
    site: _site_pb2.Site
    def __init__(self, site: _Optional[_Union[_site_pb2.Site, _Mapping]] = ...) -> None: ...

class ListSitesRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListSitesResponse(_message.Message):
    __slots__ = ("sites", "next_page_token")
    SITES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    sites: _containers.RepeatedCompositeFieldContainer[_site_pb2.Site]
    next_page_token: str
    def __init__(self, sites: _Optional[_Iterable[_Union[_site_pb2.Site, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CreateSiteRequest(_message.Message):
    __slots__ = ("site",)
    SITE_FIELD_NUMBER: _ClassVar[int]
    site: _site_pb2.Site
    def __init__(self, site: _Optional[_Union[_site_pb2.Site, _Mapping]] = ...) -> None: ...

class CreateSiteResponse(_message.Message):
    __slots__ = ("site",)
    SITE_FIELD_NUMBER: _ClassVar[int]
    site: _site_pb2.Site
    def __init__(self, site: _Optional[_Union[_site_pb2.Site, _Mapping]] = ...) -> None: ...

class UpdateSiteRequest(_message.Message):
    __slots__ = ("site", "update_mask")
    SITE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    site: _site_pb2.Site
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, site: _Optional[_Union[_site_pb2.Site, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateSiteResponse(_message.Message):
    __slots__ = ("site",)
    SITE_FIELD_NUMBER: _ClassVar[int]
    site: _site_pb2.Site
    def __init__(self, site: _Optional[_Union[_site_pb2.Site, _Mapping]] = ...) -> None: ...

class DeleteSiteRequest(_message.Message):
    __slots__ = ("id", "etag")
    ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    id: str
    etag: str
    def __init__(self, id: _Optional[str] = ..., etag: _Optional[str] = ...) -> None: ...

class DeleteSiteResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetServerRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetServerResponse(_message.Message):
    __slots__ = ("server",)
    SERVER_FIELD_NUMBER: _ClassVar[int]
    server: _server_pb2.Server
    def __init__(self, server: _Optional[_Union[_server_pb2.Server, _Mapping]] = ...) -> None: ...

class ListServersRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "site_id")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SITE_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    site_id: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., site_id: _Optional[str] = ...) -> None: ...

class ListServersResponse(_message.Message):
    __slots__ = ("servers", "next_page_token")
    SERVERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    servers: _containers.RepeatedCompositeFieldContainer[_server_pb2.Server]
    next_page_token: str
    def __init__(self, servers: _Optional[_Iterable[_Union[_server_pb2.Server, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class UpdateServerRequest(_message.Message):
    __slots__ = ("server", "update_mask")
    SERVER_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    server: _server_pb2.Server
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, server: _Optional[_Union[_server_pb2.Server, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateServerResponse(_message.Message):
    __slots__ = ("server",)
    SERVER_FIELD_NUMBER: _ClassVar[int]
    server: _server_pb2.Server
    def __init__(self, server: _Optional[_Union[_server_pb2.Server, _Mapping]] = ...) -> None: ...

class GetClassOfServiceRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetClassOfServiceResponse(_message.Message):
    __slots__ = ("class_of_service",)
    CLASS_OF_SERVICE_FIELD_NUMBER: _ClassVar[int]
    class_of_service: _class_of_service_pb2.ClassOfService
    def __init__(self, class_of_service: _Optional[_Union[_class_of_service_pb2.ClassOfService, _Mapping]] = ...) -> None: ...

class ListClassesOfServiceRequest(_message.Message):
    __slots__ = ("page_size", "page_token")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListClassesOfServiceResponse(_message.Message):
    __slots__ = ("classes_of_service", "next_page_token")
    CLASSES_OF_SERVICE_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    classes_of_service: _containers.RepeatedCompositeFieldContainer[_class_of_service_pb2.ClassOfService]
    next_page_token: str
    def __init__(self, classes_of_service: _Optional[_Iterable[_Union[_class_of_service_pb2.ClassOfService, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CreateClassOfServiceRequest(_message.Message):
    __slots__ = ("class_of_service",)
    CLASS_OF_SERVICE_FIELD_NUMBER: _ClassVar[int]
    class_of_service: _class_of_service_pb2.ClassOfService
    def __init__(self, class_of_service: _Optional[_Union[_class_of_service_pb2.ClassOfService, _Mapping]] = ...) -> None: ...

class CreateClassOfServiceResponse(_message.Message):
    __slots__ = ("class_of_service",)
    CLASS_OF_SERVICE_FIELD_NUMBER: _ClassVar[int]
    class_of_service: _class_of_service_pb2.ClassOfService
    def __init__(self, class_of_service: _Optional[_Union[_class_of_service_pb2.ClassOfService, _Mapping]] = ...) -> None: ...

class UpdateClassOfServiceRequest(_message.Message):
    __slots__ = ("class_of_service", "update_mask")
    CLASS_OF_SERVICE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    class_of_service: _class_of_service_pb2.ClassOfService
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, class_of_service: _Optional[_Union[_class_of_service_pb2.ClassOfService, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateClassOfServiceResponse(_message.Message):
    __slots__ = ("class_of_service",)
    CLASS_OF_SERVICE_FIELD_NUMBER: _ClassVar[int]
    class_of_service: _class_of_service_pb2.ClassOfService
    def __init__(self, class_of_service: _Optional[_Union[_class_of_service_pb2.ClassOfService, _Mapping]] = ...) -> None: ...

class DeleteClassOfServiceRequest(_message.Message):
    __slots__ = ("id", "etag")
    ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    id: str
    etag: str
    def __init__(self, id: _Optional[str] = ..., etag: _Optional[str] = ...) -> None: ...

class DeleteClassOfServiceResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetUserRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetUserResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _user_pb2.User
    def __init__(self, user: _Optional[_Union[_user_pb2.User, _Mapping]] = ...) -> None: ...

class ListUsersRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "site_id", "class_of_service_id")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SITE_ID_FIELD_NUMBER: _ClassVar[int]
    CLASS_OF_SERVICE_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    site_id: str
    class_of_service_id: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., site_id: _Optional[str] = ..., class_of_service_id: _Optional[str] = ...) -> None: ...

class ListUsersResponse(_message.Message):
    __slots__ = ("users", "next_page_token")
    USERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    users: _containers.RepeatedCompositeFieldContainer[_user_pb2.User]
    next_page_token: str
    def __init__(self, users: _Optional[_Iterable[_Union[_user_pb2.User, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CreateUserRequest(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _user_pb2.User
    def __init__(self, user: _Optional[_Union[_user_pb2.User, _Mapping]] = ...) -> None: ...

class CreateUserResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _user_pb2.User
    def __init__(self, user: _Optional[_Union[_user_pb2.User, _Mapping]] = ...) -> None: ...

class UpdateUserRequest(_message.Message):
    __slots__ = ("user", "update_mask")
    USER_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    user: _user_pb2.User
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, user: _Optional[_Union[_user_pb2.User, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateUserResponse(_message.Message):
    __slots__ = ("user",)
    USER_FIELD_NUMBER: _ClassVar[int]
    user: _user_pb2.User
    def __init__(self, user: _Optional[_Union[_user_pb2.User, _Mapping]] = ...) -> None: ...

class DeleteUserRequest(_message.Message):
    __slots__ = ("id", "etag")
    ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    id: str
    etag: str
    def __init__(self, id: _Optional[str] = ..., etag: _Optional[str] = ...) -> None: ...

class DeleteUserResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetDeviceRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetDeviceResponse(_message.Message):
    __slots__ = ("device",)
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    device: _device_pb2.Device
    def __init__(self, device: _Optional[_Union[_device_pb2.Device, _Mapping]] = ...) -> None: ...

class ListDevicesRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "user_id")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    user_id: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., user_id: _Optional[str] = ...) -> None: ...

class ListDevicesResponse(_message.Message):
    __slots__ = ("devices", "next_page_token")
    DEVICES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    devices: _containers.RepeatedCompositeFieldContainer[_device_pb2.Device]
    next_page_token: str
    def __init__(self, devices: _Optional[_Iterable[_Union[_device_pb2.Device, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CreateDeviceRequest(_message.Message):
    __slots__ = ("device",)
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    device: _device_pb2.Device
    def __init__(self, device: _Optional[_Union[_device_pb2.Device, _Mapping]] = ...) -> None: ...

class CreateDeviceResponse(_message.Message):
    __slots__ = ("device",)
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    device: _device_pb2.Device
    def __init__(self, device: _Optional[_Union[_device_pb2.Device, _Mapping]] = ...) -> None: ...

class UpdateDeviceRequest(_message.Message):
    __slots__ = ("device", "update_mask")
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    device: _device_pb2.Device
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, device: _Optional[_Union[_device_pb2.Device, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateDeviceResponse(_message.Message):
    __slots__ = ("device",)
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    device: _device_pb2.Device
    def __init__(self, device: _Optional[_Union[_device_pb2.Device, _Mapping]] = ...) -> None: ...

class DeleteDeviceRequest(_message.Message):
    __slots__ = ("id", "etag")
    ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    id: str
    etag: str
    def __init__(self, id: _Optional[str] = ..., etag: _Optional[str] = ...) -> None: ...

class DeleteDeviceResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetRoutePointRequest(_message.Message):
    __slots__ = ("id",)
    ID_FIELD_NUMBER: _ClassVar[int]
    id: str
    def __init__(self, id: _Optional[str] = ...) -> None: ...

class GetRoutePointResponse(_message.Message):
    __slots__ = ("route_point",)
    ROUTE_POINT_FIELD_NUMBER: _ClassVar[int]
    route_point: _route_point_pb2.RoutePoint
    def __init__(self, route_point: _Optional[_Union[_route_point_pb2.RoutePoint, _Mapping]] = ...) -> None: ...

class ListRoutePointsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "site_id")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    SITE_ID_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    site_id: str
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., site_id: _Optional[str] = ...) -> None: ...

class ListRoutePointsResponse(_message.Message):
    __slots__ = ("route_points", "next_page_token")
    ROUTE_POINTS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    route_points: _containers.RepeatedCompositeFieldContainer[_route_point_pb2.RoutePoint]
    next_page_token: str
    def __init__(self, route_points: _Optional[_Iterable[_Union[_route_point_pb2.RoutePoint, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class CreateRoutePointRequest(_message.Message):
    __slots__ = ("route_point",)
    ROUTE_POINT_FIELD_NUMBER: _ClassVar[int]
    route_point: _route_point_pb2.RoutePoint
    def __init__(self, route_point: _Optional[_Union[_route_point_pb2.RoutePoint, _Mapping]] = ...) -> None: ...

class CreateRoutePointResponse(_message.Message):
    __slots__ = ("route_point",)
    ROUTE_POINT_FIELD_NUMBER: _ClassVar[int]
    route_point: _route_point_pb2.RoutePoint
    def __init__(self, route_point: _Optional[_Union[_route_point_pb2.RoutePoint, _Mapping]] = ...) -> None: ...

class UpdateRoutePointRequest(_message.Message):
    __slots__ = ("route_point", "update_mask")
    ROUTE_POINT_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    route_point: _route_point_pb2.RoutePoint
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, route_point: _Optional[_Union[_route_point_pb2.RoutePoint, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateRoutePointResponse(_message.Message):
    __slots__ = ("route_point",)
    ROUTE_POINT_FIELD_NUMBER: _ClassVar[int]
    route_point: _route_point_pb2.RoutePoint
    def __init__(self, route_point: _Optional[_Union[_route_point_pb2.RoutePoint, _Mapping]] = ...) -> None: ...

class DeleteRoutePointRequest(_message.Message):
    __slots__ = ("id", "etag")
    ID_FIELD_NUMBER: _ClassVar[int]
    ETAG_FIELD_NUMBER: _ClassVar[int]
    id: str
    etag: str
    def __init__(self, id: _Optional[str] = ..., etag: _Optional[str] = ...) -> None: ...

class DeleteRoutePointResponse(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetDialPlanRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class GetDialPlanResponse(_message.Message):
    __slots__ = ("dial_plan",)
    DIAL_PLAN_FIELD_NUMBER: _ClassVar[int]
    dial_plan: _dial_plan_pb2.DialPlan
    def __init__(self, dial_plan: _Optional[_Union[_dial_plan_pb2.DialPlan, _Mapping]] = ...) -> None: ...

class UpdateDialPlanRequest(_message.Message):
    __slots__ = ("dial_plan", "update_mask")
    DIAL_PLAN_FIELD_NUMBER: _ClassVar[int]
    UPDATE_MASK_FIELD_NUMBER: _ClassVar[int]
    dial_plan: _dial_plan_pb2.DialPlan
    update_mask: _field_mask_pb2.FieldMask
    def __init__(self, dial_plan: _Optional[_Union[_dial_plan_pb2.DialPlan, _Mapping]] = ..., update_mask: _Optional[_Union[_field_mask_pb2.FieldMask, _Mapping]] = ...) -> None: ...

class UpdateDialPlanResponse(_message.Message):
    __slots__ = ("dial_plan",)
    DIAL_PLAN_FIELD_NUMBER: _ClassVar[int]
    dial_plan: _dial_plan_pb2.DialPlan
    def __init__(self, dial_plan: _Optional[_Union[_dial_plan_pb2.DialPlan, _Mapping]] = ...) -> None: ...

class WatchChangesRequest(_message.Message):
    __slots__ = ("after_revision",)
    AFTER_REVISION_FIELD_NUMBER: _ClassVar[int]
    after_revision: int
    def __init__(self, after_revision: _Optional[int] = ...) -> None: ...

class WatchChangesResponse(_message.Message):
    __slots__ = ("change",)
    CHANGE_FIELD_NUMBER: _ClassVar[int]
    change: Change
    def __init__(self, change: _Optional[_Union[Change, _Mapping]] = ...) -> None: ...

class Change(_message.Message):
    __slots__ = ("revision", "time", "resource_type", "resource_id", "operation", "site", "server", "class_of_service", "user", "device", "dial_plan", "route_point")
    REVISION_FIELD_NUMBER: _ClassVar[int]
    TIME_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_TYPE_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_ID_FIELD_NUMBER: _ClassVar[int]
    OPERATION_FIELD_NUMBER: _ClassVar[int]
    SITE_FIELD_NUMBER: _ClassVar[int]
    SERVER_FIELD_NUMBER: _ClassVar[int]
    CLASS_OF_SERVICE_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    DIAL_PLAN_FIELD_NUMBER: _ClassVar[int]
    ROUTE_POINT_FIELD_NUMBER: _ClassVar[int]
    revision: int
    time: _timestamp_pb2.Timestamp
    resource_type: ResourceType
    resource_id: str
    operation: Operation
    site: _site_pb2.Site
    server: _server_pb2.Server
    class_of_service: _class_of_service_pb2.ClassOfService
    user: _user_pb2.User
    device: _device_pb2.Device
    dial_plan: _dial_plan_pb2.DialPlan
    route_point: _route_point_pb2.RoutePoint
    def __init__(self, revision: _Optional[int] = ..., time: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., resource_type: _Optional[_Union[ResourceType, str]] = ..., resource_id: _Optional[str] = ..., operation: _Optional[_Union[Operation, str]] = ..., site: _Optional[_Union[_site_pb2.Site, _Mapping]] = ..., server: _Optional[_Union[_server_pb2.Server, _Mapping]] = ..., class_of_service: _Optional[_Union[_class_of_service_pb2.ClassOfService, _Mapping]] = ..., user: _Optional[_Union[_user_pb2.User, _Mapping]] = ..., device: _Optional[_Union[_device_pb2.Device, _Mapping]] = ..., dial_plan: _Optional[_Union[_dial_plan_pb2.DialPlan, _Mapping]] = ..., route_point: _Optional[_Union[_route_point_pb2.RoutePoint, _Mapping]] = ...) -> None: ...
