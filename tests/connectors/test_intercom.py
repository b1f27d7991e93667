"""Intercom connector against the loopback fake: companies, conversation search, parts, pagination, faults, config."""

from __future__ import annotations

import time
from datetime import date

import pytest

from customer_escalation.connectors import intercom
from customer_escalation.connectors.base import HttpSettings
from customer_escalation.connectors.intercom import IntercomConnector
from customer_escalation.models import Account, SearchQuery
from tests.connectors.support import answer, failure, never_shown, options, posted, serve
from tests.fakes.harness import Reply
from tests.fakes.intercom import APP_ID, TOKEN, FakeIntercom

pytestmark = pytest.mark.anyio


server, fake = serve(FakeIntercom)


def make(fake: FakeIntercom, sleeps: list[float] | None = None, *, token: str = TOKEN, settings: HttpSettings | None = None,
         **kwargs) -> IntercomConnector:
    return IntercomConnector(fake.url, token, **options(sleeps, settings, timeout=2.0, max_retries=2), **kwargs)


# --- accounts ---------------------------------------------------------------------------------------


async def test_find_account_by_name_maps_company(fake):
    [acme] = await answer(make(fake), lambda c: c.find_accounts("Acme Corp"))
    assert acme.id == "6400a1" and acme.name == "Acme Corp" and acme.source == "intercom"
    assert acme.domains == ["acme.com"] and acme.plan == "Enterprise"
    assert acme.arr == 120000.0  # twelve times monthly_spend when no ARR attribute is set
    assert acme.renewal_date == date(2026, 9, 30) and acme.owner == "Dana Whitfield"
    assert acme.url == f"{fake.url}/a/apps/{APP_ID}/companies/6400a1"
    request = fake.requests_to("/companies")[0]
    assert request.arg("name") == "Acme Corp"
    assert request.header("Authorization") == f"Bearer {TOKEN}"
    assert request.header("Intercom-Version") == "2.14"


async def test_unknown_name_is_no_account_not_an_error(fake):
    ic = make(fake)
    assert await ic.find_accounts("Initech") == []
    await ic.aclose()


async def test_find_accounts_by_domain_returns_every_company_of_its_contacts(fake):
    accounts = await answer(make(fake), lambda c: c.find_accounts("someone@acme.com"))
    assert [a.name for a in accounts] == ["Acme Corp", "Acme Labs"]  # kim@acme.company is not at acme.com
    assert posted(fake, "/contacts/search")[0]["query"] == {"field": "email", "operator": "$", "value": "@acme.com"}


async def test_arr_attribute_is_preferred_and_configurable(fake):
    ic = make(fake)
    [globex] = await ic.find_accounts("Globex")
    await ic.aclose()
    assert globex.arr == 18000.0
    fake.companies[0]["custom_attributes"]["Contract ARR"] = "99,000"
    [acme] = await answer(make(fake, attributes={"arr": "Contract ARR"}), lambda c: c.find_accounts("Acme Corp"))
    assert acme.arr == 99000.0


# --- conversations ----------------------------------------------------------------------------------


