"""The six impact dimensions (breadth, depth, duration, revenue, reputation, contractual), one function each.

Each reads the case, records on it the figures later sections need (customers, depth, hours open, ARR, SLA status, ...)
and returns the dimension with its evidence. They run in this order: depth reads the issue kind, revenue the segment
breadth found, and the yes/no facts they read (production down, public, legal) may each add a question.
"""

from __future__ import annotations

import re

from datetime import timedelta
from typing import Literal

from .. import revenue as money
from ..models import AccountSummary, Dimension, Segment
from .case import Case, hours_text, parse_when, short_money
from .decision import documented_workaround
from .signals import started_from_text

Level = Literal["unknown", "low", "moderate", "high", "severe"]
_DEPTH_LEVEL: dict[str, Level] = {"blocked": "severe", "degraded": "moderate", "inconvenienced": "low"}
_SLA_LEVEL: dict[str, Level] = {"breached": "severe", "at_risk": "high", "ok": "low", "unknown": "unknown"}


def breadth(c: Case) -> Dimension:
    """How many customers and users, which segment, and whether it is growing."""
    ctx, facts, account = c.ctx, c.facts, c.ctx.account
    breadth_ev: list[str] = []
    customers = 0
    if facts.customers_affected:
        customers = facts.customers_affected
        breadth_ev.append(f"reporter says {customers} customers")
    if c.sig.customer_count > customers and not facts.customers_affected:
        customers = c.sig.customer_count
        breadth_ev.append(f'issue text: "{c.sig.count_evidence}"')
    segment = c.segment = facts.segment or c.sig.segment
    if segment:
        plan = next((p for p in ctx.plan_counts if p.lower() in segment.lower()), None)
        if segment == "*" or segment.lower() in {"all", "everyone", "all customers"}:
            n = sum(ctx.plan_counts.values())
            c.segment_accounts = Segment(label="all customers", accounts=n, arr=sum(ctx.plan_arr.values()))
            label = "all customers"
        elif plan:
            n = ctx.plan_counts[plan]
            c.segment_accounts = Segment(label=plan, plan=plan, accounts=n, arr=ctx.plan_arr.get(plan, 0.0))
            label = f"all {plan} customers"
        else:
            n, label = 0, segment
        if n and not facts.customers_affected and n > customers:
            customers = n
        breadth_ev.append(f"segment: {label}" + (f" ({n} accounts in the workspace)" if n else ""))
    if ctx.customers_reporting > customers and not facts.customers_affected:
        customers = ctx.customers_reporting
    if ctx.customers_reporting:
        breadth_ev.append(f"{ctx.customers_reporting} distinct customers have tickets about this problem")
        if facts.customers_affected and ctx.customers_reporting > facts.customers_affected:
            c.conflicts.append(
                f"the reporter says {facts.customers_affected} customers, but tickets from {ctx.customers_reporting} "
                "customers match this problem: confirm which is right"
            )
    if account and customers == 0:
        customers = 1
        breadth_ev.append(f"{account.name} is affected")
    users = c.users = facts.users_affected or c.sig.user_count
    if users:
        breadth_ev.append(f"{users} users affected")
    growing = c.growing = ctx.timeline.reports_last_7_days > max(ctx.timeline.reports_prior_7_days, 1) or c.sig.has("rising")
    if growing:
        breadth_ev.append(
            f"growing: {ctx.timeline.reports_last_7_days} reports in the last 7 days vs {ctx.timeline.reports_prior_7_days} the week before"
            if ctx.timeline.reports_last_7_days else f'issue text: "{c.sig.found.get("rising", "")}"'
        )
    c.customers = customers
    return Dimension(
        value=(f"{customers} customer{'s' if customers != 1 else ''}" if customers else "unknown")
        + (f", {users} users" if users else "") + (" and growing" if growing else ""),
        level="unknown" if not customers else "severe" if customers >= 10 else "high" if customers >= c.policy.pattern_threshold else "moderate" if customers > 1 else "low",
        evidence=breadth_ev,
    )


