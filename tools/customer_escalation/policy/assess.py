"""Business impact, escalate-or-handle and severity: a pure function of text, context, facts, policy and now.

Precedence of evidence: facts the human gave > what the issue text says > what the
workspace and connected systems show. Every rule that fires records its evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .. import revenue as money
from ..models import (
    Assessment, Context, Dimension, Facts, IssueKind, Question, Rule, Segment, Severity,
)
from .concepts import BUG_CONCEPTS, EXPOSURE_CONCEPTS, SECURITY_CONCEPTS, read_concepts
from .model import Policy
from .signals import TextSignals, read_signals, started_from_text

# Rules strong enough that a workaround or a how-to reading does not cancel the escalation.
STRONG = {
    "impact.security", "impact.data_at_risk", "impact.production_down", "business.sla_breach_reported",
    "business.executive_request", "business.legal_or_pr", "business.high_value_at_risk", "business.policy_exception",
    "pattern.recurrence", "technical.confirmed_bug", "business.churn_threat", "impact.feature_gap", "impact.competing_needs",
    "complexity.beyond_support", "time.long_wait", "technical.regression",
}
# Read off the workspace's clocks rather than told: the reply owed is support's own, so on their own these
# do not take an issue out of support (they stay in the assessment as evidence and as a reason to reply now).
CLOCK_ONLY = {"business.sla_breached", "business.sla_at_risk", "time.open_past_sla"}
STRONG_REQUEST = 0.8  # a question matching an open feature request this closely asks for that feature
THIN_WORDS = 6  # an issue this short is read together with the account's own ticket about it
REPEAT_WINDOW_DAYS = 90  # earlier escalations of the same account this recent count as a repeat
_EXPOSURE = re.compile(
    r"expos|leak|breach|another|other (?:customer|company|tenant)|someone else|somebody else|public|posted|pasted|"
    r"committed|compromis|hack|still (?:has|have|had) access|can still (?:log ?in|sign ?in|access)|unauthori|cross[- ]tenant|without (?:a )?password|"
    r"different (?:customer|company|tenant|workspace|account)|other (?:workspaces?|accounts?|organi[sz]ations?)|stolen|idor|"
    r"changed the (?:\w+ )?id",
    re.IGNORECASE,
)


@dataclass
class _Case:
    text: str
    ctx: Context
    facts: Facts
    policy: Policy
    now: datetime
    sig: TextSignals
    fired: list[Rule] = field(default_factory=list)
    handle: list[Rule] = field(default_factory=list)
    missing: list[Question] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def fire(self, rule_id: str, says: str, evidence: str) -> None:
        group = rule_id.split(".")[0]
        target = self.handle if group == "handle" else self.fired
        if all(r.id != rule_id for r in target):
            target.append(Rule(id=rule_id, group=group, says=says, evidence=evidence))  # type: ignore[arg-type]

    def yes(self, fact: str) -> bool:
        return getattr(self.facts, fact) == "yes"

    def no(self, fact: str) -> bool:
        return getattr(self.facts, fact) == "no"

    def flag(self, fact: str, signal: str) -> tuple[bool, str]:
        """A given yes/no fact always wins over the text; where the text reads otherwise, ask. Returns (present, evidence)."""
        if self.yes(fact):
            return True, f"stated by the reporter ({fact}=yes)"
        if self.no(fact):
            if self.sig.has(signal):
                self.disagree(fact, "no", f'the text reads as yes: "{self.sig.found[signal]}"')
            return False, ""
        if self.sig.has(signal):
            return True, f'issue text: "{self.sig.found[signal]}"'
        return False, ""

    def disagree(self, fact: str, given: str, reading: str) -> None:
        """The given fact is kept; the disagreement becomes a question for the human."""
        note = f"{fact}={given} was given, but {reading}; the given fact is used"
        if note not in self.conflicts:
            self.conflicts.append(note)
            self.missing.append(Question(fact=fact, ask=f"You said {fact}={given}, but {reading}. Which is right?"))


_DESTROYED = re.compile(r"\b(?:lost|los(?:e|ing)|deleted|wiped|erased|overwritten|corrupt\w*|gone|disappeared|vanished|missing|purged)\b", re.IGNORECASE)
# a wish to set something up ("wants to set up a deduction") may be a how-to: it is no gap on its own
_WISH = re.compile(r"(?:wants?|would|wish)\b", re.IGNORECASE)


def _money(value: float) -> str:
    if value >= 1_000_000:
        return f"${value / 1_000_000:.2f}M".replace(".00M", "M")
    if value >= 1_000:
        return f"${value / 1_000:.0f}k"
    return f"${value:.0f}"


def _parse_when(value: str, now: datetime) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            d = date.fromisoformat(value.strip())
        except ValueError:
            return None
        parsed = datetime(d.year, d.month, d.day)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=now.tzinfo)


def _issue_kind(c: _Case) -> IssueKind:
    if c.facts.issue_kind != "unknown":
        return c.facts.issue_kind
    s = c.sig
    if s.has("production_down") or s.has("data_loss") or s.has("integrity") or s.concept("stuck", "duplicated", "not_delivered"):
        return "bug"
    if (s.has("feature_gap") or s.has("competing")) and not s.has("outage"):
        return "feature_gap"
    # a question whether they can do something, where the tracker holds a request like it (a looser match: the question
    # words it as an ask, the tracker as a feature)
    requested = next((t for t in c.ctx.tracker_items if t.kind == "feature_request" and t.status_category != "done"
                      and t.match >= c.policy.related_min_score * 0.8), None)
    if s.has("competitive") and not (s.has("outage") or s.has("bug")):
        return "feature_gap"  # "like competing agencies offer": a capability others have and we lack
    documented = any(k.kind == "limitation" and k.applies and k.match >= c.policy.documented_answer_min_score for k in c.ctx.kb_articles)
    if (s.has("question") and requested is not None and requested.match >= STRONG_REQUEST and not (s.has("outage") or s.has("bug"))
            and not documented):
        return "feature_gap"  # "offline mode for the mobile app?": the question names what the tracker holds as a request
    if s.has("question") and requested is not None and re.search(
            r"\b(?:whether|if) (?:\w+ ){0,4}(?:can|could|is able to|are able to)\b|^\s*(?:can|could|is it possible|is there a way)\b", c.text, re.IGNORECASE):
        return "feature_gap"  # "asks whether they can ..." where the tracker holds that very request
    # what the tracker already calls it, when the text itself does not say
    best = max((t for t in c.ctx.tracker_items if t.match >= c.policy.related_min_score), key=lambda t: t.match, default=None)
    if best is not None and not s.has("question") and not s.has("configuration"):
        if best.kind == "feature_request" and not s.has("outage"):
            return "feature_gap"
        if best.kind in ("bug", "incident") and not s.has("churn"):
            return "bug"
    if s.has("question") and not (s.has("outage") or s.has("bug")):
        return "question"
    if s.has("configuration") and not (s.has("outage") or s.has("data_loss")):
        return "configuration"
    if s.has("outage") or s.has("bug") or s.has("degraded") or s.has("intermittent") or s.has("recurrence"):
        return "bug"
    if s.has("question"):
        return "question"
    return "unknown"


def assess(text: str, ctx: Context, facts: Facts, policy: Policy, now: datetime) -> Assessment:
    plans = sorted({p for p in ctx.plan_counts} | {p.capitalize() for p in policy.sla})
    c = _Case(text, ctx, facts, policy, now, read_signals(text, plans, policy.keywords))
    kind = _issue_kind(c)
    account = ctx.account
    key_account = bool(account) and policy.is_key_account(account.name, account.id, account.plan, account.arr)

    # --- breadth ------------------------------------------------------------------------------
    breadth_ev: list[str] = []
    customers = 0
    if facts.customers_affected:
        customers = facts.customers_affected
        breadth_ev.append(f"reporter says {customers} customers")
    if c.sig.customer_count > customers and not facts.customers_affected:
        customers = c.sig.customer_count
        breadth_ev.append(f'issue text: "{c.sig.count_evidence}"')
    segment = facts.segment or c.sig.segment
    segment_accounts: Segment | None = None  # the segment's accounts, whose ARR counts as at risk
    if segment:
        plan = next((p for p in ctx.plan_counts if p.lower() in segment.lower()), None)
        if segment == "*" or segment.lower() in {"all", "everyone", "all customers"}:
            n = sum(ctx.plan_counts.values())
            segment_accounts = Segment(label="all customers", accounts=n, arr=sum(ctx.plan_arr.values()))
            label = "all customers"
        elif plan:
            n = ctx.plan_counts[plan]
            segment_accounts = Segment(label=plan, plan=plan, accounts=n, arr=ctx.plan_arr.get(plan, 0.0))
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
    users = facts.users_affected or c.sig.user_count
    if users:
        breadth_ev.append(f"{users} users affected")
    growing = ctx.timeline.reports_last_7_days > max(ctx.timeline.reports_prior_7_days, 1) or c.sig.has("rising")
    if growing:
        breadth_ev.append(
            f"growing: {ctx.timeline.reports_last_7_days} reports in the last 7 days vs {ctx.timeline.reports_prior_7_days} the week before"
            if ctx.timeline.reports_last_7_days else f'issue text: "{c.sig.found.get("rising", "")}"'
        )
    breadth = Dimension(
        value=(f"{customers} customer{'s' if customers != 1 else ''}" if customers else "unknown")
        + (f", {users} users" if users else "") + (" and growing" if growing else ""),
        level="unknown" if not customers else "severe" if customers >= 10 else "high" if customers >= policy.pattern_threshold else "moderate" if customers > 1 else "low",
        evidence=breadth_ev,
    )

    # --- depth ----------------------------------------------------------------------------------
    depth_ev: list[str] = []
    prod_down, prod_ev = c.flag("production_down", "production_down")
    workaround_known = c.yes("workaround_available")
    # a workaround can keep an issue in support, so it needs a closer match than "related"
    # and a how-to is no fix for a failure: it is possibly related, never offered as the workaround
    # an article on exactly this (the same quoted message or code) documents the answer even without a workaround field,
    # and then even a how-to is the fix
    exact = policy.documented_answer_min_score
    # (an article explaining the design is no answer to a feature gap or a bug: only a workaround or an alternative is)
    kb_workaround = next((k for k in ctx.kb_articles if (k.workaround or (k.match >= exact and not (k.kind == "doc" and kind in ("feature_gap", "bug"))))
                          and k.applies and k.kind != "limitation"
                          and (k.kind != "how_to" or kind in ("question", "configuration", "unknown") or k.match >= exact)
                          and k.match >= policy.workaround_min_score), None)
    tried_already = c.sig.has("tried")
    if facts.workflow_impact != "unknown":
        depth_value = facts.workflow_impact
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
    if workaround_known:
        depth_ev.append("a workaround is available (reporter)")
    elif kb_workaround:
        depth_ev.append(f"documented workaround in {kb_workaround.id}: {kb_workaround.title}")
    depth = Dimension(
        value=depth_value + (" (workaround available)" if workaround_known else ""),
        level={"blocked": "severe", "degraded": "moderate", "inconvenienced": "low"}.get(depth_value, "unknown"),  # type: ignore[arg-type]
        evidence=depth_ev,
    )

    # --- duration -------------------------------------------------------------------------------
    started = _parse_when(facts.started_at, now) if facts.started_at else None
    dur_ev = []
    if facts.started_at and started is None:
        c.conflicts.append(f"started_at {facts.started_at!r} is not an ISO date; ignored")
    if started:
        dur_ev.append(f"reporter says it started {started.date().isoformat()}")
    else:
        started = started_from_text(text, now)
        if started:
            dur_ev.append(f'issue text: "{c.sig.duration_evidence or "a date in the text"}"')
    if ctx.timeline.first_report and (started is None or ctx.timeline.first_report < started):
        if started is None:
            started = ctx.timeline.first_report
        dur_ev.append(f"first related ticket {ctx.timeline.first_report.date().isoformat()}")
    hours_open = max(0.0, (now - started).total_seconds() / 3600) if started else None
    waiting = ctx.timeline.customer_waiting_hours
    if waiting:
        dur_ev.append(f"customer waiting {waiting:.0f}h for a reply")
    duration = Dimension(
        value=(_hours(hours_open) + " so far" if hours_open is not None else "unknown")
        + (f"; customer waiting {_hours(waiting)}" if waiting else ""),
        level="unknown" if hours_open is None else "high" if hours_open >= policy.long_wait_hours else "moderate" if hours_open >= 24 else "low",
        evidence=dur_ev,
    )

    # --- revenue --------------------------------------------------------------------------------
    rev_ev: list[str] = []
    affected = {a.id: a for a in ctx.affected_accounts}
    if account and account.id not in affected:
        from ..models import AccountSummary

        affected[account.id] = AccountSummary(
            id=account.id, name=account.name, plan=account.plan, arr=account.arr, renewal_date=account.renewal_date,
            reference_customer=account.reference_customer,
        )
    if facts.arr_at_risk:
        stated, stated_by = facts.arr_at_risk, "stated by the reporter"
    elif c.sig.arr_mentioned:
        stated, stated_by = c.sig.arr_mentioned, f'issue text: "{c.sig.money_evidence}"'
    else:
        stated, stated_by = 0.0, ""
    arr_figure = money.arr_at_risk(affected.values(), segment=segment_accounts, stated=stated, stated_by=stated_by)
    arr = arr_figure.amount
    if arr:
        rev_ev.append(money.arr_line(arr_figure))
    overrides = {}
    if account and facts.renewal_date:
        parsed = _parse_when(facts.renewal_date, now)
        if parsed:
            overrides[account.id] = parsed.date()
    renewals = money.renewals_in_window(affected.values(), now, policy.renewal_window_days, overrides)
    if not account and facts.renewal_date:
        parsed = _parse_when(facts.renewal_date, now)
        window = now.date() + timedelta(days=policy.renewal_window_days)
        if parsed and now.date() <= parsed.date() <= window:
            renewals.append(f"renews {parsed.date().isoformat()}")
    if renewals:
        rev_ev.append("renewal within %d days: %s" % (policy.renewal_window_days, "; ".join(renewals[:5])))
    renewal_deal = money.renewal_deal(account.open_deals) if account and account.id not in overrides else None
    if renewal_deal is not None and account.renewal_date == renewal_deal.close_date:  # type: ignore[union-attr]
        rev_ev.append(f"{account.name}'s renewal date is the close date of its open renewal deal "  # type: ignore[union-attr]
                      f"{money.describe_deal(renewal_deal)}")
    # pending deals affected: what the reporter or the text says drives the decision; the open deals the CRM holds
    # for the account are shown with the revenue, as deals this issue may put at risk
    deals = facts.pending_deal_value or c.sig.deal_mentioned
    open_deals = money.soonest_first(account.open_deals or []) if account else []
    crm_deals = money.pending_value(open_deals)
    deals_said = []
    if deals:
        rev_ev.append(f"pending deals worth {_money(deals)}")
        deals_said.append(f"{money.money(deals)} in pending deals")
    if open_deals:
        deals_said.append(money.deals_line(open_deals, account.name, crm_deals))  # type: ignore[union-attr]
        rev_ev.append(f"open in the CRM: {deals_said[-1]}")
    deals_value = "; ".join(deals_said)
    high_value = [a for a in affected.values() if policy.is_key_account(a.name, a.id, a.plan, a.arr)]
    revenue = Dimension(
        value=(money.arr_line(arr_figure) or "unknown") + (f"; {len(renewals)} renewal(s) within {policy.renewal_window_days} days" if renewals else "")
        + (f"; {deals_value}" if deals_value else ""),
        level="unknown" if not arr and not deals and not crm_deals else "severe" if arr >= policy.top_account_arr else "high" if arr >= policy.high_value_arr or renewals else "moderate",
        evidence=rev_ev,
    )

    # --- reputation -----------------------------------------------------------------------------
    rep_ev = []
    public, public_ev = c.flag("public_exposure", "public")
    legal, legal_ev = c.flag("legal_or_pr_risk", "legal_or_pr")
    reference = c.yes("reference_customer") or any(a.reference_customer for a in affected.values())
    if public:
        rep_ev.append(f"could become public: {public_ev}")
    if legal:
        rep_ev.append(f"legal or PR risk: {legal_ev}")
    if reference:
        names = [a.name for a in affected.values() if a.reference_customer]
        rep_ev.append("reference customer" + (f": {', '.join(names)}" if names else " (reporter)"))
    reputation = Dimension(
        value="; ".join(rep_ev) if rep_ev else "no public, legal or reference-customer exposure known",
        level="severe" if legal or (public and reference) else "high" if public or reference else "unknown" if not account else "low",
        evidence=rep_ev,
    )

    # --- contractual ------------------------------------------------------------------------------
    sla_status, sla_ev = _sla_status(c, key_account)
    contractual = Dimension(
        value={"breached": "SLA breached", "at_risk": "SLA at risk", "ok": "within SLA", "unknown": "SLA status unknown"}[sla_status],
        level={"breached": "severe", "at_risk": "high", "ok": "low", "unknown": "unknown"}[sla_status],  # type: ignore[arg-type]
        evidence=sla_ev,
    )

    # --- criteria -------------------------------------------------------------------------------
    security, sec_ev = c.flag("security_concern", "security")
    if not security and c.facts.security_concern == "unknown" and len(text.split()) <= THIN_WORDS and account:
        # a few words ("payout account changed"): the account's own report of it says what happened
        for t in ctx.related_tickets:
            if t.same_problem and t.account_id == account.id:
                found = [f for f in read_concepts(f"{t.subject}. {t.excerpt}") if f.concept in SECURITY_CONCEPTS]
                if found:
                    security, sec_ev = True, f'{t.id} reads: "{found[0].evidence}"'
                    c.sig.concepts.setdefault(found[0].concept, found[0].evidence)
                    break
    data_loss, data_ev = c.flag("data_loss", "data_loss")
    churn, churn_ev = c.flag("churn_threat", "churn")
    executive, exec_ev = c.flag("executive_request", "executive")
    exception, exc_ev = c.flag("policy_exception", "policy_exception")
    recurrence, rec_ev = c.flag("recurrence", "recurrence")
    confirmed, conf_ev = c.flag("confirmed", "confirmed")

    if security:
        c.fire("impact.security", "possible data exposure, unauthorised access, vulnerability or compliance concern", sec_ev)
    if data_loss:
        c.fire("impact.data_at_risk", "data corruption or loss: data integrity at risk", data_ev)
    elif c.sig.has("integrity") and not c.no("data_loss") and kind == "bug":
        c.fire("impact.data_integrity", "records or amounts are wrong or duplicated: a bug that needs a code change",
               f'issue text: "{c.sig.found["integrity"]}"')
    if kind == "bug" and (regression := c.sig.concept("after_change")) and not c.no("data_loss"):
        # a release or a migration broke or lost what worked before: a regression for engineering, whatever workaround exists
        c.fire("technical.regression", "a release or migration broke or lost what worked before", f'issue text: "{regression}"')
    if prod_down:
        c.fire("impact.production_down", "production is down", prod_ev)
    generic_failure = re.fullmatch(r"fail\w*|broken|not (?:working|responding)", c.sig.found.get("outage", "").lower())
    if kind == "bug" and ((c.sig.has("outage") and not generic_failure) or prod_down) and not c.sig.has("configuration"):
        c.fire("technical.infrastructure", "an outage or server errors need system-level investigation", f'issue text: "{c.sig.found.get("outage") or c.sig.found.get("production_down")}"')
    fault = (c.sig.concept("error_code", *BUG_CONCEPTS)
             or (depth_value == "blocked" and c.sig.found.get("blocked") or c.sig.found.get("outage")))
    fault_ev = f'issue text: "{fault}"' if fault else ""
    if kind == "bug" and not fault:
        # no failure word of its own, yet a misbehaviour: the reporter's reading, or the softer words the text uses
        said = c.sig.found.get("bug") or c.sig.found.get("degraded") or c.sig.found.get("intermittent")
        fault_ev = f'issue text: "{said}"' if said else "reporter says the product misbehaves" if c.facts.issue_kind == "bug" else ""
    if kind == "bug" and fault_ev and not any(r.id == "technical.infrastructure" for r in c.fired):
        # the product fails at its job (an error, a stuck job, wrong records, a blocked task): a fix is needed, unless a
        # documented answer below keeps it in support
        c.fire("technical.product_fault", "the product fails at a task: needs a fix, or a diagnosis first", fault_ev)
    open_bug = next((t for t in ctx.tracker_items if t.kind in ("bug", "incident") and t.status_category != "done" and t.match >= policy.related_min_score), None)
    if kind == "bug" and confirmed:
        c.fire("technical.confirmed_bug", "a confirmed bug needs a code change", conf_ev)
    elif kind == "bug" and open_bug:
        c.fire("technical.known_bug", "matches an open bug in the tracker", f"{open_bug.id}: {open_bug.title} ({open_bug.status})")
    if kind == "bug" and (stuck := c.sig.concept("stuck")) and not c.no("workaround_available"):
        c.fire("complexity.needs_access", "a job stuck in a state support cannot release or cancel: needs access support lacks",
               f'issue text: "{stuck}"')
    scope = c.sig.found.get("partial") or c.sig.found.get("intermittent")
    if (kind in ("bug", "unknown") and scope and not confirmed and not data_loss and not prod_down
            and (c.sig.has("bug") or c.sig.has("degraded") or c.sig.has("tried") or c.sig.concept(*BUG_CONCEPTS))):
        # only some users, sites or times, not reproduced: the pattern has to be found before a fix can be asked for
        c.fire("complexity.partial_unexplained", "only part of it fails and the cause is not known: needs deeper investigation",
               f'issue text: "{scope}"')
    for name, rid, says in (
        ("beyond_support", "complexity.beyond_support", "beyond what support can diagnose or access"),
        ("custom_implementation", "complexity.custom_implementation", "involves a custom implementation"),
    ):
        if c.sig.has(name):
            c.fire(rid, says, f'issue text: "{c.sig.found[name]}"')
    if customers >= 2 and kind != "question":
        c.fire("impact.multiple_customers", "several customers are affected", breadth.value)
    if ctx.customers_reporting >= policy.pattern_threshold:
        c.fire("pattern.repeated", f"the same problem from {policy.pattern_threshold} or more customers",
               f"{ctx.customers_reporting} customers have tickets about it")
    elif c.sig.customer_count >= policy.pattern_threshold and kind != "question":
        c.fire("pattern.repeated", f"the same problem from {policy.pattern_threshold} or more customers", f'issue text: "{c.sig.count_evidence}"')
    if recurrence and kind in ("bug", "unknown"):
        c.fire("pattern.recurrence", "a recurrence of something said to be fixed", rec_ev)
    if growing and kind == "bug":
        c.fire("pattern.rising", "reports are rising", breadth.evidence[-1])
    blocked = depth_value == "blocked"
    if churn:
        if key_account or arr >= policy.high_value_arr:
            c.fire("business.high_value_at_risk", "a high-value customer is at risk", f"{churn_ev}; {revenue.value}")
        else:
            c.fire("business.churn_threat", "a customer threatens to leave", churn_ev)
    elif key_account and blocked and kind == "bug":
        c.fire("business.key_customer_blocked", "a key customer is blocked", f"{account.name} ({account.plan}, {revenue.value})")  # type: ignore[union-attr]
    if sla_status == "breached" and (c.facts.sla_status == "breached" or c.sig.has("sla_breach")):
        # the reporter says so: a business criterion a documented answer does not cancel
        c.fire("business.sla_breach_reported", "SLA breached", "; ".join(sla_ev))
    elif sla_status == "breached":
        # read off the workspace's clocks: the reply owed is support's own, so a documented answer still keeps it there
        c.fire("business.sla_breached", "SLA breached", "; ".join(sla_ev))
    elif sla_status == "at_risk":
        c.fire("business.sla_at_risk", "SLA breach imminent", "; ".join(sla_ev))
    if executive:
        c.fire("business.executive_request", "the customer asks for executive involvement", exec_ev)
    if exception:
        c.fire("business.policy_exception", "needs a policy exception (refund, waiver, extension)", exc_ev)
    if legal or public:
        c.fire("business.legal_or_pr", "PR or legal risk", legal_ev or public_ev)
    open_days = (hours_open or 0) / 24
    if c.sig.has("long_wait"):
        c.fire("time.long_wait", "the customer has waited unreasonably long", f'issue text: "{c.sig.found["long_wait"]}"')
    elif waiting and waiting >= policy.long_wait_hours and open_days >= policy.stuck_ticket_days:
        c.fire("time.long_wait", "the customer has waited unreasonably long and normal channels are stuck",
               f"waiting {_hours(waiting)}, open {open_days:.0f} days")
    if c.sig.has("competing"):
        c.fire("impact.competing_needs", "customers need conflicting things: a product decision to prioritise", f'issue text: "{c.sig.found["competing"][:80]}"')
    if tried_already and kind in ("bug", "unknown", "configuration"):
        c.fire("complexity.tried_without_success", "support's troubleshooting did not resolve it", f'issue text: "{c.sig.found["tried"]}"')
    requests = max((t.linked_tickets for t in ctx.tracker_items if t.kind == "feature_request" and t.match >= policy.related_min_score), default=0)
    competitive = c.sig.found.get("competitive", "")
    repeated_ask = re.search(r"\b(?:again|keeps? asking|asked (?:several|many|\d+) times|repeatedly)\b", text, re.IGNORECASE)
    compliance = re.search(r"\b(?:auditors?|audit finding|compliance|regulat\w+|hipaa|soc ?2|pci|gdpr|iso ?27001|assessment)\b", _masked(c), re.IGNORECASE)
    costs = c.sig.arr_mentioned or compliance or re.search(r"\$\s?\d[\d,]*(?:\.\d+)?\s*(?:k|m)?\s*(?:a|per|each|every) (?:month|week|year|day)\b", text, re.IGNORECASE)
    limitation = next((k for k in ctx.kb_articles if k.kind == "limitation" and k.applies and (
        k.match >= exact or (k.match >= policy.related_min_score and kind in ("feature_gap", "unknown", "question")))), None)
    if kind == "feature_gap" and (customers >= 2 or churn or deals or (key_account and blocked) or ctx.customers_reporting >= 2
                                  or competitive or requests >= 2 or repeated_ask or costs):
        c.fire("impact.feature_gap", "a feature gap is hurting customers", "; ".join(filter(None, [
            breadth.value if customers >= 2 else "", churn_ev, f"pending deals {_money(deals)}" if deals else "",
            f'competitive pressure: "{competitive}"' if competitive else "",
            f"{requests} tickets linked to the tracker's request" if requests >= 2 else ""])))
    elif kind == "feature_gap" and not limitation and (c.facts.issue_kind == "feature_gap" or not (
            _WISH.match(c.sig.found.get("feature_gap", "")) and c.sig.has("configuration"))):
        # a need the product does not meet and no documented alternative: product hears of it, at the lowest severity
        c.fire("impact.feature_gap", "the customer needs what the product does not do, with no documented alternative",
               f'issue text: "{c.sig.found.get("feature_gap") or c.sig.found.get("question") or text[:80]}"')

    # --- handle in support -------------------------------------------------------------------------
    if workaround_known and kind in ("question", "configuration"):
        c.fire("handle.documented_workaround", "a known workaround exists", "reporter says a workaround is available")
    elif workaround_known and not kb_workaround:
        pass  # the customer's stopgap keeps them going; the problem behind it still needs its fix or diagnosis (severity medium)
    elif kb_workaround and tried_already:
        c.conflicts.append(f"{kb_workaround.id} documents a workaround, but the text says fixes were already tried: "
                           f'"{c.sig.found["tried"]}" — confirm whether it was this one')
    elif kb_workaround and not c.no("workaround_available"):
        c.fire("handle.documented_workaround", "a documented fix or known workaround exists", f"{kb_workaround.id}: {kb_workaround.title}")
    elif kb_workaround and c.no("workaround_available"):
        c.conflicts.append(f"the reporter says there is no workaround, but {kb_workaround.id} documents one: check whether it applies")
    if kind == "configuration":
        c.fire("handle.configuration", "a configuration or setup problem support can fix", f'issue text: "{c.sig.found.get("configuration", "configuration")}"')
    if kind == "question":
        c.fire("handle.guidance", "the customer needs guidance or training, not a fix", f'issue text: "{c.sig.found.get("question", "a how-to question")}"')
    if limitation:
        c.fire("handle.known_limitation", "a known limitation with a documented alternative", f"{limitation.id}: {limitation.title}")
    solved = [t for t in ctx.related_tickets if t.same_problem and t.status in ("solved", "closed")]
    open_same = [t for t in ctx.related_tickets if t.same_problem and t.status not in ("solved", "closed")]
    if kind in ("question", "configuration", "unknown") and len(solved) >= 2 and len(solved) > len(open_same) and not open_bug:
        c.fire("handle.solved_before", "similar past tickets were solved by support", f"{len(solved)} similar tickets solved, e.g. {solved[0].id}")

    # a custom implementation is beyond a configuration fix, unless an article documents the fix for exactly this
    custom_strong = not (kb_workaround and kb_workaround.match >= exact)
    strong = [r for r in c.fired if r.id in STRONG or (r.id == "complexity.custom_implementation" and custom_strong)]
    infra_key = any(r.id == "technical.infrastructure" for r in c.fired) and (key_account or customers >= 2) and not workaround_known
    if strong or infra_key:
        escalate = True
    elif c.handle:
        escalate = False
    else:
        escalate = any(r.id not in CLOCK_ONLY for r in c.fired)

    # earlier escalations of this account (gather's past_escalations: the workspace and the escalation log) are a
    # repeat signal for whoever receives it; recorded after the decision, so on its own it never escalates
    repeats = [e for e in ctx.past_escalations if ctx.account and e.created_at >= now - timedelta(days=REPEAT_WINDOW_DAYS)]
    if repeats:
        c.fire("pattern.repeat_escalation", f"the account was escalated before (within {REPEAT_WINDOW_DAYS} days)",
               "; ".join(f"{e.id} {e.created_at.date().isoformat()} ({e.status})" for e in repeats[:3]))

    severity, sev_reasons = (None, [])
    if escalate:
        severity, sev_reasons = _severity(c, security, data_loss, prod_down, blocked, high_value, key_account, customers, sla_status, churn, executive, legal, workaround_known or bool(kb_workaround), kind, segment, arr)

    _questions(c, kind, customers, depth_value, hours_open, arr, sla_status, account, escalate)
    decision = _decision_text(escalate, c, severity)
    return Assessment(
        escalate=escalate, decision=decision, severity=severity, severity_reasons=sev_reasons, issue_kind=kind, security=security,
        fired=c.fired, handle_in_support=c.handle, breadth=breadth, depth=depth, duration=duration, revenue=revenue,
        reputation=reputation, contractual=contractual, customers_affected=customers, users_affected=users, arr_at_risk=arr,
        arr=arr_figure, pending_deals=open_deals, pending_deal_value=deals or crm_deals, renewals_in_window=renewals, hours_open=round(hours_open, 1) if hours_open is not None else None, sla_status=sla_status,
        key_account=key_account, churn_threat=churn, missing=c.missing, conflicts=c.conflicts,
        confirmed=True if confirmed else (False if c.no("confirmed") or c.sig.has("beyond_support") else None),
        documented_answer=[k.id for k in (kb_workaround, limitation) if k is not None],
    )


def _hours(h: float | None) -> str:
    if h is None:
        return "unknown"
    if h >= 48:
        return f"{h / 24:.0f} days"
    return f"{h:.0f}h"


def _sla_status(c: _Case, key_account: bool) -> tuple[str, list[str]]:
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
        ev.append(f"{account.name}'s oldest open ticket on this is {_hours(age)} old; resolution target {resolution:g}h")
        if age >= resolution:
            c.fire("time.open_past_sla", "open past its SLA resolution target", ev[-1])
    waiting = c.ctx.timeline.customer_waiting_hours
    if c.sig.wait_hours and (waiting is None or c.sig.wait_hours > waiting):
        waiting = c.sig.wait_hours  # "hasn't heard from us in 5 days": the reporter's own account of the wait
    if first_response and waiting:
        ev.append(f"customer waiting {_hours(waiting)} for a response; response target {first_response:g}h")
        if waiting >= first_response:
            return "breached", ev
        if waiting >= first_response * c.policy.sla_at_risk_share:
            return "at_risk", ev
    return "ok", ev or [f"no open ticket of {account.name} on this is waiting past its response target"]


def _severity(c: _Case, security: bool, data_loss: bool, prod_down: bool, blocked: bool, high_value: list, key_account: bool,
              customers: int, sla: str, churn: bool, executive: bool, legal: bool, workaround: bool, kind: str, segment: str,
              arr: float) -> tuple[Severity, list[str]]:
    crit, high = [], []
    if prod_down:
        crit.append("production down")
    if data_loss:
        destroyed = _DESTROYED.search(_masked(c))
        if (c.sig.concept("duplicated", "wrong_numbers") and not destroyed and not segment
                and customers < c.policy.critical_customers):
            # records written twice or amounts wrong, nothing destroyed, within a few customers: they can be put right;
            # a same-day fix, not an all-hands emergency
            high.append("records or amounts are wrong or duplicated: data integrity")
        else:
            crit.append("data at risk (loss or corruption)")
    exposure = c.sig.concept(*EXPOSURE_CONCEPTS)
    if security and exposure:
        crit.append(f'data, money or access exposed: "{exposure}"')
    elif security and (_EXPOSURE.search(_masked(c)) or c.yes("data_loss")):
        crit.append("possible security breach: data or credentials exposed")
    elif security:
        high.append("security concern to assess today")
    outage = c.sig.has("outage") and not c.sig.has("intermittent")
    # "several high-value customers": a pattern of them blocked, or two or more hit by an outage
    if kind == "bug" and ((len(high_value) >= c.policy.pattern_threshold and blocked) or (len(high_value) >= 2 and outage)):
        crit.append(f"{len(high_value)} high-value customers affected")
    elif segment and blocked and kind == "bug" and (customers >= c.policy.pattern_threshold or not c.ctx.plan_counts.get(segment)):
        crit.append(f"a whole segment ({segment if segment != '*' else 'all customers'}) is blocked")
    elif blocked and kind == "bug" and customers >= c.policy.critical_customers and not workaround:
        crit.append(f"{customers} customers blocked")
    small_one = (c.ctx.account is not None and not key_account and customers <= 1 and not segment
                 and (c.ctx.account.arr or 0) < c.policy.high_value_arr and not c.sig.concept("stuck"))
    if c.sig.has("integrity") and kind == "bug":
        high.append("records or amounts are wrong: data integrity")
    if blocked and kind == "bug" and small_one:
        pass  # one small account blocked on one function, nothing down or lost: significant, not same-day (medium)
    elif blocked and kind == "bug":
        high.append("major functionality broken: the customer is blocked")
    if key_account and blocked:
        high.append("a key customer is blocked")
    elif key_account and kind == "bug" and not workaround and depth_known(c):
        high.append("a key customer is affected by a bug")
    told = c.facts.sla_status in ("at_risk", "breached") or c.sig.has("sla_breach") or c.sig.has("sla_risk")
    # a reply support owes on a request is support's own debt: it does not make the gap urgent
    stuck = any(r.id == "time.long_wait" for r in c.fired) and (kind not in ("feature_gap", "question") or c.sig.has("long_wait"))
    partly = workaround or c.facts.workflow_impact in ("degraded", "inconvenienced") or (
        c.facts.workflow_impact == "unknown" and (c.sig.has("degraded") or c.sig.has("intermittent") or c.sig.has("partial")))
    if sla in ("at_risk", "breached") and (told or stuck or blocked or key_account and kind == "bug" and not partly):
        # read off the clocks alone, on a routine matter, the SLA is a reason to reply now, not to raise severity
        high.append(f"SLA {'breached' if sla == 'breached' else 'at risk'}")
    if churn and (key_account or arr >= c.policy.high_value_arr):
        high.append("a high-value customer threatens to churn")
    if executive:
        high.append("executive involvement requested")
    if legal:
        high.append("legal or PR exposure")
    elif c.yes("public_exposure") or (c.sig.has("public") and not c.no("public_exposure")):
        high.append("already public, or about to be (a post, a review, the press)")
    if customers >= c.policy.pattern_threshold and kind == "bug" and not workaround:
        high.append(f"{customers} customers affected")
    if any(r.id == "pattern.recurrence" for r in c.fired) and blocked:
        high.append("a recurrence of a fixed problem")
    if crit:
        return Severity.critical, crit
    if workaround and high and not any(h.startswith(("SLA", "a high-value", "executive", "legal", "security", "a key customer is blocked")) for h in high):
        return Severity.medium, ["a workaround exists: " + "; ".join(high)]
    if high:
        return Severity.high, high
    reasons = ["significant but not urgent"]
    if workaround:
        reasons = ["a workaround exists"]
    elif kind == "feature_gap":
        reasons = ["a feature gap: important, not an outage"]
    elif c.sig.has("intermittent") or c.sig.has("degraded"):
        reasons = ["degraded, not blocked"]
    return Severity.medium, reasons


def _masked(c: _Case) -> str:
    """The text without look-alike phrases ("SLA breach credits"), for the exposure wording."""
    text = c.text
    for phrase in c.sig.lookalikes:
        text = text.replace(phrase, "")
    return text


def depth_known(c: _Case) -> bool:
    return c.facts.workflow_impact in ("blocked", "degraded") or (
        c.facts.workflow_impact == "unknown" and any(c.sig.has(n) for n in ("bug", "outage", "degraded", "intermittent")))


def _questions(c: _Case, kind: str, customers: int, depth: str, hours_open: float | None, arr: float, sla: str, account, escalate: bool) -> None:
    ask = c.missing.append
    broad = bool(c.facts.segment or c.sig.segment) or c.ctx.customers_reporting >= 2
    if not account and not c.ctx.account_candidates and not broad:
        ask(Question(fact="account", ask="Which customer account is this (name or domain)?"))
    elif c.ctx.account_candidates and not account:
        names = ", ".join(a.name for a in c.ctx.account_candidates[:5])
        ask(Question(fact="account", ask=f"Which of these accounts is it: {names}?"))
    if not c.facts.customers_affected and customers <= 1:
        ask(Question(fact="customers_affected", ask="How many customers (or which segment) are affected, and is it growing?"))
    if depth == "unknown":
        ask(Question(fact="workflow_impact", ask="Are they blocked, degraded, or inconvenienced? What can't they do?"))
    if c.facts.workaround_available == "unknown" and kind in ("bug", "unknown"):
        ask(Question(fact="workaround_available", ask="Is there a workaround that unblocks them?"))
    if hours_open is None:
        ask(Question(fact="started_at", ask="When did it start, and how long has the customer been waiting?"))
    if not arr:
        ask(Question(fact="arr_at_risk", ask="What ARR is at risk, and are renewals or pending deals affected?"))
    if sla == "unknown" and escalate:
        ask(Question(fact="sla_status", ask="Is an SLA at risk or already breached?"))
    if kind == "bug" and c.facts.confirmed == "unknown" and escalate:
        ask(Question(fact="confirmed", ask="Has the bug been reproduced? What are the exact steps, error text and environment?"))
    if kind == "unknown":
        ask(Question(fact="issue_kind", ask="Is this a bug, a missing feature, a configuration problem or a how-to question?"))


def _decision_text(escalate: bool, c: _Case, severity: Severity | None) -> str:
    if escalate:
        top = ", ".join(r.id for r in c.fired[:4])
        return f"Escalate ({severity.value if severity else 'severity unknown'}): {top}."
    if c.handle:
        fired = f"; escalation criteria also seen: {', '.join(r.id for r in c.fired)}" if c.fired else ""
        return f"Handle in support: {', '.join(r.id for r in c.handle)}{fired}."
    return "Handle in support for now: no escalation criterion fired. Answer the open questions; a new fact can change this."
