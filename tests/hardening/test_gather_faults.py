"""Failing and inconsistent systems never corrupt the merged context.

For each fault, gather_context with the faulty source added must return, mark that source as not
ok with a trusted reason (never the source's own text), and produce exactly the context it
produces without that source: the other sources' results intact.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, ClassVar

import pytest

from customer_escalation.connectors.base import ConnectorError, HttpSettings, HttpSource, Page
from customer_escalation.models import Account, ChatMessage, ChatThread, KBArticle, SearchQuery, Ticket, TrackerItem
from customer_escalation.service import Service
from customer_escalation.settings import Settings
from tests.fakes.harness import FakeService, Reply
from tests.helpers import SMALL

pytestmark = pytest.mark.anyio

T0 = datetime(2026, 11, 18, 9, tzinfo=timezone.utc)
CANARY = "REMOTE-TEXT-c4n4ry"


class Source:
    """An in-process connector whose answer (or failure) is given by the test."""

    def __init__(self, name: str, category: str, answer: Any = None, accounts: Any = (), fail: BaseException | None = None):
        self.name, self.category = name, category
        self.answer, self.accounts, self.fail = answer, accounts, fail

    async def _reply(self) -> Any:
        if self.fail is not None:
            raise self.fail
        return self.answer

    async def find_accounts(self, name_or_domain: str) -> list[Account]:
        return list(self.accounts) if self.category in ("support", "crm") else []

    async def search_tickets(self, query: SearchQuery) -> Page:
        return await self._reply()

    async def search_items(self, query: SearchQuery) -> Page:
        return await self._reply()

    async def search_messages(self, query: SearchQuery) -> Page:
        return await self._reply()

    async def search_articles(self, query: SearchQuery) -> Page:
        return await self._reply()

    async def check(self) -> None:
        pass

    async def aclose(self) -> None:
        pass


def good_sources() -> list[Any]:
    return [
        Source("zd", "support", Page([
            Ticket(id="Z-1", account_id="beta", subject="CSV export stops at 10,000 rows", description="export missing rows", created_at=T0, source="zd"),
            Ticket(id="Z-2", account_id="delta", subject="Export is missing rows", created_at=T0, source="zd"),
        ])),
        Source("jr", "tracker", Page([TrackerItem(id="J-9", title="CSV export truncated: missing rows", source="jr")])),
        Source("sl", "chat", Page([ChatThread(id="S-1", channel="#support", topic="export missing rows",
                                              messages=[ChatMessage(author="a", created_at=T0, text="export rows missing for beta")], source="sl")])),
        Source("cf", "knowledge_base", Page([KBArticle(id="K-1", title="Export row limits", body="CSV export missing rows limit", source="cf")])),
    ]


def service(tmp_path, sources, deadline: float = 3.0) -> Service:
    return Service(Settings(workspace=SMALL, home=tmp_path / "h", gather_deadline=deadline), connectors=lambda: list(sources))


async def gather(tmp_path, sources, deadline: float = 3.0):
    chain = await service(tmp_path, sources, deadline).gather_context("CSV export is missing rows", "Acme Corp")
    return chain.context


def merged(ctx) -> dict:
    return ctx.model_dump(mode="json", exclude={"sources"})


def status(ctx, name: str):
    return next(s for s in ctx.sources if s.source == name)


def naive_ticket() -> Ticket:
    return Ticket.model_construct(id="N-1", subject="CSV export missing rows", created_at=datetime(2026, 11, 18, 9), source="bad",
                                  description="", status="open", priority="normal", messages=[], tags=[], account_id=None,
                                  updated_at=None, requester=None, url=None)


class Weird(Exception):
    pass


FAULTS = {
    # wrong types in place of records or of the page
    "dicts instead of records": lambda: Source("bad", "support", Page([{"id": "X", "subject": CANARY}])),
    "strings instead of records": lambda: Source("bad", "tracker", Page([CANARY, CANARY])),
    "no page at all": lambda: Source("bad", "chat", None),
    "a list instead of a page": lambda: Source("bad", "knowledge_base", [KBArticle(id="K-x", title="export")]),
    "records of another category": lambda: Source("bad", "support", Page([TrackerItem(id="J-x", title="CSV export missing rows")])),
    "a record built without validation (naive time)": lambda: Source("bad", "support", Page([naive_ticket()])),
    "accounts that are not accounts": lambda: Source("bad", "crm", None, accounts=[{"name": "Acme Corp"}, None]),
    # failures, with remote text in the exception
    "a crash carrying remote text": lambda: Source("bad", "support", fail=KeyError(CANARY)),
    "an odd exception type": lambda: Source("bad", "tracker", fail=Weird(f"upstream said: {CANARY}")),
    "a connector error": lambda: Source("bad", "chat", fail=ConnectorError("bad", "auth_failed", "credentials were rejected (HTTP 401)")),
    "a timeout": lambda: Source("bad", "knowledge_base", fail=TimeoutError()),
}


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_a_faulty_source_is_marked_and_the_rest_is_intact(tmp_path, fault):
    baseline = await gather(tmp_path / "a", good_sources())
    ctx = await gather(tmp_path / "b", good_sources() + [FAULTS[fault]()])
    bad = status(ctx, "bad")
    if bad.state == "ok":
        # the source's answer was usable in part: whatever it was, the good sources' records are all still there
        for key in ("related_tickets", "tracker_items", "chat_threads", "kb_articles"):
            before = {(r["source"], r["id"]) for r in merged(baseline)[key]}
            after = {(r["source"], r["id"]) for r in merged(ctx)[key]}
            assert before - after == set() or len(after) == len(before), key
    else:
        assert merged(ctx) == merged(baseline)
        assert CANARY not in (bad.detail or "")
    assert all(status(ctx, s.name).state == "ok" for s in good_sources())
    assert CANARY not in ctx.model_dump_json()


async def test_duplicate_ids_within_and_across_sources_merge_once(tmp_path):
    dup = Ticket(id="Z-1", account_id="beta", subject="CSV export stops at 10,000 rows", description="export missing rows", created_at=T0, source="zd")
    sources = good_sources()
    sources[0].answer = Page(sources[0].answer.items + [dup, dup])
    sources.append(Source("jr2", "tracker", Page([TrackerItem(id="J-9", title="CSV export truncated: missing rows", source="jr")] * 3)))
    ctx = await gather(tmp_path, sources)
    keys = [(t.source, t.id) for t in ctx.related_tickets]
    assert len(keys) == len(set(keys)) and ("zd", "Z-1") in keys
    items = [(t.source, t.id) for t in ctx.tracker_items]
    assert len(items) == len(set(items)) and ("jr", "J-9") in items
    # beta reports once, however many copies of its ticket arrived
    baseline = await gather(tmp_path / "base", good_sources())
    assert ctx.customers_reporting == baseline.customers_reporting


async def test_a_hung_source_is_timed_out_and_the_rest_is_intact(tmp_path):
    import anyio

    class Hung(Source):
        async def search_items(self, query):
            await anyio.sleep(30)

    baseline = await gather(tmp_path / "a", good_sources(), deadline=0.5)
    ctx = await gather(tmp_path / "b", good_sources() + [Hung("bad", "tracker")], deadline=0.5)
    assert status(ctx, "bad").state == "timed_out"
    assert merged(ctx) == merged(baseline)


# --- over real loopback HTTP: pagination and changed error shapes -----------------------------------


class PagedTracker:
    """A tracker that follows a cursor over loopback HTTP with the shared HttpSource.paginate."""

    name = "paged"
    category: ClassVar[str] = "tracker"

    def __init__(self, url: str):
        self.http = HttpSource("paged", url, settings=HttpSettings(timeout=2, max_retries=1, backoff_base=0.01))

    async def search_items(self, query: SearchQuery) -> Page:
        async def page(cursor):
            data = await self.http.get_json("/issues", params={"cursor": cursor or ""})
            return [TrackerItem(id=str(i["key"]), title=i["fields"]["summary"], source="paged") for i in data["issues"]], data.get("next")

        return await self.http.paginate(page, limit=50)

    async def check(self) -> None:
        pass

    async def aclose(self) -> None:
        await self.http.aclose()


@pytest.fixture(scope="module")
def paged_fake():
    """One loopback fake for the module; each test sets the replies by cursor in `fake.pages`."""
    fake = FakeService("paged")
    fake.pages = {}  # type: ignore[attr-defined]
    fake.route("GET", "/issues")(lambda r: fake.pages[r.arg("cursor", "")])  # type: ignore[attr-defined]
    fake.start()
    yield fake
    fake.stop()


def _page(n: int, nxt: str | None) -> Reply:
    return Reply(200, {"issues": [{"key": f"P-{n}-{i}", "fields": {"summary": "CSV export missing rows"}} for i in range(3)], "next": nxt})


SHAPES = {
    "a 500 on the second page": Reply(500, {"error": CANARY}),
    "an HTML error page": Reply(502, f"<html><body>Bad gateway {CANARY}</body></html>", headers={"Content-Type": "text/html"}),
    "errors in a 200": Reply(200, {"errors": [{"message": CANARY}]}),
    "a list instead of an object": Reply(200, [CANARY]),
    "a missing field": Reply(200, {"issues": [{"key": "P-x"}], "next": None}),
    "wrong types in fields": Reply(200, {"issues": [{"key": "P-y", "fields": {"summary": {"text": CANARY}}}], "next": None}),
    "malformed JSON": Reply(200, raw=b'{"issues": [{"key": '),
    "a dropped connection": Reply(drop=True),
    "the request echoed back": Reply(500, {"echo": {"headers": {"Authorization": f"Bearer {CANARY}"}}}),
}


@pytest.mark.parametrize("shape", list(SHAPES))
async def test_failing_mid_pagination_or_changing_error_shape(tmp_path, shape, paged_fake):
    paged_fake.pages = {"": _page(1, "c2"), "c2": SHAPES[shape], "c3": _page(3, None)}
    paged_fake.requests.clear()
    baseline = await gather(tmp_path / "a", good_sources())
    ctx = await gather(tmp_path / "b", good_sources() + [PagedTracker(paged_fake.url)])
    paged = status(ctx, "paged")
    assert paged.state != "ok", shape
    assert CANARY not in (paged.detail or "") and CANARY not in ctx.model_dump_json()
    # no half of a source: the first page's items are not merged either
    assert merged(ctx) == merged(baseline)
    assert len(paged_fake.requests_to("/issues")) >= 2  # it did fail mid-way, after a good first page


async def test_a_real_connector_failing_on_its_second_page_adds_nothing_half_read(tmp_path):
    """Zendesk over loopback with 250 matching tickets: page 1 answers, page 2 keeps failing with a 500."""
    from tests.fakes.zendesk import EMAIL, TOKEN, zendesk_fake

    with zendesk_fake() as fake:
        fake.add_tickets(250, subject="CSV export is missing rows")
        searches = {"n": 0}
        answer = fake._search

        def flaky(request):
            searches["n"] += 1
            return answer(request) if searches["n"] == 1 else Reply(500, {"error": CANARY})

        fake.routes = [(m, rx, flaky if h == answer else h) for m, rx, h in fake.routes]
        from customer_escalation.connectors import zendesk

        def connector():
            zd = zendesk.from_env({"ZENDESK_BASE_URL": fake.url, "ZENDESK_EMAIL": EMAIL, "ZENDESK_API_TOKEN": TOKEN},
                                  HttpSettings(timeout=1.0, max_retries=1, backoff_base=0.01))
            zd.page_size = 5  # 20 wanted: four pages
            return [zd]

        settings = Settings(workspace=SMALL, home=tmp_path / "h", gather_deadline=3.0)
        ctx = (await Service(settings, connectors=connector).gather_context("CSV export is missing rows")).context
        alone = (await Service(Settings(workspace=SMALL, home=tmp_path / "a"), env={}).gather_context("CSV export is missing rows")).context
    zd = status(ctx, "zendesk")
    assert searches["n"] >= 2, "the connector followed its pagination"
    assert zd.state != "ok" and CANARY not in (zd.detail or "")
    assert merged(ctx) == merged(alone)
