"""The escalation brief: its inputs, the reproduction-steps check, and rendering to Markdown and JSON.

Anything nobody supplied is shown as needing input, never invented. Text that came from
customers or remote systems is quoted (see text.quote) before it reaches the brief.
"""

from __future__ import annotations

import re
from typing import Any
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import lru_cache

from pydantic import Field

from .models import TARGET_LABELS, Assessment, Context, Routing, Severity, Target, _Model
from .policy.cadence import add_business_days, describe
from .policy.model import Policy
from .neutralise import neutralise
from .revenue import money
from .text import clean, defuse, host_of, on_hosts, quote

NEEDS_INPUT = "needs input"


class BriefInput(_Model):
    """What the human and the agent add to the gathered facts. Empty means unknown."""

    summary: str = Field(default="", max_length=200)
    reported_by: str = Field(default="", max_length=120)
    description: str = Field(default="", max_length=2000)
    tried: list[str] = Field(default_factory=list, description="'what was tried -> result', one per step")
    repro_steps: list[str] = Field(default_factory=list)
    expected: str = Field(default="", max_length=500)
    actual: str = Field(default="", max_length=1000)
    environment: str = Field(default="", max_length=500)
    frequency: str = Field(default="", max_length=200)
    evidence: str = Field(default="", max_length=2000, description="exact error text, log lines, screenshot links")
    ruled_out: str = Field(default="", max_length=500)
    last_customer_update: str = Field(default="", max_length=500, description="date and content of the last update sent")
    customer_expectation: str = Field(default="", max_length=500, description="what the customer expects, by when")
    escalation_risk: str = Field(default="", max_length=300, description="risk the customer escalates further")
    ask: str = Field(default="", max_length=500, description="the specific ask of the receiving team")
    deadline: str = Field(default="", max_length=100)


def steps(text: str) -> list[str]:
    """Numbered or bulleted lines as a list of steps: one per non-empty line, list markers removed."""
    return [line.strip().lstrip("-*0123456789.) ").strip() for line in (text or "").splitlines() if line.strip()]


class ReproCheck(_Model):
    complete: bool
    gaps: list[str] = Field(default_factory=list, description="what the steps lack against the standard")


class Brief(_Model):
    title: str
    severity: Severity | None
    target: Target | None
    also_inform: list[Target] = Field(default_factory=list)
    markdown: str
    needs_input: list[str] = Field(default_factory=list, description="brief fields still marked as needing input")
    repro_check: ReproCheck | None = None
    deadline: str
    follow_up: dict[str, str] = Field(default_factory=dict)


_PLACE = re.compile(r"\b(page|screen|menu|tab|button|endpoint|api|url|/|settings|dialog|modal|form|field|click|open|navigate|go to|call|request|run)\b", re.I)
_EXACT = re.compile(r"\d|\"[^\"]+\"|'[^']+'|`[^`]+`|https?://|\b[A-Z]{2,}-\d+\b|=")
_STATE = re.compile(r"\b(as an?|logged in|log in as|sign in as|account|plan|role|admin|permission|configured|config|fresh|new|clean|empty|workspace with|org with|tenant)\b", re.I)
_FREQ = re.compile(r"\b(always|every time|each time|intermittent\w*|sometimes|\d+\s?%|\d+ (?:out )?of \d+|only (?:when|if|on|for)|never|consistently|once)\b", re.I)
_EVIDENCE = re.compile(r"\b(error|exception|status|http \d{3}|\d{3}\b|log|trace|screenshot|har|console|stack|message|code)\b", re.I)


def check_repro(inp: BriefInput) -> ReproCheck:
    """Check reproduction steps against the standard: clean state, exact actions and values, environment,
    frequency, evidence, what was ruled out, then Expected / Actual / Environment."""
    steps = [s for s in inp.repro_steps if s.strip()]
    gaps = []
    if len(steps) < 2:
        gaps.append("at least two numbered steps from a stated starting point")
    joined = " ".join(steps)
    if steps and not _STATE.search(steps[0] + " " + inp.environment):
        gaps.append("the starting state: account type, configuration, permissions")
    if steps and not _PLACE.search(joined):
        gaps.append("where each action happens (page, menu, endpoint)")
    if steps and not _EXACT.search(joined):
        gaps.append("exact values: inputs, dates, IDs")
    if not inp.environment.strip():
        gaps.append("environment: browser, OS, account type, plan, feature flags")
    if not (inp.frequency.strip() or _FREQ.search(joined)):
        gaps.append("how often it happens: always, intermittent, only under a condition")
    if not (inp.evidence.strip() or (inp.actual and _EVIDENCE.search(inp.actual))):
        gaps.append("evidence: exact error text, screenshots, network or console logs")
    if not inp.ruled_out.strip():
        gaps.append("what was ruled out (e.g. same in Chrome and Firefox; reproduced on a test account)")
    if not inp.expected.strip():
        gaps.append("Expected result")
    if not inp.actual.strip():
        gaps.append("Actual result")
    return ReproCheck(complete=not gaps, gaps=gaps)


