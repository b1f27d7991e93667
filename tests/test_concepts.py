"""Reading what happened: concepts that carry across kinds of product, their negations and look-alikes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from customer_escalation.models import Context, Facts, Timeline
from customer_escalation.policy import load_policy
from customer_escalation.policy.assess import assess
from customer_escalation.policy.concepts import read_concepts
from customer_escalation.policy.routing import choose

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def concepts(text: str) -> set[str]:
    return {f.concept for f in read_concepts(text)}


@pytest.mark.parametrize(("text", "concept"), [
    ("A parent logged in and could view the report card of a classmate", "others_data"),
    ("The clinic's portal shows another patient's discharge notes", "others_data"),
    ("Order confirmations for one store are landing in another merchant's inbox", "others_data"),
    ("A driver who was offboarded in March still signs in to the app and pulled today's manifests", "stale_access"),
    ("The API token they revoked on Monday is still returning order data", "stale_access"),
    ("Seller payouts went to a bank account the seller never added", "diverted"),
    ("Refunds were redirected to a card nobody at the shop recognises", "diverted"),
    ("A caller claiming to be the practice owner got the admin email changed; the real owner called later", "impersonation"),
    ("Their production secret key was pasted on a public forum thread", "secret_public"),
    ("A researcher reports they can bypass the login with a crafted link", "vulnerability"),
    ("Shipment batch has been stuck in 'Queued' since this morning and can't be cancelled", "stuck"),
    ("Every invoice email went out three times to the same client", "duplicated"),
    ("The monthly settlement totals don't reconcile with the bank statement", "wrong_numbers"),
    ("Course grades are blank after the migration to the new gradebook", "after_change"),
    ("Appointment reminders stopped going out on Friday", "not_delivered"),
    ("The tax report lists them under Ohio although they moved to Texas", "unexpected"),
    ("The CFO says they are looking at alternatives before renewal", "churn"),
    ("They'd switch providers if this isn't solved", "churn"),
    ("They ask for same-day settlement like competitors offer", "competitive"),
    ("Since 9am no shopper at any of our merchants can check out", "everyone"),
    ("Appointment reminders with test results went to the wrong patients", "others_data"),
    ("A user with the viewer role was able to delete invoices", "permission_bypass"),
    ("Anyone with the link can download the tenants' lease documents without logging in", "public_data"),
    ("Someone logged into the owner's account from abroad and added a new admin", "takeover"),
    ("The admin email was changed last night and they didn't do it", "takeover"),
    ("API keys appear in plain text in the audit log export", "plaintext_secret"),
])
def test_each_concept_is_read_in_other_words(text, concept):
    assert concept in concepts(text)


@pytest.mark.parametrize("text", [
    "Customer asks how SLA breach credits are calculated under their agreement",
    "Their procurement team sent a security questionnaire and asks for our SOC 2 Type II report",
    "Does a late delivery count as a breach of contract? Nothing is broken, they are reviewing terms",
    "How do I reset a teacher's password?",
    "The security deposit line on the invoice is labelled wrong",
    "No one else can see their records; they only want a copy of the access log",
    "They confirmed the departed admin can no longer sign in",
    "A viewer can't export reports - how do we allow it?",
    "How do I change the admin email?",
])
def test_lookalikes_and_negations_are_not_security(text):
    assert not concepts(text) & {"others_data", "stale_access", "diverted", "impersonation", "secret_public"}


def test_an_error_code_is_upper_case_with_a_digit_or_underscore():
    assert "error_code" in concepts("Builds fail with ERR_RUNNER_LOST on every branch")
    assert "error_code" not in concepts("They need it before month-end close")


def _decide(text: str, **facts):
    policy = load_policy(None)
    ctx = Context(issue=text, timeline=Timeline(), now=NOW)
    a = assess(text, ctx, Facts.coerce(facts), policy, NOW)
    return a, choose(a, ctx, policy)


@pytest.mark.parametrize("text", [
    "A teacher opened the gradebook and saw grades of students from another school",
    "Payouts for a merchant went to a bank account they never set up",
    "A user who was deactivated last week signed in yesterday and exported all contacts",
])
def test_an_exposure_told_by_what_happened_is_critical_for_security(text):
    a, r = _decide(text)
    assert a.escalate and a.security
    assert a.severity.value == "critical"
    assert r.target.value == "security"


def test_a_given_fact_wins_and_the_disagreement_becomes_a_question():
    text = "A user who was deactivated last week signed in yesterday and exported all contacts"
    a, r = _decide(text, security_concern="no")
    assert not a.security
    assert r.target is None or r.target.value != "security"
    assert any("security_concern=no" in c for c in a.conflicts)
    assert any(q.fact == "security_concern" for q in a.missing)


def test_a_lookalike_with_nothing_broken_stays_in_support():
    a, _ = _decide("Customer asks how SLA breach credits are calculated; nothing is broken, they are reviewing terms",
                   issue_kind="question")
    assert not a.escalate and not a.security


def test_a_stuck_job_is_a_bug_for_engineering():
    a, r = _decide("Their nightly import has been stuck in Processing since yesterday and they can't cancel it")
    assert a.escalate and a.issue_kind == "bug"
    assert r.target.value == "engineering"


def test_everyone_blocked_is_critical():
    a, _ = _decide("Since 07:40 no user at any customer can open invoices; every request returns 'Service unavailable'")
    assert a.escalate and a.severity.value == "critical"


def test_only_part_failing_with_no_known_cause_goes_to_l2_first():
    a, r = _decide("Some staff get sent back to the login page right after sign-in, others on the same network are fine. "
                   "Cleared cache, tried another browser, same.")
    assert a.escalate
    assert r.target.value == "l2_support"


def test_a_missing_off_switch_is_a_feature_gap_not_configuration():
    a, r = _decide("3 clinics complain that cancelling an appointment texts the patient a rebooking link and there's no setting to turn it off")
    assert a.issue_kind == "feature_gap"
    assert a.escalate and r.target.value == "product"


def test_a_stopgap_lowers_a_bug_to_medium_instead_of_closing_it():
    a, r = _decide("Their nightly import fails with IMPORT_ROW_LIMIT since Monday", workaround_available="yes")
    assert a.escalate and a.severity.value == "medium"
    assert r.target.value in ("engineering", "l2_support")


def _workspace(tmp_path, tickets):
    import json

    ws = {"format_version": 1, "company": "Example", "generated_at": "2026-11-10T09:00:00Z",
          "accounts": [{"id": "a1", "name": "Orchid Row", "plan": "Starter", "arr": 9000, "sla_first_response_hours": 1,
                        "sla_resolution_hours": 8}],
          "tickets": tickets}
    path = tmp_path / "ws.json"
    path.write_text(json.dumps(ws))
    return path


def _chain(path, home, issue, account=""):
    import asyncio

    from customer_escalation.service import Service
    from customer_escalation.settings import Settings

    service = Service(Settings(workspace=str(path), home=home), policy=load_policy(None), connectors=list)
    try:
        return asyncio.run(service.run(issue, account, Facts()))
    finally:
        service.close()


def test_a_thin_issue_is_read_with_the_accounts_own_report_of_it(tmp_path):
    path = _workspace(tmp_path, [{
        "id": "T-9", "account_id": "a1", "subject": "Payout account changed - we didn't do this",
        "description": "Our payout account was changed to a bank we don't recognise and we didn't do this.",
        "status": "open", "priority": "urgent", "created_at": "2026-11-10T07:00:00Z"}])
    chain = _chain(path, tmp_path / "home", "payout account changed", "Orchid Row")
    assert chain.assessment.security and chain.routing.target.value == "security"
    assert any("T-9" in r.evidence for r in chain.assessment.fired if r.id == "impact.security")


def test_an_sla_read_off_the_clocks_does_not_take_a_how_to_out_of_support(tmp_path):
    # the account's how-to ticket has waited past its 1-hour first response target: reply now, no escalation
    path = _workspace(tmp_path, [{
        "id": "T-1", "account_id": "a1", "subject": "How do I add a second admin?",
        "description": "How do I add a second admin to our store?", "status": "open", "priority": "normal",
        "created_at": "2026-11-10T05:00:00Z",
        "messages": [{"author": "Ann", "author_role": "customer", "created_at": "2026-11-10T05:00:00Z", "body": "How do I add a second admin?"}]}])
    chain = _chain(path, tmp_path / "home", "How do I add a second admin to the store?", "Orchid Row")
    a = chain.assessment
    assert a.sla_status == "breached"
    assert not a.escalate
    told = _decide("Customer's ticket is past the SLA and they want to know how to add a second admin")[0]
    assert told.escalate  # a breach the reporter tells of is a business criterion
