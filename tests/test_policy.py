"""The judgement, called directly: signals, assessment, severity, routing, cadence and the policy file."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from customer_escalation.models import Account, Context, Facts, KBMatch, Severity, Target
from customer_escalation.policy import Policy, PolicyError, assess, choose, load_policy
from customer_escalation.policy.cadence import add_business_days, customer_due, internal_due
from customer_escalation.policy.signals import read_signals

NOW = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)  # a Friday
POLICY = Policy()


def ctx(issue: str, **kw) -> Context:
    return Context(issue=issue, now=NOW, plan_counts={"Enterprise": 5, "Growth": 10}, plan_arr={"Enterprise": 2_000_000, "Growth": 300_000}, **kw)


def judge(issue: str, facts: Facts | None = None, **kw):
    c = ctx(issue, **kw)
    a = assess(issue, c, facts or Facts(), POLICY, NOW)
    return a, choose(a, c, POLICY)


@pytest.mark.parametrize("text, signal", [
    ("API returning 500 errors intermittently", "outage"),
    ("Data export is missing rows", "data_loss"),
    ("Customer says they can see another company's invoices", "security"),
    ("Their API key was pasted in a public GitHub repo", "security"),
    ("User still has access after being removed from the org", "security"),
    ("Customer threatening to churn over missing audit log feature", "churn"),
    ("Their CTO wants a call with our VP", "executive"),
    ("They want a refund for the outage month", "policy_exception"),
])
def test_signals_detect(text, signal):
    assert read_signals(text).has(signal)


@pytest.mark.parametrize("text, absent", [
    ("How do I configure SSO for my team?", "outage"),
    ("Where are the security settings for SSO?", "security"),
    ("Data export is missing rows", "feature_gap"),
])
def test_signals_precision(text, absent):
    assert not read_signals(text).has(absent)


def test_counts_segments_money_duration():
    s = read_signals("SSO login loop affecting all Enterprise customers for 3 days, $400k ARR at risk, 12 users")
    assert s.segment == "Enterprise" and s.arr_mentioned == 400_000 and s.duration_hours == 72 and s.user_count == 12
    assert read_signals("Data export is missing rows - 3 customers reported this week").customer_count == 3


def test_how_to_question_is_handled_in_support():
    a, r = judge("How do I configure SSO for my team?")
    assert not a.escalate and a.issue_kind == "question" and r.target is None
    assert any(rule.id == "handle.guidance" for rule in a.handle_in_support)


def test_outage_for_a_whole_segment_is_critical_engineering():
    a, r = judge("SSO login loop affecting all Enterprise customers")
    assert a.escalate and a.severity == Severity.critical and r.target == Target.engineering
    assert a.customers_affected == 5 and a.arr_at_risk == 2_000_000


def test_security_bypasses_tiers_and_exposure_is_critical():
    a, r = judge("Customer can see another company's dashboards after login")
    assert a.security and r.target == Target.security and r.security_bypass
    assert a.severity == Severity.critical
    assert any(rule.id == "impact.security" for rule in a.fired)


def test_security_fact_without_wording_routes_to_security():
    a, r = judge("Odd behaviour on the reports page", Facts(security_concern="yes"))
    assert r.target == Target.security


def test_churn_over_missing_feature_product_decides_leadership_informed():
    a, r = judge("Customer threatening to churn over missing audit log feature", Facts(arr_at_risk=150_000))
    assert a.escalate and r.target == Target.product and Target.leadership in r.also_inform


def test_churn_over_missing_feature_for_top_account_reverses():
    a, r = judge("Customer threatening to churn over missing audit log feature", Facts(arr_at_risk=900_000))
    assert r.target == Target.leadership and Target.product in r.also_inform


def test_documented_workaround_keeps_it_in_support():
    kb = [KBMatch(id="KB-1", title="Timezone off after DST", kind="known_issue", match=0.9, workaround="Set the timezone explicitly")]
    a, r = judge("Dashboard times are off by one hour", kb_articles=kb)
    assert not a.escalate and a.handle_in_support[0].id == "handle.documented_workaround"


def test_workaround_does_not_cancel_data_loss():
    kb = [KBMatch(id="KB-9", title="Export rows", kind="known_issue", match=0.9, workaround="Export in smaller date ranges")]
    a, _ = judge("Data export is missing rows", kb_articles=kb)
    assert a.escalate and a.severity == Severity.critical


def test_facts_override_text_and_conflicts_are_named():
    a, _ = judge("Export broken", Facts(customers_affected=1), customers_reporting=4)
    assert any("4" in c for c in a.conflicts)
    assert a.customers_affected == 1


def test_thin_text_asks_questions():
    a, r = judge("customer is upset")
    assert not a.escalate
    asked = {q.fact for q in a.missing}
    assert {"account", "customers_affected", "issue_kind"} <= asked


def test_key_account_sla_and_renewal_raise_stakes():
    acme = Account(id="a", name="Acme", plan="Enterprise", arr=480_000, renewal_date=date(2027, 1, 10))
    a, r = judge("API returning 500 errors for Acme", Facts(workflow_impact="blocked", sla_status="breached"), account=acme)
    assert a.escalate and a.severity == Severity.high and a.key_account
    assert a.renewals_in_window and r.target == Target.engineering and Target.leadership in r.also_inform


def test_policy_exception_goes_to_leadership():
    a, r = judge("Customer wants a refund for last month's outage", Facts(arr_at_risk=50_000))
    assert a.escalate and r.target == Target.leadership


def test_cadence_across_weekend_and_holiday():
    friday = datetime(2026, 11, 20, 15, tzinfo=timezone.utc)
    policy = Policy.model_validate({"calendar": {"holidays": ["2026-11-23"]}})
    # medium: 2 business days from Friday skips the weekend and Monday's holiday -> Wednesday
    assert customer_due(Severity.medium, friday, policy).date() == date(2026, 11, 25)
    assert internal_due(Severity.critical, friday, policy) == datetime(2026, 11, 20, 17, tzinfo=timezone.utc)
    assert customer_due(Severity.high, friday, policy) == datetime(2026, 11, 20, 23, tzinfo=timezone.utc)
    saturday = datetime(2026, 11, 21, 10, tzinfo=timezone.utc)
    # counting starts Tuesday (Monday is a holiday): one business day ends at the end of Tuesday
    assert add_business_days(saturday, 1, policy.calendar) == datetime(2026, 11, 25, tzinfo=timezone.utc)


def test_policy_file_overrides_and_errors(tmp_path):
    good = tmp_path / "policy.toml"
    good.write_text('high_value_arr = 50000\npattern_threshold = 4\n[teams.engineering]\nname = "Core Eng"\nchat_channel = "#core"\n')
    p = load_policy(good)
    assert p.high_value_arr == 50_000 and p.pattern_threshold == 4 and p.teams[Target.engineering].name == "Core Eng"
    assert p.teams[Target.security].name == "Security"  # untouched defaults stay

    bad = tmp_path / "bad.toml"
    for text, says in [("pattern_threshold = [\n", "not valid TOML"), ("pattern_treshold = 4\n", "pattern_treshold"),
                       ("high_value_arr = 600000\ntop_account_arr = 500000\n", "top_account_arr"),
                       ("[cadence.medium]\ninternal_hours = 1\ncustomer_business_days = 1\n", "internal_hours"),
                       ('[keywords]\nsecurityy = ["pen test"]\n', "securityy")]:
        bad.write_text(text)
        with pytest.raises(PolicyError, match=says):
            load_policy(bad)


def test_policy_keywords_extend_signals(tmp_path):
    f = tmp_path / "p.toml"
    f.write_text('[keywords]\nsecurity = ["pentest finding"]\n')
    policy = load_policy(f)
    c = ctx("A pentest finding on the export endpoint")
    a = assess(c.issue, c, Facts(), policy, NOW)
    assert a.security and choose(a, c, policy).target == Target.security
