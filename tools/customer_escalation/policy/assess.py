"""Business impact, escalate-or-handle and severity: a pure function of text, context, facts, policy and now.

Precedence of evidence: facts the human gave > what the issue text says > what the
workspace and connected systems show. Every rule that fires records its evidence.

`assess` runs the sections in order over one `Case`: the issue kind (`kind.py`), the six dimensions
(`dimensions.py`), the escalation criteria (`criteria.py`), the handle-in-support rules and the decision
(`decision.py`), the severity (`severity.py`), then the questions for the human.
"""

from __future__ import annotations

from datetime import datetime

from ..models import Assessment, Context, Facts, Question
from .case import Case
from .criteria import THIN_WORDS, escalation_criteria
from .decision import CLOCK_ONLY, REPEAT_WINDOW_DAYS, STRONG, decide, decision_text, handle_in_support, repeat_escalations
from .dimensions import breadth, contractual, depth, duration, reputation, revenue
from .kind import STRONG_REQUEST, issue_kind
from .model import Policy
from .severity import severity as severity_of
from .signals import read_signals

__all__ = ["CLOCK_ONLY", "REPEAT_WINDOW_DAYS", "STRONG", "STRONG_REQUEST", "THIN_WORDS", "assess"]


def assess(text: str, ctx: Context, facts: Facts, policy: Policy, now: datetime) -> Assessment:
    plans = sorted({p for p in ctx.plan_counts} | {p.capitalize() for p in policy.sla})
    c = Case(text, ctx, facts, policy, now, read_signals(text, plans, policy.keywords))
    c.kind = issue_kind(c)
    account = ctx.account
    c.key_account = account is not None and policy.is_key_account(account.name, account.id, account.plan, account.arr)

    # the six dimensions, in this order: each records on the case what the sections after it read
    c.breadth = breadth(c)
    c.depth = depth(c)
    c.duration = duration(c)
    c.revenue = revenue(c)
    c.reputation = reputation(c)
    c.contractual = contractual(c)

    escalation_criteria(c)
    if c.security:
        # an article on the feature ("Deactivate a user who leaves") is no fix for an exposure: never the documented answer
        c.kb_workaround = c.limitation = None
    handle_in_support(c)
    c.escalate = decide(c)
    repeat_escalations(c)  # after the decision: on its own it never escalates
    severity, sev_reasons = severity_of(c) if c.escalate else (None, [])
    _questions(c)
    kb_workaround, confirmed, hours_open = c.kb_workaround, c.confirmed, c.hours_open
    return Assessment(
        escalate=c.escalate, decision=decision_text(c, severity), severity=severity, severity_reasons=sev_reasons, issue_kind=c.kind,
        security=c.security, fired=c.fired, handle_in_support=c.handle, breadth=c.breadth, depth=c.depth, duration=c.duration,
        revenue=c.revenue, reputation=c.reputation, contractual=c.contractual, customers_affected=c.customers,
        users_affected=c.users, arr_at_risk=c.arr, arr=c.arr_figure, pending_deals=c.open_deals,
        pending_deal_value=c.deals or c.crm_deals, renewals_in_window=c.renewals,
        hours_open=round(hours_open, 1) if hours_open is not None else None, sla_status=c.sla_status,
        key_account=c.key_account, churn_threat=c.churn, missing=c.missing, conflicts=c.conflicts,
        confirmed=True if confirmed else (False if c.no("confirmed") or c.sig.has("beyond_support") else None),
        documented_answer=[k.id for k in (kb_workaround, c.limitation) if k is not None],
    )


def _questions(c: Case) -> None:
    """What to ask the human: the facts the assessment could not read and that would change it."""
    ask, account, kind, customers = c.missing.append, c.ctx.account, c.kind, c.customers
    broad = bool(c.facts.segment or c.sig.segment) or c.ctx.customers_reporting >= 2
    if not account and not c.ctx.account_candidates and not broad:
        ask(Question(fact="account", ask="Which customer account is this (name or domain)?"))
    elif c.ctx.account_candidates and not account:
        names = ", ".join(a.name for a in c.ctx.account_candidates[:5])
        ask(Question(fact="account", ask=f"Which of these accounts is it: {names}?"))
    if not c.facts.customers_affected and customers <= 1:
        ask(Question(fact="customers_affected", ask="How many customers (or which segment) are affected, and is it growing?"))
    if c.depth_value == "unknown":
        ask(Question(fact="workflow_impact", ask="Are they blocked, degraded, or inconvenienced? What can't they do?"))
    if c.facts.workaround_available == "unknown" and kind in ("bug", "unknown"):
        ask(Question(fact="workaround_available", ask="Is there a workaround that unblocks them?"))
    if c.hours_open is None:
        ask(Question(fact="started_at", ask="When did it start, and how long has the customer been waiting?"))
    if not c.arr:
        ask(Question(fact="arr_at_risk", ask="What ARR is at risk, and are renewals or pending deals affected?"))
    if c.sla_status == "unknown" and c.escalate:
        ask(Question(fact="sla_status", ask="Is an SLA at risk or already breached?"))
    if kind == "bug" and c.facts.confirmed == "unknown" and c.escalate:
        ask(Question(fact="confirmed", ask="Has the bug been reproduced? What are the exact steps, error text and environment?"))
    if kind == "unknown":
        ask(Question(fact="issue_kind", ask="Is this a bug, a missing feature, a configuration problem or a how-to question?"))
