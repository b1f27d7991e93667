"""`customer-escalation serve --transport http`: one server for a whole team, over streamable HTTP.

- Stateless streamable HTTP at /mcp (every request stands alone, so replicas behind a load
  balancer need no sticky sessions; drafts and escalations live in the shared store).
- GET /healthz answers without auth, for load balancers and uptime checks.
- Bearer-token auth: the token comes from $CUSTOMER_ESCALATION_HTTP_TOKEN, or the file named by
  --token-file / $CUSTOMER_ESCALATION_HTTP_TOKEN_FILE. It is compared in constant time and
  never logged. Bound beyond loopback, the server refuses to start without one.
- DNS-rebinding protection is always on: only the Host headers listed (loopback, this machine's
  names, and each --allowed-host) reach the MCP endpoint.
- Read-only unless --enable-writes, exactly as over stdio: the same Service and tools.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import logging
import os
import socket
import stat
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the server stack loads when serving, not when the CLI builds its parser
    from mcp.server.mcpserver import MCPServer
    from starlette.requests import Request
    from starlette.responses import Response

from . import __version__
from .errors import UserError
from .settings import is_loopback

log = logging.getLogger("customer_escalation.http")

TOKEN_ENV = "CUSTOMER_ESCALATION_HTTP_TOKEN"
TOKEN_FILE_ENV = "CUSTOMER_ESCALATION_HTTP_TOKEN_FILE"
ALLOWED_HOSTS_ENV = "CUSTOMER_ESCALATION_ALLOWED_HOSTS"
MIN_TOKEN_LENGTH = 16
HEADER_TIMEOUT = 10.0  # seconds a client has to send a complete request head
IDLE_TIMEOUT = 5  # seconds a kept-alive connection may sit idle between requests (whole: uvicorn takes an int)
MAX_CONNECTIONS = 200
FD_RESERVE = 32  # descriptors kept free for the store, connectors and the listener
MCP_PATH = "/mcp"
HEALTH_PATH = "/healthz"


class ServeError(UserError):
    """The HTTP server cannot start as configured; the message says what to change."""


def add_serve_options(parser: argparse.ArgumentParser) -> None:
    """Options of `serve` that only matter with --transport http."""
    parser.add_argument("--max-connections", type=int, default=MAX_CONNECTIONS, metavar="N",
                        help=f"open connections at most (default {MAX_CONNECTIONS}, and never more than the open-file limit "
                             "allows); beyond it, the longest-waiting connection without a complete request is closed")
    parser.add_argument("--header-timeout", type=float, default=HEADER_TIMEOUT, metavar="SECONDS",
                        help=f"time a client has to send a complete request head (default {HEADER_TIMEOUT:g})")
    parser.add_argument("--token-file", help=f"file holding the bearer token clients must send (or ${TOKEN_ENV}); "
                                             "required when --host is not a loopback address")
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="worker processes answering on the port (default 1; uvicorn's workers, each with its own "
                             "connection limit, all sharing one store: SQLite in WAL mode or PostgreSQL). See docs/DEPLOY.md")
    parser.add_argument("--allowed-host", action="append", metavar="HOST[:PORT]",
                        help="a Host header clients use to reach the server, e.g. escalations.example.com "
                             f"(repeatable, or ${ALLOWED_HOSTS_ENV} comma-separated); loopback and this machine's names are always allowed")


def load_token(token_file: str | None, env: Mapping[str, str]) -> str | None:
    """The bearer token, from a file (preferred: stays out of the process environment and shell history) or the environment.

    None only when no token is configured at all. A token source that is set but empty or blank (an empty file, a
    variable set to "") is refused: it must never mean "no auth", nor hide a token set elsewhere.
    """
    if token_file is not None or TOKEN_FILE_ENV in env:
        path = token_file if token_file is not None else env[TOKEN_FILE_ENV]
        if not path.strip():
            raise ServeError(f"{'--token-file' if token_file is not None else '$' + TOKEN_FILE_ENV} is empty: name the file "
                             "holding the bearer token")
        file = Path(path).expanduser()
        try:
            token = file.read_text(encoding="utf-8").strip()
            mode = file.stat().st_mode
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise ServeError(f"cannot read the token file {file}: {reason}") from None
        if not token:
            raise ServeError(f"the token file {file} is empty: write the token on its first line "
                             f"(e.g. `python3 -c 'import secrets; print(secrets.token_urlsafe(32))' > {file}`)")
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            log.warning("token file %s is readable by other users; chmod 600 it", file)
    elif TOKEN_ENV in env:
        token = env[TOKEN_ENV].strip()
        if not token:
            raise ServeError(f"${TOKEN_ENV} is set but blank: set it to the token, or unset it and pass --token-file FILE")
    else:
        return None
    if len(token) < MIN_TOKEN_LENGTH or any(c.isspace() for c in token):
        raise ServeError(f"the bearer token must be at least {MIN_TOKEN_LENGTH} characters with no spaces "
                         "(e.g. `python3 -c 'import secrets; print(secrets.token_urlsafe(32))'`)")
    return token


def _host_pattern(host: str) -> list[str]:
    """Host header patterns for a name: with any port, and bare (a proxy on 80/443 sends no port)."""
    host = host.strip()
    if not host:
        return []
    if host.startswith("["):  # bracketed IPv6 literal, with or without a port
        return [host] if "]:" in host else [host, f"{host}:*"]
    if host.count(":") > 1:  # bare IPv6 literal
        return [f"[{host}]", f"[{host}]:*"]
    if ":" in host:  # name:port
        return [host]
    return [host, f"{host}:*"]


def _bare_host(host: str) -> str:
    """The name or address in a Host value, without brackets or port."""
    host = host.strip()
    if host.startswith("["):
        return host[1:host.find("]")] if "]" in host else host[1:]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def allowed_hosts(bind: str, extra: list[str]) -> list[str]:
    hosts = ["127.0.0.1:*", "localhost:*", "[::1]:*"]
    names: list[str] = []
    if bind in ("0.0.0.0", "::", ""):
        names += [socket.gethostname(), socket.getfqdn()]
    elif not is_loopback(bind):
        names.append(bind)
    for name in names + extra:
        for pattern in _host_pattern(name):
            if pattern not in hosts:
                hosts.append(pattern)
    return hosts


class BearerAuth:
    """ASGI middleware: every HTTP request except the health check must carry `Authorization: Bearer <token>`."""

    def __init__(self, app: Any, token: str, open_paths: frozenset[str] = frozenset({HEALTH_PATH})):
        self.app = app
        self._digest = hashlib.sha256(token.encode()).digest()
        self.open_paths = open_paths

    def authorized(self, header: bytes) -> bool:
        scheme, _, value = header.partition(b" ")
        # compare digests so neither the content nor the length of the token leaks through timing
        supplied = hashlib.sha256(value.strip()).digest()
        return scheme.lower() == b"bearer" and hmac.compare_digest(supplied, self._digest)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope.get("path") in self.open_paths:
            await self.app(scope, receive, send)
            return
        header = next((v for k, v in scope.get("headers", []) if k == b"authorization"), b"")
        if self.authorized(header):
            await self.app(scope, receive, send)
            return
        body = json.dumps({"error": "invalid_token",
                           "error_description": "send Authorization: Bearer <token> (the token the server was started with)"}).encode()
        await send({"type": "http.response.start", "status": 401, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            (b"www-authenticate", b'Bearer realm="customer-escalation", error="invalid_token"')]})
        await send({"type": "http.response.body", "body": body})


def build_http_app(app: MCPServer, service: Any, *, host: str, token: str | None, extra_hosts: list[str]) -> Any:
    """The ASGI application: MCP at /mcp, health at /healthz, bearer auth and DNS-rebinding protection (on both)."""
    from mcp.server.transport_security import TransportSecurityMiddleware, TransportSecuritySettings
    from starlette.responses import JSONResponse

    security = TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=allowed_hosts(host, extra_hosts),
                                         allowed_origins=[])
    security.allowed_origins = [f"{scheme}://{h}" for h in security.allowed_hosts for scheme in ("http", "https")]
    hosts = TransportSecurityMiddleware(security)

    @app.custom_route(HEALTH_PATH, methods=["GET"], include_in_schema=False)
    async def healthz(request: Request) -> Response:
        import anyio

        refused = await hosts.validate_request(request)  # the same Host and Origin check as /mcp
        if refused is not None:
            return refused
        try:
            workspace = await anyio.to_thread.run_sync(lambda: service.store.workspace_name)
        except Exception as exc:  # the store is the one dependency worth checking
            log.error("health check: store unavailable: %s", type(exc).__name__)
            return JSONResponse({"status": "unavailable", "reason": "store"}, status_code=503)
        return JSONResponse({"status": "ok", "version": __version__, "workspace": workspace,
                             "writes_enabled": bool(service.settings.enable_writes)})

    asgi = app.streamable_http_app(streamable_http_path=MCP_PATH, stateless_http=True, json_response=False,
                                   transport_security=security, host=host)
    return BearerAuth(asgi, token) if token else asgi


def connection_limits(requested: int) -> tuple[int, int]:
    """(connection cap, accept backlog) that stay within the open-file limit: each burst of accepts takes descriptors
    before the cap can close anything, so the backlog is a small share of the limit and the cap leaves room for a few
    bursts plus the store, the connectors and the listener."""
    import resource

    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return requested, 128
    backlog = max(8, min(128, soft // 8))
    return max(1, min(requested, soft - FD_RESERVE - 3 * backlog)), backlog


def guarded_protocol(max_connections: int, header_timeout: float) -> type:
    """uvicorn's HTTP protocol with the guards it lacks against clients that never finish a request: each connection
    has `header_timeout` seconds to send a complete request head (a slow trickle does not extend it), and beyond
    `max_connections` the longest-waiting connection that has not (an idle kept-alive one, or one mid-head) is
    closed. A client that sends its request at once is never the one closed, so unauthenticated connections held
    open cannot starve those making requests; /healthz stays up."""
    import h11
    from uvicorn.protocols.http.h11_impl import H11Protocol

    waiting: dict[Any, None] = {}  # connections without a request in progress, longest-waiting first
    closing: set[Any] = set()  # closed by us, not yet gone from the server's count

    class GuardedH11Protocol(H11Protocol):
        _timer: Any = None

        def connection_made(self, transport: Any) -> None:
            super().connection_made(transport)
            self._await_request()
            live = len(self.connections) - len(closing)
            for oldest in list(waiting)[: max(0, live - max_connections)]:
                oldest._close(b"503 Service Unavailable")

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self in waiting and self.conn.their_state is not h11.IDLE:  # the request head is complete
                self._stop_waiting()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
                self._await_request()  # kept alive, waiting for the next request (not already reading a pipelined one)

        def connection_lost(self, exc: Exception | None) -> None:
            self._stop_waiting()
            closing.discard(self)
            super().connection_lost(exc)

        def _await_request(self) -> None:
            self._stop_waiting()
            waiting[self] = None
            self._timer = self.loop.call_later(header_timeout, self._close, b"408 Request Timeout")

        def _stop_waiting(self) -> None:
            waiting.pop(self, None)
            if self._timer is not None:
                self._timer.cancel()
                self._timer = None

        def _close(self, status: bytes) -> None:
            self._stop_waiting()
            if not self.transport.is_closing():
                if self.conn.their_state is h11.IDLE and self.conn.our_state is h11.IDLE:  # nothing sent yet: say why
                    self.transport.write(b"HTTP/1.1 " + status + b"\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                closing.add(self)
                self.transport.close()

    return GuardedH11Protocol


def _checked_auth(args: argparse.Namespace, env: Mapping[str, str]) -> tuple[str | None, list[str]]:
    """(token, extra allowed hosts), refusing a setup that would expose the server without a token."""
    host = args.host
    extra = list(getattr(args, "allowed_host", None) or []) + [h for h in env.get(ALLOWED_HOSTS_ENV, "").split(",") if h.strip()]
    try:
        token = load_token(getattr(args, "token_file", None), env)
    except ServeError as exc:
        raise UserError(f"refusing to start: {exc}") from None
    if token is None and not is_loopback(host):
        raise UserError(
            f"refusing to start: --host {host} exposes the server beyond this machine and no bearer token is set. "
            f"Put a token in a file and pass --token-file FILE (or set ${TOKEN_ENV}); clients send it as "
            "'Authorization: Bearer <token>'. See docs/DEPLOY.md."
        )
    remote_names = [h for h in extra if not is_loopback(_bare_host(h))]
    if token is None and remote_names:
        raise UserError(
            f"refusing to start: --allowed-host {remote_names[0]} lets clients beyond this machine reach the server (through a "
            f"proxy) and no bearer token is set. Put a token in a file and pass --token-file FILE (or set ${TOKEN_ENV}). "
            "See docs/DEPLOY.md."
        )
    return token, extra


def asgi_app(app: MCPServer, service: Any, args: argparse.Namespace, env: Mapping[str, str] | None = None) -> Any:
    """The ASGI application `serve --transport http` runs, auth checked (each worker process builds its own)."""
    token, extra = _checked_auth(args, os.environ if env is None else env)
    return build_http_app(app, service, host=args.host, token=token, extra_hosts=extra)


def _guards(args: argparse.Namespace) -> tuple[int, float]:
    max_connections = getattr(args, "max_connections", MAX_CONNECTIONS)
    header_timeout = getattr(args, "header_timeout", HEADER_TIMEOUT)
    if max_connections < 1 or not 0 < header_timeout < float("inf"):
        raise UserError("refusing to start: --max-connections must be at least 1 and --header-timeout a number of seconds above 0")
    return max_connections, header_timeout


SERVE_OPTIONS_ENV = "CUSTOMER_ESCALATION_SERVE_OPTIONS"


def hand_over(args: argparse.Namespace) -> None:
    """Pass the parsed `serve` options to the worker processes (option names and values only: a token is read by each
    worker from the file or variable the parent read it from)."""
    os.environ[SERVE_OPTIONS_ENV] = json.dumps({k: v for k, v in vars(args).items() if k != "func"})


def serve_args() -> argparse.Namespace:
    return argparse.Namespace(**json.loads(os.environ[SERVE_OPTIONS_ENV]))


def __getattr__(name: str) -> Any:
    """`WorkerProtocol`: the guarded protocol for worker processes, which load it by name (it is built, not declared,
    so that importing this module does not import uvicorn)."""
    if name == "WorkerProtocol":
        max_connections, header_timeout = _guards(serve_args())
        return guarded_protocol(connection_limits(max_connections)[0], header_timeout)
    raise AttributeError(name)


def serve_http(app: MCPServer, service: Any, args: argparse.Namespace, env: Mapping[str, str] | None = None) -> int:
    host, port = args.host, args.port
    asgi = asgi_app(app, service, args, env)
    token = asgi.__class__ is BearerAuth
    workers = getattr(args, "workers", 1)
    if workers < 1:
        raise UserError("refusing to start: --workers must be at least 1")
    max_connections, header_timeout = _guards(args)

    import uvicorn

    shown = f"[{host}]" if ":" in host else host
    print(f"customer-escalation {__version__}: MCP over streamable HTTP at http://{shown}:{port}{MCP_PATH} "
          f"(auth: {'bearer token' if token else 'none, loopback only'}; writes {'enabled' if service.settings.enable_writes else 'off'}"
          f"{f'; {workers} worker processes' if workers > 1 else ''}); health at {HEALTH_PATH}", file=sys.stderr, flush=True)
    cap, backlog = connection_limits(max_connections)
    options: dict[str, Any] = dict(host=host, port=port, log_level="info" if getattr(args, "verbose", False) else "warning",
                                   access_log=bool(getattr(args, "verbose", False)), lifespan="on", timeout_keep_alive=IDLE_TIMEOUT,
                                   backlog=backlog)
    if workers > 1:  # uvicorn's own workers: each process imports the app factory and builds the same server
        service.close()
        hand_over(args)
        uvicorn.run("customer_escalation.workers:app", factory=True, workers=workers, http="customer_escalation.http:WorkerProtocol",
                    **options)
        return 0
    uvicorn.run(asgi, http=guarded_protocol(cap, header_timeout), **options)
    return 0
