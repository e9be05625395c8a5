"""Click-to-dial: ring your phone and, once you pick it up, call the number.

Prints the call's progress on your line until it ends:

    python click_to_dial.py 1001 1002 [--hangup-after 30]

The server is $SWITCHBOARD_URL (default http://127.0.0.1:8080, where
``go run ./server/cmd/switchboard serve`` listens) and the API token is
$SWITCHBOARD_TOKEN (default: the content of ./data/admin.token, which that
command writes); --url and --token override them.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import uuid
from pathlib import Path

from connectrpc.errors import ConnectError

from switchboard.callcontrol.v1 import call_control_service_pb2 as cc
from switchboard_sdk import Switchboard, connect, field_violations, watch_events


def main() -> int:
    parser = argparse.ArgumentParser(description="Ring your phone, then call a number.")
    parser.add_argument("line", help="your line (extension)")
    parser.add_argument("number", help="the number to call")
    parser.add_argument("--hangup-after", type=float, metavar="SECONDS", help="hang up this long after the answer")
    parser.add_argument("--url", default=os.environ.get("SWITCHBOARD_URL", "http://127.0.0.1:8080"))
    parser.add_argument("--token", default=os.environ.get("SWITCHBOARD_TOKEN"))
    args = parser.parse_args()
    token = args.token or Path("data/admin.token").read_text().strip()

    with connect(args.url, token) as sb:
        try:
            dial(sb, args.line, args.number, args.hangup_after)
        except ConnectError as e:
            # Errors are typed: the code, and for a malformed request the fields.
            print(f"{e.code.name}: {e.message}", file=sys.stderr)
            for v in field_violations(e):
                print(f"  {v.field}: {v.message}", file=sys.stderr)
            return 1
    return 0


def dial(sb: Switchboard, line: str, number: str, hangup_after: float | None) -> None:
    # Take the position of the event stream before placing the call, so
    # that no event of the call is missed.
    start = sb.calls.list_calls(cc.ListCallsRequest()).sequence
    call = sb.calls.make_call(
        cc.MakeCallRequest(line=line, destination=number, idempotency_key=str(uuid.uuid4()))
    ).call
    print(f"calling {number} from {line}: pick up your phone (call {call.id})", flush=True)
    hangup: threading.Timer | None = None
    try:
        for event in watch_events(sb.calls, lines=[line], after_sequence=start):
            if event.WhichOneof("kind") != "call" or event.call.id != call.id:
                continue
            print(describe(event.call), flush=True)
            if event.call.state == cc.CALL_STATE_CONNECTED and hangup_after is not None and hangup is None:
                hangup = threading.Timer(hangup_after, sb.calls.drop, (cc.DropRequest(call_id=call.id),))
                hangup.start()
            if event.call.state == cc.CALL_STATE_DISCONNECTED:
                return
    finally:
        if hangup is not None:
            hangup.cancel()


def describe(call: cc.Call) -> str:
    state = cc.CallState.Name(call.state).removeprefix("CALL_STATE_")
    if call.state == cc.CALL_STATE_DISCONNECTED:
        state += f" ({cc.DisconnectReason.Name(call.disconnect_reason).removeprefix('DISCONNECT_REASON_')})"
    who = ", ".join(f"{p.name} <{p.number}>" if p.name else p.number for p in call.parties)
    return f"{state} with {who}" if who else state


if __name__ == "__main__":
    sys.exit(main())