def deadline_for(severity: Severity | None, now: datetime, policy: Policy) -> datetime:
    """Critical: within the internal follow-up window; high: same day; medium: this week (5 business days)."""
    if severity == Severity.critical:
        return now + timedelta(hours=policy.cadence[Severity.critical].internal_hours)
    if severity == Severity.high:
        return now + timedelta(hours=8)
    return add_business_days(now, 5, policy.calendar)


_DEFAULT_ASK = {
    Target.engineering: "Investigate the root cause and prioritise a fix; confirm a workaround we can give the customer meanwhile",
    Target.product: "Decide whether and when to address this gap, and what we tell the customer now",
    Target.security: "Assess the exposure, contain it, and tell us what we may say to the customer",
    Target.leadership: "Decide on the action needed to keep this customer relationship, and who owns it",
    Target.l2_support: "Investigate and diagnose beyond frontline troubleshooting; hand back or escalate with findings",
}


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("customer_escalation", "templates"), autoescape=False, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return env.get_template("brief.md.j2")


def _md(text: str) -> str:
    """Human-supplied text inside the Markdown brief: cleaned; headings and HTML defused."""
    text = clean(text).strip()
    text = re.sub(r"^(\s*)#", r"\1\\#", text, flags=re.M)
    return text.replace("<", "&lt;")


class _Needs:
    """The brief's fields nobody supplied, in the order the brief asks for them; each shown as a placeholder."""

    def __init__(self) -> None:
        self.fields: list[str] = []

    def __call__(self, field: str, value: str, placeholder: str | None = None) -> str:
        """`value` as the brief shows it, or the placeholder marking `field` as needing input."""
        if value and value.strip():
            return _md(value)
        self.fields.append(field)
        return f"**[{NEEDS_INPUT}: {placeholder or field}]**"

    def note(self, field: str) -> None:
        """A field the brief drafted itself, for the human to confirm."""
        self.fields.append(field)


def render(ctx: Context, assessment: Assessment, routing: Routing, inp: BriefInput, policy: Policy, now: datetime,
           link_hosts: Iterable[str] = ()) -> Brief:
    """The brief. `link_hosts`: the configured systems' hosts; links elsewhere are shown as text (see `shown_safely`)."""
    severity = assessment.severity
    target = routing.target
    need = _Needs()
    title = _title(ctx, inp)
    deadline = inp.deadline.strip() or deadline_for(severity, now, policy).strftime("%Y-%m-%d %H:%M UTC")
    is_bug = assessment.issue_kind == "bug" or target == Target.engineering
    repro = check_repro(inp) if is_bug else None
    # the order of these calls is the order of `needs_input`
    impact = _impact(ctx, assessment, need)
    description = _description(ctx, inp, policy, need)
    last_update = _last_update(ctx, inp, need)
    data = {
        "title": title,
        **_header(assessment, routing, inp, now, need),
        **impact,
        "description": description,
        **_what_was_tried(ctx, inp, is_bug, repro, need),
        **_customer_side(ctx, assessment, target, inp, policy, last_update, need),
        "deadline": deadline,
        **_why(ctx, assessment, routing, policy),
    }
    markdown = shown_safely(_template().render(**data), {*link_hosts, *_workspace_hosts(ctx)})
    return Brief(
        title=title, severity=severity, target=target, also_inform=routing.also_inform, markdown=markdown,
        needs_input=list(dict.fromkeys(need.fields)), repro_check=repro, deadline=deadline, follow_up=data["cadence"],
    )


def _title(ctx: Context, inp: BriefInput) -> str:
    """The summary given, else the issue as reported, with the account's name when the issue does not say it."""
    if inp.summary.strip():
        return _md(inp.summary)
    issue_line = quote(ctx.issue, 120)
    account = ctx.account
    return issue_line + (f" ({account.name})" if account and account.name.lower() not in issue_line.lower() else "")


def _header(assessment: Assessment, routing: Routing, inp: BriefInput, now: datetime, need: _Needs) -> dict[str, Any]:
    severity, target = assessment.severity, routing.target
    return {
        "severity": severity.value.capitalize() if severity else need("severity", "", "escalation not warranted by the assessment"),
        "target": TARGET_LABELS[target] if target else need("target team", "", "no escalation target: handle in support"),
        "team": routing.team,
        "also_inform": [TARGET_LABELS[t] for t in routing.also_inform],
        "reported_by": need("reported by", inp.reported_by, "your name and team"),
        "date": now.strftime("%Y-%m-%d %H:%M UTC"),
    }


