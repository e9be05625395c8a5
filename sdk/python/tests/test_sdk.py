"""End-to-end tests of switchboard_sdk against a real Switchboard HQ.

Every check runs with the synchronous and the asyncio clients, over each
protocol the server speaks. Each combination creates its own user, with a
4-digit extension that does not start with the trunk access code 9.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import pytest
from connectrpc.code import Code
from connectrpc.errors import ConnectError

from switchboard.config.v1 import config_service_pb2 as cfg
from switchboard.config.v1.common_pb2 import ServerRole
from switchboard.config.v1.device_pb2 import Device
from switchboard.config.v1.user_pb2 import User
from switchboard.system.v1.system_service_pb2 import GetInfoRequest, GetInfoResponse
from switchboard_sdk import (
    AsyncSwitchboard,
    Switchboard,
    WireProtocol,
    connect,
    connect_async,
    field_violations,
)

if TYPE_CHECKING:
    from conftest import Server

PROTOCOLS: list[WireProtocol] = ["connect", "grpc", "grpc-web"]
protocols = pytest.mark.parametrize("protocol", PROTOCOLS)


def extension(mode: int, protocol: WireProtocol) -> str:
    """A unique extension per client mode (0 sync, 1 async) and protocol."""
    return f"3{mode}{PROTOCOLS.index(protocol)}1"


def new_user(ext: str, site_id: str) -> cfg.CreateUserRequest:
    return cfg.CreateUserRequest(
        user=User(extension=ext, first_name="Grace", last_name="Hopper", site_id=site_id)
    )


def new_device(user_id: str, ext: str) -> cfg.CreateDeviceRequest:
    return cfg.CreateDeviceRequest(
        device=Device(
            user_id=user_id,
            sip_username=f"py-{ext}",
            password="correct-horse-battery",
            label="Desk phone",
        )
    )


def check_info(info: GetInfoResponse) -> None:
    assert info.role == ServerRole.SERVER_ROLE_HQ
    assert info.version
    assert info.server_id
    assert info.configuration_revision > 0


def check_bad_extension(err: ConnectError) -> None:
    assert err.code == Code.INVALID_ARGUMENT
    assert "user.extension" in err.message
    assert "user.extension" in [v.field for v in field_violations(err)]


# Synchronous client


@protocols
def test_get_info(server: Server, protocol: WireProtocol) -> None:
    with connect(server.url, server.token, protocol=protocol) as sb:
        check_info(sb.system.get_info(GetInfoRequest()))


@protocols
def test_user_and_device(server: Server, protocol: WireProtocol) -> None:
    ext = extension(0, protocol)
    with connect(server.url, server.token, protocol=protocol) as sb:
        site_id = only_site(sb)
        user = sb.config.create_user(new_user(ext, site_id)).user
        assert user.id and user.etag and user.extension == ext

        page = sb.config.list_users(cfg.ListUsersRequest(site_id=site_id, page_size=1000))
        assert [u.extension for u in page.users if u.id == user.id] == [ext]

        device = sb.config.create_device(new_device(user.id, ext)).device
        assert device.id and device.user_id == user.id
        assert device.password == "", "the password is write-only"


@protocols
def test_bad_extension(server: Server, protocol: WireProtocol) -> None:
    with connect(server.url, server.token, protocol=protocol) as sb:
        site_id = only_site(sb)
        with pytest.raises(ConnectError) as caught:
            sb.config.create_user(new_user("12a4", site_id))
        check_bad_extension(caught.value)


@protocols
@pytest.mark.parametrize("token", [None, "sbt_not-a-real-token"], ids=["none", "wrong"])
def test_unauthenticated(server: Server, protocol: WireProtocol, token: str | None) -> None:
    with connect(server.url, token, protocol=protocol) as sb:
        with pytest.raises(ConnectError) as caught:
            sb.system.get_info(GetInfoRequest())
        assert caught.value.code == Code.UNAUTHENTICATED


def only_site(sb: Switchboard) -> str:
    sites = sb.config.list_sites(cfg.ListSitesRequest()).sites
    assert len(sites) == 1
    return sites[0].id


# Asyncio client


@protocols
def test_async_get_info(server: Server, protocol: WireProtocol) -> None:
    async def run() -> None:
        async with connect_async(server.url, server.token, protocol=protocol) as sb:
            check_info(await sb.system.get_info(GetInfoRequest()))

    asyncio.run(run())


@protocols
def test_async_user_and_device(server: Server, protocol: WireProtocol) -> None:
    ext = extension(1, protocol)

    async def run() -> None:
        async with connect_async(server.url, server.token, protocol=protocol) as sb:
            site_id = await only_site_async(sb)
            user = (await sb.config.create_user(new_user(ext, site_id))).user
            assert user.id and user.etag and user.extension == ext

            req = cfg.ListUsersRequest(site_id=site_id, page_size=1000)
            page = await sb.config.list_users(req)
            assert [u.extension for u in page.users if u.id == user.id] == [ext]

            device = (await sb.config.create_device(new_device(user.id, ext))).device
            assert device.id and device.user_id == user.id
            assert device.password == ""

    asyncio.run(run())


@protocols
def test_async_bad_extension(server: Server, protocol: WireProtocol) -> None:
    async def run() -> None:
        async with connect_async(server.url, server.token, protocol=protocol) as sb:
            site_id = await only_site_async(sb)
            with pytest.raises(ConnectError) as caught:
                await sb.config.create_user(new_user("12a4", site_id))
            check_bad_extension(caught.value)

    asyncio.run(run())


@protocols
@pytest.mark.parametrize("token", [None, "sbt_not-a-real-token"], ids=["none", "wrong"])
def test_async_unauthenticated(server: Server, protocol: WireProtocol, token: str | None) -> None:
    async def run() -> None:
        async with connect_async(server.url, token, protocol=protocol) as sb:
            with pytest.raises(ConnectError) as caught:
                await sb.system.get_info(GetInfoRequest())
            assert caught.value.code == Code.UNAUTHENTICATED

    asyncio.run(run())


async def only_site_async(sb: AsyncSwitchboard) -> str:
    sites = (await sb.config.list_sites(cfg.ListSitesRequest())).sites
    assert len(sites) == 1
    return sites[0].id


def test_unknown_protocol() -> None:
    with pytest.raises(ValueError, match="unknown protocol"):
        connect("http://127.0.0.1:1", None, protocol="http3")  # type: ignore[arg-type]
