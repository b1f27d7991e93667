"""Every text the escalation log writes (pure): the tracker issue, the team-channel message and notices, the
customer-facing update with nothing internal in it, and the closing checklist with its drafts."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from ..models import TARGET_LABELS, Severity
from ..neutralise import neutralise, slack_escape
from ..policy import Policy
from ..revenue import deals_line, money, pending_value
from ..text import quote
from .rules import clocks, revenue
from .types import REASONS, ChecklistStep, CustomerRef, Escalation, Link

def _customers_line(e: Escalation) -> str:
    names = ", ".join(c.name + (f" ({c.plan})" if c.plan else "") for c in e.customers[:8])
    more = len(e.customers) - 8
    return (names + (f" and {more} more" if more > 0 else "")) or "not recorded"


def tracker_issue(e: Escalation, system: str) -> tuple[str, str]:
    """(title, Markdown body) of the tracker issue: the brief, neutralised, with links back to the customer tickets."""
    title = neutralise(f"[{e.severity.value.capitalize()}] {e.title}", _flavour(system)).replace("\n", " ")[:250]
    body = neutralise(e.brief_markdown, _flavour(system))
    tickets = e.tickets()
    if tickets:
        body += "\n\n## Customer tickets\n" + "\n".join(f"- {t.system} {t.id}" + (f": {t.url}" if t.url else "") for t in tickets)
    body += f"\n\n_Escalation {e.id}, filed by customer-escalation._\n"
    return title, body


def _flavour(system: str) -> Any:
    return system if system in ("slack", "github", "jira", "linear") else "github"


_SAFE_URL = re.compile(r"https?://[^\s<>|&]+")


def _slack_link(link: Link | None) -> str:
    """A Slack link to a record, labelled with its id; a URL that could break out of the link syntax is not linked."""
    if link is None:
        return ""
    if link.url and _SAFE_URL.fullmatch(link.url):
        return f"<{link.url}|{slack_escape(link.id)}>"
    return slack_escape(link.id)


def chat_message(e: Escalation, tracker: Link | None, policy: Policy) -> tuple[str, list[dict[str, Any]]]:
    """(mrkdwn text, blocks) for the team channel. Security gets a minimal notice: a link, not the details."""
    link = _slack_link(tracker)
    if e.security:
        text = (f":lock: Security escalation {e.id} ({e.severity.value}) needs the security team. "
                + (f"Details: {link}" if link else "Details: ask the reporter; they are in the escalation log, not here."))
        return text, [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    arr, renewals = revenue(e, e.updated_at, policy)
    title = neutralise(e.title, "slack").replace("\n", " ")
    lines = [
        f"*Severity:* {e.severity.value.capitalize()}    *Target:* {slack_escape(e.team)}",
        f"*Customers:* {neutralise(_customers_line(e), 'slack')}",
    ]
    if arr.amount:
        lines.append(f"*ARR at risk:* {money(arr.amount)} ({neutralise(arr.basis, 'slack')})")
    if renewals:
        lines.append("*Renewals soon:* " + neutralise("; ".join(renewals), "slack"))
    if e.open_deals and e.customers:
        lines.append("*Pending deals:* " + neutralise(deals_line(e.open_deals, e.customers[0].name, pending_value(e.open_deals)), "slack"))
    if e.ask:
        lines.append(f"*Ask:* {neutralise(e.ask, 'slack')}")
    if e.deadline:
        lines.append(f"*Deadline:* {slack_escape(e.deadline)}")
    if link:
        lines.append(f"*Tracker:* {link}")
    tickets = [_slack_link(t) for t in e.tickets()[:10]]
    if tickets:
        lines.append("*Customer tickets:* " + ", ".join(tickets))
    text = f":rotating_light: *ESCALATION {e.id}: {title}*\n" + "\n".join(lines)
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"ESCALATION {e.id}: {neutralise(quote(e.title, 120), 'linear')}"[:150]}},
        {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines)}},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": f"Filed by customer-escalation · {e.id}"}]},
    ]
    return text, blocks


def team_notice(e: Escalation, what: str, detail: str = "") -> str:
    """A short mrkdwn notice to the receiving team's channel; security notices carry no details."""
    link = " " + _slack_link(e.tracker_link()) if e.tracker_link() else ""
    if e.security:
        return f":lock: Security escalation {e.id}: {slack_escape(what)}.{(' Details:' + link) if link else ''}"
    return (f"*{e.id}* ({neutralise(quote(e.title, 100), 'slack')}): {slack_escape(what)}."
            + (f" {neutralise(detail, 'slack')}" if detail else "") + (f" Tracker:{link}" if link else ""))


_URL = re.compile(r"\b(?:https?|ftp)://\S+|\bwww\.\S+", re.IGNORECASE)
_CHANNEL = re.compile(r"(?<![\w&])#[\w-]+")
_KEY = re.compile(r"\b[A-Z][A-Z0-9]+-\d+\b")
_MONEY = re.compile(r"(?:US)?\$\s?\d[\d,.]*\s?[kKmM]?\b|\b\d[\d,.]*\s?(?:USD|usd)\b|\bARR\b|\bannual recurring revenue\b", re.IGNORECASE)