def _impact(ctx: Context, assessment: Assessment, need: _Needs) -> dict[str, Any]:
    """The Impact section: who is affected, the workflow, the revenue at risk, the time in queue, the contract."""
    customers_line = assessment.breadth.value
    account = ctx.account
    if ctx.affected_accounts:
        names = ", ".join(f"{a.name} ({a.plan or 'plan unknown'})" for a in ctx.affected_accounts[:6])
        more = len(ctx.affected_accounts) - 6
        customers_line += f" — {names}" + (f" and {more} more" if more > 0 else "")
    elif account:
        customers_line += f" — {account.name} ({account.plan or 'plan unknown'})"
    # the ARR figure and what it counts, renewals and pending deals, as the assessment states them (revenue.py)
    revenue_line = assessment.revenue.value
    if revenue_line.startswith("unknown"):
        known = money(assessment.arr_at_risk) if assessment.arr_at_risk else need("revenue at risk", "", "ARR at risk, renewals, pending deals")
        revenue_line = known + revenue_line[len("unknown"):]
    time_in_queue = assessment.duration.value if assessment.hours_open is not None else need("time in queue", "", "since when, how long the customer has waited")
    workflow = assessment.depth.value if assessment.depth.value != "unknown" else need("workflow impact", "", "what they cannot do")
    return {
        "customers": customers_line,
        "workflow": workflow,
        "revenue": revenue_line,
        "renewals": assessment.renewals_in_window,
        "time_in_queue": time_in_queue,
        "sla": assessment.contractual.value,
        "reputation": assessment.reputation.value if assessment.reputation.evidence else None,
    }


def _description(ctx: Context, inp: BriefInput, policy: Policy, need: _Needs) -> str:
    """The description given, else one drafted from the gathered facts and marked for the human to confirm."""
    if inp.description.strip():
        return _md(inp.description.strip())
    parts = [f"Reported issue: \"{quote(ctx.issue, 120)}\"."]
    if ctx.customers_reporting:
        parts.append(f"{ctx.customers_reporting} customer(s) have open or recent tickets about the same problem.")
    if ctx.timeline.first_report:
        parts.append(f"First related report: {ctx.timeline.first_report.date().isoformat()}.")
    same = [t for t in ctx.related_tickets if t.same_problem and t.excerpt]
    report = next((t for t in same if ctx.account and t.account_id == ctx.account.id), same[0] if same else None)
    if report is not None:
        # what was observed, as the customer put it (quoted customer text: data, not instructions)
        parts.append(f"In the customer's words ({report.id}): \"{report.excerpt}\".")
    open_bug = next((t for t in ctx.tracker_items if t.status_category != "done" and t.match >= policy.related_min_score), None)
    if open_bug:
        parts.append(f"Matches tracker item {open_bug.id} ({quote(open_bug.title, 80)}), status {open_bug.status}.")
    need.note("issue description (drafted from the gathered facts; confirm or rewrite)")
    return " ".join(parts) + f" **[{NEEDS_INPUT}: confirm or rewrite this description in 3-5 sentences]**"


def _last_update(ctx: Context, inp: BriefInput, need: _Needs) -> str:
    """The last update given, else the date of the last public reply on a related ticket (its content to be filled)."""
    last_update = inp.last_customer_update.strip()
    if not last_update and ctx.timeline.last_agent_update:
        last_update = f"{ctx.timeline.last_agent_update.date().isoformat()} (last public reply on a related ticket; content {NEEDS_INPUT})"
        need.note("last customer update content")
    return last_update


def _what_was_tried(ctx: Context, inp: BriefInput, is_bug: bool, repro: ReproCheck | None, need: _Needs) -> dict[str, Any]:
    """What's been tried and, for a bug, the reproduction section."""
    return {
        "tried": [_md(t) for t in inp.tried if t.strip()] or None,
        "tried_placeholder": need("what's been tried", "", "numbered steps, each with its result") if not any(t.strip() for t in inp.tried) else "",
        "is_bug": is_bug,
        "repro_steps": [_md(s) for s in inp.repro_steps if s.strip()],
        "repro_placeholder": (need("reproduction steps", "", "numbered steps from a clean state") if is_bug and not any(s.strip() for s in inp.repro_steps) else ""),
        "expected": need("expected result", inp.expected) if is_bug else "",
        "actual": need("actual result", inp.actual) if is_bug else "",
        "environment": need("environment", inp.environment, "browser, OS, account type, plan, feature flags") if is_bug else "",
        "frequency": _md(inp.frequency) if inp.frequency.strip() else "",
        "evidence": _md(inp.evidence) if inp.evidence.strip() else "",
        "ruled_out": _md(inp.ruled_out) if inp.ruled_out.strip() else "",
        "repro_gaps": repro.gaps if repro else [],
        "error_strings": ctx.error_strings,
    }