async def test_search_for_an_intercom_account_maps_conversations_and_timeline(fake):
    ic = make(fake)
    account = Account(id="6400a1", name="Acme Corp", source="intercom")
    page = await ic.search_tickets(SearchQuery(text="export missing rows", keywords=["export"], account=account))
    await ic.aclose()
    assert not page.truncated
    [ticket] = page.items  # 103 is Acme's too, but about SSO
    assert ticket.id == "101" and ticket.source == "intercom" and ticket.account_id == "6400a1"
    assert ticket.subject == "Our CSV export is missing rows since the last release."
    assert ticket.description == "Our CSV export is missing rows since the last release."
    assert ticket.status == "open" and ticket.priority == "high" and ticket.tags == ["export"]
    assert ticket.requester == "Jo Customer"
    assert ticket.url == f"{fake.url}/a/inbox/{APP_ID}/inbox/conversation/101"
    assert ticket.created_at.isoformat() == "2026-01-05T09:00:00+00:00"
    assert [(m.author, m.author_role, m.public) for m in ticket.messages] == [
        ("Jo Customer", "customer", True), ("Fin", "system", True), ("Sam Agent", "agent", True),
        ("Alex Admin", "internal", False), ("Jo Customer", "customer", True),
    ]
    assert ticket.messages[-1].body == "Any update? Finance needs this by Friday."

    [body] = posted(fake, "/conversations/search")
    assert body["query"] == {"operator": "AND", "value": [
        {"operator": "OR", "value": [{"field": "source.body", "operator": "=", "value": "export"},
                                     {"field": "source.subject", "operator": "~", "value": "export"}]},
        {"field": "contact_ids", "operator": "IN", "value": ["ct1"]},
    ]}
    assert body["pagination"] == {"per_page": 20}
    assert fake.requests_to("/conversations/101")[0].arg("display_as") == "plaintext"
    assert all(r.header("Intercom-Version") == "2.14" for r in fake.requests)


async def test_account_from_another_source_is_scoped_by_its_domain(fake):
    ic = make(fake, timeline_tickets=0)
    account = Account(id="acc-acme", name="Acme Corporation", domains=["acme.com"])
    page = await ic.search_tickets(SearchQuery(text="export", keywords=["export"], account=account))
    await ic.aclose()
    assert [t.id for t in page.items] == ["101", "104"]  # ct1 (Acme Corp) and ct2 (Acme Labs) are both at acme.com
    assert {t.account_id for t in page.items} == {"acc-acme"}


async def test_account_without_domain_is_scoped_by_company_name(fake):
    page = await answer(make(fake, timeline_tickets=0), lambda c: c.search_tickets(SearchQuery(text="x", keywords=["export"], account=Account(id="g", name="Globex"))))
    assert [(t.id, t.status) for t in page.items] == [("102", "pending")]


async def test_account_unknown_to_intercom_finds_nothing(fake):
    page = await answer(make(fake), lambda c: c.search_tickets(SearchQuery(text="x", keywords=["export"], account=Account(id="i", name="Initech"))))
    assert page.items == [] and not page.truncated
    assert not fake.requests_to("/conversations/search")


async def test_search_without_account_is_newest_first(fake):
    page = await answer(make(fake, timeline_tickets=0), lambda c: c.search_tickets(SearchQuery(text="export", keywords=["export", "rows"])))
    assert [t.id for t in page.items] == ["101", "102", "104"]
    [body] = posted(fake, "/conversations/search")
    assert body["query"]["operator"] == "OR" and len(body["query"]["value"]) == 4


async def test_pagination_follows_starting_after_and_stops_at_the_limit(fake):
    fake.add_conversations(9)
    page = await answer(make(fake, page_size=4, timeline_tickets=0), lambda c: c.search_tickets(SearchQuery(text="export", keywords=["export"], limit=7)))
    assert len(page.items) == 7 and page.truncated
    bodies = posted(fake, "/conversations/search")
    assert [b["pagination"].get("starting_after") is None for b in bodies] == [True, False]
    assert all(b["pagination"]["per_page"] == 4 for b in bodies)


async def test_page_cap_reports_truncation(fake):
    fake.add_conversations(20)
    page = await answer(make(fake, page_size=3, timeline_tickets=0, settings=HttpSettings(max_pages=2)), lambda c: c.search_tickets(SearchQuery(text="export", keywords=["export"], limit=100)))
    assert len(page.items) == 6 and page.truncated


async def test_timeline_failure_leaves_conversations_without_messages(fake):
    fake.fail_next(Reply(hang=True), path_pattern=r"/conversations/\d+$")
    page = await answer(make(fake, settings=HttpSettings(timeout=0.3, max_retries=0)), lambda c: c.search_tickets(SearchQuery(text="export", keywords=["export"])))
    assert [t.id for t in page.items] == ["101", "102", "104"]
    assert page.items[0].messages == []