def customer_safe(text: str, e: Escalation, policy: Policy) -> str:
    """Text for a customer: no URLs, internal channels, tracker keys, money, or internal team names."""
    text = quote(text, 1200)
    text = _URL.sub("", text)
    text = _CHANNEL.sub("", text)
    own = {t.id for t in e.tickets()}
    text = _KEY.sub(lambda m: m.group(0) if m.group(0) in own else "", text)
    text = _MONEY.sub("", text)
    for name in sorted({t.name for t in policy.teams.values()} | {e.team} | set(TARGET_LABELS.values()), key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b( team)?", "our specialists", text, flags=re.IGNORECASE)
    text = re.sub(r"\(\s*\)|\[\s*\]", "", text)
    return re.sub(r"\s{2,}", " ", text).strip(" ,;:")


# how widely it hits is for the teams, not for one customer: "- 3 customers reported this week", "affecting all Enterprise customers"
_BREADTH = re.compile(r"\s*(?:[-–—,;:(]\s*)?\b(?:affecting|impacting|across|for|hitting|\d+|several|many|multiple|all)\b[^.]*\bcustomers?\b.*$",
                      re.IGNORECASE)

# a churn threat is how the teams weigh it, not something to repeat to the customer
_CHURN = re.compile(r"^.*?\b(?:threaten\w*|at risk of|risk of|considering|about)\s+(?:to\s+)?(?:churn\w*|leav\w+|cancel\w*)\s+"
                    r"(?:over|because of|due to|about|on)\s+|\bchurn\w*(?:\s+(?:risk|threat))?\s*[:\-–—]?\s*", re.IGNORECASE)


def _customer_title(e: Escalation, policy: Policy) -> str:
    """The escalation's title as one customer may read it: no other customer's name, no word on how many are affected."""
    title = customer_safe(e.title, e, policy)
    for c in e.customers:
        title = re.sub(rf"\s*(?:\(\s*{re.escape(c.name)}\s*\)|\b(?:for|at|from|of)\s+{re.escape(c.name)}\b|\b{re.escape(c.name)}\b)",
                       "", title, flags=re.IGNORECASE)
    title = _CHURN.sub("", _BREADTH.sub("", title)).strip(" -–—,;:")
    return title or "the issue you reported"


def _when(at: datetime) -> str:
    return at.strftime("%A %d %B, %H:%M UTC").replace(" 0", " ")


def customer_update(e: Escalation, now: datetime, policy: Policy, progress: str = "", customer: CustomerRef | None = None) -> tuple[str, str]:
    """(subject, body) of a customer-facing update in plain language, with nothing internal in it: no revenue, no
    internal team, channel or tracker names or links, no other customer. `customer`: who it goes to (default: the first)."""
    customer = customer or e.customer()
    title = _customer_title(e, policy)
    tickets = [t.id for t in e.tickets(customer.id)] if customer else []
    ref = f" (your ticket{'s' if len(tickets) > 1 else ''} {', '.join(tickets[:3])})" if tickets else ""
    if e.status == "resolved":
        state = "This is now resolved." + (f" {customer_safe(e.outcome, e, policy)}." if e.outcome else "")
        closing = "Please let us know if you see it again; we will pick it straight back up."
    elif e.status == "de_escalated" and e.reason == "workaround":
        state = "We have a way to get you going again while the underlying cause is fixed" + (
            f": {customer_safe(e.workaround, e, policy)}." if e.workaround else ".")
        closing = "Please tell us if it does not work for you; we keep following the permanent fix."
    elif e.status == "de_escalated":
        # the de-escalation note is written for the team, not the customer: only fixed wording goes out
        state = {
            "support_resolvable": "We have identified the cause, and we can resolve it directly with you.",
            "went_away": "The problem has stopped occurring, and we have documented its cause so that it does not come back.",
            "lower_severity": "We are continuing to work on it and will keep you informed.",
        }[e.reason or "lower_severity"]
        closing = "Please let us know if anything still does not work as expected."
    else:
        state = {
            Severity.critical: "This has our highest priority: our specialists are working on it continuously.",
            Severity.high: "Our specialists are actively investigating it today.",
            Severity.medium: "Our specialists are investigating it, and we are following it closely.",
        }[e.severity]
        due = clocks(e, policy)
        next_at = max(due[1], now) if due else now
        closing = f"We will send you the next update by {_when(next_at)}, or sooner if anything changes."
    body = [f"Hello,\n\nHere is an update on the issue you reported{ref}: {title}.", state]
    progress = customer_safe(progress, e, policy)
    if progress:
        body.append(f"What has changed: {progress}" + ("" if progress.endswith((".", "!", "?")) else "."))
    body += [closing, "Thank you for your patience.\n"]
    return f"Update on {title}", "\n\n".join(body)


def closing_checklist(e: Escalation, policy: Policy, now: datetime, *, notified: bool) -> list[ChecklistStep]:
    """The four steps after a de-escalation or a resolution, each with its draft."""
    tracker = e.tracker_link()
    team = policy.teams[e.target]
    what = "resolved" if e.status == "resolved" else f"de-escalated: {REASONS[e.reason or 'lower_severity']}"
    ticket_note = (f"{'Resolved' if e.status == 'resolved' else 'De-escalated'} ({now.date().isoformat()}): "
                   + (e.outcome or REASONS.get(e.reason or "", "")) + (f" Workaround: {e.workaround}" if e.workaround else ""))
    _subject, customer_text = customer_update(e, now, policy)
    learning = e.learning or e.outcome
    return [
        ChecklistStep(step="Tell the team that received it", done=notified, draft=team_notice(e, what, e.outcome),
                      where=team.chat_channel or e.team),
        ChecklistStep(step="Update the ticket with the resolution", done=False, draft=ticket_note,
                      where=", ".join([*(t.id for t in e.tickets()), *([tracker.id] if tracker else [])]) or "the customer's ticket"),
        ChecklistStep(step="Tell the customer", done=False, draft=customer_text, where="the customer's ticket"),
        ChecklistStep(step="Record what was learned", done=bool(e.learning), draft=learning or "What caused it, what fixed it, and what would have caught it sooner.",
                      where=f"escalation {e.id}" if e.learning else "pass learning= to record it"),
    ]

