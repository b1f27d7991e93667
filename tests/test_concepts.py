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
    # parts of one sentence, in any order
    ("A dad signed in with the family code and now sees another girl's attendance and report cards", "others_data"),
    ("The search box is listing members who aren't our members, with phone numbers and birthdays", "others_data"),
    ("A supplier's portal lists purchase orders from a chain he has never worked with, including store addresses", "others_data"),
    ("The grader could open every classmate's paper with names attached, not only the anonymous two", "others_data"),
    ("The courier app delivered a claim file to a different insurer's account", "others_data"),
    ("Editing the digits at the end of the receipt link you get other guests' receipts", "others_data"),
    ("They let a dispatcher go on Tuesday, yet he was still signed in on Thursday and listened to the call queue", "stale_access"),
    ("IT deprovisioned the nurse last month but the audit trail shows her account downloading schedules", "stale_access"),
    ("Their invoices now go to an email domain they don't own", "diverted"),
    ("There's a new card on file that nobody at the firm added", "diverted"),
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


@pytest.mark.parametrize("text", [
    "Another customer sees the same error when saving a template",
    "A different total shows on the invoice than on the report",
    "They removed the old integration and it still shows in the list",
    "No other tenants' receipts are visible; they checked every link",
    "The landlord asks how to send a notice of lease breach through the portal",
    "Our temperature breach alerts fire too often at night",
])
def test_parts_that_do_not_make_an_exposure(text):
    assert not concepts(text) & {"others_data", "stale_access", "diverted"}


def test_a_misbehaviour_with_no_documented_answer_escalates():
    a, r = _decide("Two quizzes were marked late though the students turned them in on time; the teacher fixed the marks by hand",
                   issue_kind="bug", workaround_available="yes")
    assert a.escalate and r.target.value == "engineering" and a.severity.value == "medium"


def test_a_stated_gap_with_no_documented_alternative_goes_to_product():
    a, r = _decide("A customer asks if reports can be scheduled per region; today they can't", issue_kind="feature_gap")
    assert a.escalate and r.target.value == "product" and a.severity.value == "medium"


def test_a_wish_to_set_something_up_is_not_a_gap_on_its_own():
    a, _ = _decide("Customer wants to set up a recurring deduction for an employee loan")
    assert not a.escalate


def test_duplicates_for_one_customer_are_high_not_critical():
    a, _ = _decide("One click on Pay created two payments of $310 for the same order", data_loss="yes", issue_kind="bug")
    assert a.escalate and a.severity.value == "high"
    a, _ = _decide("Their whole client list was deleted after the import", data_loss="yes", issue_kind="bug")
    assert a.severity.value == "critical"


@pytest.mark.parametrize("text", [
    "Their finance lead wants to know how uptime credits are worked out. Nothing's wrong, they're reviewing the contract",
    "Customer asks how SLA breach credits are calculated; no outage, just renewal paperwork",
    "reset email never arrives",
    "Compliance wants a written explanation of last month's sync delays for their audit file",
])
def test_questions_and_look_alikes_stay_in_support(text):
    a, _ = _decide(text)
    assert not a.escalate, a.fired


def test_a_waiver_and_an_early_exit_are_policy_exceptions_for_leadership():
    for text in ("They want the $12k overage from a runaway script waived in full before renewal",
                 "They want to end their two-year contract early and keep the multi-year discount"):
        a, r = _decide(text)
        assert a.escalate and r.target.value == "leadership", text


def test_an_article_that_passes_the_case_on_is_no_documented_answer():
    from customer_escalation.matching import hands_on as _hands_on
    from customer_escalation.models import KBArticle

    routes_on = KBArticle(id="KB-1", title="Ported numbers still reach the old carrier",
                          body="Wait 48 hours for carriers to update. Past 48 hours, escalate to L2 Number Operations with the port order.")
    answers = KBArticle(id="KB-2", title="Reminder emails land in spam", body="Add the sending domain to the allowlist.")
    assert _hands_on(routes_on) and not _hands_on(answers)