# a workaround named only to say it fails or is missing
_NO_WORKAROUND = re.compile(r"\b(?:no|without|any|lacks?|missing)\s+(?:\w+\s+)?(?:workaround|work around|stopgap)\b|"
                            r"\b(?:workaround|work around|stopgap)s?\b[^.;]{0,40}\b(?:doesn'?t|didn'?t|does not|did not|isn'?t|is not|won'?t|can'?t|no longer|fails?|failed|stopped)\b",
                            re.IGNORECASE)


def depth(c: Case) -> Dimension:
    """Blocked, degraded or inconvenienced, and whether a workaround is known."""
    facts, kind = c.facts, c.kind
    depth_ev: list[str] = []
    prod_down, c.prod_ev = c.flag("production_down", "production_down")
    c.prod_down = prod_down
    workaround_known = c.workaround_known = c.yes("workaround_available")
    stopgap = c.sig.found.get("workaround")
    if stopgap and c.facts.workaround_available == "unknown" and not _NO_WORKAROUND.search(c.text):
        # the engineer's words say the customer gets the job done another way for now ("re-filing by hand for now")
        workaround_known = c.workaround_known = True
        c.said["workaround"] = f'issue text: "{stopgap}"'

    kb_workaround = c.kb_workaround = documented_workaround(c)
    c.tried_already = c.sig.has("tried")
    if facts.workflow_impact != "unknown":
        depth_value: str = facts.workflow_impact
        depth_ev.append(f"reporter says {depth_value}")
    elif c.sig.has("partial") and not prod_down and not c.sig.has("data_loss") and (c.sig.has("outage") or c.sig.has("blocked") or c.sig.has("bug")):
        depth_value = "degraded"  # some of it works ("only in three courses", "1 in 10 students")
        depth_ev.append(f'partly: issue text: "{c.sig.found["partial"]}"')
    elif (prod_down or (c.sig.has("outage") and not c.sig.has("intermittent")) or c.sig.has("blocked") and kind == "bug" or c.sig.has("data_loss")
          or (c.sig.has("breadth_all") and c.sig.concept("not_delivered", "stuck", "login_loop", "blank_page"))):
        depth_value = "blocked"
        depth_ev.append(f'issue text: "{c.sig.found.get("production_down") or c.sig.found.get("outage") or c.sig.found.get("blocked") or c.sig.found.get("data_loss")}"')
    elif c.sig.has("degraded") or c.sig.has("intermittent") or c.sig.has("outage") or (kind == "bug" and c.sig.has("bug")):
        depth_value = "degraded"
        depth_ev.append(f'issue text: "{c.sig.found.get("intermittent") or c.sig.found.get("degraded") or c.sig.found.get("outage") or c.sig.found.get("bug")}"')
    elif kind in ("feature_gap", "question", "configuration"):
        depth_value = "inconvenienced"
        depth_ev.append(f"reads as a {kind.replace('_', ' ')}")
    else:
        depth_value = "unknown"
    c.depth_value = depth_value
    if workaround_known:
        depth_ev.append(c.said.get("workaround") or "a workaround is available (reporter)")
    elif kb_workaround:
        depth_ev.append(f"documented workaround in {kb_workaround.id}: {kb_workaround.title}")
    return Dimension(
        value=depth_value + (" (workaround available)" if workaround_known else ""),
        level=_DEPTH_LEVEL.get(depth_value, "unknown"),
        evidence=depth_ev,
    )


def duration(c: Case) -> Dimension:
    """Since when, from the reporter, the text or the first related ticket, and how long the customer has waited."""
    ctx, facts, now = c.ctx, c.facts, c.now
    started = parse_when(facts.started_at, now) if facts.started_at else None
    dur_ev = []
    if facts.started_at and started is None:
        c.conflicts.append(f"started_at {facts.started_at!r} is not an ISO date; ignored")
    if started:
        dur_ev.append(f"reporter says it started {started.date().isoformat()}")
    else:
        started = started_from_text(c.text, now)
        if started:
            dur_ev.append(f'issue text: "{c.sig.duration_evidence or "a date in the text"}"')
    if ctx.timeline.first_report and (started is None or ctx.timeline.first_report < started):
        if started is None:
            started = ctx.timeline.first_report
        dur_ev.append(f"first related ticket {ctx.timeline.first_report.date().isoformat()}")
    hours_open = c.hours_open = max(0.0, (now - started).total_seconds() / 3600) if started else None
    waiting = ctx.timeline.customer_waiting_hours
    if waiting:
        dur_ev.append(f"customer waiting {waiting:.0f}h for a reply")
    return Dimension(
        value=(hours_text(hours_open) + " so far" if hours_open is not None else "unknown")
        + (f"; customer waiting {hours_text(waiting)}" if waiting else ""),
        level="unknown" if hours_open is None else "high" if hours_open >= c.policy.long_wait_hours else "moderate" if hours_open >= 24 else "low",
        evidence=dur_ev,
    )


