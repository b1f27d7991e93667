"""HubSpot connector against the loopback fake: company search, owner, contacts, pagination, faults, config."""

from __future__ import annotations

from datetime import date

import pytest

from customer_escalation.connectors import hubspot
from customer_escalation.connectors.base import HttpSettings
from customer_escalation.connectors.hubspot import HubSpotConnector
from tests.connectors.support import answer, failure, options, posted, serve
from tests.fakes.harness import Reply
from tests.fakes.hubspot import ALL_SCOPES, PORTAL_ID, TOKEN, FakeHubSpot, problem, rate_limit

pytestmark = pytest.mark.anyio


server, fake = serve(FakeHubSpot)


def make(fake: FakeHubSpot, sleeps: list[float] | None = None, *, token: str = TOKEN, settings: HttpSettings | None = None,
         **kwargs) -> HubSpotConnector:
    return HubSpotConnector(fake.url, token, **options(sleeps, settings, timeout=2.0, max_retries=2), **kwargs)


def searches(fake: FakeHubSpot, what: str = "companies") -> list[dict]:
    """The searches of an object type (companies, contacts), in order."""
    return posted(fake, f"/crm/v3/objects/{what}/search")


# --- accounts ---------------------------------------------------------------------------------------


async def test_single_match_maps_company_owner_contacts_and_link(fake):
    [acme] = await answer(make(fake), lambda c: c.find_accounts("Acme Corp"))
    assert acme.id == "5001" and acme.name == "Acme Corp" and acme.source == "hubspot"
    assert acme.domains == ["acme.com"]
    assert acme.arr == 120000.0  # the `arr` property, never annualrevenue (5,000,000,000: their own revenue)
    assert acme.plan == "Enterprise" and acme.renewal_date == date(2026, 9, 30)
    assert acme.owner == "Dana Whitfield"
    assert [(c.name, c.email, c.role) for c in acme.key_contacts] == [
        ("Jo Customer", "jo@acme.com", "Head of Finance"), ("Ray Ops", "ray@acme.com", "IT Admin")]
    assert acme.notes == "lifecycle stage: customer; type: CUSTOMER; industry: COMPUTER_SOFTWARE"
    assert acme.url == f"https://app.hubspot.com/contacts/{PORTAL_ID}/record/0-2/5001"

    [body] = searches(fake)
    assert body["filterGroups"] == [
        {"filters": [{"propertyName": "name", "operator": "CONTAINS_TOKEN", "value": "acme"},
                     {"propertyName": "name", "operator": "CONTAINS_TOKEN", "value": "corp"}]},
        {"filters": [{"propertyName": "name", "operator": "EQ", "value": "Acme Corp"}]},
    ]
    assert {"name", "domain", "annualrevenue", "lifecyclestage", "hubspot_owner_id", "arr"} <= set(body["properties"])
    [contacts] = searches(fake, "contacts")
    assert contacts["filterGroups"][0]["filters"][0] == {"propertyName": "associatedcompanyid", "operator": "EQ",
                                                         "value": "5001"}
    assert all(r.header("Authorization") == f"Bearer {TOKEN}" for r in fake.requests)


async def test_several_matches_are_all_candidates_without_contact_lookups(fake):
    accounts = await answer(make(fake), lambda c: c.find_accounts("acme"))
    assert [a.name for a in accounts] == ["Acme Corp", "Acme Labs"]
    assert accounts[1].owner == "max@example.com"  # an owner without a name shows the email
    assert all(a.key_contacts == [] for a in accounts)
    assert not fake.requests_to("/contacts/search")
    assert sorted(r.path for r in fake.requests_to("/owners/")) == ["/crm/v3/owners/71", "/crm/v3/owners/72"]


async def test_domain_lookup_and_epoch_millisecond_dates(fake):
    [globex] = await answer(make(fake), lambda c: c.find_accounts("https://www.globex.com/about"))
    assert globex.name == "Globex" and globex.arr == 18000.0 and globex.renewal_date == date(2026, 9, 29)
    assert searches(fake)[0]["filterGroups"] == [{"filters": [{"propertyName": "domain", "operator": "EQ",
                                                                "value": "globex.com"}]}]


async def test_configured_properties_are_requested_and_read(fake):
    fake.companies[0]["properties"].update(contract_value="99000", tier="Platinum")
    [acme] = await answer(make(fake, properties={"arr": "contract_value", "plan": "tier"}), lambda c: c.find_accounts("Acme Corp"))
    assert acme.arr == 99000.0 and acme.plan == "Platinum"
    props = searches(fake)[0]["properties"]
    assert "contract_value" in props and "tier" in props and "arr" not in props


async def test_a_portal_refusing_optional_properties_is_asked_again_without_them(fake):
    fake.strict_properties = True
    fake.companies[0]["properties"].pop("arr")
    fake.companies[0]["properties"].pop("plan")
    [acme] = await answer(make(fake), lambda c: c.find_accounts("Acme Corp"))
    assert acme.name == "Acme Corp" and acme.arr is None
    first, second = searches(fake)
    assert "arr" in first["properties"] and "arr" not in second["properties"]


