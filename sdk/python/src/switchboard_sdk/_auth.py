"""Interceptors that send the API bearer token."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from connectrpc.request import RequestContext

_HEADER = "authorization"


class BearerAuthSync:
    """Sends ``Authorization: Bearer <token>`` on every synchronous call.

    A header the caller passes explicitly (``headers=`` on a call) wins.
    Pass it in ``interceptors=`` of a generated ``*ClientSync`` when you
    build clients yourself; :func:`switchboard_sdk.connect` does it for you.
    """

    def __init__(self, token: str) -> None:
        """Create the interceptor for the token's secret."""
        self._value = f"Bearer {token}"

    def on_start_sync(self, ctx: RequestContext[Any, Any], /) -> None:
        """Add the header to the outgoing request."""
        ctx.request_headers.setdefault(_HEADER, self._value)

    def on_end_sync(
        self, token: None, ctx: RequestContext[Any, Any], error: Exception | None, /
    ) -> None:
        """Do nothing; part of the interceptor protocol."""


class BearerAuth:
    """Sends ``Authorization: Bearer <token>`` on every asynchronous call.

    The asyncio counterpart of :class:`BearerAuthSync`, for the generated
    ``*Client`` classes.
    """

    def __init__(self, token: str) -> None:
        """Create the interceptor for the token's secret."""
        self._value = f"Bearer {token}"

    async def on_start(self, ctx: RequestContext[Any, Any], /) -> None:
        """Add the header to the outgoing request."""
        ctx.request_headers.setdefault(_HEADER, self._value)

    async def on_end(
        self, token: None, ctx: RequestContext[Any, Any], error: Exception | None, /
    ) -> None:
        """Do nothing; part of the interceptor protocol."""