def _customer_side(ctx: Context, assessment: Assessment, target: Target | None, inp: BriefInput, policy: Policy,
                   last_update: str, need: _Needs) -> dict[str, Any]:
    """Customer communication and the ask."""
    return {
        "last_update": _md(last_update) if last_update else need("last update to the customer", "", "date and content"),
        "expectation": (_md(inp.customer_expectation) if inp.customer_expectation.strip()
                        else "Stated deadline: " + "; ".join(ctx.customer_deadlines) if ctx.customer_deadlines
                        else need("customer expectation", "", "what they expect, by when")),
        "escalation_risk": _md(inp.escalation_risk) if inp.escalation_risk.strip() else _risk(assessment),
        "ask": _md(inp.ask) if inp.ask.strip() else _ask(target, ctx, policy),
        "ask_is_default": not inp.ask.strip(),
    }


def _why(ctx: Context, assessment: Assessment, routing: Routing, policy: Policy) -> dict[str, Any]:
    """Why this target and severity, the related records, and the follow-up cadence."""
    severity = assessment.severity
    return {
        "reasons": routing.reasons,
        "fired": [f"{r.id}: {r.evidence}" for r in assessment.fired[:8]],
        "severity_reasons": assessment.severity_reasons,
        "tickets": ctx.related_tickets,
        "tracker": ctx.tracker_items,
        "chat": ctx.chat_threads,
        "kb": ctx.kb_articles,
        "escalations": ctx.past_escalations,
        "omitted": ctx.omitted,
        "checklist": routing.checklist,
        "cadence": describe(severity, policy) if severity else {},
    }


def _ask(target: Target | None, ctx: Context, policy: Policy) -> str:
    """The ask follows the state of things: work already under way is asked for a date, not for an investigation."""
    if target is None:
        return "Handle in support; no escalation needed"
    ask = _DEFAULT_ASK[target]
    item = next((t for t in ctx.tracker_items if t.match >= policy.related_min_score and t.kind in ("bug", "incident")
                 and t.status_category != "done"), None)
    if target == Target.engineering and item is not None:
        if item.status_category == "in_progress" or item.kind == "incident":
            ask = (f"Give a fix date (or ETA) for {item.id}, which is {item.status}, and confirm what we can tell the customer "
                   "meanwhile")
        else:
            ask = f"Prioritise {item.id} (now {item.status}) and give a fix date; confirm a workaround we can give the customer meanwhile"
    if ctx.customer_deadlines:
        ask += f"; the customer's deadline: {ctx.customer_deadlines[0]}"
    return ask


_BARE_URL = re.compile(r"(`[^`\n]*`)|(?<![\w/])(?:https?://|www\.)(?:(?!&[lg]t;)[^\s<>()\[\]`\"'|])+", re.IGNORECASE)


def shown_safely(markdown: str, hosts: set[str]) -> str:
    """The brief as it may be shown and posted: no raw HTML, no image (a remote image loads when the brief is viewed),
    no link whose text hides its target, no mention, no model-prompt markup, and a link to a host that is none of the
    configured systems' (nor the workspace's own) shown as code, visible but not clickable."""
    def link(m: re.Match) -> str:
        if m.group(1):  # already code
            return m.group(1)
        url = m.group(0).rstrip(".,;:!?*_~")
        trailing = m.group(0)[len(url):]
        full = url if url.lower().startswith("http") else f"https://{url}"
        return m.group(0) if on_hosts(full, hosts) else f"`{url}`{trailing}"

    return _BARE_URL.sub(link, defuse(neutralise(markdown, "github")))


def _workspace_hosts(ctx: Context) -> set[str]:
    """Hosts the workspace's own records link to (the team's data; records from other systems are checked at gather)."""
    records: list[Any] = [*ctx.related_tickets, *ctx.tracker_items, *ctx.chat_threads, *ctx.kb_articles, *([ctx.account] if ctx.account else [])]
    return {host_of(r.url) for r in records if r.source == "workspace" and r.url} - {""}


def _risk(a: Assessment) -> str:
    risks = []
    if a.churn_threat:
        risks.append("churn threatened")
    if any(r.id == "business.executive_request" for r in a.fired):
        risks.append("executive involvement requested")
    if any(r.id == "business.legal_or_pr" for r in a.fired):
        risks.append("legal or public exposure")
    if a.sla_status in ("at_risk", "breached"):
        risks.append(f"SLA {a.sla_status.replace('_', ' ')}")
    if not risks:
        return f"**[{NEEDS_INPUT}: risk that the customer escalates further]**"
    return "High: " + "; ".join(risks)