async def test_a_refused_configured_property_is_a_misconfiguration(fake):
    fake.strict_properties = True
    error = await failure(make(fake, properties={"arr": "no_such_property"}), lambda c: c.find_accounts("Acme Corp"))
    assert error.kind == "misconfigured" and "HUBSPOT_ARR_PROPERTY" in error.message


async def test_missing_owner_and_contact_scopes_leave_those_fields_empty(fake):
    fake.scopes = {"crm.objects.companies.read"}
    [acme] = await answer(make(fake), lambda c: c.find_accounts("Acme Corp"))
    assert acme.owner is None and acme.key_contacts == [] and acme.arr == 120000.0


async def test_slow_extras_do_not_hold_the_account_back(fake):
    fake.fail_next(Reply(hang=True), "/owners/")
    fake.fail_next(Reply(hang=True), "/account-info/")
    [acme] = await answer(make(fake, settings=HttpSettings(timeout=0.4, max_retries=0)), lambda c: c.find_accounts("Acme Corp"))
    assert acme.name == "Acme Corp" and acme.owner is None and acme.url is None


async def test_pagination_follows_after_up_to_ten_candidates(fake):
    fake.add_companies(14)
    accounts = await answer(make(fake, page_size=4), lambda c: c.find_accounts("Acme"))
    assert len(accounts) == 10
    afters = [b.get("after") for b in searches(fake)]
    assert afters == [None, "4", "8"] and all(b["limit"] == 4 for b in searches(fake))


async def test_name_tokens_are_capped_to_hubspot_filter_limits(fake):
    hs = make(fake)
    await hs.find_accounts("The Very Long Named Company Of Acme Holdings")
    await hs.aclose()
    [body] = searches(fake)
    assert len(body["filterGroups"][0]["filters"]) <= 6


# --- open deals -------------------------------------------------------------------------------------


def deal_reads(fake: FakeHubSpot) -> list[dict]:
    return [r.json() for r in fake.requests_to("/crm/v3/objects/deals/batch/read", "POST")]


async def test_a_single_company_comes_with_its_open_deals_only(fake):
    [acme] = await answer(make(fake), lambda c: c.find_accounts("Acme Corp"))
    # 9003 won, 9004 lost, 9005 churned: closed, left out
    assert [(d.id, d.name, d.amount, d.currency, d.stage, d.close_date, d.renewal) for d in acme.open_deals] == [
        ("9001", "Acme Corp - Platform expansion", 85000.0, "USD", "Contract Sent", date(2026, 12, 15), False),
        ("9002", "Acme Corp - 2026 renewal", 120000.0, "USD", "Renewal negotiation", date(2027, 1, 15), True),
    ]
    assert all(d.source == "hubspot" for d in acme.open_deals)
    assert acme.open_deals[0].url == f"https://app.hubspot.com/contacts/{PORTAL_ID}/record/0-3/9001"
    [assoc] = fake.requests_to("/associations/deals")
    assert assoc.path == "/crm/v4/objects/companies/5001/associations/deals" and assoc.arg("limit") == "100"
    [read] = deal_reads(fake)
    assert read["inputs"] == [{"id": i} for i in ("9001", "9002", "9003", "9004", "9005")]
    assert {"dealname", "amount", "dealstage", "closedate", "pipeline", "hs_is_closed"} <= set(read["properties"])


async def test_without_hs_is_closed_the_stage_metadata_says_which_deals_are_closed(fake):
    for deal in fake.deals:
        deal["properties"].pop("hs_is_closed")
    [acme] = await answer(make(fake), lambda c: c.find_accounts("Acme Corp"))
    assert [d.id for d in acme.open_deals] == ["9001", "9002"]  # 9005's stage "Churned" is closed by its metadata


async def test_without_the_pipelines_stages_show_their_ids_and_hs_is_closed_still_decides(fake):
    fake.fail_next(Reply(500, {"status": "error", "message": TOKEN}), "/pipelines/deals", times=3)
    [acme] = await answer(make(fake, []), lambda c: c.find_accounts("Acme Corp"))
    assert [(d.id, d.stage) for d in acme.open_deals] == [("9001", "contractsent"), ("9002", "renewal_negotiation")]
    assert acme.open_deals[1].renewal  # its name says so, though the pipeline's label ("Renewals") was not read


async def test_a_company_without_deals_has_none_open(fake):
    [globex] = await answer(make(fake), lambda c: c.find_accounts("globex.com"))
    assert globex.open_deals == [] and not deal_reads(fake)


async def test_several_companies_are_not_asked_for_deals(fake):
    accounts = await answer(make(fake), lambda c: c.find_accounts("acme"))
    assert all(a.open_deals is None for a in accounts)
    assert not fake.requests_to("/associations/") and not deal_reads(fake)


async def test_associations_are_paged_and_deals_read_a_hundred_at_a_time(fake):
    fake.add_deals(130)
    fake.associations["5001"].append("777777")  # associated, but gone: the batch read answers 207
    [acme] = await answer(make(fake), lambda c: c.find_accounts("Acme Corp"))
    pages = fake.requests_to("/associations/deals")
    assert len(pages) == 2 and pages[0].arg("after") is None and pages[1].arg("after")
    reads = deal_reads(fake)
    assert sorted(len(r["inputs"]) for r in reads) == [36, 100]
    assert len(acme.open_deals) == hubspot.MAX_DEALS and acme.open_deals[0].id == "9001"  # soonest to close first


