"""Session fixture: a real Switchboard HQ built from this repository.

SWITCHBOARD_TEST_BIN_DIR, when set, names a directory that already holds
the switchboard and sbphone binaries (scripts/test builds them once for both
SDK suites); otherwise the fixture builds them.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from connectrpc.code import Code
from connectrpc.errors import ConnectError

from switchboard.system.v1.system_service_pb2 import GetInfoRequest
from switchboard_sdk import connect

REPO_ROOT = Path(__file__).resolve().parents[3]
LISTENING = re.compile(r"API listening on (http://\S+)")
SIP_LISTENING = re.compile(r'msg="switch listening" sip=(\S+)')
START_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Server:
    """A running server: its API URL and admin token, and its switch's SIP address.

    ``dir`` holds the data directory ``data``, as ``switchboard serve`` run
    in ``dir`` would make it; ``bin_dir`` holds the switchboard and sbphone
    binaries.
    """

    url: str
    token: str
    sip_addr: str
    dir: Path
    bin_dir: Path


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Build the binaries, start an HQ on free ports, stop it at the end."""
    work = tmp_path_factory.mktemp("switchboard")
    bin_dir = _binaries(work / "bin")
    data = work / "data"
    log_path = work / "server.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [bin_dir / "switchboard", "serve", "--data-dir", data,
             "--listen", "127.0.0.1:0", "--sip-listen", "127.0.0.1:0"],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        url = _read_url(proc, deadline, log_path)
        sip_addr = _read_sip_addr(deadline, log_path)
        token = (data / "admin.token").read_text().strip()
        _wait_ready(url, token, deadline)
        yield Server(url=url, token=token, sip_addr=sip_addr, dir=work, bin_dir=bin_dir)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _binaries(out: Path) -> Path:
    """Return the directory of the switchboard and sbphone binaries, building them into out if needed.

    Without Go the tests skip locally and fail under CI=true.
    """
    if given := os.environ.get("SWITCHBOARD_TEST_BIN_DIR"):
        return Path(given)
    if shutil.which("go") is None:
        why = "needs the go toolchain to build the server"
        if os.environ.get("CI") == "true":
            pytest.fail(why, pytrace=False)
        pytest.skip(why)
    build = subprocess.run(
        ["go", "build", "-o", f"{out}/", "./server/cmd/switchboard", "./media/cmd/sbphone"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    if build.returncode != 0:
        pytest.fail(f"go build failed:\n{build.stderr}", pytrace=False)
    return out


def _read_sip_addr(deadline: float, log_path: Path) -> str:
    """Return the switch's SIP address from the server's log, polling until the deadline."""
    while time.monotonic() < deadline:
        if m := SIP_LISTENING.search(log_path.read_text()):
            return m.group(1)
        time.sleep(0.02)
    pytest.fail(f"no 'switch listening' log line in {START_TIMEOUT_S}s:\n{log_path.read_text()}")


def _read_url(proc: subprocess.Popen[str], deadline: float, log_path: Path) -> str:
    """Return the URL the server prints once it listens.

    A thread drains stdout (so the pipe never fills) and hands lines over; the
    wait for each line is bounded by the deadline.
    """
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=remaining)
        except queue.Empty:
            break
        if line is None:
            pytest.fail(f"server exited ({proc.wait()}):\n{log_path.read_text()}")
        if m := LISTENING.search(line):
            return m.group(1)
    pytest.fail(f"server printed no URL in {START_TIMEOUT_S}s:\n{log_path.read_text()}")


def _wait_ready(url: str, token: str, deadline: float) -> None:
    """Poll GetInfo until it answers, retrying only while the server is unreachable."""
    with connect(url, token) as sb:
        while True:
            try:
                sb.system.get_info(GetInfoRequest())
                return
            except ConnectError as e:
                if e.code != Code.UNAVAILABLE or time.monotonic() > deadline:
                    raise
            time.sleep(0.05)