def test_leadership_keeps_engineering_informed_when_the_accounts_own_ticket_reports_a_failure():
    from customer_escalation.models import Account, RelatedTicket

    policy = load_policy(None)
    acct = Account(id="a1", name="Harbor Clinic", plan="Enterprise", arr=400000)
    text = "Harbor Clinic's COO says their ticket has been open 5 days on an 8-hour SLA and wants our VP on a call today"
    ticket = RelatedTicket(id="T-9", account_id="a1", account_name="Harbor Clinic", subject="Lab results import fails every night",
                           status="open", priority="high", match=0.6, same_problem=True, created_at=NOW)
    for tickets, informed in (([ticket], True), ([], False)):
        ctx = Context(issue=text, account=acct, related_tickets=tickets, timeline=Timeline(), now=NOW)
        a = assess(text, ctx, Facts(), policy, NOW)
        r = choose(a, ctx, policy)
        assert r.target.value == "leadership"
        assert (any(t.value == "engineering" for t in r.also_inform)) is informed


def test_setup_already_followed_is_not_a_configuration_fix():
    a, r = _decide("The card button is missing for one shop but only on some phones. The domain is verified and we went through "
                   "every step of the setup article.")
    assert a.issue_kind != "configuration" and a.escalate
    assert r.target.value == "l2_support"


def test_a_failure_that_began_with_the_customers_own_change_reads_as_configuration():
    a, _ = _decide("Their callbacks all fail with 401 since their developer moved the receiver to a new host")
    assert a.issue_kind == "configuration"


def test_a_custom_feed_is_beyond_a_configuration_fix():
    a, r = _decide("The clinic's custom HL7 results feed stopped after their IT changed the VPN; staff are retyping results by hand")
    assert a.escalate and r.target.value in ("l2_support", "engineering")


def test_a_complaint_phrased_as_asking_why_is_no_how_to():
    a, _ = _decide("Their ticket has been open a week, the first reply took two days, and their COO is asking why nobody has fixed it")
    assert a.escalate and a.issue_kind != "question"


@pytest.mark.parametrize(("text", "concept"), [
    ("The tenant portal showed a different resident's lease, with her bank details", "others_data"),
    ("Their warehouse report contains 200 rows from a pharmacy chain's stock", "others_data"),
    ("The booker looked up a colleague and got profiles from a firm called Oakwell; they have never heard of it", "others_data"),
    ("The audit trail lists downloads on the 3rd and the 9th by a nurse they offboarded at the end of last month", "stale_access"),
    ("They erased the member after her deletion request, and her photo still opens from an old share link", "stale_access"),
    ("Anyone browsing the booking widget can read the guest list in the page source", "public_data"),
    ("The envelopes were signed on Monday and still show Awaiting signature", "stuck"),
    ("We moved them to the new billing engine last week and now every invoice says 0 due", "after_change"),
    ("Their loyalty balances show a $0 balance since the update", "wrong_numbers"),
    ("The payout summaries haven't added up since October: a $3,100 variance", "wrong_numbers"),
    ("The roster report says 0 but 12 of their staff are on shift", "wrong_numbers"),
    ("All the kiosks at one site reboot every 20 minutes", "crash"),
    ("Room search returns no results for every city in Canada", "empty_result"),
    ("Deposits get filed under Refunds instead of Payments since the start of the month", "unexplained"),
    ("Orders keep moving to Cancelled by themselves now and then", "unexplained"),
    ("Kitchen tickets are not printing at the second site", "not_delivered"),
    ("The clinic says missed fridge alarms spoiled a batch", "not_delivered"),
])
def test_more_of_what_happened_is_read_in_other_words(text, concept):
    assert concept in concepts(text)


@pytest.mark.parametrize(("text", "absent"), [
    ("Mapping looks right; we re-pushed the rates twice with no change", "duplicated"),
    ("They want alerts to close on their own once values recover", "unexplained"),
    ("They'd rather use spreadsheets instead of the planner", "unexplained"),
    ("We got complaints from a customer about slow pages", "others_data"),
    ("The account they deactivated can no longer sign in, as expected", "stale_access"),
])
def test_what_someone_did_or_wants_is_not_what_the_product_did(text, absent):
    assert absent not in concepts(text)


def test_a_question_about_an_outage_that_is_over_stays_in_support():
    a, _ = _decide("The bakery's accountant wants to know whether any card sales were lost in the 3 November outage")
    assert not a.escalate


