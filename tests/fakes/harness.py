"""A loopback HTTP server for faking a vendor API in tests.

A fake registers routes `(METHOD, regex) -> handler(request) -> Reply`. Every request is recorded
(method, path, query, headers, body) so tests can check auth headers and queries. Faults can be
queued per route pattern or globally: an HTTP status with headers/body, a delay, a hung
connection (held open until the fake stops), malformed JSON, a dropped connection.
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    match: re.Match | None = None

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict/list -> JSON; str/bytes sent as is
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    hang: bool = False  # hold the connection open, send nothing, until the fake stops
    drop: bool = False  # close the connection without an answer
    raw: bytes | None = None  # exact bytes for the body (e.g. malformed JSON)


Handler = Callable[[Request], Reply]


class FakeService:
    """Start with `with FakeService() as fake:`; `fake.url` is the base URL (http://127.0.0.1:PORT)."""

    def __init__(self, name: str = "fake"):
        self.name = name
        self.routes: list[tuple[str, re.Pattern, Handler]] = []
        self.requests: list[Request] = []
        self.faults: list[tuple[re.Pattern | None, Reply]] = []
        self.latency = 0.0
        self._stop = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # --- configuration -----------------------------------------------------------------------
    def route(self, method: str, pattern: str) -> Callable[[Handler], Handler]:
        def register(fn: Handler) -> Handler:
            self.routes.append((method.upper(), re.compile(pattern + r"$"), fn))
            return fn

        return register

    def fail_next(self, reply: Reply, path_pattern: str | None = None, times: int = 1) -> None:
        """Answer the next `times` matching requests with `reply` instead of the route."""
        pattern = re.compile(path_pattern) if path_pattern else None
        with self._lock:
            self.faults.extend([(pattern, reply)] * times)

    def add_routes(self, *table: tuple[str, str, Handler]) -> None:
        """Register several routes: (METHOD, regex, handler) each."""
        for method, pattern, handler in table:
            self.route(method, pattern)(handler)

    def clear(self) -> None:
        """Forget the recorded requests and the queued faults (every fake's `reset` does: one fake serves many tests)."""
        with self._lock:
            self.requests.clear()
            self.faults.clear()

    def reseed(self, **state: Any) -> None:
        """The fake's data back to `state` (attribute -> value), nothing recorded or queued."""
        self.clear()
        with self._lock:
            for name, value in state.items():
                setattr(self, name, value)

    def requests_to(self, pattern: str, method: str | None = None) -> list[Request]:
        rx = re.compile(pattern)
        return [r for r in self.requests if rx.search(r.path) and (method is None or r.method == method.upper())]

    # --- lifecycle ---------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeService:
        fake = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body go out in two writes: without TCP_NODELAY the body waits for the client's
            # delayed ACK, about 40 ms per request on loopback
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                fake._dispatch(self)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name=f"fake-{self.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeService:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # --- dispatch ----------------------------------------------------------------------------
    def _dispatch(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        request = Request(h.command, parts.path, parse_qs(parts.query), dict(h.headers.items()), body)
        with self._lock:
            self.requests.append(request)
            reply = None
            for i, (pattern, fault) in enumerate(self.faults):
                if pattern is None or pattern.search(parts.path):
                    reply = fault
                    del self.faults[i]
                    break
        if reply is None:
            reply = self._route(request)
        if self.latency:
            time.sleep(self.latency)
        self._send(h, reply)

    def _route(self, request: Request) -> Reply:
        for method, pattern, handler in self.routes:
            if method == request.method:
                match = pattern.match(request.path)
                if match:
                    request.match = match
                    try:
                        return handler(request)
                    except Exception as exc:  # a bug in a fake should show up as a 500 the test can see
                        return Reply(500, {"error": f"fake handler crashed: {type(exc).__name__}: {exc}"})
        return Reply(404, {"error": "not found", "path": request.path})

    def _send(self, h: BaseHTTPRequestHandler, reply: Reply) -> None:
        if reply.delay:
            time.sleep(reply.delay)
        if reply.hang:
            self._stop.wait(60)
            h.close_connection = True
            return
        if reply.drop:
            h.close_connection = True
            try:
                h.connection.shutdown(2)
            except OSError:
                pass
            return
        if reply.raw is not None:
            data = reply.raw
        elif isinstance(reply.body, bytes):
            data = reply.body
        elif isinstance(reply.body, str):
            data = reply.body.encode()
        elif reply.body is None:
            data = b""
        else:
            data = json.dumps(reply.body).encode()
        try:
            h.send_response(reply.status)
            headers = {"Content-Type": "application/json; charset=utf-8", **reply.headers}
            for key, value in headers.items():
                h.send_header(key, value)
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


class TrackerFake(FakeService):
    """What the trackers' fakes (Jira, Linear, GitHub) share: the issues they hold, new ones numbered from a counter, and
    `drop_after_create = N`: the next N creates store the issue, then drop the connection unanswered. `mode` is the
    product served (cloud or data center, github.com or Enterprise Server)."""

    issues: list[dict[str, Any]]
    counter: Iterator[int]
    drop_after_create = 0

    def __init__(self, name: str, mode: str = ""):
        super().__init__(name)
        self.mode = mode

    def restart(self, issues: list[dict[str, Any]], first_number: int) -> None:
        """Back to these issues, new ones numbered from `first_number`, nothing recorded or queued."""
        self.clear()
        self.drop_after_create = 0
        self.issues = issues
        self.counter = itertools.count(first_number)

    def keep(self, item: dict[str, Any]) -> Reply | None:
        """Store a created issue: None, or while `drop_after_create` lasts the dropped connection to answer with."""
        self.issues.append(item)
        if self.drop_after_create:
            self.drop_after_create -= 1
            return Reply(drop=True)
        return None

    def created(self) -> list[dict[str, Any]]:
        return [i for i in self.issues if "raw" in i]


def filler_times(count: int, fmt: str) -> list[str]:
    """`count` timestamps an hour apart going back from 2026-06-01, in the vendor's format: the filler issues' dates."""
    start = datetime(2026, 6, 1, tzinfo=timezone.utc)
    return [(start - timedelta(hours=n)).strftime(fmt) for n in range(count)]
