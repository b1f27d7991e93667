"""gather_context fan-out: concurrent sources, per-source status, deadline, merging."""

from __future__ import annotations

import time
from typing import ClassVar

import pytest

from customer_escalation.connectors.base import ConnectorError, HttpSettings, HttpSource, Page
from customer_escalation.models import SearchQuery, Ticket, TrackerItem
from customer_escalation.service import Service
from customer_escalation.settings import Settings
from tests.fakes.harness import FakeService, Reply
from tests.helpers import SMALL

pytestmark = pytest.mark.anyio


class LoopbackTracker:
    """A minimal tracker speaking JSON over loopback HTTP: enough to exercise the fan-out for real."""

    category: ClassVar[str] = "tracker"

    def __init__(self, name: str, fake: FakeService, timeout: float = 5.0):
        self.name = name
        self.http = HttpSource(name, fake.url, settings=HttpSettings(timeout=timeout, max_retries=0))

    async def check(self) -> None:
        await self.http.get_json("/items")

    async def search_items(self, query: SearchQuery) -> Page:
        data = self.http.decode(await self.http.request("GET", "/items", params={"q": " ".join(query.keywords)}))
        return Page([TrackerItem(id=f"{self.name}-{i['id']}", title=i["title"], source=self.name, url=i.get("url")) for i in data["items"]])

    async def aclose(self) -> None:
        await self.http.aclose()


def tracker_fake(name: str, delay: float = 0.0, hang: bool = False, status: int = 200) -> FakeService:
    fake = FakeService(name)
    body = {"items": [{"id": 1, "title": f"CSV export missing rows ({name})", "url": f"https://{name}.example/1"}]}
    fake.route("GET", "/items")(lambda r: Reply(status, body if status == 200 else {"error": "nope"}, delay=delay, hang=hang))
    return fake.start()


def service(tmp_path, connectors, deadline=4.0) -> Service:
    return Service(Settings(workspace=SMALL, home=tmp_path / "h", gather_deadline=deadline), connectors=lambda: connectors)


async def test_eight_sources_run_concurrently(tmp_path):
    delays = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]
    fakes = [tracker_fake(f"src{i}", d) for i, d in enumerate(delays)]
    try:
        svc = service(tmp_path, [LoopbackTracker(f.name, f) for f in fakes])
        started = time.perf_counter()
        chain = await svc.gather_context("CSV export is missing rows", "Acme Corp")
        elapsed = time.perf_counter() - started
    finally:
        for f in fakes:
            f.stop()
    states = {s.source: s.state for s in chain.context.sources}
    assert states == {"workspace": "ok", **{f"src{i}": "ok" for i in range(8)}}
    # run one after another they would take the sum (1.8 s); concurrently, about the slowest (0.4 s)
    assert elapsed < sum(delays)
    # nine matching tracker items (eight sources and the workspace) merged, bounded to the default four
    assert len(chain.context.tracker_items) == 4 and chain.context.omitted["tracker_items"] == 5


async def test_hung_source_returns_at_deadline_with_the_others(tmp_path):
    fakes = [tracker_fake("fast", 0.05), tracker_fake("hung", hang=True), tracker_fake("broken", status=500)]
    try:
        svc = service(tmp_path, [LoopbackTracker(f.name, f, timeout=30) for f in fakes], deadline=0.8)
        started = time.perf_counter()
        chain = await svc.gather_context("CSV export is missing rows")
        elapsed = time.perf_counter() - started
    finally:
        for f in fakes:
            f.stop()
    by = {s.source: s for s in chain.context.sources}
    assert by["fast"].state == "ok" and by["hung"].state == "timed_out" and by["broken"].state == "error"
    assert "HTTP 500" in (by["broken"].detail or "")
    assert elapsed < 30  # it did not wait for the hung source's own timeout
    assert any(t.source == "fast" for t in chain.context.tracker_items)


class Exploding:
    name = "exploding"
    category = "support"

    async def find_accounts(self, name):
        raise ValueError("secret-token-123 leaked in an exception message")

    async def search_tickets(self, query):
        return Page([])

    async def aclose(self):
        pass


class AuthFails:
    name = "authfails"
    category = "knowledge_base"

    async def search_articles(self, query):
        raise ConnectorError("authfails", "auth_failed", "credentials were rejected (HTTP 401)", fix="check the token")

    async def aclose(self):
        pass


async def test_failing_sources_are_reported_without_their_text(tmp_path):
    svc = service(tmp_path, [Exploding(), AuthFails()])
    chain = await svc.gather_context("export missing rows", "Acme Corp")
    by = {s.source: s for s in chain.context.sources}
    assert by["exploding"].state == "error" and "secret-token" not in (by["exploding"].detail or "")
    assert by["authfails"].state == "auth_failed" and "check the token" in by["authfails"].detail
    assert chain.context.account and chain.context.account.name == "Acme Corp"


class RemoteSupport:
    name = "remote"
    category = "support"
    base_url = "https://remote.example/api"  # records link to their own system's host

    def __init__(self, accounts):
        self.accounts = accounts

    async def find_accounts(self, name):
        return self.accounts

    async def search_tickets(self, query):
        from datetime import datetime, timezone
        t = Ticket(id="Z-9", account_id="acme", subject="Export is missing rows since Monday", description="csv export missing rows",
                   created_at=datetime(2026, 11, 19, tzinfo=timezone.utc), source="remote", url="https://remote.example/Z-9")
        return Page([t, t])  # a duplicate in the answer

    async def aclose(self):
        pass


async def test_remote_records_merge_deduplicated_with_links(tmp_path):
    from customer_escalation.models import Account

    svc = service(tmp_path, [RemoteSupport([Account(id="99", name="Acme Corp", arr=500000, source="remote")])])
    chain = await svc.gather_context("CSV export missing rows", "Acme Corp")
    remote = [t for t in chain.context.related_tickets if t.source == "remote"]
    assert len(remote) == 1 and remote[0].url == "https://remote.example/Z-9"


async def test_ambiguous_account_returns_candidates(tmp_path):
    from customer_escalation.models import Account

    svc = service(tmp_path, [RemoteSupport([Account(id="1", name="Northwind East", source="remote"),
                                            Account(id="2", name="Northwind West", source="remote")])])
    chain = await svc.gather_context("export missing rows", "Northwind")
    assert chain.context.account is None
    assert [a.name for a in chain.context.account_candidates] == ["Northwind East", "Northwind West"]


async def test_tickets_filed_under_another_systems_account_id_count_for_the_account(tmp_path):
    from customer_escalation.models import Account

    class ZendeskLike(RemoteSupport):
        async def search_tickets(self, query):
            from datetime import datetime, timezone
            return Page([Ticket(id="Z-1", account_id="361", subject="CSV export missing rows", description="export missing rows",
                                status="open", created_at=datetime(2026, 11, 19, tzinfo=timezone.utc), source="remote")])

    svc = service(tmp_path, [ZendeskLike([Account(id="361", name="Acme Corp", source="remote")])])
    chain = await svc.gather_context("CSV export missing rows", "Acme Corp")
    z = next(t for t in chain.context.related_tickets if t.id == "Z-1")
    assert z.account_id == "acme" and z.account_name == "Acme Corp"
    acme = next(a for a in chain.context.affected_accounts if a.id == "acme")
    assert acme.tickets == 2  # its workspace ticket and the one the other system files under its own id
