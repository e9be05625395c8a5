"""Unit tests of watch_events and watch_events_async against fake clients.

They cover resuming, backoff, the typed OUT_OF_RANGE error and stopping,
with failures a real server cannot be made to produce on demand. No
server is needed.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest
from connectrpc.code import Code
from connectrpc.errors import ConnectError

from switchboard.callcontrol.v1.call_control_service_pb2 import (
    Event,
    ListCallsRequest,
    ListCallsResponse,
    WatchEventsRequest,
    WatchEventsResponse,
)
from switchboard_sdk import (
    Backoff,
    EventsOutOfRangeError,
    ReconnectInfo,
    is_retryable_error,
    watch_events,
    watch_events_async,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterator

FAST = Backoff(initial_delay=0.001, max_delay=0.005)
DROP = ConnectError(Code.UNAVAILABLE, "connection reset")

# What one WatchEvents call does: the sequences it sends, then an error to
# raise, None to end the stream (the server closed it), or HANG to wait
# for more (asyncio only).
HANG = ConnectError(Code.UNKNOWN, "hang")
Step = tuple[list[int], ConnectError | None]


@dataclass
class Fake:
    """A CallControlService client with scripted streams, sync and async."""

    steps: list[Step]
    newest: Callable[[], int] = lambda: 1_000
    requests: list[WatchEventsRequest] = field(default_factory=list)
    lists: list[ListCallsRequest] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)

    def list_calls(self, request: ListCallsRequest, /) -> ListCallsResponse:
        self.lists.append(request)
        return ListCallsResponse(sequence=self.newest())

    def watch_events(self, request: WatchEventsRequest, /) -> Iterator[WatchEventsResponse]:
        attempt = len(self.requests)
        self.requests.append(request)
        sequences, then = self.steps[min(attempt, len(self.steps) - 1)]
        try:
            for s in sequences:
                yield WatchEventsResponse(event=Event(sequence=s, line="2001"))
            if then is not None:
                raise then
        finally:
            self.closed.append(attempt)


class AsyncFake:
    """The asyncio face of a Fake."""

    def __init__(self, fake: Fake) -> None:
        self.fake = fake

    async def list_calls(self, request: ListCallsRequest, /) -> ListCallsResponse:
        return self.fake.list_calls(request)

    async def watch_events(self, request: WatchEventsRequest, /) -> AsyncIterator[WatchEventsResponse]:
        try:
            for response in self.fake.watch_events(request):
                await asyncio.sleep(0)
                yield response
        except ConnectError as e:
            if e is not HANG:
                raise
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                # What connectrpc does with a cancelled call.
                raise ConnectError(Code.CANCELED, "Request was cancelled") from None


def take(events: Iterator[Event], n: int) -> list[int]:
    out = []
    for ev in events:
        out.append(ev.sequence)
        if len(out) == n:
            break
    return out


async def take_async(events: AsyncIterator[Event], n: int) -> list[int]:
    out = []
    async for ev in events:
        out.append(ev.sequence)
        if len(out) == n:
            break
    return out


RESUME_STEPS: list[Step] = [
    ([1, 2, 3], DROP),
    ([3, 4, 5], ConnectError(Code.ABORTED, "read ECONNRESET")),  # 3 again: not delivered twice
    ([6], None),  # the server ended the stream
    ([7], None),
]


def test_resumes_without_duplicates_or_gaps() -> None:
    fake = Fake(RESUME_STEPS)
    reconnects: list[ReconnectInfo] = []
    events = watch_events(fake, backoff=FAST, on_reconnect=reconnects.append)
    assert take(events, 7) == [1, 2, 3, 4, 5, 6, 7]
    events.close()
    assert [r.after_sequence for r in fake.requests] == [0, 3, 5, 6]
    assert [(r.attempt, r.after_sequence, r.error.code) for r in reconnects] == [
        (1, 3, Code.UNAVAILABLE),
        (1, 5, Code.ABORTED),
        (1, 6, Code.UNAVAILABLE),
    ], "an event received resets the attempt count"
    assert fake.closed == [0, 1, 2, 3], "every stream is closed, the last when the loop is left"


def test_async_resumes_without_duplicates_or_gaps() -> None:
    fake = Fake(RESUME_STEPS)
    reconnects: list[ReconnectInfo] = []

    async def run() -> list[int]:
        events = watch_events_async(AsyncFake(fake), backoff=FAST, on_reconnect=reconnects.append)
        got = await take_async(events, 7)
        await events.aclose()
        return got

    assert asyncio.run(run()) == [1, 2, 3, 4, 5, 6, 7]
    assert [r.after_sequence for r in fake.requests] == [0, 3, 5, 6]
    assert len(reconnects) == 3
    assert fake.closed == [0, 1, 2, 3]


def test_passes_lines_and_start_and_checks_for_a_restart() -> None:
    fake = Fake([([42], None)], newest=lambda: 42)
    assert take(watch_events(fake, lines=["2001"], after_sequence=41), 1) == [42]
    assert list(fake.requests[0].lines) == ["2001"]
    assert fake.requests[0].after_sequence == 41
    assert list(fake.lists[0].lines) == ["2001"], "ListCalls asked for the same lines"


def test_out_of_range_is_typed_and_a_connect_error() -> None:
    fake = Fake([([5], DROP), ([], ConnectError(Code.OUT_OF_RANGE, "5 is older than the retained events"))])
    with pytest.raises(EventsOutOfRangeError) as caught:
        take(watch_events(fake, backoff=FAST), 2)
    err = caught.value
    assert isinstance(err, ConnectError)
    assert err.code == Code.OUT_OF_RANGE
    assert err.after_sequence == 5
    assert err.reason == "pruned"
    assert isinstance(err.__cause__, ConnectError)
    assert len(fake.requests) == 2, "not retried"


def test_a_server_behind_the_position_restarted() -> None:
    newest = [1_000]
    fake = Fake([([10, 11], DROP), ([1], None)], newest=lambda: newest[0])

    def restart(_: ReconnectInfo) -> None:
        newest[0] = 3  # the server came back with a new event log

    with pytest.raises(EventsOutOfRangeError) as caught:
        take(watch_events(fake, after_sequence=9, backoff=FAST, on_reconnect=restart), 3)
    assert caught.value.reason == "restarted"
    assert caught.value.after_sequence == 11
    assert len(fake.requests) == 1, "did not watch the new log from 11"


def test_async_out_of_range() -> None:
    fake = Fake([([], ConnectError(Code.OUT_OF_RANGE, "too old"))])

    async def run() -> None:
        await take_async(watch_events_async(AsyncFake(fake), after_sequence=7, backoff=FAST), 1)

    with pytest.raises(EventsOutOfRangeError) as caught:
        asyncio.run(run())
    assert caught.value.after_sequence == 7


@pytest.mark.parametrize("code", [Code.INVALID_ARGUMENT, Code.PERMISSION_DENIED, Code.UNAUTHENTICATED])
def test_errors_the_server_means_are_raised_at_once(code: Code) -> None:
    fake = Fake([([], ConnectError(code, "no"))])
    with pytest.raises(ConnectError) as caught:
        take(watch_events(fake, backoff=FAST), 1)
    assert caught.value.code == code
    assert not isinstance(caught.value, EventsOutOfRangeError)
    assert len(fake.requests) == 1


def test_backoff_grows_is_capped_and_gives_up() -> None:
    fake = Fake([([], DROP)])
    delays: list[float] = []
    backoff = Backoff(initial_delay=0.001, max_delay=0.008, jitter=0, max_attempts=6)
    with pytest.raises(ConnectError) as caught:
        take(watch_events(fake, backoff=backoff, on_reconnect=lambda r: delays.append(r.delay)), 1)
    assert caught.value is DROP, "the last error"
    assert delays == [0.001, 0.002, 0.004, 0.008, 0.008]
    assert len(fake.requests) == 6


def test_jitter_stays_within_bounds() -> None:
    backoff = Backoff(initial_delay=4, max_delay=4, jitter=0.5)
    delays = [backoff.delay(n) for n in range(1, 50)]
    assert all(2 <= d <= 4 for d in delays)
    assert len(set(delays)) > 1, "no jitter"


def test_async_cancel_while_waiting_to_reconnect() -> None:
    fake = Fake([([1], DROP)])

    async def run() -> None:
        events = watch_events_async(AsyncFake(fake), backoff=Backoff(initial_delay=60, max_delay=60))
        task = asyncio.ensure_future(take_async(events, 2))
        while not fake.closed:
            await asyncio.sleep(0.001)
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(asyncio.wait_for(run(), 10))


def test_async_cancel_with_a_stream_open() -> None:
    fake = Fake([([1], HANG)])

    async def run() -> None:
        got: list[int] = []

        async def follow() -> None:
            async for ev in watch_events_async(AsyncFake(fake), backoff=FAST):
                got.append(ev.sequence)

        task = asyncio.create_task(follow())
        while not got:
            await asyncio.sleep(0.001)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert len(fake.requests) == 1, "the CANCELED the client made of it was not retried"

    asyncio.run(asyncio.wait_for(run(), 10))


@pytest.mark.parametrize(
    "values",
    [
        {"jitter": 2},
        {"multiplier": 0.5},
        {"initial_delay": 10, "max_delay": 5},
        {"max_attempts": 0},
        {"reset_after": -1},
    ],
)
def test_bad_backoff_values(values: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="out of range"):
        Backoff(**values)  # type: ignore[arg-type]


def test_is_retryable_error() -> None:
    retried = {Code.UNAVAILABLE, Code.ABORTED, Code.CANCELED, Code.INTERNAL, Code.UNKNOWN, Code.DEADLINE_EXCEEDED}
    for code in Code:
        assert is_retryable_error(ConnectError(code, "x")) == (code in retried), code
