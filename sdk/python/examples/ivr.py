"""IVR: a small auto-attendant served from a route point, with asyncio.

Like examples/go/ivr, it answers every call to the route point, plays a
greeting tone, collects an extension ending in '#', and transfers the
caller there (or plays an error tone and hangs up). Create a route point
and an application token for it ("Route points" in the repository's
README), then run:

    SWITCHBOARD_TOKEN=<application token> python ivr.py [LINE]

LINE is the route point's extension (default 2100). It follows the line
with watch_events_async, which resumes after the last event it yielded when
the connection breaks, and lists the calls again when events were missed.
Stop it with Ctrl-C. The server is $SWITCHBOARD_URL (default
http://127.0.0.1:8080); --url and --token override them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys

from connectrpc.errors import ConnectError

from switchboard.callcontrol.v1 import call_control_service_pb2 as cc
from switchboard_sdk import AsyncSwitchboard, EventsOutOfRangeError, ReconnectInfo, connect_async, watch_events_async


async def serve(sb: AsyncSwitchboard, line: str) -> None:
    """Answer the calls offered on line until cancelled."""
    attending: dict[str, asyncio.Task[None]] = {}  # calls being served, until they end

    def offered(call: cc.Call) -> None:
        """Start serving a call the first time it is seen OFFERING."""
        if call.state == cc.CALL_STATE_DISCONNECTED:
            attending.pop(call.id, None)
        elif call.state == cc.CALL_STATE_OFFERING and call.id not in attending:
            attending[call.id] = asyncio.create_task(attend(sb, call.id))

    try:
        while True:
            # The calls ringing already, and the position of the event stream
            # they reflect: the events after it are the calls offered since.
            listed = await sb.calls.list_calls(cc.ListCallsRequest(lines=[line]))
            for call in listed.calls:
                offered(call)
            try:
                events = watch_events_async(
                    sb.calls, lines=[line], after_sequence=listed.sequence, on_reconnect=report
                )
                async for event in events:
                    if event.WhichOneof("kind") == "call":
                        offered(event.call)
            except EventsOutOfRangeError as e:
                print(f"events missed ({e.reason}): listing the calls again", file=sys.stderr)
    finally:
        # Stopped (Ctrl-C) or failed: stop serving, before the client closes.
        for task in attending.values():
            task.cancel()
        await asyncio.gather(*attending.values(), return_exceptions=True)


async def attend(sb: AsyncSwitchboard, call_id: str) -> None:
    """Answer one call, ask for an extension and transfer the caller there; hang up on failure."""
    try:
        digits = await ask_extension(sb, call_id)
        why = await transfer(sb, call_id, digits) if digits else "no extension entered"
        if why is None:
            print(f"call {call_id}: transferred to {digits}", flush=True)
            return
    except ConnectError as e:
        why = f"{e.code.name}: {e.message}"
    print(f"call {call_id}: {why}; hanging up", file=sys.stderr, flush=True)
    with contextlib.suppress(ConnectError):
        await sb.calls.drop(cc.DropRequest(call_id=call_id))


async def ask_extension(sb: AsyncSwitchboard, call_id: str) -> str:
    """Answer, greet and return the digits the caller types before '#'."""
    await sb.calls.answer(cc.AnswerRequest(call_id=call_id))
    print(f"call {call_id}: answered", flush=True)
    # The greeting: a caller who knows the extension may type it at once.
    greeting = cc.Tone(frequency_hz=440, duration_ms=1500)
    await sb.calls.play(cc.PlayRequest(call_id=call_id, tone=greeting, interrupt_on_digit=True))
    got = await sb.calls.collect_digits(
        cc.CollectDigitsRequest(
            call_id=call_id, max_digits=8, terminator="#", inter_digit_timeout_ms=5000, overall_timeout_ms=20000
        )
    )
    return got.digits


async def transfer(sb: AsyncSwitchboard, call_id: str, destination: str) -> str | None:
    """Transfer the caller; on failure, play the error tone and return why."""
    try:
        await sb.calls.blind_transfer(cc.BlindTransferRequest(call_id=call_id, destination=destination))
    except ConnectError as e:
        # An unknown extension: an error tone, then goodbye.
        with contextlib.suppress(ConnectError):
            await sb.calls.play(cc.PlayRequest(call_id=call_id, tone=cc.Tone(frequency_hz=950, duration_ms=600)))
        return f"transfer to {destination}: {e.code.name}: {e.message}"
    return None


def report(r: ReconnectInfo) -> None:
    print(f"reconnecting in {r.delay:.2f} s: {r.error.code.name} {r.error.message}", file=sys.stderr)


async def main() -> int:
    parser = argparse.ArgumentParser(description="Serve a route point: greet, read an extension, transfer.")
    parser.add_argument("line", nargs="?", default="2100", help="the route point's extension (default 2100)")
    parser.add_argument("--url", default=os.environ.get("SWITCHBOARD_URL", "http://127.0.0.1:8080"))
    parser.add_argument("--token", default=os.environ.get("SWITCHBOARD_TOKEN"))
    args = parser.parse_args()
    if not args.token:
        parser.error("set SWITCHBOARD_TOKEN (or --token) to an application token of the route point")
    async with connect_async(args.url, args.token) as sb:
        print(f"serving route point {args.line} on {args.url}", flush=True)
        try:
            await serve(sb, args.line)
        except ConnectError as e:
            print(f"{e.code.name}: {e.message}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(asyncio.run(main()))
    except KeyboardInterrupt:
        sys.exit(0)  # Ctrl-C: stopped as asked
