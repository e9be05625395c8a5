"""watch_events and watch_events_async: a call-event stream that survives disconnects."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol

from connectrpc.code import Code
from connectrpc.errors import ConnectError

from switchboard.callcontrol.v1.call_control_service_pb2 import (
    Event,
    ListCallsRequest,
    ListCallsResponse,
    WatchEventsRequest,
    WatchEventsResponse,
)

if TYPE_CHECKING:
    from collections.abc import AsyncGenerator, AsyncIterator, Callable, Generator, Iterable, Iterator


class _SyncCalls(Protocol):
    """The part of ``CallControlServiceClientSync`` that watch_events uses."""

    def list_calls(self, request: ListCallsRequest, /) -> ListCallsResponse: ...

    def watch_events(self, request: WatchEventsRequest, /) -> Iterator[WatchEventsResponse]: ...


class _AsyncCalls(Protocol):
    """The part of ``CallControlServiceClient`` that watch_events_async uses."""

    async def list_calls(self, request: ListCallsRequest, /) -> ListCallsResponse: ...

    def watch_events(self, request: WatchEventsRequest, /) -> AsyncIterator[WatchEventsResponse]: ...


@dataclass(frozen=True)
class Backoff:
    """How long to wait between reconnection attempts: exponential backoff with jitter.

    The n-th consecutive failure waits ``min(max_delay, initial_delay *
    multiplier ** (n - 1))`` seconds, minus a random part of up to ``jitter``
    of that, so that many clients cut off at once do not reconnect in
    lockstep.

    Raises:
        ValueError: If a value is out of range.
    """

    initial_delay: float = 0.25
    """Delay after the first failure, in seconds."""
    max_delay: float = 30.0
    """Upper bound of every delay, in seconds."""
    multiplier: float = 2.0
    """Growth factor per consecutive failure, at least 1."""
    jitter: float = 0.5
    """Random fraction taken off each delay, from 0 (none) to 1 (anything up to the delay)."""
    max_attempts: int | None = None
    """Consecutive failed attempts after which the last error is raised; None never gives up.

    The count restarts with every event received, and after a connection
    that stayed up for ``reset_after``.
    """
    reset_after: float = 10.0
    """A connection up this long, in seconds, counts as healthy: the next failure waits ``initial_delay``."""

    def __post_init__(self) -> None:
        """Check the values."""
        ok = (
            0 <= self.initial_delay <= self.max_delay
            and self.multiplier >= 1
            and 0 <= self.jitter <= 1
            and (self.max_attempts is None or self.max_attempts >= 1)
            and self.reset_after >= 0
        )
        if not ok:
            msg = f"backoff values out of range: {self}"
            raise ValueError(msg)

    def delay(self, failures: int) -> float:
        """Return the jittered delay, in seconds, after ``failures`` consecutive failures (at least 1)."""
        base = min(self.max_delay, self.initial_delay * self.multiplier ** (failures - 1))
        return base * (1 - self.jitter * random.random())  # noqa: S311 (jitter, not cryptography)


@dataclass(frozen=True)
class ReconnectInfo:
    """What ``on_reconnect`` is told before each wait."""

    attempt: int
    """Consecutive failed attempts so far, from 1."""
    delay: float
    """How long the helper waits before reconnecting, in seconds."""
    error: ConnectError
    """Why the previous attempt ended."""
    after_sequence: int
    """The sequence the next attempt resumes after."""


OutOfRangeReason = Literal["pruned", "restarted"]
"""Why events cannot be resumed; see :attr:`EventsOutOfRangeError.reason`."""


class EventsOutOfRangeError(ConnectError):
    """The events after the iterator's position can no longer be delivered.

    Your view of the calls may be stale: re-list with ``ListCalls`` and
    watch again from the ``sequence`` it returns. It is a ``ConnectError``
    with ``Code.OUT_OF_RANGE``, so code that handles Connect errors
    generically keeps working.
    """

    after_sequence: int
    """The sequence the helper asked to resume after."""
    reason: OutOfRangeReason
    """``"pruned"``: the server no longer retains the events after
    ``after_sequence`` (it keeps at least the last 10,000).
    ``"restarted"``: the server's newest sequence is older than
    ``after_sequence``, so its event log started again (a server restart);
    the events of the new log up to ``after_sequence`` would otherwise be
    skipped silently."""

    def __init__(
        self, after_sequence: int, reason: OutOfRangeReason, cause: ConnectError | None = None
    ) -> None:
        """Create the error; ``cause`` is the server's OUT_OF_RANGE error, if it answered one."""
        if reason == "pruned":
            msg = f"events after sequence {after_sequence} are no longer retained; re-list with ListCalls"
        else:
            msg = f"the server's events restarted below sequence {after_sequence}; re-list with ListCalls"
        super().__init__(Code.OUT_OF_RANGE, msg, cause.details if cause else ())
        self.after_sequence = after_sequence
        self.reason = reason
        self.__cause__ = cause


