"""End-to-end call control through the SDK.

A real server and two real SIP phones (sbphone: digest registration,
auto-answer with a tone): a MakeCall followed by watch_events (sync) and
watch_events_async across forced disconnects, error codes for bad input,
and the example programs.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from connectrpc.code import Code
from connectrpc.errors import ConnectError

from harness import Phone, Proxy, until
from switchboard.callcontrol.v1 import call_control_service_pb2 as cc
from switchboard.config.v1 import config_service_pb2 as cfg
from switchboard.config.v1.device_pb2 import Device
from switchboard.config.v1.user_pb2 import User
from switchboard_sdk import (
    Backoff,
    EventsOutOfRangeError,
    ReconnectInfo,
    WireProtocol,
    connect,
    connect_async,
    field_violations,
    watch_events,
    watch_events_async,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from conftest import Server

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# Ada's phone rings for half a second before it answers: MakeCall's first
# event (her line DIALING) comes that long before the others.
ADA = ("3201", "Ada", "py-ada", "ada-secret-1", ("-answer-delay", "500ms"))
BOB = ("3202", "Bob", "py-bob", "bob-secret-1", ())
NOBODY = "3203"  # a user without a phone
PROTOCOLS: list[WireProtocol] = ["connect", "grpc", "grpc-web"]
FAST = Backoff(initial_delay=0.01, max_delay=0.1)


@pytest.fixture(scope="module")
def phones(server: Server) -> Iterator[dict[str, Phone]]:
    """Ada and Bob with a device and a registered phone each, and Nobody without one."""
    started: dict[str, Phone] = {}
    with connect(server.url, server.token) as sb:
        site_id = sb.config.list_sites(cfg.ListSitesRequest()).sites[0].id
        sb.config.create_user(
            cfg.CreateUserRequest(user=User(extension=NOBODY, first_name="Nobody", site_id=site_id))
        )
        try:
            for line, name, sip_user, password, args in (ADA, BOB):
                user = sb.config.create_user(
                    cfg.CreateUserRequest(
                        user=User(extension=line, first_name=name, last_name="Test", site_id=site_id)
                    )
                ).user
                sb.config.create_device(
                    cfg.CreateDeviceRequest(
                        device=Device(user_id=user.id, sip_username=sip_user, password=password)
                    )
                )
                started[line] = Phone(server.bin_dir, server.sip_addr, sip_user, password, *args)
            yield started
        finally:
            for phone in started.values():
                phone.stop()


def seen(events: list[cc.Event], line: str, state: cc.CallState) -> bool:
    return any(e.line == line and e.WhichOneof("kind") == "call" and e.call.state == state for e in events)


def ended(events: list[cc.Event]) -> bool:
    return seen(events, ADA[0], cc.CALL_STATE_DISCONNECTED) and seen(events, BOB[0], cc.CALL_STATE_DISCONNECTED)


def check_same_events(got: list[cc.Event], reference: list[cc.Event], start: int, reconnects: list[ReconnectInfo]) -> None:
    """The resumed stream has exactly the reference's events: none lost, none repeated."""
    seqs = [e.sequence for e in got]
    assert seqs == [e.sequence for e in reference], "same events as the reference"
    assert seqs == list(range(start + 1, start + 1 + len(seqs))), "contiguous from the start"
    assert got == reference, "identical events"
    assert len(reconnects) >= 3, f"reconnects: {len(reconnects)}"
    for r in reconnects:
        assert r.after_sequence == start or r.after_sequence in seqs, "resumes after a delivered event"
        assert r.delay <= FAST.max_delay
    assert got[-1].call.disconnect_reason == cc.DISCONNECT_REASON_NORMAL


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_events_survive_forced_disconnects(server: Server, phones: dict[str, Phone], protocol: WireProtocol) -> None:
    proxy = Proxy(server.url)
    try:
        with connect(proxy.url, server.token, protocol=protocol) as via_proxy, connect(
            server.url, server.token, protocol=protocol
        ) as direct:
            start = direct.calls.list_calls(cc.ListCallsRequest()).sequence
            reference: list[cc.Event] = []
            got: list[cc.Event] = []
            reconnects: list[ReconnectInfo] = []
            cut_at_first: list[int] = []

            def follow_reference() -> None:
                for res in direct.calls.watch_events(cc.WatchEventsRequest(after_sequence=start)):
                    reference.append(res.event)
                    if ended(reference):
                        return

            def follow_resumed() -> None:
                for event in watch_events(
                    via_proxy.calls, after_sequence=start, backoff=FAST, on_reconnect=reconnects.append
                ):
                    got.append(event)
                    if len(got) == 1:
                        # Mid-stream, while Ada's phone rings: kill the
                        # connection, and refuse new ones while the call proceeds.
                        proxy.refusing = True
                        cut_at_first.append(proxy.cut())
                    if ended(got):
                        return

            threads = [threading.Thread(target=f, daemon=True) for f in (follow_reference, follow_resumed)]
            for t in threads:
                t.start()
            call = direct.calls.make_call(cc.MakeCallRequest(line=ADA[0], destination=BOB[0])).call
            assert call.state == cc.CALL_STATE_DIALING
            until(
                lambda: seen(reference, ADA[0], cc.CALL_STATE_CONNECTED)
                and seen(reference, BOB[0], cc.CALL_STATE_CONNECTED),
                "both lines CONNECTED on the reference stream",
            )
            until(lambda: len(reconnects) >= 2, "two refused reconnection attempts")
            assert cut_at_first == [1], "the stream's connection was cut"
            assert len(got) < len(reference), "events happened while disconnected"

            proxy.refusing = False
            until(lambda: seen(got, BOB[0], cc.CALL_STATE_CONNECTED), "the resumed stream catching up")
            # Cut an idle stream too, then end the call.
            until(lambda: proxy.connections > 0, "the resumed connection")
            assert proxy.cut() >= 1
            direct.calls.drop(cc.DropRequest(call_id=call.id))
            for t in threads:
                t.join(timeout=20)
                assert not t.is_alive(), "a stream never saw both lines DISCONNECTED"
            check_same_events(got, reference, start, reconnects)
    finally:
        proxy.close()