async def test_a_slow_me_never_holds_the_search_back(fake):
    fake.fail_next(Reply(hang=True), "/me")
    ic = make(fake, timeline_tickets=0, settings=HttpSettings(timeout=1.0, max_retries=0))
    started = time.perf_counter()
    page = await ic.search_tickets(SearchQuery(text="export", keywords=["export"]))
    await ic.aclose()
    assert time.perf_counter() - started < 1.5  # half the request timeout at most
    assert [t.id for t in page.items] == ["101", "102", "104"] and all(t.url is None for t in page.items)


async def test_keywords_cannot_inject_query_structure(fake):
    ic = make(fake, timeline_tickets=0)
    await ic.search_tickets(SearchQuery(text='x" OR 1=1', keywords=['"}, {"field": "id"', "export"]))
    await ic.aclose()
    values = [f["value"] for f in posted(fake, "/conversations/search")[0]["query"]["value"]]
    assert all(isinstance(v, str) and '"' not in v and "{" not in v for v in values)


# --- check ------------------------------------------------------------------------------------------


async def test_unsupported_api_version_is_reported_with_a_fix(fake):
    error = await failure(make(fake, api_version="9.9"), lambda c: c.check())
    assert error.kind == "invalid_request" and "intercom_version_invalid" in error.message
    assert "INTERCOM_API_VERSION" in error.fix


# --- faults -----------------------------------------------------------------------------------------


async def test_a_refused_token_fails_the_ticket_search_too_asked_once(fake):
    error = await failure(make(fake, token="ic-CANARY-wrong"), lambda c: c.search_tickets(SearchQuery(text="export")))
    assert error.kind == "auth_failed" and "[unauthorized]" in error.message and "api.eu.intercom.io" in error.fix
    never_shown(error, "ic-CANARY-wrong")
    # a 401 is not retried (the search also asked /me once, for web links)
    assert [r.path for r in fake.requests if r.path != "/me"] == ["/conversations/search"]


async def test_429_waits_for_the_rate_limit_reset_then_succeeds(fake):
    sleeps: list[float] = []
    reset = str(int(time.time()) + 3)
    fake.fail_next(Reply(429, {"type": "error.list", "errors": [{"code": "rate_limit_exceeded"}]},
                         headers={"X-RateLimit-Limit": "167", "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}),
                   path_pattern="/conversations/search")
    page = await answer(make(fake, sleeps, timeline_tickets=0, settings=HttpSettings(retry_after_cap=10)), lambda c: c.search_tickets(SearchQuery(text="export", keywords=["export"])))
    assert len(sleeps) == 1 and 1.0 <= sleeps[0] <= 3.0
    assert [t.id for t in page.items] == ["101", "102", "104"]


# --- configuration ----------------------------------------------------------------------------------


def test_from_env_regions_and_web_links():
    us = intercom.from_env({"INTERCOM_ACCESS_TOKEN": TOKEN}, HttpSettings())
    assert us.base_url == "https://api.intercom.io" and us.app_url == "https://app.intercom.com"
    eu = intercom.from_env({"INTERCOM_ACCESS_TOKEN": TOKEN, "INTERCOM_BASE_URL": "https://api.eu.intercom.io/"}, HttpSettings())
    assert eu.base_url == "https://api.eu.intercom.io" and eu.app_url == "https://app.eu.intercom.com"
    au = intercom.from_env({"INTERCOM_ACCESS_TOKEN": TOKEN, "INTERCOM_BASE_URL": "https://api.au.intercom.io"}, HttpSettings())
    assert au.app_url == "https://app.au.intercom.com"


async def test_from_env_base_url_override_is_used(fake):
    ic = intercom.from_env({"INTERCOM_ACCESS_TOKEN": TOKEN, "INTERCOM_BASE_URL": fake.url, "INTERCOM_API_VERSION": "2.11"},
                           HttpSettings())
    await ic.check()
    await ic.aclose()
    [request] = fake.requests
    assert request.path == "/me" and request.header("Intercom-Version") == "2.11"