_RETRYABLE = frozenset(
    {
        Code.UNAVAILABLE,
        Code.ABORTED,
        Code.CANCELED,
        Code.INTERNAL,
        Code.UNKNOWN,
        Code.DEADLINE_EXCEEDED,
    }
)


def is_retryable_error(error: ConnectError) -> bool:
    """Tell whether an error is worth a reconnect; the default ``retryable``.

    True for what a broken connection or a restarting server produce:
    ``UNAVAILABLE`` (connection refused, reset or closed), ``ABORTED`` and
    ``CANCELED`` (a stream or connection torn down; WatchEvents never
    answers them itself), ``INTERNAL`` and ``UNKNOWN`` (an HTTP/2 stream
    reset, a response cut off mid-message) and ``DEADLINE_EXCEEDED``. Errors
    the server answers on purpose (``UNAUTHENTICATED``,
    ``PERMISSION_DENIED``, ``INVALID_ARGUMENT`` …) are not retried.
    """
    return error.code in _RETRYABLE


class _Resumer:
    """The state both iterators share: position, failures, and what to do with an error."""

    def __init__(
        self,
        after_sequence: int,
        backoff: Backoff,
        retryable: Callable[[ConnectError], bool],
        on_reconnect: Callable[[ReconnectInfo], None] | None,
    ) -> None:
        self.last = after_sequence
        self.backoff = backoff
        self.retryable = retryable
        self.on_reconnect = on_reconnect
        self.failures = 0
        self.started = 0.0

    def begin(self) -> None:
        self.started = time.monotonic()

    def check_newest(self, newest: int) -> None:
        """Raise when the server's newest sequence is behind the position (it restarted)."""
        if newest < self.last:
            raise EventsOutOfRangeError(self.last, "restarted")

    def accept(self, response: WatchEventsResponse) -> Event | None:
        """Return the event to deliver, or None for a repeat of one already delivered."""
        event = response.event
        # The server never repeats an event after after_sequence; this keeps
        # that promise even if it did.
        if not response.HasField("event") or event.sequence <= self.last:
            return None
        self.last = event.sequence
        self.failures = 0
        return event

    def failed(self, error: ConnectError | None) -> float:
        """Decide after a failed or ended attempt: raise, or return the delay before the next."""
        if error is None:
            error = ConnectError(Code.UNAVAILABLE, "the server ended the event stream")
        elif error.code == Code.OUT_OF_RANGE:
            raise EventsOutOfRangeError(self.last, "pruned", error) from error
        elif not self.retryable(error):
            raise error
        if time.monotonic() - self.started >= self.backoff.reset_after:
            self.failures = 0  # it was up a good while
        self.failures += 1
        if self.backoff.max_attempts is not None and self.failures >= self.backoff.max_attempts:
            raise error
        delay = self.backoff.delay(self.failures)
        if self.on_reconnect is not None:
            self.on_reconnect(ReconnectInfo(self.failures, delay, error, self.last))
        return delay