@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_async_events_survive_forced_disconnects(
    server: Server, phones: dict[str, Phone], protocol: WireProtocol
) -> None:
    proxy = Proxy(server.url)

    async def wait(cond: object, what: str) -> None:
        async with asyncio.timeout(20):
            while not cond():  # type: ignore[operator]
                await asyncio.sleep(0.01)

    async def run() -> None:
        async with connect_async(proxy.url, server.token, protocol=protocol) as via_proxy, connect_async(
            server.url, server.token, protocol=protocol
        ) as direct:
            start = (await direct.calls.list_calls(cc.ListCallsRequest())).sequence
            reference: list[cc.Event] = []
            got: list[cc.Event] = []
            reconnects: list[ReconnectInfo] = []

            async def follow_reference() -> None:
                async for res in direct.calls.watch_events(cc.WatchEventsRequest(after_sequence=start)):
                    reference.append(res.event)

            async def follow_resumed() -> None:
                async for event in watch_events_async(
                    via_proxy.calls, after_sequence=start, backoff=FAST, on_reconnect=reconnects.append
                ):
                    got.append(event)
                    if len(got) == 1:
                        proxy.refusing = True
                        assert proxy.cut() == 1

            tasks = [asyncio.create_task(follow_reference()), asyncio.create_task(follow_resumed())]
            try:
                call = (await direct.calls.make_call(cc.MakeCallRequest(line=ADA[0], destination=BOB[0]))).call
                await wait(
                    lambda: seen(reference, ADA[0], cc.CALL_STATE_CONNECTED)
                    and seen(reference, BOB[0], cc.CALL_STATE_CONNECTED),
                    "both lines CONNECTED on the reference",
                )
                await wait(lambda: len(reconnects) >= 2, "two refused reconnection attempts")
                assert len(got) < len(reference), "events happened while disconnected"
                proxy.refusing = False
                await wait(lambda: seen(got, BOB[0], cc.CALL_STATE_CONNECTED), "the resumed stream catching up")
                await wait(lambda: proxy.connections > 0, "the resumed connection")
                assert proxy.cut() >= 1
                await direct.calls.drop(cc.DropRequest(call_id=call.id))
                await wait(lambda: ended(reference) and ended(got), "both lines DISCONNECTED on both streams")
                await wait(lambda: len(got) >= len(reference), "every event on the resumed stream")
            finally:
                for t in tasks:
                    t.cancel()
                results = await asyncio.gather(*tasks, return_exceptions=True)
            ref_end, resumed_end = results
            # connectrpc turns the cancellation of a plain call into CANCELED;
            # watch_events_async lets the CancelledError through.
            assert isinstance(ref_end, ConnectError) and ref_end.code == Code.CANCELED, repr(ref_end)
            assert isinstance(resumed_end, asyncio.CancelledError), f"the resumed stream ended with {resumed_end!r}"
            check_same_events(got, reference, start, reconnects)

    try:
        asyncio.run(run())
    finally:
        proxy.close()