def _affected(c: Case) -> dict[str, AccountSummary]:
    """The accounts affected: those gathered as affected, and the account the issue is about."""
    account = c.ctx.account
    affected = {a.id: a for a in c.ctx.affected_accounts}
    if account and account.id not in affected:
        affected[account.id] = AccountSummary(
            id=account.id, name=account.name, plan=account.plan, arr=account.arr, renewal_date=account.renewal_date,
            reference_customer=account.reference_customer,
        )
    return affected


def _renewals(c: Case, rev_ev: list[str]) -> list[str]:
    """Renewals of the affected accounts within the policy's window (the reporter's renewal date wins)."""
    account, facts, now, policy, affected = c.ctx.account, c.facts, c.now, c.policy, c.affected
    overrides = {}
    if account and facts.renewal_date:
        parsed = parse_when(facts.renewal_date, now)
        if parsed:
            overrides[account.id] = parsed.date()
    renewals = money.renewals_in_window(affected.values(), now, policy.renewal_window_days, overrides)
    if not account and facts.renewal_date:
        parsed = parse_when(facts.renewal_date, now)
        window = now.date() + timedelta(days=policy.renewal_window_days)
        if parsed and now.date() <= parsed.date() <= window:
            renewals.append(f"renews {parsed.date().isoformat()}")
    if renewals:
        rev_ev.append("renewal within %d days: %s" % (policy.renewal_window_days, "; ".join(renewals[:5])))
    renewal_deal = money.renewal_deal(account.open_deals) if account and account.id not in overrides else None
    if renewal_deal is not None and account.renewal_date == renewal_deal.close_date:  # type: ignore[union-attr]
        rev_ev.append(f"{account.name}'s renewal date is the close date of its open renewal deal "  # type: ignore[union-attr]
                      f"{money.describe_deal(renewal_deal)}")
    return renewals


def revenue(c: Case) -> Dimension:
    """ARR at risk (stated, else the affected accounts' or the segment's), renewals in the window, pending deals."""
    account, facts, policy = c.ctx.account, c.facts, c.policy
    rev_ev: list[str] = []
    affected = c.affected = _affected(c)
    if facts.arr_at_risk:
        stated, stated_by = facts.arr_at_risk, "stated by the reporter"
    elif c.sig.arr_mentioned:
        stated, stated_by = c.sig.arr_mentioned, f'issue text: "{c.sig.money_evidence}"'
    else:
        stated, stated_by = 0.0, ""
    arr_figure = c.arr_figure = money.arr_at_risk(affected.values(), segment=c.segment_accounts, stated=stated, stated_by=stated_by)
    arr = c.arr = arr_figure.amount
    if arr:
        rev_ev.append(money.arr_line(arr_figure))
    renewals = c.renewals = _renewals(c, rev_ev)
    # pending deals affected: what the reporter or the text says drives the decision; the open deals the CRM holds
    # for the account are shown with the revenue, as deals this issue may put at risk
    deals = c.deals = facts.pending_deal_value or c.sig.deal_mentioned
    open_deals = c.open_deals = money.soonest_first(account.open_deals or []) if account else []
    crm_deals = c.crm_deals = money.pending_value(open_deals)
    deals_said = []
    if deals:
        rev_ev.append(f"pending deals worth {short_money(deals)}")
        deals_said.append(f"{money.money(deals)} in pending deals")
    if open_deals:
        deals_said.append(money.deals_line(open_deals, account.name, crm_deals))  # type: ignore[union-attr]
        rev_ev.append(f"open in the CRM: {deals_said[-1]}")
    deals_value = "; ".join(deals_said)
    c.high_value = [a for a in affected.values() if policy.is_key_account(a.name, a.id, a.plan, a.arr)]
    return Dimension(
        value=(money.arr_line(arr_figure) or "unknown") + (f"; {len(renewals)} renewal(s) within {policy.renewal_window_days} days" if renewals else "")
        + (f"; {deals_value}" if deals_value else ""),
        level="unknown" if not arr and not deals and not crm_deals else "severe" if arr >= policy.top_account_arr else "high" if arr >= policy.high_value_arr or renewals else "moderate",
        evidence=rev_ev,
    )


