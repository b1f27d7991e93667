"""Sending to trackers and chat: finding a connector's write method, opening and closing connectors, and turning a
connector's refusal into a message the caller can act on."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

from .types import ConnectorFactory, Delivery

class ConnectorFailure(Exception):
    def __init__(self, message: str, short: str):
        super().__init__(message)
        self.short = short

    @classmethod
    def from_error(cls, exc: Any, d: Delivery) -> ConnectorFailure:
        where = f"{exc.source} ({d.destination})" if d.destination else exc.source
        text = f"{where} refused: {exc.message}."
        if exc.valid_values:
            text += " Valid values: " + "; ".join(f"{k}: {', '.join(map(str, v[:20]))}" for k, v in exc.valid_values.items()) + "."
            if d.kind == "tracker":
                argument = {"project": "project", "team": "project", "repository": "project", "priority": "priority"}
                settable = list(dict.fromkeys(argument[k] for k in exc.valid_values if k in argument))
                others = [k for k in exc.valid_values if k not in argument]
                if settable:
                    text += f" Call file_escalation again with {' or '.join(k + '=' for k in settable)} set to one of them."
                if others:
                    text += (f" file_escalation cannot set {', '.join(others)}: call again with project= naming a project that "
                             f"does not require it, or have {exc.source} give it a default.")
                text += " To change it for good, edit the team's tracker in the policy file."
        elif exc.kind in ("timed_out", "unreachable", "error"):
            text += (f" The request may have reached {exc.source}; call again: the retry looks for the item by its marker "
                     "before creating one.")
        elif exc.kind == "rate_limited":
            text += " Wait" + (f" {exc.retry_after:g}s" if exc.retry_after else " a moment") + " and call again."
        if exc.fix:
            text += f" Fix: {exc.fix}."
        return cls(text, f"{exc.kind}: {exc.message}")


def find_writer(connectors: Sequence[Any], system: str, method: str) -> Any:
    for c in connectors:
        if (getattr(c, "name", None) == system or getattr(c, "SYSTEM", None) == system) and callable(getattr(c, method, None)):
            return c
    return None


@asynccontextmanager
async def opened(factory: ConnectorFactory) -> AsyncIterator[list[Any]]:
    connectors = list(factory())
    try:
        yield connectors
    finally:
        for c in connectors:
            close: Callable[[], Awaitable[None]] | None = getattr(c, "aclose", None)
            if close is not None:
                try:
                    await close()
                except Exception:
                    pass