def watch_events(
    client: _SyncCalls,
    *,
    lines: Iterable[str] = (),
    after_sequence: int = 0,
    backoff: Backoff | None = None,
    retryable: Callable[[ConnectError], bool] = is_retryable_error,
    on_reconnect: Callable[[ReconnectInfo], None] | None = None,
) -> Generator[Event, None, None]:
    """Follow ``CallControlService.WatchEvents``, resuming after disconnects.

    Yields events for as long as you iterate, reconnecting after a
    disconnect with exponential backoff and jitter and resuming after the
    last event it yielded, so that no event is lost or delivered twice
    across reconnects::

        calls = sb.calls.list_calls(ListCallsRequest())
        for event in watch_events(sb.calls, after_sequence=calls.sequence):
            print(event.sequence, event.line, event.WhichOneof("kind"))

    Events arrive in sequence order. Sequences are per server and increase
    by one per event, so with ``lines`` you see gaps: the events of other
    lines. Before connecting from a position other than 0, the helper asks
    ``ListCalls`` for the server's newest sequence, so that a restarted
    server (whose sequences start again at 1) is reported, unless it has
    already passed the position again. Leave the loop or call ``close()``
    on the generator to stop (the stream is closed); iteration blocks while
    no event comes, so use :func:`watch_events_async` when you need to
    cancel it from elsewhere.
    A connection that dies without the client noticing (no TCP reset)
    stays open: the stream has no heartbeat yet.

    Args:
        client: A ``CallControlServiceClientSync``, such as ``sb.calls``.
        lines: Only events of these lines (extensions); every line when empty.
        after_sequence: Yield the events after this sequence: the
            ``sequence`` of a ``ListCalls`` response to see every change
            after that snapshot, or the last sequence you processed. 0
            yields every event the server still retains, then live ones.
        backoff: Reconnection delays; ``Backoff()`` by default.
        retryable: Which errors are worth a reconnect; any other is raised.
        on_reconnect: Called before each wait, for logging and metrics.

    Yields:
        Each event once, in sequence order.

    Raises:
        EventsOutOfRangeError: When it cannot resume without a gap
            (``Code.OUT_OF_RANGE``): re-list with ``ListCalls`` and watch
            again from its ``sequence``.
        ConnectError: At once for an error ``retryable`` rejects (for
            example ``INVALID_ARGUMENT`` for a malformed line), or the last
            error after ``backoff.max_attempts`` failures in a row.
    """
    state = _Resumer(after_sequence, backoff or Backoff(), retryable, on_reconnect)
    lines = list(lines)
    while True:
        state.begin()
        error: ConnectError | None = None
        try:
            if state.last > 0:
                state.check_newest(client.list_calls(ListCallsRequest(lines=lines)).sequence)
            stream = client.watch_events(WatchEventsRequest(lines=lines, after_sequence=state.last))
            try:
                for response in stream:
                    if (event := state.accept(response)) is not None:
                        yield event
            finally:
                close = getattr(stream, "close", None)
                if close is not None:
                    close()
        except EventsOutOfRangeError:
            raise
        except ConnectError as e:
            error = e
        time.sleep(state.failed(error))


async def watch_events_async(
    client: _AsyncCalls,
    *,
    lines: Iterable[str] = (),
    after_sequence: int = 0,
    backoff: Backoff | None = None,
    retryable: Callable[[ConnectError], bool] = is_retryable_error,
    on_reconnect: Callable[[ReconnectInfo], None] | None = None,
) -> AsyncGenerator[Event, None]:
    """Follow ``CallControlService.WatchEvents`` with asyncio, resuming after disconnects.

    The asyncio twin of :func:`watch_events`, for a ``CallControlServiceClient``
    (``AsyncSwitchboard.calls``); it takes the same arguments and raises
    the same errors. Cancelling the task that iterates stops it at once,
    also while it waits to reconnect::

        calls = await sb.calls.list_calls(ListCallsRequest())
        async for event in watch_events_async(sb.calls, after_sequence=calls.sequence):
            print(event.sequence, event.line, event.WhichOneof("kind"))
    """
    state = _Resumer(after_sequence, backoff or Backoff(), retryable, on_reconnect)
    lines = list(lines)
    while True:
        state.begin()
        error: ConnectError | None = None
        try:
            if state.last > 0:
                listed = await client.list_calls(ListCallsRequest(lines=lines))
                state.check_newest(listed.sequence)
            stream = client.watch_events(WatchEventsRequest(lines=lines, after_sequence=state.last))
            try:
                async for response in stream:
                    if (event := state.accept(response)) is not None:
                        yield event
            finally:
                aclose = getattr(stream, "aclose", None)
                if aclose is not None:
                    await aclose()
        except EventsOutOfRangeError:
            raise
        except ConnectError as e:
            _raise_if_cancelling(e)
            error = e
        await asyncio.sleep(state.failed(error))


def _raise_if_cancelling(error: ConnectError) -> None:
    """Raise CancelledError when the current task is being cancelled.

    connectrpc turns the CancelledError of a cancelled call into a
    ``ConnectError`` with ``Code.CANCELED``; that must end the iteration,
    not start a reconnect.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError from error
