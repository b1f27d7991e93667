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
from .settings import is_loopback

log = logging.getLogger("customer_escalation.http")

TOKEN_ENV = "CUSTOMER_ESCALATION_HTTP_TOKEN"
TOKEN_FILE_ENV = "CUSTOMER_ESCALATION_HTTP_TOKEN_FILE"
ALLOWED_HOSTS_ENV = "CUSTOMER_ESCALATION_ALLOWED_HOSTS"
MIN_TOKEN_LENGTH = 16
MCP_PATH = "/mcp"
HEALTH_PATH = "/healthz"


class ServeError(Exception):
    """The HTTP server cannot start as configured; the message says what to change."""


def add_serve_options(parser: argparse.ArgumentParser) -> None:
    """Options of `serve` that only matter with --transport http."""
    parser.add_argument("--token-file", help=f"file holding the bearer token clients must send (or ${TOKEN_ENV}); "
                                             "required when --host is not a loopback address")
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


def serve_http(app: MCPServer, service: Any, args: argparse.Namespace, env: Mapping[str, str] | None = None) -> int:
    from .cli import CLIError

    env = os.environ if env is None else env
    host, port = args.host, args.port
    extra = list(getattr(args, "allowed_host", None) or []) + [h for h in env.get(ALLOWED_HOSTS_ENV, "").split(",") if h.strip()]
    try:
        token = load_token(getattr(args, "token_file", None), env)
    except ServeError as exc:
        raise CLIError(f"refusing to start: {exc}") from None
    if token is None and not is_loopback(host):
        raise CLIError(
            f"refusing to start: --host {host} exposes the server beyond this machine and no bearer token is set. "
            f"Put a token in a file and pass --token-file FILE (or set ${TOKEN_ENV}); clients send it as "
            "'Authorization: Bearer <token>'. See docs/DEPLOY.md."
        )
    remote_names = [h for h in extra if not is_loopback(_bare_host(h))]
    if token is None and remote_names:
        raise CLIError(
            f"refusing to start: --allowed-host {remote_names[0]} lets clients beyond this machine reach the server (through a "
            f"proxy) and no bearer token is set. Put a token in a file and pass --token-file FILE (or set ${TOKEN_ENV}). "
            "See docs/DEPLOY.md."
        )
    asgi = build_http_app(app, service, host=host, token=token, extra_hosts=extra)

    import uvicorn

    shown = f"[{host}]" if ":" in host else host
    print(f"customer-escalation {__version__}: MCP over streamable HTTP at http://{shown}:{port}{MCP_PATH} "
          f"(auth: {'bearer token' if token else 'none, loopback only'}; writes {'enabled' if service.settings.enable_writes else 'off'}); "
          f"health at {HEALTH_PATH}", file=sys.stderr, flush=True)
    uvicorn.run(asgi, host=host, port=port, log_level="info" if getattr(args, "verbose", False) else "warning",
                access_log=bool(getattr(args, "verbose", False)), lifespan="on")
    return 0
