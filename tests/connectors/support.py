"""What every connector test file shares: its fake as module-wide server and per-test fixtures, and recorded sleeps."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest


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


def never_shown(error: Exception, *secrets: str) -> None:
    """No secret in any text of a connector error: what it says, its message, its fix, its repr."""
    texts = (str(error), getattr(error, "message", ""), getattr(error, "fix", None) or "", repr(error))
    for secret in secrets:
        for text in texts:
            assert secret not in text, secret
