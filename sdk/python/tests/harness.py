"""Test helpers: a TCP proxy whose connections a test can cut, an sbphone process, waiting."""

from __future__ import annotations

import os
import re
import socket
import struct
import subprocess
import threading
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path


def until(cond: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    """Poll cond every 10 ms until it holds; fail after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def _reset(sock: socket.socket) -> None:
    """Tear a connection down with a TCP reset, waking any thread blocked on it."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


class Proxy:
    """A TCP proxy on a free loopback port in front of an http:// URL.

    :meth:`cut` kills every open connection (as a dying network or a
    crashing load balancer would); while :attr:`refusing`, new connections
    are reset at once.
    """

    def __init__(self, target: str) -> None:
        parts = urlsplit(target)
        self._target = (parts.hostname or "127.0.0.1", parts.port or 80)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self.refusing = False
        self._lock = threading.Lock()
        self._open: set[tuple[socket.socket, socket.socket]] = set()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def connections(self) -> int:
        """How many connections are open now."""
        with self._lock:
            return len(self._open)

    def cut(self) -> int:
        """Kill every open connection; return how many there were."""
        with self._lock:
            pairs = list(self._open)
            self._open.clear()
        for pair in pairs:
            for sock in pair:
                _reset(sock)
        return len(pairs)

    def close(self) -> None:
        """Stop accepting and kill every connection."""
        self.refusing = True
        try:
            self._listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._listener.close()
        self.cut()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self.refusing:
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self._target)
            except OSError:
                _reset(client)
                continue
            pair = (client, upstream)
            with self._lock:
                self._open.add(pair)
            threading.Thread(target=self._pump, args=(client, upstream, pair), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, pair), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, pair: tuple[socket.socket, socket.socket]) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        with self._lock:
            if pair not in self._open:
                return  # cut
            self._open.discard(pair)
        for sock in pair:
            _reset(sock)


class Phone:
    """An sbphone process: registers with the switch, answers calls, prints what happens, takes commands.

    It exits when its standard input (a pipe held here) closes, so it never
    outlives the test run.
    """

    def __init__(self, bin_dir: Path, sip_addr: str, user: str, password: str, *args: str) -> None:
        self.user = user
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._proc = subprocess.Popen(
            [bin_dir / "sbphone", "-exit-on-stdin-eof", "-server", sip_addr, "-user", user, *args],
            env={**os.environ, "SBPHONE_PASSWORD": password},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        try:
            self.wait_for(r"^registered ")
        except BaseException:
            self.stop()
            raise

    def _read(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            with self._changed:
                self.lines.append(line.rstrip("\n"))
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, pattern: str, timeout: float = 30.0) -> str:
        """Return the first line (seen or future) matching pattern."""
        return self._wait(re.compile(pattern).search, f"line matching {pattern!r}", timeout, 0)

    def command(self, command: str, pattern: str, timeout: float = 30.0) -> str:
        """Send one of sbphone's commands and return the first line after it matching pattern.

        The commands (``dial 2100``, ``wait-tone 440``, ``dtmf 1002#``,
        ``hangup``) are described in media/cmd/sbphone; a line starting with
        ``error`` fails the test.
        """
        assert self._proc.stdin is not None
        with self._changed:
            start = len(self.lines)
        self._proc.stdin.write(command + "\n")
        self._proc.stdin.flush()
        regex = re.compile(pattern)
        line = self._wait(
            lambda l: regex.search(l) is not None or l.startswith("error "),
            f"answer to {command!r} matching {pattern!r}",
            timeout,
            start,
        )
        if line.startswith("error "):
            raise AssertionError(f"sbphone {self.user}: {line}")
        return line

    def _wait(self, matches: Callable[[str], object], what: str, timeout: float, start: int) -> str:
        """Return the first line from lines[start] on that matches."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for line in self.lines[start:]:
                    if matches(line):
                        return line
                if self._proc.poll() is not None:
                    err = self._proc.stderr.read() if self._proc.stderr else ""
                    raise AssertionError(f"sbphone {self.user} exited ({self._proc.returncode}): {err}")
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"sbphone {self.user}: no {what}; got {self.lines}")
                self._changed.wait(min(remaining, 0.5))

    def stop(self) -> None:
        """Close its standard input and wait for it to exit."""
        if self._proc.stdin is not None:
            self._proc.stdin.close()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
