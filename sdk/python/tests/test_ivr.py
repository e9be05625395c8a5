"""The IVR example against a real server, route point and SIP phones.

A route point 2100 with an application token, the example serving it, and
two sbphones: the caller dials 2100, hears the greeting, types 1002# and
ends up talking to 1002 (each hears the other's tone); an extension nobody
has gets the error tone and a hang-up.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING

from harness import Phone, until
from switchboard.auth.v1 import token_service_pb2 as tok
from switchboard.config.v1 import config_service_pb2 as cfg
from switchboard.config.v1.device_pb2 import Device
from switchboard.config.v1.route_point_pb2 import RoutePoint
from switchboard.config.v1.user_pb2 import User
from switchboard_sdk import connect

if TYPE_CHECKING:
    from conftest import Server

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# Each phone sends its own tone into its calls, so that each side can tell
# it hears the other.
CALLER = ("1001", "Carol", "py-carol", "carol-secret-1", 600)
CALLEE = ("1002", "Dave", "py-dave", "dave-secret-1", 1000)
IVR_LINE = "2100"


def provision(server: Server) -> tuple[dict[str, Phone], str]:
    """Create the two users with phones, the route point and its application token; return phones and token."""
    phones: dict[str, Phone] = {}
    with connect(server.url, server.token) as sb:
        site_id = sb.config.list_sites(cfg.ListSitesRequest()).sites[0].id
        rp = sb.config.create_route_point(
            cfg.CreateRoutePointRequest(route_point=RoutePoint(name="Attendant", extension=IVR_LINE, site_id=site_id))
        ).route_point
        secret = sb.tokens.create_token(
            tok.CreateTokenRequest(name="ivr", scope=tok.SCOPE_APPLICATION, route_point_ids=[rp.id])
        ).secret
        try:
            for line, name, sip_user, password, tone in (CALLER, CALLEE):
                user = sb.config.create_user(
                    cfg.CreateUserRequest(user=User(extension=line, first_name=name, last_name="Test", site_id=site_id))
                ).user
                sb.config.create_device(
                    cfg.CreateDeviceRequest(device=Device(user_id=user.id, sip_username=sip_user, password=password))
                )
                phones[line] = Phone(server.bin_dir, server.sip_addr, sip_user, password, "-tone", str(tone))
        except BaseException:
            for phone in phones.values():
                phone.stop()
            raise
    return phones, secret


def dial_until_answered(caller: Phone, number: str, timeout: float = 20.0) -> None:
    """Dial until the call is answered: until the switch routes number and the IVR watches it, it fails."""
    deadline = time.monotonic() + timeout
    while caller.command(f"dial {number}", r"^(answered|failed) ") != f"answered {number}":
        assert time.monotonic() < deadline, f"{number} never answered: {caller.lines}"
        time.sleep(0.1)


def test_ivr_example(server: Server) -> None:
    """A caller dials the route point, types 1002# and talks to 1002; 1999# is refused."""
    phones, secret = provision(server)
    caller, callee = phones[CALLER[0]], phones[CALLEE[0]]
    env = {**os.environ, "SWITCHBOARD_URL": server.url, "SWITCHBOARD_TOKEN": secret}
    ivr = subprocess.Popen(
        [sys.executable, EXAMPLES / "ivr.py", IVR_LINE],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out: list[str] = []
    err: list[str] = []

    def read(stream: IO[str] | None, into: list[str]) -> None:
        assert stream is not None
        into.extend(line.rstrip("\n") for line in stream)

    for stream, into in ((ivr.stdout, out), (ivr.stderr, err)):
        threading.Thread(target=read, args=(stream, into), daemon=True).start()
    try:
        dial_until_answered(caller, IVR_LINE)
        caller.command("wait-tone 440", r"^heard 440$")  # the greeting
        caller.command("dtmf 1002#", r"^sent 1002#$")
        callee.wait_for(rf"^incoming {CALLER[0]}$")  # the caller, put through
        callee.command(f"wait-tone {CALLER[4]}", r"^heard ")  # 1002 hears the caller
        caller.command(f"wait-tone {CALLEE[4]}", r"^heard ")  # and the caller hears 1002
        until(lambda: any(re.fullmatch(r"call \S+: transferred to 1002", l) for l in out), "the IVR's report of the transfer")
        caller.command("hangup", rf"^ended {IVR_LINE}$")
        callee.wait_for(rf"^ended {CALLER[0]}$")

        # An extension nobody has: the error tone, then the IVR hangs up.
        caller.command(f"dial {IVR_LINE}", rf"^answered {IVR_LINE}$")
        caller.command("wait-tone 440", r"^heard 440$")
        caller.command("dtmf 1999#", r"^sent 1999#$")
        caller.command("wait-tone 950", r"^heard 950$")
        until(lambda: caller.lines.count(f"ended {IVR_LINE}") == 2, "the IVR hanging up")
        refused = re.compile(r": transfer to 1999: \w+: .*; hanging up$")
        until(lambda: any(refused.search(l) for l in err), "the IVR's report of the refused transfer")

        ivr.send_signal(signal.SIGINT)
        assert ivr.wait(timeout=10) == 0, "\n".join(err)
    finally:
        ivr.kill()
        ivr.wait()
        for phone in phones.values():
            phone.stop()
        # Shown when the test fails.
        print("ivr.py stdout:", *out, "ivr.py stderr:", *err, sep="\n")
        print({phone.user: phone.lines for phone in phones.values()})
