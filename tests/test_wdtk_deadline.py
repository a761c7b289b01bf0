"""Issue 16.9: a total deadline for every request, headers included.

A raw socket server on 127.0.0.1 answers with a status line and header lines one byte at
a time, each byte well inside the per-read timeout: without a total deadline a client
waits for as long as the server cares to trickle. The server counts what it sent before
the client hung up, so these tests show the deadline by bytes, not by timing.
"""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from extractor.cli import app
from extractor.wdtk import AlaveteliClient
from extractor.wdtk.download import download
from extractor.wdtk.errors import TooSlow
from tests.wdtk_sites import site_config

runner = CliRunner()
BYTE_EVERY = 0.05  # seconds between two bytes: far inside the 10 s read timeout
HEADERS = (
    b"HTTP/1.1 200 OK\r\n"
    b"Content-Type: application/json\r\n"
    + b"".join(b"X-Padding-%d: %s\r\n" % (i, b"x" * 40) for i in range(12))
    + b"Content-Length: 2\r\n\r\n{}"
)  # about 700 bytes: 35 s at BYTE_EVERY, far past the 1 s deadline the tests set


class TricklingServer:
    """Answers every request with HEADERS, one byte every BYTE_EVERY seconds; /robots.txt
    too when ``robots`` is set, else it is a prompt 404 (no rules)."""

    def __init__(self, robots: bool = False) -> None:
        self.robots = robots
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.connections = 0  # connections that were trickled to
        self.sent: list[int] = []  # bytes sent on each of them before it ended
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> TricklingServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.listener.close()
        self.thread.join(timeout=5)

    def _serve(self) -> None:
        self.listener.settimeout(0.1)
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            try:
                request = conn.recv(65536)
                if request.startswith(b"GET /robots.txt ") and not self.robots:
                    conn.sendall(
                        b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    )
                    return
            except OSError:
                return
            self.connections += 1
            self._trickle(conn)

    def _trickle(self, conn: socket.socket) -> None:
        sent = 0
        try:
            for byte in HEADERS:
                if self.stop.is_set():
                    break
                conn.sendall(bytes([byte]))
                sent += 1
                time.sleep(BYTE_EVERY)
                # a closed peer shows as readable with no bytes
                conn.setblocking(False)
                try:
                    if conn.recv(1) == b"":
                        break
                except BlockingIOError:
                    pass
                finally:
                    conn.setblocking(True)
        except OSError:
            pass
        self.sent.append(sent)

    def wait_for_hang_ups(self, count: int) -> None:
        for _ in range(200):
            if len(self.sent) >= count:
                return
            time.sleep(0.05)


@pytest.fixture
def server():
    with TricklingServer() as running:
        yield running


def _assert_cut_short(server: TricklingServer) -> None:
    server.wait_for_hang_ups(server.connections)
    assert server.connections == 1  # a deadline is not retried
    assert server.sent and max(server.sent) < len(HEADERS) // 2, server.sent


@pytest.mark.parametrize("cache", [True, False], ids=["cached-pages", "uncached"])
def test_16_9_trickling_headers_of_a_page_end_at_the_total_deadline(
    server, tmp_path: Path, cache: bool
) -> None:
    config = site_config(server.url, tmp_path, deadline=1.0)
    if not cache:
        config.cache_path = None
    with AlaveteliClient(config) as client, pytest.raises(TooSlow) as caught:
        client.get_json("/request/slow.json")
    message = str(caught.value)
    assert message.startswith(f"{server.url}/request/slow.json: ")
    assert "1 s total deadline" in message and "\n" not in message
    _assert_cut_short(server)


def test_16_9_trickling_headers_of_an_attachment_end_at_the_total_deadline(
    server, tmp_path: Path
) -> None:
    config = site_config(server.url, tmp_path, deadline=1.0, max_tries=2)
    url = f"{server.url}/request/slow/response/7/attach/2/table.pdf"
    with AlaveteliClient(config) as client, pytest.raises(TooSlow) as caught:
        download(client.files, url, tmp_path / "out" / "table.pdf", config)
    assert str(caught.value).startswith(f"{url}: ") and "1 s total deadline" in str(caught.value)
    _assert_cut_short(server)
    assert not (tmp_path / "out" / "table.pdf").exists()


def test_16_9_foi_fetch_reports_the_total_deadline_in_one_line(server, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "--quiet",
            "--base-url",
            server.url,
            "fetch",
            "slow_request",
            "--out",
            str(tmp_path / "out"),
            "--db",
            str(tmp_path / "foi.db"),
            "--rate",
            "50",
            "--cache",
            str(tmp_path / "c.sqlite"),
            "--deadline",
            "1",
        ],
    )
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if "deadline" in line]
    assert len(lines) == 1 and f"{server.url}/request/slow_request.json" in lines[0]
    assert "1 s total deadline" in lines[0] and "Traceback" not in result.output
    _assert_cut_short(server)


def test_16_9_a_trickling_robots_txt_ends_at_the_total_deadline(tmp_path: Path) -> None:
    """robots.txt is read before anything else: it has the same deadline."""
    with TricklingServer(robots=True) as server:
        config = site_config(server.url, tmp_path, deadline=1.0)
        with AlaveteliClient(config) as client, pytest.raises(TooSlow) as caught:
            client.get_json("/request/slow.json")
        assert str(caught.value).startswith(f"{server.url}/robots.txt: ")
        assert "1 s total deadline" in str(caught.value)
        _assert_cut_short(server)


def test_16_9_a_retry_wait_past_the_deadline_is_not_slept(tmp_path: Path) -> None:
    """A 503 asking to come back in 60 s, with a 1 s deadline: fail now, saying why."""
    listener = socket.create_server(("127.0.0.1", 0))
    answers = 0

    def serve() -> None:
        nonlocal answers
        listener.settimeout(5)
        with listener:
            for _ in range(2):  # robots.txt (none), then the page
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    return
                with conn:
                    if conn.recv(65536).startswith(b"GET /robots.txt "):
                        conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
                        continue
                    conn.sendall(
                        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 60\r\n"
                        b"Content-Length: 0\r\n\r\n"
                    )
                    answers += 1

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    config = site_config(url, tmp_path, deadline=1.0, cache_path=None)
    started = time.monotonic()
    with AlaveteliClient(config) as client, pytest.raises(TooSlow) as caught:
        client.get_page("/list")
    thread.join(timeout=5)
    assert answers == 1
    assert "1 s total deadline" in str(caught.value) and "Retry-After" in str(caught.value)
    assert time.monotonic() - started < 30  # not the 60 s the server asked for
