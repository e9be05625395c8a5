"""Switchboard and AsyncSwitchboard: every service client on one connection pool."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from connectrpc.client import ConnectClient, ConnectClientSync
from connectrpc.protocol import ProtocolType
from pyqwest import Client, HTTPTransport, HTTPVersion, SyncClient, SyncHTTPTransport

from switchboard.auth.v1.token_service_connect import (
    TokenServiceClient,
    TokenServiceClientSync,
)
from switchboard.callcontrol.v1.call_control_service_connect import (
    CallControlServiceClient,
    CallControlServiceClientSync,
)
from switchboard.config.v1.config_service_connect import (
    ConfigServiceClient,
    ConfigServiceClientSync,
)
from switchboard.system.v1.system_service_connect import (
    SystemServiceClient,
    SystemServiceClientSync,
)

from ._auth import BearerAuth, BearerAuthSync

if TYPE_CHECKING:
    from types import TracebackType
    from typing import Self

_C = TypeVar("_C", bound=ConnectClientSync)
_A = TypeVar("_A", bound=ConnectClient)

# How long AsyncSwitchboard.aclose() waits for the HTTP runtime to settle.
_CLOSE_GRACE_S = 0.05

WireProtocol = Literal["connect", "grpc", "grpc-web"]
"""How requests travel; the server accepts all three on one port.

