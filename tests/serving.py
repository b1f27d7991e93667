"""Run `customer-escalation serve --transport http` as a real process on a free loopback port (tests only)."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2

TOKEN = "test-token-0123456789abcdef"
STDIO_HANG_GUARD = 60  # seconds to wait for a stdio answer (normally milliseconds): only stops a hang stalling the suite


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Running:
    url: str  # the MCP endpoint
    base: str
    process: subprocess.Popen
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def console_script() -> str:
    """The installed `customer-escalation` command of this environment (what users and clients run)."""
    script = Path(sys.executable).parent / "customer-escalation"
    assert script.is_file(), f"{script} missing: install the package (pip install -e .)"
    return str(script)


def serve_command(*args: str) -> list[str]:
    return [console_script(), "serve", "--transport", "http", *args]


@contextlib.contextmanager
def http_server(tmp_path: Path, *args: str, token: str | None = TOKEN, env: dict[str, str] | None = None,
                workspace: str = "empty", open_files: int | None = None) -> Iterator[Running]:
    """The server as a process; `open_files` caps its open-file limit (RLIMIT_NOFILE), as a small host's would."""
    port = free_port()
    log = tmp_path / f"server-{port}.log"
    full_env = {**os.environ, "CUSTOMER_ESCALATION_HOME": str(tmp_path / "server-home"), **(env or {})}
    full_env.pop("CUSTOMER_ESCALATION_HTTP_TOKEN", None)
    if token:
        full_env["CUSTOMER_ESCALATION_HTTP_TOKEN"] = token
    with open(log, "wb") as out:
        def limit() -> None:
            if open_files is not None:
                import resource

                resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))

        proc = subprocess.Popen(serve_command("--port", str(port), "--workspace", workspace, *args),
                                stdout=out, stderr=subprocess.STDOUT, env=full_env, preexec_fn=limit)
    base = f"http://127.0.0.1:{port}"
    running = Running(f"{base}/mcp", base, proc, log)
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}:\n{running.output()}")
            try:
                if httpx2.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx2.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not become healthy:\n{running.output()}")
            time.sleep(0.1)
        yield running
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class StdioServer:
    """`customer-escalation serve` over stdio as a client runs it, initialised; raw lines in, parsed answers out."""

    def __init__(self, tmp_path: Path, workspace: str = "sample"):
        env = {**os.environ, "CUSTOMER_ESCALATION_HOME": str(tmp_path / "home")}
        self.proc = subprocess.Popen([console_script(), "serve", "--workspace", workspace], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.lines: queue.Queue[bytes] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def __enter__(self) -> StdioServer:
        self.send(json.dumps({"jsonrpc": "2.0", "id": 0, "method": "initialize", "params": {
            "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}))
        assert self.answer()["id"] == 0
        self.send(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}))
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line)

    def send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text.encode("utf-8") + b"\n")
        self.proc.stdin.flush()

    def answer(self) -> dict:
        try:
            return json.loads(self.lines.get(timeout=STDIO_HANG_GUARD))
        except queue.Empty:
            raise AssertionError("no answer: the client would hang") from None

    def close(self) -> str:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        assert self.proc.stderr is not None
        return self.proc.stderr.read().decode("utf-8", "replace")
