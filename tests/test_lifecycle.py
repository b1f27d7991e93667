"""The escalation log, follow-up clocks, customer updates, de-escalation and duplicates, through the core API."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest

from customer_escalation.brief import BriefInput
from customer_escalation.lifecycle import (
    EscalationLog, Lifecycle, LifecycleError, clocks, customer_update, error_strings, history_for_account, problem_terms,
    similarity,
)
from customer_escalation.models import Facts, Severity
from customer_escalation.policy import Policy
from customer_escalation.policy.model import Calendar
from customer_escalation.store import Store
from tests.helpers import SMALL, small_service

pytestmark = pytest.mark.anyio

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)  # the small workspace's clock: a Friday


def at(day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=timezone.utc)


async def escalate(service, issue: str, account: str, now: datetime = NOW, **facts) -> str:
    """Run the chain and record the escalation in the log only (no connector, no write setting needed)."""
    chain = await service.run(issue, account, Facts.coerce(facts), BriefInput(reported_by="Sam (L2)"))
    outcome = await Lifecycle.for_service(service).file(chain.draft_id, now, by="sam", only="log", confirmed=True)
    assert outcome.applied
    return outcome.escalation.id


@pytest.fixture
def service(tmp_path, store_url):
    svc = small_service(tmp_path, store=store_url)
    yield svc
    svc.close()


@pytest.fixture
def life(service):
    return Lifecycle.for_service(service)


# --- the log and its audit trail ------------------------------------------------------------------


async def test_every_change_lands_in_the_history_with_who_when_and_what_and_survives_a_restart(service, life, tmp_path, store_url):
    eid = await escalate(service, "CSV export is missing rows", "Acme Corp")
    life.record_update(eid, "internal", "Data Platform confirmed the pagination bug", at(20, 13), by="sam")
    life.record_update(eid, "customer", "told Bob we are on it", at(20, 14), by="dana")
    await life.change_severity(eid, Severity.high, "workaround found for most exports", at(20, 15), by="sam")
    service.close()

    reopened = EscalationLog(Store(tmp_path / "home", SMALL, url=store_url)).require(eid)
    trail = [(ev.at, ev.by, ev.kind) for ev in reopened.history]
    assert trail == [
        (NOW, "sam", "filed"),
        (at(20, 13), "sam", "internal_update"),
        (at(20, 14), "dana", "customer_update"),
        (at(20, 15), "sam", "severity_changed"),
    ]
    assert "Data Platform confirmed the pagination bug" in reopened.history[1].summary
    assert reopened.history[3].data == {"from": "critical", "to": "high", "reason": "workaround found for most exports"}
    assert reopened.severity == Severity.high
    assert {c.id for c in reopened.customers} == {"acme", "beta", "gamma"}  # every account reporting the same problem
    assert {k.id for k in reopened.tickets()} == {"T-1", "T-2", "T-3"}
    assert reopened.brief_markdown.startswith("# ESCALATION: ")


async def test_the_same_draft_is_recorded_once(service, life):
    chain = await service.run("CSV export is missing rows", "Acme Corp")
    first = await life.file(chain.draft_id, NOW, only="log", confirmed=True)
    again = await life.file(chain.draft_id, NOW + timedelta(minutes=5), only="log", confirmed=True)
    assert first.escalation.id == again.escalation.id
    assert len(life.list()) == 1


async def test_a_preview_records_nothing(service, life):
    chain = await service.run("CSV export is missing rows", "Acme Corp")
    preview = await life.file(chain.draft_id, NOW, confirmed=False)
    assert not preview.applied and preview.preview and preview.message.startswith("Preview") and life.list() == []
    assert "preview" not in preview.model_dump()  # the CLI's JSON answer is unchanged
    filed = await life.file(chain.draft_id, NOW, confirmed=True)
    assert filed.applied and not filed.preview
    again = await life.file(chain.draft_id, NOW, confirmed=False)  # a preview of what is already filed is still a preview
    assert again.preview and not again.applied


async def test_filing_reads_the_draft_once(service, life):
    chain = await service.run("CSV export is missing rows", "Acme Corp")
    loads: list[str] = []
    load = service.store.load_draft
    service.store.load_draft = lambda draft_id: (loads.append(draft_id), load(draft_id))[1]
    await life.file(chain.draft_id, NOW, confirmed=False)  # the preview, with its duplicates
    assert loads == [chain.draft_id]
    await life.file(chain.draft_id, NOW, only="log", confirmed=True)
    assert loads == [chain.draft_id] * 2
    await life.file(chain.draft_id, NOW, only="log", confirmed=True)  # filed already: the log has it, the draft is not read
    assert loads == [chain.draft_id] * 2


async def test_list_filters_by_account_status_and_severity(service, life):
    acme = await escalate(service, "CSV export is missing rows", "Acme Corp")
    delta = await escalate(service, "Reports page slow to load sometimes", "Delta Retail", workflow_impact="degraded",
                           confirmed="yes", issue_kind="bug")
    await life.resolve(delta, "Fixed a slow query in 4.12", at(20, 15))
    assert [e.id for e in life.list()] == [delta, acme]
    assert [e.id for e in life.list(account="Delta Retail")] == [delta]
    assert [e.id for e in life.list(account="delta")] == [delta]
    assert [e.id for e in life.list(account="beta.example")] == [acme]  # Beta Labs reports the export problem too
    assert [e.id for e in life.list(status="open")] == [acme]
    assert [e.id for e in life.list(status="resolved", severity="medium")] == [delta]
    assert life.list(severity="high") == []


async def test_unknown_ids_and_drafts_say_what_to_do(life):
    with pytest.raises(LifecycleError, match="list_escalations"):
        life.log.require("CE-9999")
    with pytest.raises(LifecycleError, match="gather_context"):
        await life.file("esc_nope", NOW, confirmed=False)


# --- follow-up clocks --------------------------------------------------------------------------------


def test_medium_customer_clock_counts_business_days_across_weekends_and_holidays():
    from customer_escalation.lifecycle import Escalation

    policy = Policy(calendar=Calendar(holidays=[date(2026, 11, 26), date(2026, 11, 27)]))  # Thanksgiving Thu + Fri

    def medium(basis: datetime) -> Escalation:
        return Escalation(id="CE-1", uid="u", draft_id="d", created_at=basis, updated_at=basis, severity=Severity.medium,
                          target="engineering", team="Engineering", title="t", issue="i", brief_markdown="b",
                          internal_basis=basis, customer_basis=basis)

    internal, customer = clocks(medium(at(20, 12)), policy)  # Friday noon
    assert internal == at(21, 12)  # internal follow-up is daily, weekends included
    assert customer == at(24, 12)  # 2 business days: Mon, Tue
    _, customer = clocks(medium(at(25, 9)), policy)  # Wednesday before the holidays
    assert customer == datetime(2026, 12, 1, 9, tzinfo=timezone.utc)  # Thu, Fri holidays; Sat, Sun weekend: Mon, Tue
    _, customer = clocks(medium(at(21, 10)), policy)  # raised on a Saturday: counts from Monday's start
    assert customer == datetime(2026, 11, 25, 0, tzinfo=timezone.utc)


async def test_follow_ups_list_overdue_then_due_soon_most_urgent_first(service, life):
    critical = await escalate(service, "CSV export is missing rows", "Acme Corp", now=at(20, 8))  # internal 10:00, customer 12:00
    medium = await escalate(service, "Reports page slow to load sometimes", "Delta Retail", now=at(19, 11),
                            workflow_impact="degraded", confirmed="yes", issue_kind="bug")  # internal Fri 11:00, customer Mon
    due = life.follow_ups(at(20, 12, 30), within_hours=4)
    assert [(f.escalation_id, f.clock, f.state) for f in due] == [
        (critical, "internal", "overdue"), (medium, "internal", "overdue"), (critical, "customer", "overdue"),
    ]
    assert due[0].minutes == -150 and "check progress with Engineering" in due[0].action
    assert ("customer", "due_soon") in {(f.clock, f.state) for f in life.follow_ups(at(20, 12, 30), within_hours=80)
                                        if f.escalation_id == medium}


async def test_recording_an_update_resets_its_clock_and_only_its_clock(service, life):
    eid = await escalate(service, "CSV export is missing rows", "Acme Corp", now=at(20, 8))
    life.record_update(eid, "customer", "sent the 12:00 update", at(20, 12, 5))
    internal, customer = clocks(life.log.require(eid), life.policy)
    assert internal == at(20, 10) and customer == at(20, 16, 5)
    life.record_update(eid, "internal", "checked with Data Platform", at(20, 12, 10))
    assert clocks(life.log.require(eid), life.policy) == (at(20, 14, 10), at(20, 16, 5))
    assert [f.clock for f in life.follow_ups(at(20, 12, 30), within_hours=0)] == []


async def test_a_severity_change_re_plans_both_clocks_and_keeps_the_reason(service, life):
    eid = await escalate(service, "Reports page slow to load sometimes", "Delta Retail", now=at(20, 9),
                         workflow_impact="degraded", confirmed="yes", issue_kind="bug")
    outcome = await life.change_severity(eid, Severity.critical, "now timing out for every report", at(20, 10), by="sam")
    assert outcome.applied and "re-planned" in outcome.message
    assert clocks(life.log.require(eid), life.policy) == (at(20, 12), at(20, 14))  # critical: 2h internal, 4h customer
    event = life.log.require(eid).history[-1]
    assert event.kind == "severity_changed" and "now timing out for every report" in event.summary
    with pytest.raises(LifecycleError, match="why"):
        await life.change_severity(eid, Severity.high, "  ", at(20, 11))
    same = await life.change_severity(eid, Severity.critical, "still bad", at(20, 11))
    assert not same.applied and len(life.log.require(eid).history) == 2


# --- what the customer reads ----------------------------------------------------------------------------


INTERNAL = re.compile(r"\$|\bARR\b|#[\w-]+|\bENG-\d+|https?://|Engineering|Data Platform|Leadership|Gamma|Beta|\bT-[23]\b", re.I)


async def test_the_customer_update_is_plain_language_with_nothing_internal(service, life):
    eid = await escalate(service, "CSV export is missing rows", "Acme Corp")
    e = life.log.require(eid)
    e.links.append(type(e.links[0])(kind="tracker", system="jira", id="ENG-4512", url="https://acme.atlassian.net/browse/ENG-4512"))
    EscalationLog(service.store).save(e)
    _e, subject, body = life.draft_customer_update(
        eid, at(20, 13), progress="Engineering found the cause in ENG-4512 (see #eng-data, https://jira.internal/ENG-4512); "
                                  "$480k ARR at risk. A fix is being tested.")
    text = subject + "\n" + body
    assert not INTERNAL.search(text), INTERNAL.search(text)
    assert "your ticket T-1" in body  # Acme's own ticket, not the other customers'
    assert "A fix is being tested." in body
    assert "next update by Friday 20 November, 16:00 UTC" in body  # critical: every 4 hours, from the last update
    _e, _s, beta = life.draft_customer_update(eid, at(20, 13), account="Beta Labs")
    assert "T-2" in beta and "T-1" not in beta


async def test_the_customer_update_after_a_workaround_gives_the_workaround_not_the_internal_note(service, life):
    eid = await escalate(service, "CSV export is missing rows", "Acme Corp")
    await life.de_escalate(eid, "workaround", "Data Platform says the page limit is hit; ENG-101 tracks the fix", at(20, 14),
                           workaround="Export in ranges of under 10,000 rows, e.g. one week at a time")
    subject, body = customer_update(life.log.require(eid), at(20, 15), life.policy)
    assert "Export in ranges of under 10,000 rows" in body
    assert "page limit" not in body and not INTERNAL.search(body)


# --- de-escalation, resolution, re-opening ----------------------------------------------------------------


async def test_de_escalation_records_the_reason_stops_the_clocks_and_returns_the_checklist(service, life):
    eid = await escalate(service, "CSV export is missing rows", "Acme Corp")
    outcome = await life.de_escalate(eid, "support_resolvable", "The export limit is a per-role setting support can raise",
                                     at(20, 13), by="sam", learning="Check the role export limit before escalating")
    e = outcome.escalation
    assert e.status == "de_escalated" and e.reason == "support_resolvable" and clocks(e, life.policy) is None
    assert life.follow_ups(at(25), within_hours=1000) == []
    steps = {s.step: s for s in outcome.checklist}
    assert list(steps) == ["Tell the team that received it", "Update the ticket with the resolution", "Tell the customer",
                           "Record what was learned"]
    assert "de-escalated" in steps["Tell the team that received it"].draft
    assert "per-role setting" in steps["Update the ticket with the resolution"].draft
    assert "T-1" in steps["Update the ticket with the resolution"].where
    assert not INTERNAL.search(steps["Tell the customer"].draft)
    assert steps["Record what was learned"].done and "role export limit" in steps["Record what was learned"].draft
    assert e.history[-1].kind == "de_escalated" and e.history[-1].data["reason"] == "support_resolvable"
    assert not steps["Tell the team that received it"].done  # nothing was posted


@pytest.mark.parametrize("reason, kwargs, says", [
    ("went_away", {}, "root cause"),
    ("workaround", {"note": "x"}, "workaround"),
    ("support_resolvable", {}, "what support does"),
    ("lower_severity", {}, "new information"),
])
async def test_each_de_escalation_reason_asks_for_what_it_needs(service, life, reason, kwargs, says):
    eid = await escalate(service, "CSV export is missing rows", "Acme Corp")
    with pytest.raises(LifecycleError, match=says):
        await life.de_escalate(eid, reason, kwargs.get("note", ""), at(20, 13))
    assert life.log.require(eid).status == "open"


async def test_resolution_closes_the_loop_and_a_returning_problem_re_opens_with_its_history(service, life):
    eid = await escalate(service, "CSV export is missing rows", "Acme Corp")
    outcome = await life.resolve(eid, "Fixed in release 4.12: exports now include every row", at(21, 9), by="dana",
                                 learning="Pagination limits need a test at 10k+ rows")
    assert outcome.escalation.status == "resolved" and clocks(outcome.escalation, life.policy) is None
    assert "Fixed in release 4.12" in outcome.checklist[2].draft and not INTERNAL.search(outcome.checklist[2].draft)
    repeat = await life.resolve(eid, "again", at(21, 10))
    assert not repeat.applied and len(life.log.require(eid).history) == 2
    with pytest.raises(LifecycleError, match="reopened"):
        life.record_update(eid, "customer", "hello", at(22, 9))
    life.record_update(eid, "reopened", "rows missing again after 4.12.1", at(23, 9), by="sam")
    e = life.log.require(eid)
    assert e.status == "open" and [ev.kind for ev in e.history] == ["filed", "resolved", "reopened"]
    assert clocks(e, life.policy) == (at(23, 11), at(23, 13))


# --- duplicates and attaching --------------------------------------------------------------------------


def test_similarity_needs_more_than_one_shared_word_unless_the_error_text_is_the_same():
    a = problem_terms("CSV export is missing rows for Acme Corp", ["Acme Corp"])
    b = problem_terms("Data export missing rows after 10k", [])
    c = problem_terms("Export button is blue", [])
    assert "acme" not in a
    assert similarity(a, [], b, []) >= 0.6
    assert similarity(a, [], c, []) == 0
    assert similarity(["sso"], ['"invalid saml response"'], ["login", "loop"], ['"invalid saml response"']) == 1.0
    assert error_strings('Users see "Invalid SAML response" and a TimeoutError, HTTP 502') == [
        "invalid saml response", "timeouterror", "http 502"]


async def test_duplicates_find_open_escalations_and_open_tracker_issues(service, life):
    eid = await escalate(service, "CSV export is missing rows", "Acme Corp")
    other = await service.run("CSV export missing rows after 10,000", "Beta Labs")
    matches = life.duplicates(other.draft_id)
    assert [(m.kind, m.id) for m in matches] == [("escalation", eid), ("tracker", "ENG-101")]
    assert matches[0].status == "open" and "Acme Corp" in matches[0].customers
    unrelated = await service.run("Dashboard timezone off by one hour", "Beta Labs")
    assert [m for m in life.duplicates(unrelated.draft_id) if m.kind == "escalation"] == []


async def test_attaching_adds_the_customer_recomputes_breadth_and_revenue_and_re_assesses_severity(service, life):
    eid = await escalate(service, "Reports page slow to load sometimes", "Delta Retail", workflow_impact="degraded",
                         confirmed="yes", issue_kind="bug")
    assert life.log.require(eid).severity == Severity.medium
    report = await service.run("Reports page slow to load, timing out", "Epsilon Bank",
                               Facts.coerce({"workflow_impact": "blocked", "confirmed": "yes", "issue_kind": "bug"}))
    outcome = await life.attach(eid, report.draft_id, at(20, 13), by="sam")
    e = outcome.escalation
    assert [c.name for c in e.customers] == ["Delta Retail", "Epsilon Bank"]
    assert "2 customers, $906,000 ARR at risk" in outcome.message
    assert "Epsilon Bank renews 2026-12-20" in outcome.message  # inside the 90-day window
    assert e.severity == Severity.high and "severity raised medium -> high" in outcome.message
    assert [ev.kind for ev in e.history][-2:] == ["customer_attached", "severity_changed"]
    assert clocks(e, life.policy)[0] == at(20, 17)  # re-planned on the high cadence
    again = await life.attach(eid, report.draft_id, at(20, 14))
    assert not again.applied and "already" in again.message


async def test_attaching_to_a_closed_escalation_re_opens_it(service, life):
    eid = await escalate(service, "CSV export is missing rows", "Acme Corp")
    await life.resolve(eid, "Fixed in 4.12", at(21, 9))
    report = await service.run("CSV export missing rows again", "Epsilon Bank")
    assert life.duplicates(report.draft_id)[0].id == eid  # closed ones are offered too, to re-open
    outcome = await life.attach(eid, report.draft_id, at(22, 9))
    assert outcome.escalation.status == "open" and "reopened" in [ev.kind for ev in outcome.escalation.history]


# --- history reaches gather, and assess sees the repeat --------------------------------------------------


async def test_history_for_account_feeds_previous_escalations_and_the_repeat_signal(service):
    eid = await escalate(service, "CSV export is missing rows", "Acme Corp")
    log = EscalationLog(service.store)
    refs = history_for_account(log, "acme")
    assert [r.id for r in refs] == [eid] and refs[0].status == "open"
    assert history_for_account(log, None) == [] and history_for_account(log, "delta") == []

    chain = await service.run("API returning 500 errors intermittently", "Acme Corp")
    assert eid in [p.id for p in chain.context.past_escalations]
    repeat = [r for r in chain.assessment.fired if r.id == "pattern.repeat_escalation"]
    assert repeat and eid in repeat[0].evidence

    first_time = await service.run("API returning 500 errors intermittently", "Delta Retail")
    assert all(r.id != "pattern.repeat_escalation" for r in first_time.assessment.fired)


def test_chat_links_are_built_only_from_urls_that_cannot_break_out_of_the_link():
    from customer_escalation.lifecycle import Link
    from customer_escalation.lifecycle.messages import _slack_link

    assert _slack_link(Link(kind="tracker", system="jira", id="ENG-1", url="https://acme.atlassian.net/browse/ENG-1")) == \
        "<https://acme.atlassian.net/browse/ENG-1|ENG-1>"
    for url in ("https://x.example/a|<!channel>", "https://x.example/>@here", "javascript:alert(1)", "https://x.example/a b"):
        assert _slack_link(Link(kind="ticket", system="zendesk", id="T-<1>", url=url)) == "T-&lt;1&gt;"


@pytest.mark.parametrize("title, shown", [
    ("SSO login loop affecting all Enterprise customers", "SSO login loop"),
    ("Data export is missing rows - 3 customers reported this week", "Data export is missing rows"),
    ("API returning 500 errors intermittently for Acme Corp", "API returning 500 errors intermittently"),
    ("Customer threatening to churn over missing audit log feature", "missing audit log feature"),
    ("Churn risk: SSO broken for Gamma Health", "SSO broken"),
])
def test_the_customer_reads_the_problem_not_who_else_has_it_or_how_we_weigh_it(title, shown):
    from customer_escalation.lifecycle import CustomerRef, Escalation

    e = Escalation(id="CE-1", uid="u", draft_id="d", created_at=NOW, updated_at=NOW, severity=Severity.high, target="engineering",
                   team="Engineering", title=title, issue=title, brief_markdown="", internal_basis=NOW, customer_basis=NOW,
                   customers=[CustomerRef(id="acme", name="Acme Corp"), CustomerRef(id="gamma", name="Gamma Health")])
    subject, body = customer_update(e, NOW, Policy())
    assert subject == f"Update on {shown}" and f": {shown}." in body