def test_bad_input_codes(server: Server, phones: dict[str, Phone]) -> None:
    cases = [
        (cc.MakeCallRequest(line="32x1", destination=BOB[0]), Code.INVALID_ARGUMENT, "line"),
        (cc.MakeCallRequest(line=ADA[0], destination=""), Code.INVALID_ARGUMENT, "destination"),
        (cc.MakeCallRequest(line=ADA[0], destination="12", idempotency_key="k" * 65), Code.INVALID_ARGUMENT, "idempotency_key"),
        (cc.MakeCallRequest(line=NOBODY, destination=ADA[0]), Code.FAILED_PRECONDITION, None),
        (cc.MakeCallRequest(line="3999", destination=ADA[0]), Code.NOT_FOUND, None),
    ]
    with connect(server.url, server.token) as sb:
        for req, code, field in cases:
            with pytest.raises(ConnectError) as caught:
                sb.calls.make_call(req)
            assert caught.value.code == code, (req, caught.value.message)
            if field:
                assert [v.field for v in field_violations(caught.value)] == [field]
        with pytest.raises(ConnectError) as caught:
            sb.calls.drop(cc.DropRequest(call_id="no-such-call"))
        assert caught.value.code == Code.NOT_FOUND

        # watch_events raises what the server refuses at once, without retrying.
        reconnects: list[ReconnectInfo] = []
        with pytest.raises(ConnectError) as caught:
            next(watch_events(sb.calls, lines=["x1"], on_reconnect=reconnects.append))
        assert not isinstance(caught.value, EventsOutOfRangeError)
        assert caught.value.code == Code.INVALID_ARGUMENT
        assert [v.field for v in field_violations(caught.value)] == ["lines[0]"]
        assert reconnects == []


def test_examples(server: Server, phones: dict[str, Phone]) -> None:
    """The event logger (asyncio) sees a call that click_to_dial (sync) places."""
    env = {**os.environ, "SWITCHBOARD_URL": server.url, "SWITCHBOARD_TOKEN": server.token}
    logger = subprocess.Popen(
        [sys.executable, EXAMPLES / "event_logger.py"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out: list[str] = []

    def read() -> None:
        assert logger.stdout is not None
        out.extend(line.rstrip("\n") for line in logger.stdout)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        until(lambda: any(re.fullmatch(r"watching every line after sequence \d+", l) for l in out), "the logger watching")

        # In the server's directory without a token: the example reads
        # data/admin.token, as after `switchboard serve` in that directory.
        no_token = {k: v for k, v in env.items() if k != "SWITCHBOARD_TOKEN"}
        dial = subprocess.run(
            [sys.executable, EXAMPLES / "click_to_dial.py", ADA[0], BOB[0], "--hangup-after", "0.2"],
            env=no_token,
            cwd=server.dir,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert dial.returncode == 0, dial.stderr
        lines = dial.stdout.strip().splitlines()
        bob, ada = f"Bob Test <{BOB[0]}>", f"Ada Test <{ADA[0]}>"
        assert lines[0].startswith(f"calling {BOB[0]} from {ADA[0]}: pick up your phone")
        assert f"CONNECTED with {bob}" in lines, dial.stdout
        assert lines[-1] == f"DISCONNECTED (NORMAL) with {bob}"

        want = [
            f"{ADA[0]} CONNECTED to {bob} (call ",
            f"{BOB[0]} CONNECTED from {ada} (call ",
            f"{ADA[0]} DISCONNECTED NORMAL to {bob} (call ",
            f"{BOB[0]} DISCONNECTED NORMAL from {ada} (call ",
        ]

        def logged(prefix: str) -> bool:
            return any(re.match(r"#\d+ ", l) and l.split(" ", 1)[1].startswith(prefix) for l in out)

        until(lambda: all(logged(w) for w in want), f"the logger's lines; got {out}")
        logger.send_signal(signal.SIGINT)
        assert logger.wait(timeout=10) == 0, logger.stderr.read() if logger.stderr else ""

        bad = subprocess.run(
            [sys.executable, EXAMPLES / "click_to_dial.py", "32x1", BOB[0]],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert bad.returncode == 1
        assert re.match(r"INVALID_ARGUMENT: .*\n  line: ", bad.stderr), bad.stderr
    finally:
        logger.kill()
        logger.wait()


def test_version_follows_the_api_version() -> None:
    from importlib.metadata import version

    proto = Path(__file__).resolve().parents[3] / "proto" / "switchboard"
    api_versions = {v.name for area in proto.iterdir() for v in area.iterdir() if re.fullmatch(r"v\d+", v.name)}
    assert api_versions == {"v" + version("switchboard-sdk").split(".")[0]}

