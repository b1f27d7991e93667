"""The shared HTTP helper: retries with Retry-After, trusted errors, pagination caps."""

from __future__ import annotations

import pytest

from customer_escalation.connectors.base import ConnectorError, HttpSettings, HttpSource, parse_retry_after
from tests.fakes.harness import FakeService, Reply

pytestmark = pytest.mark.anyio


def source(fake: FakeService, sleeps: list[float], **settings) -> HttpSource:
    async def sleep(seconds: float) -> None:
        sleeps.append(seconds)

    return HttpSource("demo", fake.url, headers={"Authorization": "Bearer s3cret-token"},
                      settings=HttpSettings(**settings), sleep=sleep)


async def test_retries_429_honouring_retry_after_with_cap():
    with FakeService() as fake:
        fake.route("GET", "/items")(lambda r: Reply(200, {"ok": True}))
        fake.fail_next(Reply(429, {"error": "slow down"}, headers={"Retry-After": "30"}))
        sleeps: list[float] = []
        src = source(fake, sleeps, retry_after_cap=2.0)
        assert await src.get_json("/items") == {"ok": True}
        assert sleeps == [2.0]  # 30s asked, capped at 2s
        assert len(fake.requests) == 2
        assert fake.requests[0].header("Authorization") == "Bearer s3cret-token"
        await src.aclose()


async def test_gives_up_after_retries_and_error_is_trusted_text():
    with FakeService() as fake:
        fake.route("GET", "/items")(lambda r: Reply(500, {"error": "Bearer s3cret-token echoed"}))
        sleeps: list[float] = []
        src = source(fake, sleeps, max_retries=2)
        with pytest.raises(ConnectorError) as err:
            await src.get_json("/items")
        assert err.value.kind == "error" and err.value.status_code == 500
        assert "s3cret" not in str(err.value)
        assert len(fake.requests) == 3 and len(sleeps) == 2
        await src.aclose()


async def test_401_is_not_retried():
    with FakeService() as fake:
        fake.route("GET", "/items")(lambda r: Reply(401, {"error": "bad"}))
        src = source(fake, [])
        with pytest.raises(ConnectorError) as err:
            await src.get_json("/items")
        assert err.value.kind == "auth_failed" and err.value.fix
        assert len(fake.requests) == 1
        await src.aclose()


async def test_timeout_and_malformed_json():
    with FakeService() as fake:
        fake.route("GET", "/slow")(lambda r: Reply(200, {"ok": True}, delay=1.0))
        fake.route("GET", "/bad")(lambda r: Reply(200, raw=b"{not json"))
        src = source(fake, [], timeout=0.2, max_retries=0)
        with pytest.raises(ConnectorError) as err:
            await src.get_json("/slow")
        assert err.value.kind == "timed_out"
        with pytest.raises(ConnectorError) as err:
            await src.get_json("/bad")
        assert "malformed JSON" in err.value.message
        await src.aclose()


async def test_paginate_stops_at_cap_and_reports_truncation():
    with FakeService() as fake:
        src = source(fake, [], max_pages=3)

        async def fetch(cursor):
            n = cursor or 0
            return [n * 10 + i for i in range(10)], n + 1

        page = await src.paginate(fetch, limit=100)
        assert len(page.items) == 30 and page.truncated

        async def short(cursor):
            return [1, 2], None

        page = await src.paginate(short, limit=100)
        assert page.items == [1, 2] and not page.truncated


def test_parse_retry_after_forms():
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("soon") is None