``"connect"`` is the Connect protocol over HTTP/1.1, ``"grpc"`` is gRPC over
HTTP/2 (cleartext HTTP/2 for ``http://`` URLs) and ``"grpc-web"`` is
gRPC-Web over HTTP/1.1.
"""

_PROTOCOLS: dict[str, ProtocolType] = {
    "connect": ProtocolType.CONNECT,
    "grpc": ProtocolType.GRPC,
    "grpc-web": ProtocolType.GRPC_WEB,
}


def _protocol_type(protocol: str) -> ProtocolType:
    try:
        return _PROTOCOLS[protocol]
    except KeyError:
        msg = f"unknown protocol {protocol!r}; use one of {sorted(_PROTOCOLS)}"
        raise ValueError(msg) from None


def _transport_options(protocol: str, tls_ca_cert: bytes | None) -> dict[str, Any]:
    return {
        # gRPC needs HTTP/2; over http:// that means prior knowledge (h2c).
        "http_version": HTTPVersion.HTTP2 if protocol == "grpc" else None,
        "tls_ca_cert": tls_ca_cert,
        "tls_include_system_certs": tls_ca_cert is None,
    }


class Switchboard:
    """Synchronous clients for every Switchboard service.

    Create it with :func:`connect`. The clients share one HTTP transport,
    which :meth:`close` (or leaving a ``with`` block) releases.
    """

    config: ConfigServiceClientSync
    """Sites, servers, classes of service, users, devices, dial plan, change feed."""
    system: SystemServiceClientSync
    """Version, role and identity of the server answering."""
    tokens: TokenServiceClientSync
    """API bearer tokens (needs an admin token)."""
    calls: CallControlServiceClientSync
    """Third-party call control: place, drop, hold and transfer calls, follow every line.

    See :func:`switchboard_sdk.watch_events` for an event stream that survives disconnects.
    """

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        protocol: WireProtocol = "connect",
        timeout_ms: int | None = None,
        tls_ca_cert: bytes | None = None,
    ) -> None:
        """Create the clients; see :func:`connect` for the arguments."""
        kind = _protocol_type(protocol)
        self._transport = SyncHTTPTransport(**_transport_options(protocol, tls_ca_cert))
        http = SyncClient(self._transport)
        auth = () if token is None else (BearerAuthSync(token),)

        def make(cls: type[_C]) -> _C:
            return cls(
                base_url.rstrip("/"),
                protocol=kind,
                timeout_ms=timeout_ms,
                interceptors=auth,
                http_client=http,
            )

        self.config = make(ConfigServiceClientSync)
        self.system = make(SystemServiceClientSync)
        self.tokens = make(TokenServiceClientSync)
        self.calls = make(CallControlServiceClientSync)

    def close(self) -> None:
        """Close the clients and their HTTP transport. Idempotent."""
        for client in (self.config, self.system, self.tokens, self.calls):
            client.close()
        self._transport.close()

    def __enter__(self) -> Self:
        """Return self; :meth:`close` runs when the block ends."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the clients."""
        self.close()


class AsyncSwitchboard:
    """Asynchronous (asyncio) clients for every Switchboard service.

    Create it with :func:`connect_async`. The clients share one HTTP
    transport, which :meth:`aclose` (or leaving an ``async with`` block)
    releases.
    """

    config: ConfigServiceClient
    """Sites, servers, classes of service, users, devices, dial plan, change feed."""
    system: SystemServiceClient
    """Version, role and identity of the server answering."""
    tokens: TokenServiceClient
    """API bearer tokens (needs an admin token)."""
    calls: CallControlServiceClient
    """Third-party call control: place, drop, hold and transfer calls, follow every line.

    See :func:`switchboard_sdk.watch_events_async` for an event stream that survives disconnects.
    """

    def __init__(
        self,
        base_url: str,
        token: str | None,
        *,
        protocol: WireProtocol = "connect",
        timeout_ms: int | None = None,
        tls_ca_cert: bytes | None = None,
    ) -> None:
        """Create the clients; see :func:`connect_async` for the arguments."""
        kind = _protocol_type(protocol)
        self._transport = HTTPTransport(**_transport_options(protocol, tls_ca_cert))
        http = Client(self._transport)
        auth = () if token is None else (BearerAuth(token),)

        def make(cls: type[_A]) -> _A:
            return cls(
                base_url.rstrip("/"),
                protocol=kind,
                timeout_ms=timeout_ms,
                interceptors=auth,
                http_client=http,
            )

        self.config = make(ConfigServiceClient)
        self.system = make(SystemServiceClient)
        self.tokens = make(TokenServiceClient)
        self.calls = make(CallControlServiceClient)

    async def aclose(self) -> None:
        """Close the clients and their HTTP transport. Idempotent."""
        for client in (self.config, self.system, self.tokens, self.calls):
            await client.close()
        await self._transport.aclose()
        # pyqwest 0.12 finishes a cancelled streaming call (a watch stopped
        # with Ctrl-C) on its own threads; when the interpreter exits before
        # it is done, the process sometimes aborts (SIGABRT, "Fatal Python
        # error: Aborted"). Give it a moment while the event loop still runs.
        await asyncio.sleep(_CLOSE_GRACE_S)

    async def __aenter__(self) -> Self:
        """Return self; :meth:`aclose` runs when the block ends."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the clients."""
        await self.aclose()


def connect(
    base_url: str,
    token: str | None,
    *,
    protocol: WireProtocol = "connect",
    timeout_ms: int | None = None,
    tls_ca_cert: bytes | None = None,
) -> Switchboard:
    """Create synchronous clients for a Switchboard server.

    Args:
        base_url: The server's API URL, for example ``"https://pbx.example.com"``.
        token: API bearer token sent on every request, for example the
            content of the server's ``admin.token`` file. ``None`` sends no
            credentials; every RPC then fails with ``Code.UNAUTHENTICATED``.
        protocol: ``"connect"`` (default), ``"grpc"`` or ``"grpc-web"``.
        timeout_ms: Default deadline of every call, in milliseconds.
        tls_ca_cert: PEM CA certificate(s) to trust instead of the system's,
            for a server with a private certificate authority.

    Returns:
        A :class:`Switchboard`; use it in a ``with`` block or call ``close()``.

    Raises:
        ValueError: If the protocol is unknown.
    """
    return Switchboard(
        base_url, token, protocol=protocol, timeout_ms=timeout_ms, tls_ca_cert=tls_ca_cert
    )


def connect_async(
    base_url: str,
    token: str | None,
    *,
    protocol: WireProtocol = "connect",
    timeout_ms: int | None = None,
    tls_ca_cert: bytes | None = None,
) -> AsyncSwitchboard:
    """Create asyncio clients for a Switchboard server.

    Takes the same arguments as :func:`connect`.

    Returns:
        An :class:`AsyncSwitchboard`; use it in an ``async with`` block or
        await ``aclose()``.

    Raises:
        ValueError: If the protocol is unknown.
    """
    return AsyncSwitchboard(
        base_url, token, protocol=protocol, timeout_ms=timeout_ms, tls_ca_cert=tls_ca_cert
    )
