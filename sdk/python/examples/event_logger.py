"""Event logger: print the calls in progress, then one line per call event.

Follows every line, or the lines given, with asyncio. It survives network
failures (resuming without losing or repeating an event) and lists the
calls again when events were missed (the server restarted, or it was
disconnected for longer than the server keeps events):

    python event_logger.py [LINE ...]

Stop it with Ctrl-C. The server is $SWITCHBOARD_URL (default
http://127.0.0.1:8080, where ``go run ./server/cmd/switchboard serve``
listens) and the API token is $SWITCHBOARD_TOKEN (default: the content of
./data/admin.token, which that command writes); --url and --token override
them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from connectrpc.errors import ConnectError

from switchboard.callcontrol.v1 import call_control_service_pb2 as cc
from switchboard_sdk import AsyncSwitchboard, EventsOutOfRangeError, ReconnectInfo, connect_async, watch_events_async


async def log_events(sb: AsyncSwitchboard, lines: list[str]) -> None:
    while True:
        # A snapshot of the calls, and the position of the event stream it
        # reflects: the events after it are the changes since.
        listed = await sb.calls.list_calls(cc.ListCallsRequest(lines=lines))
        for call in listed.calls:
            print(f"now  {call.line} {describe(call)}")
        print(f"watching {', '.join(lines) or 'every line'} after sequence {listed.sequence}", flush=True)
        try:
            events = watch_events_async(
                sb.calls, lines=lines, after_sequence=listed.sequence, on_reconnect=report
            )
            async for event in events:
                print(format_event(event), flush=True)
        except EventsOutOfRangeError as e:
            print(f"events missed ({e.reason}): listing the calls again", file=sys.stderr)


def report(r: ReconnectInfo) -> None:
    print(f"reconnecting in {r.delay:.2f} s: {r.error.code.name} {r.error.message}", file=sys.stderr)


def format_event(event: cc.Event) -> str:
    head = f"#{event.sequence} {event.line}"
    match event.WhichOneof("kind"):
        case "call":
            return f"{head} {describe(event.call)}"
        case "digit":
            return f"{head} digit {event.digit.digit} (call {event.digit.call_id})"
        case "registration":
            r = event.registration
            return f"{head} phone {r.sip_username} {f'registered at {r.contact}' if r.registered else 'went away'}"
        case "recording":
            rec = event.recording
            return f"{head} recording {rec.recording_id} finished, {rec.duration_ms} ms" + (
                f" ({rec.error})" if rec.error else ""
            )
        case _:
            return f"{head} (an event this program does not know)"


def describe(call: cc.Call) -> str:
    text = cc.CallState.Name(call.state).removeprefix("CALL_STATE_")
    if call.state == cc.CALL_STATE_DISCONNECTED:
        text += " " + cc.DisconnectReason.Name(call.disconnect_reason).removeprefix("DISCONNECT_REASON_")
    who = ", ".join(f"{p.name} <{p.number}>" if p.name else p.number for p in call.parties)
    if who:
        text += f" {'to' if call.direction == cc.DIRECTION_OUTGOING else 'from'} {who}"
    return f"{text} (call {call.id})"


async def main() -> int:
    parser = argparse.ArgumentParser(description="Print call events as they happen.")
    parser.add_argument("lines", nargs="*", help="only these lines (extensions)")
    parser.add_argument("--url", default=os.environ.get("SWITCHBOARD_URL", "http://127.0.0.1:8080"))
    parser.add_argument("--token", default=os.environ.get("SWITCHBOARD_TOKEN"))
    args = parser.parse_args()
    token = args.token or Path("data/admin.token").read_text().strip()
    async with connect_async(args.url, token) as sb:
        try:
            await log_events(sb, args.lines)
        except ConnectError as e:
            print(f"{e.code.name}: {e.message}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    try:
        sys.exit(asyncio.run(main()))
    except KeyboardInterrupt:
        sys.exit(0)  # Ctrl-C: stopped as asked
