"""Connections that never finish a request cannot starve the clients that make one.

The attack: 300 connections that send a partial request head and then nothing, against a server whose open-file limit
is 256, used to take /healthz down, and a partial head stayed open for 90 s and more. The server runs here as
deployed, with that limit; the half-open connections are real sockets. No figure is timed: a generous bound only
stops a hang from stalling the suite.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator

import httpx2
import pytest

from tests.serving import TOKEN, http_server

INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
MCP = {"accept": "application/json, text/event-stream", "content-type": "application/json",
       "authorization": f"Bearer {TOKEN}"}
HANG_GUARD = 60  # seconds


@contextlib.contextmanager
def half_open(base: str, count: int) -> Iterator[list[socket.socket]]:
    """`count` connections, each with a request head begun and never finished."""
    host, port = base.removeprefix("http://").split(":")
    socks = []
    try:
        for _ in range(count):
            s = socket.create_connection((host, int(port)), timeout=HANG_GUARD)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            socks.append(s)
        yield socks
    finally:
        for s in socks:
            s.close()


def closed_by_server(s: socket.socket) -> bool:
    """Whether the server ends the connection (it may say why first); blocks until it does or the guard expires."""
    s.settimeout(HANG_GUARD)
    try:
        data = s.recv(4096)
        while data:
            data = s.recv(4096)
        return True
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def test_300_half_open_connections_do_not_take_down_a_server_limited_to_256_files(tmp_path):
    with http_server(tmp_path, open_files=256) as srv:
        with half_open(srv.base, 300):
            health = httpx2.get(f"{srv.base}/healthz", timeout=HANG_GUARD)
            assert health.status_code == 200 and health.json()["status"] == "ok"
            mcp = httpx2.post(srv.url, json=INIT, headers=MCP, timeout=HANG_GUARD)
            assert mcp.status_code == 200
            no_token = httpx2.post(srv.url, json=INIT, headers={**MCP, "authorization": ""}, timeout=HANG_GUARD)
            assert no_token.status_code == 401  # auth still holds under load
    assert "Too many open files" not in srv.output()


def test_a_partial_request_head_is_closed_after_the_header_timeout(tmp_path):
    with http_server(tmp_path, "--header-timeout", "1") as srv:
        with half_open(srv.base, 1) as (s,):
            s.sendall(b"trickling")  # sending more does not extend the time
            assert closed_by_server(s)
        assert httpx2.get(f"{srv.base}/healthz", timeout=HANG_GUARD).status_code == 200


def test_beyond_the_cap_the_longest_waiting_connections_are_closed_first(tmp_path):
    with http_server(tmp_path, "--max-connections", "8", "--header-timeout", "600") as srv:
        with half_open(srv.base, 6) as oldest, half_open(srv.base, 6) as newer:
            for _ in range(3):  # requests keep being served while the cap is reached
                assert httpx2.get(f"{srv.base}/healthz", timeout=HANG_GUARD).status_code == 200
            assert all(closed_by_server(s) for s in oldest[:4])  # 12 + a request over a cap of 8: the oldest go
            newer[-1].settimeout(0.5)
            with pytest.raises(TimeoutError):
                newer[-1].recv(1)  # the newest is still open, waiting for its request


def test_bad_limits_are_refused(tmp_path):
    import subprocess

    from tests.serving import serve_command

    for args in (["--max-connections", "0"], ["--header-timeout", "0"], ["--header-timeout", "nan"]):
        r = subprocess.run(serve_command("--port", "1", "--workspace", "empty", *args), capture_output=True, text=True,
                           timeout=60, env={"PATH": "/usr/bin:/bin", "CUSTOMER_ESCALATION_HOME": str(tmp_path)})
        assert r.returncode == 2 and "--max-connections" in r.stderr, r.stderr
