"""The stdio transport, answering every request: a message the SDK cannot parse gets a JSON-RPC error, not silence.

The SDK's stdio reader passes a line it cannot parse (a lone surrogate escape, nesting deeper than its JSON parser
goes, an integer too large for it) to the server as an exception, and the server drops it: the client waits for an
answer that never comes. Here such a line is answered with a parse error carrying the request's id, found by a scan
that neither decodes the text nor recurses into it, so the client's call fails at once and the server reads on.
The error text is composed here; nothing of the line is repeated.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import anyio
from mcp.shared.message import SessionMessage
from mcp_types import PARSE_ERROR, ErrorData, JSONRPCError
from pydantic import ValidationError

log = logging.getLogger("customer_escalation.stdio")

_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?|[{}\[\]]')
_ID = re.compile(r'\s*:\s*(?:(-?\d{1,15})(?![\d.eE])|"([A-Za-z0-9_.:-]{1,100})")')
_REASONS = (("recursion", "it is nested deeper than the JSON parser allows"),
            ("number out of range", "it holds a number too large to read"),
            ("escape", "it holds an invalid \\u escape (such as a lone surrogate)"))


def request_id(raw: str) -> int | str | None:
    """The top-level "id" of a JSON-RPC message that may not parse; None when there is none to find."""
    depth = 0
    for token in _TOKEN.finditer(raw):
        text = token.group()
        if text in "{[":
            depth += 1
        elif text in "}]":
            depth -= 1
        elif depth == 1 and text == '"id"':
            value = _ID.match(raw, token.end())
            if value is None:
                return None
            return int(value.group(1)) if value.group(1) is not None else value.group(2)
    return None


def parse_error(exc: Exception) -> JSONRPCError | None:
    """The answer to a line the SDK could not read as JSON; None for other failures (the SDK deals with those)."""
    if not isinstance(exc, ValidationError):
        return None
    error = next((e for e in exc.errors() if e.get("type") == "json_invalid"), None)
    if error is None or not isinstance(error.get("input"), str):
        return None
    detail = str((error.get("ctx") or {}).get("error") or error.get("msg", "")).lower()
    reason = next((words for key, words in _REASONS if key in detail), "it is not valid JSON")
    return JSONRPCError(jsonrpc="2.0", id=request_id(error["input"]), error=ErrorData(
        code=PARSE_ERROR, message=f"Parse error: the message could not be read ({reason}); nothing was done. "
                                  "Send it again as plain JSON."))


class AnsweringReader:
    """The SDK's read stream, with the exceptions it yields for unreadable lines answered on the write stream."""

    def __init__(self, inner: Any, write: Any):
        self._inner, self._write = inner, write

    @property
    def last_context(self) -> Any:
        return getattr(self._inner, "last_context", None)

    async def receive(self) -> Any:
        while True:
            item = await self._inner.receive()
            if not isinstance(item, Exception):
                return item
            answer = parse_error(item)
            if answer is None:
                return item
            log.info("unreadable message answered with a parse error (id %s)", "found" if answer.id is not None else "unknown")
            await self._write.send(SessionMessage(answer))

    def __aiter__(self) -> AnsweringReader:
        return self

    async def __anext__(self) -> Any:
        try:
            return await self.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def __aenter__(self) -> AnsweringReader:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()
