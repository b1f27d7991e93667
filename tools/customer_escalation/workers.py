"""`serve --transport http --workers N`: the ASGI app factory each of uvicorn's worker processes imports.

The parent hands the parsed `serve` options over in the environment (names and values of the options only; a token
is read by each worker from the same file or variable the parent read it from), and each worker builds the same
service, server and HTTP app. The workers share the store: SQLite in WAL mode on this host, or PostgreSQL.
"""

from __future__ import annotations

from typing import Any


def app() -> Any:
    """One worker's ASGI application (uvicorn calls it with `factory=True`)."""
    from .http import asgi_app, serve_args
    from .options import service_from_args
    from .server import build_server

    args = serve_args()
    service = service_from_args(args, refusing="refusing to start: ")
    service.store.is_empty()  # opened before serving, as with one process
    return asgi_app(build_server(service), service, args)