def reputation(c: Case) -> Dimension:
    """Public exposure, legal or PR risk, reference customers."""
    rep_ev = []
    public, public_ev = c.public, c.public_ev = c.flag("public_exposure", "public")
    legal, legal_ev = c.legal, c.legal_ev = c.flag("legal_or_pr_risk", "legal_or_pr")
    reference = c.yes("reference_customer") or any(a.reference_customer for a in c.affected.values())
    if public:
        rep_ev.append(f"could become public: {public_ev}")
    if legal:
        rep_ev.append(f"legal or PR risk: {legal_ev}")
    if reference:
        names = [a.name for a in c.affected.values() if a.reference_customer]
        rep_ev.append("reference customer" + (f": {', '.join(names)}" if names else " (reporter)"))
    return Dimension(
        value="; ".join(rep_ev) if rep_ev else "no public, legal or reference-customer exposure known",
        level="severe" if legal or (public and reference) else "high" if public or reference else "unknown" if not c.ctx.account else "low",
        evidence=rep_ev,
    )


def contractual(c: Case) -> Dimension:
    """The SLA: breached, at risk, within it, or unknown."""
    status, c.sla_ev = _sla_status(c)
    c.sla_status = status
    return Dimension(
        value={"breached": "SLA breached", "at_risk": "SLA at risk", "ok": "within SLA", "unknown": "SLA status unknown"}[status],
        level=_SLA_LEVEL[status],
        evidence=c.sla_ev,
    )


def _sla_status(c: Case) -> tuple[str, list[str]]:
    """Contractual SLA status. A breach is a customer left without a response past the response target;
    a ticket open past the resolution target is recorded as evidence and as its own time criterion."""
    if c.facts.sla_status != "unknown":
        return c.facts.sla_status, [f"reporter says SLA {c.facts.sla_status.replace('_', ' ')}"]
    if c.sig.has("sla_breach"):
        return "breached", [f'issue text: "{c.sig.found["sla_breach"]}"']
    if c.sig.has("sla_risk"):
        return "at_risk", [f'issue text: "{c.sig.found["sla_risk"]}"']
    account = c.ctx.account
    if not account:
        return "unknown", []
    resolution = account.sla_resolution_hours
    first_response = account.sla_first_response_hours
    tier = c.policy.sla.get((account.sla_tier or "").lower()) or c.policy.sla.get((account.plan or "").lower())
    if resolution is None and tier:
        resolution = tier.resolution_hours
    if first_response is None and tier:
        first_response = tier.first_response_hours
    if resolution is None and first_response is None:
        return "unknown", []
    ev: list[str] = []
    open_tickets = [t for t in c.ctx.related_tickets if t.account_id == account.id and t.status not in ("solved", "closed") and t.same_problem]
    if open_tickets and resolution:
        age = (c.now - min(t.created_at for t in open_tickets)).total_seconds() / 3600
        ev.append(f"{account.name}'s oldest open ticket on this is {hours_text(age)} old; resolution target {resolution:g}h")
        if age >= resolution:
            c.fire("time.open_past_sla", "open past its SLA resolution target", ev[-1])
    waiting = c.ctx.timeline.customer_waiting_hours
    if c.sig.wait_hours and (waiting is None or c.sig.wait_hours > waiting):
        waiting = c.sig.wait_hours  # "hasn't heard from us in 5 days": the reporter's own account of the wait
    if first_response and waiting:
        ev.append(f"customer waiting {hours_text(waiting)} for a response; response target {first_response:g}h")
        if waiting >= first_response:
            return "breached", ev
        if waiting >= first_response * c.policy.sla_at_risk_share:
            return "at_risk", ev
    return "ok", ev or [f"no open ticket of {account.name} on this is waiting past its response target"]
