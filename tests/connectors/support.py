"""What every connector test file shares: its fake as module-wide server and per-test fixtures, and recorded sleeps."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import pytest

from customer_escalation.connectors.base import ConnectorError, HttpSettings

T = TypeVar("T")


def serve(fake_class: type[Any]) -> tuple[Any, Any]:
    """`server, fake = serve(FakeX)`: one fake per module, reset around each test."""

    @pytest.fixture(scope="module")
    def server() -> Iterator[Any]:
        with fake_class() as running:
            yield running

    @pytest.fixture
    def fake(server: Any) -> Iterator[Any]:
        server.reset()
        yield server
        server.reset()

    return server, fake


def options(sleeps: list[float] | None = None, settings: HttpSettings | None = None, **given: Any) -> dict[str, Any]:
    """A test connector's HTTP options: `settings` (else HttpSettings(**given)) and a sleep recorded into `sleeps`."""
    return {"settings": settings or HttpSettings(**given), "sleep": recorder(sleeps)}


def recorder(sleeps: list[float] | None) -> Callable[[float], Awaitable[None]]:
    """A connector's sleep that records how long it would wait (retries never wait on the clock in tests)."""

    async def sleep(seconds: float) -> None:
        if sleeps is not None:
            sleeps.append(seconds)

    return sleep


# what the tracker tests file: the issue file_escalation would create, with its marker
MARKER = "cesc-a1b2c3d4e5-file-tracker"


async def create_issue(conn: Any, body: str, **overrides: Any) -> Any:
    """`conn.create_issue` with a typical escalation's title, labels and priority; `overrides` replace any of them."""
    args: dict[str, Any] = dict(title="[High] CSV export drops rows", body_markdown=body, marker=MARKER, project=None,
                                labels=["customer-escalation", "severity-high"], priority="high")
    args.update(overrides)
    return await conn.create_issue(**args)


async def answer(conn: Any, call: Callable[[Any], Awaitable[T]]) -> T:
    """What `call(conn)` answers; the connector is closed after it either way."""
    try:
        return await call(conn)
    finally:
        await conn.aclose()


async def failure(conn: Any, call: Callable[[Any], Awaitable[Any]]) -> ConnectorError:
    """The ConnectorError `call(conn)` raises; the connector is closed after it."""
    with pytest.raises(ConnectorError) as err:
        await answer(conn, call)
    return err.value


async def each(conn: Any, call: Callable[[Any, Any], Awaitable[T]], *args: Any) -> list[T]:
    """What `call(conn, arg)` answers for each arg, in turn; the connector is closed after them."""
    return await answer(conn, lambda c: _in_turn(c, call, args))


async def _in_turn(conn: Any, call: Callable[[Any, Any], Awaitable[T]], args: tuple[Any, ...]) -> list[T]:
    return [await call(conn, arg) for arg in args]


async def search_check_file_find(conn: Any, query: Any, body: str) -> tuple[Any, Any, Any]:
    """A tracker asked what one escalation asks of it: a search, the check, filing the issue, then finding it by its
    marker. Returns (the search's page, what was filed, what was found); the connector is closed after."""
    async def calls(c: Any) -> tuple[Any, Any, Any]:
        page = await c.search_items(query)
        await c.check()
        created = await create_issue(c, body)
        return page, created, await c.find_by_marker(MARKER)

    return await answer(conn, calls)


def posted(fake: Any, path: str) -> list[Any]:
    """The JSON bodies POSTed to `path` (a pattern), in order."""
    return [r.json() for r in fake.requests_to(path, "POST")]


def never_shown(error: Exception, *secrets: str) -> None:
    """No secret in any text of a connector error: what it says, its message, its fix, its repr."""
    texts = (str(error), getattr(error, "message", ""), getattr(error, "fix", None) or "", repr(error))
    for secret in secrets:
        for text in texts:
            assert secret not in text, secret