def test_a_stopgap_in_the_engineers_words_keeps_a_bug_at_medium():
    a, r = _decide("Receipts print the wrong VAT rate since the update; they correct them by hand for now")
    assert a.escalate and a.severity.value == "medium" and r.target.value == "engineering"


def test_an_impersonation_attempt_is_high_and_a_granted_one_critical():
    tried = _decide("Someone phoned claiming to be the owner and wanted the payout bank account switched; the number is not on file")[0]
    granted = _decide("Someone phoned claiming to be the owner and got an agent to switch the payout bank account")[0]
    assert tried.security and tried.severity.value == "high"
    assert granted.security and granted.severity.value == "critical"


def test_counsel_letters_and_television_go_to_leadership():
    for text in ("Their general counsel sent a letter about the cancelled bookings and wants a response by Friday",
                 "A local TV segment about the double charges airs this week and the owner will name us on camera"):
        a, r = _decide(text)
        assert a.escalate and r.target.value == "leadership", text


def test_a_ticket_open_past_the_contracted_hours_is_a_reported_breach():
    a, _ = _decide("Their export ticket has been open since Monday and the contract says 8 hours for a P1")
    assert any(r.id == "business.sla_breach_reported" for r in a.fired)


def test_a_request_put_as_a_question_with_nothing_documented_is_a_gap():
    a, r = _decide("The customer is asking whether we can send the signing emails in Portuguese")
    assert a.issue_kind == "feature_gap" and a.escalate and r.target.value == "product"


def test_behaviour_nobody_can_explain_goes_to_l2_first():
    a, r = _decide("Invoices get auto-tagged as Disputed instead of Paid for one customer; we checked every rule with them")
    assert a.escalate and r.target.value == "l2_support"


def test_nobody_able_to_explain_is_no_outage():
    a, _ = _decide("Their payout has said 'On hold' for a week and nobody can tell them why")
    assert not any(r.id == "impact.production_down" for r in a.fired)
    b, _ = _decide("Since 9am nobody can sign in to the portal")
    assert any(r.id == "impact.production_down" for r in b.fired)


def test_figures_doubled_for_one_customer_are_high_not_critical():
    a, _ = _decide("Their October usage minutes doubled on the invoice", issue_kind="bug", data_loss="yes")
    assert a.escalate and a.severity.value == "high"


def test_an_article_on_the_feature_is_no_documented_answer_to_an_exposure():
    from customer_escalation.models import KBMatch
    text = "The audit log shows exports on the 4th by an adjuster they deactivated when she left"
    kb = [KBMatch(id="KB-9", title="Deactivate a user who leaves", kind="how_to", match=0.8, workaround="Settings > Users > Deactivate")]
    policy = load_policy(None)
    ctx = Context(issue=text, timeline=Timeline(), now=NOW, kb_articles=kb)
    a = assess(text, ctx, Facts.coerce({}), policy, NOW)
    assert a.escalate and a.security and a.documented_answer == []
    plain = "Their user export fails after the deactivate step"
    b = assess(plain, Context(issue=plain, timeline=Timeline(), now=NOW, kb_articles=kb), Facts.coerce({"issue_kind": "question"}), policy, NOW)
    assert b.documented_answer == ["KB-9"]


@pytest.mark.parametrize("text", [
    "A solo attorney is locked out; how does she reset her password? The reset email isn't in her inbox",
    "Their managing partner wants to know how service credits work if we breach the 99.9% uptime commitment; nothing is broken",
    "Searching Smith in the directory doesn't bring up Smyth. Is he doing it wrong?",
])
def test_users_who_are_lawyers_and_questions_about_terms_stay_in_support(text):
    a, _ = _decide(text)
    assert not a.escalate and not a.security


@pytest.mark.parametrize("text", [
    "The CFO is asking again for two months' credit over the duplicate invoices",
    "They want a month's subscription credited for last week's outage",
    "They want their whole November fee ($2,100) refunded; that's outside our credit policy",
])
def test_credits_asked_for_are_policy_exceptions_for_leadership(text):
    a, r = _decide(text)
    assert a.escalate and any(f.id == "business.policy_exception" for f in a.fired)
    assert r.target.value == "leadership"


def test_their_lawyer_brought_in_is_legal_risk():
    a, r = _decide("The owner says she is calling her lawyer about the lost bookings")
    assert a.escalate and r.target.value == "leadership"