async def test_without_the_deals_scope_the_company_still_comes_back(fake, caplog):
    fake.scopes = ALL_SCOPES - {"crm.objects.deals.read"}
    hs = make(fake)
    with caplog.at_level("INFO"):
        [acme] = await hs.find_accounts("Acme Corp")
    await hs.aclose()
    assert acme.owner == "Dana Whitfield" and acme.key_contacts and acme.open_deals is None
    assert "open deals not loaded (auth_failed)" in caplog.text


@pytest.mark.parametrize("path,reply", [
    ("/associations/deals", problem(401, "INVALID_AUTHENTICATION", f"token {TOKEN} expired")),
    ("/associations/deals", Reply(500, {"status": "error", "message": TOKEN})),
    ("/associations/deals", Reply(200, raw=b'{"results": [ {"toObjectId": 9001,')),
    ("/associations/deals", Reply(200, {"results": {"toObjectId": 9001}})),
    ("/deals/batch/read", Reply(500, {"status": "error", "message": TOKEN})),
    ("/deals/batch/read", Reply(200, {"status": "COMPLETE", "results": "9001"})),
])
async def test_failed_or_malformed_deal_answers_leave_the_deals_unknown(fake, caplog, path, reply):
    fake.fail_next(reply, path, times=3)
    hs = make(fake, [])
    with caplog.at_level("INFO"):
        [acme] = await hs.find_accounts("Acme Corp")
    await hs.aclose()
    assert acme.name == "Acme Corp" and acme.arr == 120000.0 and acme.open_deals is None
    assert TOKEN not in caplog.text


async def test_deals_rate_limited_with_retry_after_are_read_after_the_wait(fake):
    sleeps: list[float] = []
    fake.fail_next(rate_limit("SECONDLY", headers={"Retry-After": "2"}), "/associations/deals")
    fake.fail_next(rate_limit("TEN_SECONDLY_ROLLING", headers={"Retry-After": "3"}), "/deals/batch/read")
    [acme] = await answer(make(fake, sleeps), lambda c: c.find_accounts("Acme Corp"))
    assert sorted(sleeps) == [2.0, 3.0] and [d.id for d in acme.open_deals] == ["9001", "9002"]


@pytest.mark.parametrize("reply", [Reply(hang=True), Reply(200, {"status": "COMPLETE", "results": []}, delay=1.5)])
async def test_slow_or_hung_deals_do_not_hold_back_the_company_or_its_other_extras(fake, reply):
    fake.fail_next(reply, "/deals/batch/read")
    [acme] = await answer(make(fake, settings=HttpSettings(timeout=2.0, max_retries=0), extras_timeout=0.4), lambda c: c.find_accounts("Acme Corp"))
    assert acme.open_deals is None
    assert acme.owner == "Dana Whitfield" and len(acme.key_contacts) == 2  # loaded in their own time


# --- check ------------------------------------------------------------------------------------------


async def test_check_without_the_company_scope(fake):
    fake.scopes = set()
    error = await failure(make(fake), lambda c: c.check())
    assert error.kind == "auth_failed" and "[MISSING_SCOPES]" in error.message
    assert "crm.objects.companies.read" in error.fix


# --- faults -----------------------------------------------------------------------------------------


async def test_ten_secondly_429_is_retried(fake):
    sleeps: list[float] = []
    fake.fail_next(rate_limit("TEN_SECONDLY_ROLLING"), "/companies/search")
    [acme] = await answer(make(fake, sleeps), lambda c: c.find_accounts("Acme Corp"))
    assert acme.name == "Acme Corp" and sleeps == [1.0]


async def test_daily_limit_is_reported_at_once(fake):
    sleeps: list[float] = []
    fake.fail_next(rate_limit("DAILY"), "/companies/search", times=3)
    error = await failure(make(fake, sleeps), lambda c: c.find_accounts("Acme Corp"))
    assert error.kind == "rate_limited" and "daily" in error.message and error.fix
    assert sleeps == [] and len(fake.requests_to("/companies/search")) == 1


# --- configuration ----------------------------------------------------------------------------------


def test_from_env_default_base_url():
    hs = hubspot.from_env({"HUBSPOT_ACCESS_TOKEN": TOKEN}, HttpSettings())
    assert hs.base_url == "https://api.hubapi.com"


async def test_from_env_base_url_override_is_used(fake):
    hs = hubspot.from_env({"HUBSPOT_ACCESS_TOKEN": TOKEN, "HUBSPOT_BASE_URL": fake.url + "/",
                           "HUBSPOT_PLAN_PROPERTY": "lifecyclestage"}, HttpSettings())
    await hs.check()
    [acme] = await hs.find_accounts("Acme Corp")
    await hs.aclose()
    assert acme.plan == "customer"
    assert fake.requests[0].path == "/crm/v3/objects/companies"
