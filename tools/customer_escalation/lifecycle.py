"""After the brief: the escalation log, filing, follow-up clocks, de-escalation, closing and duplicates.

Three layers, one vocabulary (`Escalation`, `Event`, `Delivery`):

- pure policy (no I/O, `now` passed in): follow-up clocks and what is due, breadth and revenue of the
  customers attached, problem similarity, and every text this module writes (tracker issue, chat
  message, team notices, the customer-facing update, the de-escalation checklist);
- `EscalationLog`: the escalation log in the state database (its own tables): the escalation, the
  accounts it affects, its full history of updates (who, when, what) and its deliveries;
- `Lifecycle`: the operations the MCP tools and CLI commands call. Local changes (updates, severity,
  de-escalation, attaching a customer) are written to the log only; anything that reaches a
  connector's write method (filing, posting notices) needs `Settings.enable_writes`.

Idempotency of remote writes: every delivery has a marker, stored with the escalation before the
remote call. A delivery still pending (a timeout, a crash, a dropped response) is first looked up in
the target system by its marker, and created only when nothing carries it.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sqlite3
import weakref
from collections.abc import Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import date, datetime, timedelta
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError

from .models import (
    TARGET_LABELS, AccountSummary, ArrAtRisk, Assessment, Context, Deal, EscalationRef, Facts, Routing, Severity, Target,
    Timestamp, _Model,
)
from .neutralise import neutralise, slack_escape
from .policy import Policy, assess
from .policy.cadence import customer_due, internal_due
from .revenue import arr_at_risk, arr_line, deals_line, money, pending_value, renewals_in_window
from .store import Store, loads, printable
from .text import keywords, quote

Status = Literal["open", "de_escalated", "resolved"]
UpdateKind = Literal["internal", "customer", "note", "reopened"]
DeEscalationReason = Literal["support_resolvable", "workaround", "went_away", "lower_severity"]
Destinations = Literal["all", "tracker", "chat", "log"]

REASONS: dict[str, str] = {
    "support_resolvable": "the root cause turned out to be resolvable in support",
    "workaround": "a workaround unblocks the customer",
    "went_away": "the issue went away by itself (root cause documented)",
    "lower_severity": "new information lowers the severity",
}
_M = TypeVar("_M", bound=BaseModel)
log = logging.getLogger("customer_escalation.lifecycle")

MARKER_PREFIX = "cesc"
SIMILAR = 0.6  # similarity from which two reports are treated as the same problem
MAX_LIST = 200


class LifecycleError(ValueError):
    """A refusal or failure with a message the caller can act on (trusted text only)."""


class ConcurrentChange(LifecycleError):
    """Someone else saved the escalation between this caller's read and its save."""


class WritesDisabled(LifecycleError):
    def __init__(self, what: str = "this"):
        super().__init__(
            f"{what} writes to an external system, and writes are disabled. Enable them with the setting "
            "CUSTOMER_ESCALATION_ENABLE_WRITES=1 (or `customer-escalation serve --enable-writes`), then call again."
        )


# --- vocabulary --------------------------------------------------------------------------------------


class CustomerRef(_Model):
    id: str
    name: str
    plan: str | None = None
    arr: float | None = None
    renewal_date: date | None = None


class Link(_Model):
    kind: Literal["tracker", "chat", "ticket"]
    system: str
    id: str
    url: str | None = None
    destination: str = Field(default="", description="project or channel")
    account_id: str | None = Field(default=None, description="for a customer ticket: whose it is")


class Event(_Model):
    at: Timestamp
    by: str
    kind: str = Field(description="filed, delivered, delivery_failed, internal_update, customer_update, note, severity_changed, "
                                  "de_escalated, resolved, reopened, customer_attached")
    summary: str
    data: dict[str, Any] = Field(default_factory=dict)


class Escalation(_Model):
    id: str
    uid: str = Field(description="random part of every delivery marker: unique across installations")
    draft_id: str
    created_at: Timestamp
    updated_at: Timestamp
    status: Status = "open"
    severity: Severity
    target: Target
    team: str
    security: bool = False
    title: str
    issue: str
    description: str = ""
    ask: str = ""
    deadline: str = ""
    brief_markdown: str
    customers: list[CustomerRef] = Field(default_factory=list)
    arr: ArrAtRisk | None = Field(default=None, description="the ARR at risk as assessed at filing: recomputed from the "
                                                            "customers attached with the same segment and stated figure")
    open_deals: list[Deal] = Field(default_factory=list, description="the primary customer's open deals at filing")
    links: list[Link] = Field(default_factory=list)
    terms: list[str] = Field(default_factory=list, description="normalised terms of the problem, for duplicate detection")
    error_strings: list[str] = Field(default_factory=list)
    internal_basis: Timestamp = Field(description="last internal check-in or severity change: the internal clock runs from here")
    customer_basis: Timestamp = Field(description="last customer update or severity change")
    reason: DeEscalationReason | None = None
    outcome: str = Field(default="", description="why it was de-escalated, or how it was resolved")
    workaround: str = ""
    learning: str = ""
    history: list[Event] = Field(default_factory=list)
    version: int = Field(default=0, description="bumped by every save: a save from a stale read is refused, not lost")

    @property
    def open(self) -> bool:
        return self.status == "open"

    def tracker_link(self) -> Link | None:
        return next((k for k in self.links if k.kind == "tracker"), None)

    def tickets(self, account_id: str | None = None) -> list[Link]:
        return [k for k in self.links if k.kind == "ticket" and (account_id is None or k.account_id == account_id)]

    def customer(self, account: str = "") -> CustomerRef | None:
        """The customer named by id or name; the first (primary) one when none is named."""
        account = account.strip().lower()
        if not account:
            return self.customers[0] if self.customers else None
        return next((c for c in self.customers if account in (c.id.lower(), c.name.lower())), None)


class Delivery(_Model):
    """One message or issue sent (or to be sent) to one destination."""

    marker: str
    purpose: str = Field(description="file, or the event a notice is about (e.g. de_escalated-12)")
    kind: Literal["tracker", "chat"]
    system: str
    destination: str = Field(description="tracker project, or chat channel")
    title: str = ""
    body: str
    state: Literal["planned", "pending", "done", "unavailable"] = "planned"
    item_id: str | None = None
    url: str | None = None
    note: str = ""

    @property
    def where(self) -> str:
        return f"{self.system} {self.destination or '(its default project)'}"


class ChecklistStep(_Model):
    step: str
    done: bool
    draft: str = Field(default="", description="the message to send or record")
    where: str = ""


class FollowUp(_Model):
    escalation_id: str
    title: str
    severity: Severity
    clock: Literal["internal", "customer"]
    due_at: Timestamp
    state: Literal["overdue", "due_soon"]
    minutes: int = Field(description="minutes until due; negative when overdue")
    action: str


class Match(_Model):
    kind: Literal["escalation", "tracker"]
    id: str
    title: str
    status: str
    score: float
    url: str | None = None
    customers: list[str] = Field(default_factory=list)
    why: str = ""


# --- pure policy ---------------------------------------------------------------------------------------


def clocks(e: Escalation, policy: Policy) -> tuple[datetime, datetime] | None:
    """(internal due, customer due) of an open escalation; None once its clocks are stopped."""
    if not e.open:
        return None
    return internal_due(e.severity, e.internal_basis, policy), customer_due(e.severity, e.customer_basis, policy)


def follow_ups(escalations: Iterable[Escalation], now: datetime, policy: Policy, within: timedelta) -> list[FollowUp]:
    """What is overdue or due within `within`, most urgent (earliest due, then most severe) first."""
    out = []
    for e in escalations:
        due = clocks(e, policy)
        if due is None:
            continue
        for clock, at in zip(("internal", "customer"), due):
            if at > now + within:
                continue
            action = (f"check progress with {e.team}; raise or lower severity if things changed" if clock == "internal"
                      else "update the customer, even with no news (draft_customer_update drafts it)")
            out.append(FollowUp(escalation_id=e.id, title=e.title, severity=e.severity, clock=clock, due_at=at,  # type: ignore[arg-type]
                                state="overdue" if at <= now else "due_soon", minutes=int((at - now).total_seconds() // 60),
                                action=action))
    out.sort(key=lambda f: (f.due_at, -f.severity.rank, f.escalation_id))
    return out


def revenue(e: Escalation, now: datetime, policy: Policy) -> tuple[ArrAtRisk, list[str]]:
    """ARR at risk of the customers attached, by the brief's own definition (revenue.arr_at_risk, with the segment and
    stated figure the assessment used), and the renewals inside the policy's window."""
    basis = e.arr or ArrAtRisk()
    figure = arr_at_risk(e.customers, segment=basis.segment, stated=basis.stated, stated_by=basis.stated_by)
    return figure, renewals_in_window(e.customers, now, policy.renewal_window_days)


_ERROR_STRING = re.compile(
    r"\"([^\"\n]{4,120})\"|`([^`\n]{4,120})`|\b([A-Z][A-Za-z]+(?:Error|Exception))\b|\b(HTTP \d{3}|E[A-Z_]{2,}\d*|ERR_[A-Z_]+|0x[0-9a-fA-F]{4,})\b"
)


def error_strings(*texts: str) -> list[str]:
    """Exact error text quoted in a report (quoted strings, exception names, HTTP statuses, error codes)."""
    found: dict[str, None] = {}
    for text in texts:
        for m in _ERROR_STRING.finditer(text or ""):
            found.setdefault(next(g for g in m.groups() if g).strip().lower(), None)
    return list(found)[:10]


def problem_terms(text: str, customers: Sequence[str] = ()) -> list[str]:
    """The terms that say which problem it is (customer names removed: they say who, not what)."""
    names = {t for name in customers for t in keywords(name, limit=10)}
    return keywords(text, limit=40, drop=names)


def similarity(terms_a: Sequence[str], errors_a: Sequence[str], terms_b: Sequence[str], errors_b: Sequence[str]) -> float:
    """0-1: how much of the shorter description the other one covers; one shared word is not the same problem,
    the same exact error text is."""
    if set(errors_a) & set(errors_b):
        return 1.0
    a, b = set(terms_a), set(terms_b)
    if not a or not b:
        return 0.0
    shared = len(a & b)
    if shared < 2 and min(len(a), len(b)) > 1:
        return 0.0
    return round(shared / min(len(a), len(b)), 3)


def marker(e: Escalation, purpose: str, kind: str) -> str:
    return f"{MARKER_PREFIX}-{e.uid}-{purpose}-{kind}"


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


def chat_message(e: Escalation, tracker: Link | None, policy: Policy) -> tuple[str, list[dict]]:
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
    blocks = [
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


# --- the log -------------------------------------------------------------------------------------------

_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS escalations (
        id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, draft_id TEXT UNIQUE, status TEXT NOT NULL, severity TEXT NOT NULL,
        target TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, data TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS escalation_accounts (
        escalation_id TEXT NOT NULL, account_id TEXT NOT NULL, PRIMARY KEY (escalation_id, account_id))""",
    "CREATE INDEX IF NOT EXISTS escalation_accounts_by_account ON escalation_accounts (account_id)",
    """CREATE TABLE IF NOT EXISTS escalation_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, escalation_id TEXT NOT NULL, at TEXT NOT NULL, by TEXT NOT NULL,
        kind TEXT NOT NULL, summary TEXT NOT NULL, data TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS escalation_events_by_escalation ON escalation_events (escalation_id, seq)",
    """CREATE TABLE IF NOT EXISTS escalation_deliveries (
        marker TEXT PRIMARY KEY, escalation_id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL)""",
)
_ready: weakref.WeakSet[Store] = weakref.WeakSet()


class EscalationLog:
    """The escalation log in the state database: escalations, their accounts, history and deliveries."""

    def __init__(self, store: Store):
        self.store = store
        self.damaged: list[str] = []  # records this log's reads found damaged and left out, by name
        if store not in _ready:
            with store.transaction() as db:
                for statement in _SCHEMA:
                    db.execute(statement)
            _ready.add(store)

    # --- reads -------------------------------------------------------------------------------------
    def get(self, escalation_id: str, *, history: bool = True) -> Escalation | None:
        with self.store.transaction() as db:
            row = db.execute("SELECT id, data FROM escalations WHERE id = ? COLLATE NOCASE", (escalation_id.strip(),)).fetchone()
            if row is None:
                return None
            e = self._read(Escalation, row[1], f"escalation {printable(row[0])}")
            if e is None:
                raise self.store.damaged(f"escalation {printable(row[0])}", "the other escalations still read (list_escalations)")
            if history:
                e.history = self._events(db, e.id)
        return e

    def _read(self, model: type[_M], raw: str, what: str) -> _M | None:
        """A stored record, or None when it is damaged: named in `damaged` and the log, so the other records still read."""
        try:
            return model.model_validate_json(raw)
        except ValidationError:
            self.damaged.append(what)
            log.info("%s in %s is damaged and was left out", what, self.store.state_path)  # every surface reports it
            return None

    def require(self, escalation_id: str) -> Escalation:
        e = self.get(escalation_id)
        if e is None:
            raise LifecycleError("no escalation with that id in the log: call list_escalations (or "
                                 "`customer-escalation escalations`) for the ids")
        return e

    def by_draft(self, draft_id: str) -> Escalation | None:
        with self.store.transaction() as db:
            row = db.execute("SELECT id FROM escalations WHERE draft_id = ?", (draft_id,)).fetchone()
        return self.get(row[0]) if row else None

    def list(self, *, accounts: Sequence[str] = (), status: str = "", severity: str = "", limit: int = MAX_LIST) -> list[Escalation]:
        """Newest first; `accounts` (ids) keeps the escalations affecting any of them."""
        sql = "SELECT e.id, e.data FROM escalations e"
        params: list[Any] = []
        where = []
        if accounts:
            sql += " JOIN escalation_accounts a ON a.escalation_id = e.id"
            where.append(f"a.account_id IN ({','.join('?' * len(accounts))})")
            params += list(accounts)
        if status:
            where.append("e.status = ?")
            params.append(status)
        if severity:
            where.append("e.severity = ?")
            params.append(severity)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " GROUP BY e.id ORDER BY e.seq DESC LIMIT ?"
        params.append(limit)
        with self.store.transaction() as db:
            rows = db.execute(sql, params).fetchall()
        return [e for e in (self._read(Escalation, raw, f"escalation {printable(rid)}") for rid, raw in rows) if e is not None]

    def deliveries(self, escalation_id: str) -> list[Delivery]:
        with self.store.transaction() as db:
            rows = db.execute("SELECT seq, data FROM escalation_deliveries WHERE escalation_id = ? ORDER BY seq",
                              (escalation_id,)).fetchall()
        found = (self._read(Delivery, raw, f"delivery {seq} of {escalation_id}") for seq, raw in rows)
        return [d for d in found if d is not None]

    def _events(self, db: sqlite3.Connection, escalation_id: str) -> list[Event]:
        rows = db.execute("SELECT seq, at, by, kind, summary, data FROM escalation_events WHERE escalation_id = ? ORDER BY seq",
                          (escalation_id,)).fetchall()
        # through JSON, so text a damaged page turned into surrogates is refused like any other damage
        found = (self._read(Event, json.dumps({"at": at, "by": by, "kind": kind, "summary": summary, "data": loads(data)}),
                            f"history entry {seq} of {escalation_id}") for seq, at, by, kind, summary, data in rows)
        return [event for event in found if event is not None]

    # --- writes (each one transaction: the change and its history entry land together) --------------
    def create(self, e: Escalation, event: Event, deliveries: Sequence[Delivery] = ()) -> Escalation:
        with self.store.transaction() as db:
            seq = (db.execute("SELECT coalesce(max(seq), 0) FROM escalations").fetchone()[0]) + 1
            e = e.model_copy(update={"id": f"CE-{seq:04d}"})
            db.execute("INSERT INTO escalations VALUES (?,?,?,?,?,?,?,?,?)",
                       (e.id, seq, e.draft_id, e.status, e.severity.value, e.target.value, e.created_at.isoformat(),
                        e.updated_at.isoformat(), self._data(e)))
            self._accounts(db, e)
            self._event(db, e.id, event)
            self._deliveries(db, e.id, deliveries)
        e.history = [event]
        return e

    def save(self, e: Escalation, *events: Event, deliveries: Sequence[Delivery] = ()) -> Escalation:
        """Write a changed escalation read earlier; refused (ConcurrentChange) if it was saved by someone else since."""
        with self.store.transaction() as db:
            read_version = e.version
            e = e.model_copy(update={"version": read_version + 1})
            changed = db.execute(
                "UPDATE escalations SET status=?, severity=?, updated_at=?, data=? "
                "WHERE id=? AND coalesce(json_extract(data, '$.version'), 0) = ?",
                (e.status, e.severity.value, e.updated_at.isoformat(), self._data(e), e.id, read_version)).rowcount
            if not changed:
                raise ConcurrentChange(f"{e.id} changed while this update was being made; nothing was saved, call again")
            self._accounts(db, e)
            for event in events:
                self._event(db, e.id, event)
            self._deliveries(db, e.id, deliveries)
            e.history = self._events(db, e.id)
        return e

    def record_delivery(self, e: Escalation, d: Delivery, event: Event, link: Link | None = None) -> Escalation:
        """A delivery's new state, its history entry and (when it created something) the new link, together."""
        with self.store.transaction() as db:
            db.execute("UPDATE escalation_deliveries SET data = ? WHERE marker = ?", (d.model_dump_json(), d.marker))
            self._event(db, e.id, event)
            if link is not None:
                row = db.execute("SELECT data FROM escalations WHERE id = ?", (e.id,)).fetchone()
                current = self._read(Escalation, row[0], f"escalation {e.id}")
                if current is None:
                    raise self.store.damaged(f"escalation {e.id}", "the delivery itself was made")
                if all((k.system, k.id) != (link.system, link.id) for k in current.links):
                    current.links.append(link)
                current.updated_at = event.at
                current.version += 1
                db.execute("UPDATE escalations SET updated_at=?, data=? WHERE id=?", (current.updated_at.isoformat(), self._data(current), e.id))
                e = current
            e.history = self._events(db, e.id)
        return e

    @staticmethod
    def _data(e: Escalation) -> str:
        return e.model_dump_json(exclude={"history"})

    @staticmethod
    def _accounts(db: sqlite3.Connection, e: Escalation) -> None:
        for c in e.customers:
            db.execute("INSERT OR IGNORE INTO escalation_accounts VALUES (?, ?)", (e.id, c.id))

    @staticmethod
    def _event(db: sqlite3.Connection, escalation_id: str, event: Event) -> None:
        db.execute("INSERT INTO escalation_events (escalation_id, at, by, kind, summary, data) VALUES (?,?,?,?,?,?)",
                   (escalation_id, event.at.isoformat(), event.by, event.kind, event.summary, _dump(event.data)))

    @staticmethod
    def _deliveries(db: sqlite3.Connection, escalation_id: str, deliveries: Sequence[Delivery]) -> None:
        for d in deliveries:
            seq = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM escalation_deliveries WHERE escalation_id = ?", (escalation_id,)).fetchone()[0]
            pending = d.model_copy(update={"state": "pending"})
            db.execute("INSERT OR IGNORE INTO escalation_deliveries VALUES (?,?,?,?)", (d.marker, escalation_id, seq, pending.model_dump_json()))


def _dump(data: Any) -> str:
    return json.dumps(data, default=str, sort_keys=True)


def history_for_account(log: EscalationLog, account_id: str | None) -> list[EscalationRef]:
    """The account's escalations in the log, newest first: gather_context reports them as previous escalations."""
    if not account_id:
        return []
    return [EscalationRef(id=e.id, summary=quote(e.title, 160), target=e.target.value, severity=e.severity.value, status=e.status,
                          created_at=e.created_at, url=(e.tracker_link().url if e.tracker_link() else None))
            for e in log.list(accounts=[account_id], limit=50)]


# --- operations ----------------------------------------------------------------------------------------


class Outcome(_Model):
    """What a lifecycle operation did, or would do."""

    escalation: Escalation | None = None
    applied: bool = Field(description="the local change was recorded")
    message: str
    deliveries: list[Delivery] = Field(default_factory=list)
    checklist: list[ChecklistStep] = Field(default_factory=list)
    duplicates: list[Match] = Field(default_factory=list)


ConnectorFactory = Callable[[], Sequence[Any]]


_CONFLICT_RETRIES = 3


def _retry_on_conflict(method):
    """Re-run a read-change-save operation from a fresh read when another writer saved first (no lost update)."""
    import functools
    import inspect

    if inspect.iscoroutinefunction(method):
        @functools.wraps(method)
        async def run_async(self, *args, **kwargs):
            for attempt in range(_CONFLICT_RETRIES):
                try:
                    return await method(self, *args, **kwargs)
                except ConcurrentChange:
                    if attempt + 1 == _CONFLICT_RETRIES:
                        raise
        return run_async

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        for attempt in range(_CONFLICT_RETRIES):
            try:
                return method(self, *args, **kwargs)
            except ConcurrentChange:
                if attempt + 1 == _CONFLICT_RETRIES:
                    raise
    return run


class Lifecycle:
    """Filing, follow-up, de-escalation, resolution and duplicates over the log and the connectors."""

    def __init__(self, store: Store, policy: Policy, *, connectors: ConnectorFactory, enable_writes: bool,
                 load_draft: Callable[[str], dict[str, Any]]):
        self.log = EscalationLog(store)
        self.store = store
        self.policy = policy
        self._connectors = connectors
        self.enable_writes = enable_writes
        self._load_draft = load_draft

    @classmethod
    def for_service(cls, service: Any) -> Lifecycle:
        return cls(service.store, service.policy, connectors=service.connectors, enable_writes=service.settings.enable_writes,
                   load_draft=service.load_chain)

    # --- reading ------------------------------------------------------------------------------------
    def list(self, *, account: str = "", status: str = "", severity: str = "", limit: int = 50) -> list[Escalation]:
        """Filter by account (id, name or domain), status and severity."""
        account = account.strip()
        ids = list(dict.fromkeys([account, *(a.id for a in self.store.find_accounts(account))])) if account else []
        return self.log.list(accounts=ids, status=status, severity=severity, limit=min(max(limit, 1), MAX_LIST))

    def follow_ups(self, now: datetime, within_hours: float = 4) -> list[FollowUp]:
        return follow_ups(self.log.list(status="open", limit=10_000), now, self.policy, timedelta(hours=within_hours))

    def draft_customer_update(self, escalation_id: str, now: datetime, progress: str = "", account: str = "") -> tuple[Escalation, str, str]:
        e = self.log.require(escalation_id)
        customer = e.customer(account)
        if account.strip() and customer is None:
            raise LifecycleError(f"{e.id} has no such customer; its customers: {', '.join(c.name for c in e.customers) or 'none'}")
        subject, body = customer_update(e, now, self.policy, progress, customer)
        return e, subject, body

    def duplicates(self, draft_id: str) -> list[Match]:
        """Open escalations (and closed ones, as candidates to re-open) and open tracker issues about the same problem."""
        data = self._draft(draft_id)
        ctx = Context.model_validate(data["context"])
        text = _problem_text(data)
        terms, errors = problem_terms(text, [ctx.account.name] if ctx.account else []), error_strings(text)
        matches = []
        logged = self.log.list(limit=10_000)
        for e in logged:
            if e.draft_id == draft_id:
                continue
            score = similarity(terms, errors, e.terms, e.error_strings)
            if score >= SIMILAR:
                shared = sorted(set(terms) & set(e.terms))[:6]
                why = "same error text" if set(errors) & set(e.error_strings) else "shared terms: " + ", ".join(shared)
                if not e.open:
                    why += f"; {e.status.replace('_', '-')}: attaching re-opens it"
                matches.append(Match(kind="escalation", id=e.id, title=e.title, status=e.status, score=score,
                                     url=e.tracker_link().url if e.tracker_link() else None, customers=[c.name for c in e.customers], why=why))
        filed = {k.id for e in logged for k in e.links if k.kind == "tracker"}
        for t in ctx.tracker_items:  # already searched by gather_context, which keeps only related items
            if t.status_category != "done":
                note = f"open {t.kind} in {t.source}" + ("; filed by an escalation in the log" if t.id in filed else "")
                matches.append(Match(kind="tracker", id=t.id, title=t.title, status=t.status, score=t.match, url=t.url, why=note))
        matches.sort(key=lambda m: (m.kind != "escalation", m.status != "open", -m.score))
        return matches

    # --- filing -------------------------------------------------------------------------------------
    def prepare(self, draft_id: str, now: datetime) -> Escalation:
        """The escalation a draft would file (the one already in the log for this draft, if any)."""
        existing = self.log.by_draft(draft_id)
        if existing is not None:
            return existing
        data = self._draft(draft_id)
        if "brief" not in data or "routing" not in data:
            raise LifecycleError(f"draft {draft_id!r} has no rendered brief yet: call render_brief(draft_id='{draft_id}') first, "
                                 "then file it")
        ctx = Context.model_validate(data["context"])
        assessment = Assessment.model_validate(data["assessment"])
        routing = Routing.model_validate(data["routing"])
        brief = data["brief"]
        if not assessment.escalate or routing.target is None or assessment.severity is None:
            raise LifecycleError("the assessment says to handle this in support, so there is nothing to file. If new facts change "
                                 f"that, call assess_impact(draft_id='{draft_id}') with them and render_brief again")
        security = assessment.security or routing.target == Target.security
        target = Target.security if security else routing.target
        accounts: list[AccountSummary] = ([AccountSummary(id=ctx.account.id, name=ctx.account.name, plan=ctx.account.plan,
                                                          arr=ctx.account.arr, renewal_date=ctx.account.renewal_date)] if ctx.account else [])
        accounts += [a for a in ctx.affected_accounts if all(a.id != b.id for b in accounts)]
        customers = [CustomerRef(id=a.id, name=a.name, plan=a.plan, arr=a.arr, renewal_date=a.renewal_date) for a in accounts]
        inp = data.get("brief_input") or {}
        text = _problem_text(data)
        tickets = [Link(kind="ticket", system=t.source, id=t.id, url=t.url, account_id=t.account_id) for t in ctx.related_tickets if t.same_problem]
        return Escalation(
            id="(new)", uid=secrets.token_hex(5), draft_id=draft_id, created_at=now, updated_at=now, severity=assessment.severity,
            target=target, team=self.policy.teams[target].name, security=security, title=brief["title"], issue=data["issue"],
            description=inp.get("description", ""), ask=inp.get("ask", ""), deadline=brief.get("deadline", ""),
            brief_markdown=brief["markdown"], customers=customers, arr=assessment.arr,
            open_deals=(ctx.account.open_deals or []) if ctx.account else [], links=tickets,
            terms=problem_terms(text, [c.name for c in customers]), error_strings=error_strings(text),
            internal_basis=now, customer_basis=now,
        )

    def plan_filing(self, e: Escalation, only: Destinations = "all", project: str = "", priority: str = "") -> list[Delivery]:
        """Where the brief goes: the target team's tracker and chat channel, as the policy routes it."""
        team = self.policy.teams[e.target]
        done = {d.marker: d for d in (self.log.deliveries(e.id) if e.id != "(new)" else [])}
        plan: list[Delivery] = []
        connectors = self._connectors()  # only looked at: a connector opens no client before its first request
        if only in ("all", "tracker") and team.tracker:
            system, _, default_project = team.tracker.partition(":")
            dest = project.strip() or default_project
            d = done.get(marker(e, "file", "tracker"))
            if d is None:
                title, body = tracker_issue(e, system)
                d = Delivery(marker=marker(e, "file", "tracker"), purpose="file", kind="tracker", system=system, destination=dest,
                             title=title, body=body, note=f"priority {priority.strip() or e.severity.value}")
                if _writer(connectors, system, "create_issue") is None:
                    d.state, d.note = "unavailable", f"{system} is not connected: set its environment variables (see CONNECTORS.md)"
            plan.append(d)
        if only in ("all", "chat") and team.chat_channel:
            d = done.get(marker(e, "file", "chat"))
            if d is None:
                text, _blocks = chat_message(e, e.tracker_link() or (Link(kind="tracker", system="", id="(the new issue)") if plan else None),
                                             self.policy)
                d = Delivery(marker=marker(e, "file", "chat"), purpose="file", kind="chat", system="slack", destination=team.chat_channel, body=text)
                if _writer(connectors, "slack", "post_message") is None:
                    d.state, d.note = "unavailable", "slack is not connected: set SLACK_BOT_TOKEN (see CONNECTORS.md)"
            plan.append(d)
        return plan

    async def file(self, draft_id: str, now: datetime, *, by: str = "", only: Destinations = "all", project: str = "",
                   priority: str = "", confirmed: bool) -> Outcome:
        """Preview (not confirmed) or file the brief: record the escalation, then deliver it where the policy routes it."""
        by = _who(by)
        e = self.prepare(draft_id, now)
        plan = self.plan_filing(e, only, project, priority)
        remote = [d for d in plan if d.state in ("planned", "pending")]
        dupes = [m for m in self.duplicates(draft_id) if m.kind == "escalation" and m.status == "open"] if e.id == "(new)" else []
        if not confirmed:
            where = ", ".join(d.where for d in remote) or "the local log only"
            return Outcome(escalation=e, applied=False, deliveries=plan, duplicates=dupes,
                           message=f"Preview: would file {e.id if e.id != '(new)' else 'a new escalation'} ({e.severity.value}, "
                                   f"{e.team}) to {where}. Nothing was written.")
        if remote and not self.enable_writes:
            raise WritesDisabled("Filing to " + ", ".join(sorted({d.system for d in remote})))
        if e.id == "(new)":
            e = self.log.create(e, Event(at=now, by=by, kind="filed", summary=f"escalated to {e.team} ({e.severity.value})",
                                         data={"draft_id": draft_id, "customers": [c.id for c in e.customers]}),
                                [d for d in remote])
        else:
            self.log.save(e, deliveries=remote)
        if remote:
            e = await self._deliver(e, now, by, project=project, priority=priority)
        pending = [d for d in self.log.deliveries(e.id) if d.purpose == "file"]
        return Outcome(escalation=e, applied=True, deliveries=pending + [d for d in plan if d.state == "unavailable"],
                       message=f"Filed {e.id}: " + (", ".join(f"{d.system} {d.item_id or d.destination}" for d in pending if d.state == "done")
                                                    or "recorded in the local log") + ".")

    # --- local changes (audit trail) -------------------------------------------------------------------
    @_retry_on_conflict
    def record_update(self, escalation_id: str, kind: UpdateKind, note: str, now: datetime, by: str = "") -> Outcome:
        e = self.log.require(escalation_id)
        by = _who(by)
        note = note.strip()
        if kind == "reopened":
            if e.open:
                raise LifecycleError(f"{e.id} is already open; record an internal or customer update instead")
            e.status, e.reason, e.internal_basis, e.customer_basis, e.updated_at = "open", None, now, now, now
            summary = "re-opened: the problem came back" + (f" ({note})" if note else "")
        else:
            if kind in ("internal", "customer") and not e.open:
                raise LifecycleError(f"{e.id} is {e.status.replace('_', '-')}: its clocks are stopped. If the problem came back, "
                                     "record_update(kind='reopened') first")
            if kind == "internal":
                e.internal_basis = now
            elif kind == "customer":
                e.customer_basis = now
            e.updated_at = now
            summary = {"internal": "internal check-in", "customer": "customer updated", "note": "note"}[kind] + (f": {note}" if note else "")
        event = Event(at=now, by=by, kind={"internal": "internal_update", "customer": "customer_update"}.get(kind, kind),
                      summary=quote(summary, 1000), data={"note": quote(note, 2000)} if note else {})
        e = self.log.save(e, event)
        return Outcome(escalation=e, applied=True, message=f"{e.id}: {summary}." + self._next_due(e))

    @_retry_on_conflict
    async def change_severity(self, escalation_id: str, severity: Severity, reason: str, now: datetime, *, by: str = "",
                              notify: bool = False, confirmed: bool = True) -> Outcome:
        self._writes_for(notify and confirmed)
        e = self.log.require(escalation_id)
        reason = reason.strip()
        if not reason:
            raise LifecycleError("say why the severity changes (reason): it goes into the escalation's history")
        if not e.open:
            raise LifecycleError(f"{e.id} is {e.status.replace('_', '-')}; re-open it (record_update kind='reopened') before changing severity")
        if severity == e.severity:
            return await self._resume(e, now, by, "severity_changed", f"{e.id} is already {severity.value}.", notify, confirmed, closing=False)
        old = e.severity
        verb = "raised" if severity.rank > old.rank else "lowered"
        what = f"severity {verb} from {old.value} to {severity.value}"
        e.severity, e.internal_basis, e.customer_basis, e.updated_at = severity, now, now, now
        event = Event(at=now, by=_who(by), kind="severity_changed", summary=f"{what}: {quote(reason, 500)}",
                      data={"from": old.value, "to": severity.value, "reason": quote(reason, 1000)})
        return await self._apply(e, event, now, notify=notify, confirmed=confirmed, notice=team_notice(e, what, reason),
                                 message=f"{e.id}: {what}; both clocks re-planned." )

    @_retry_on_conflict
    async def de_escalate(self, escalation_id: str, reason: DeEscalationReason, note: str, now: datetime, *, by: str = "",
                          workaround: str = "", learning: str = "", notify: bool = False, confirmed: bool = True) -> Outcome:
        self._writes_for(notify and confirmed)
        e = self.log.require(escalation_id)
        note, workaround = note.strip(), workaround.strip()
        if e.status == "de_escalated" and e.reason == reason:
            return await self._resume(e, now, by, "de_escalated", f"{e.id} is already de-escalated ({REASONS[reason]}).", notify, confirmed)
        if e.status != "open":
            raise LifecycleError(f"{e.id} is {e.status.replace('_', '-')}; only an open escalation can be de-escalated")
        if reason == "went_away" and not note:
            raise LifecycleError("the issue went away by itself: document the root cause in note (DOMAIN: root cause still documented)")
        if reason == "workaround" and not workaround:
            raise LifecycleError("pass workaround: the steps that unblock the customer (they go into the customer update)")
        if reason in ("support_resolvable", "lower_severity") and not note:
            raise LifecycleError("pass note: " + ("what support does to resolve it" if reason == "support_resolvable"
                                                   else "the new information that lowers the severity"))
        e.status, e.reason, e.outcome, e.workaround, e.updated_at = "de_escalated", reason, quote(note, 1000), quote(workaround, 1000), now
        e.learning = quote(learning.strip(), 1000) or e.learning
        event = Event(at=now, by=_who(by), kind="de_escalated", summary=f"de-escalated: {REASONS[reason]}" + (f": {quote(note, 300)}" if note else ""),
                      data={"reason": reason, "note": e.outcome, "workaround": e.workaround, "learning": e.learning})
        return await self._apply(e, event, now, notify=notify, confirmed=confirmed,
                                 notice=team_notice(e, f"de-escalated: {REASONS[reason]}", note),
                                 message=f"{e.id} de-escalated ({REASONS[reason]}); clocks stopped.", closing=True)

    @_retry_on_conflict
    async def resolve(self, escalation_id: str, resolution: str, now: datetime, *, by: str = "", learning: str = "",
                      notify: bool = False, confirmed: bool = True) -> Outcome:
        self._writes_for(notify and confirmed)
        e = self.log.require(escalation_id)
        resolution = resolution.strip()
        if e.status == "resolved":
            return await self._resume(e, now, by, "resolved", f"{e.id} is already resolved.", notify, confirmed)
        if not resolution:
            raise LifecycleError("pass resolution: what fixed it, in a sentence the customer could read")
        e.status, e.outcome, e.updated_at = "resolved", quote(resolution, 1000), now
        e.learning = quote(learning.strip(), 1000) or e.learning
        event = Event(at=now, by=_who(by), kind="resolved", summary=f"resolved: {quote(resolution, 300)}",
                      data={"resolution": e.outcome, "learning": e.learning})
        return await self._apply(e, event, now, notify=notify, confirmed=confirmed, notice=team_notice(e, "resolved", resolution),
                                 message=f"{e.id} resolved; clocks stopped.", closing=True)

    @_retry_on_conflict
    async def attach(self, escalation_id: str, draft_id: str, now: datetime, *, by: str = "", notify: bool = False,
                     confirmed: bool = True) -> Outcome:
        """Add a new report's customer to an existing escalation: breadth, revenue and severity re-assessed."""
        self._writes_for(notify and confirmed)
        e = self.log.require(escalation_id)
        data = self._draft(draft_id)
        ctx = Context.model_validate(data["context"])
        if ctx.account is None:
            raise LifecycleError("the draft has no customer account: call gather_context again with the account, then attach that draft")
        a = ctx.account
        new_tickets = [Link(kind="ticket", system=t.source, id=t.id, url=t.url, account_id=a.id) for t in ctx.related_tickets
                       if t.same_problem and t.account_id == a.id and all(t.id != k.id for k in e.links)]
        if any(c.id == a.id for c in e.customers) and not new_tickets and e.open:
            return await self._resume(e, now, by, "customer_attached", f"{a.name} is already on {e.id}.", notify, confirmed, closing=False)
        events = []
        if not e.open:
            e.status, e.reason, e.internal_basis, e.customer_basis = "open", None, now, now
            events.append(Event(at=now, by=_who(by), kind="reopened", summary=f"re-opened: {a.name} reports the same problem"))
        if all(c.id != a.id for c in e.customers):
            e.customers.append(CustomerRef(id=a.id, name=a.name, plan=a.plan, arr=a.arr, renewal_date=a.renewal_date))
        e.links += new_tickets
        arr, renewals = revenue(e, now, self.policy)
        facts = Facts.model_validate(data.get("facts") or {})
        facts = facts.model_copy(update={"customers_affected": max(facts.customers_affected, len(e.customers)),
                                         "arr_at_risk": arr.amount})
        reassessed = assess(data["issue"], ctx, facts, self.policy, now)
        what = f"{a.name} attached: {len(e.customers)} customers, {arr_line(arr) or 'ARR at risk unknown'}" + (
            f"; renewals inside {self.policy.renewal_window_days} days: {'; '.join(renewals)}" if renewals else "")
        events.append(Event(at=now, by=_who(by), kind="customer_attached", summary=what,
                            data={"account": a.id, "draft_id": draft_id, "customers": len(e.customers), "arr_at_risk": arr.amount,
                                  "renewals": renewals, "reassessed": reassessed.severity.value if reassessed.severity else None}))
        if reassessed.severity is not None and reassessed.severity.rank > e.severity.rank:
            old = e.severity
            e.severity, e.internal_basis, e.customer_basis = reassessed.severity, now, now
            why = "; ".join(reassessed.severity_reasons[:3])
            events.append(Event(at=now, by=_who(by), kind="severity_changed", summary=f"severity raised from {old.value} to {e.severity.value}: {why}",
                                data={"from": old.value, "to": e.severity.value, "reason": why}))
            what += f"; severity raised {old.value} -> {e.severity.value}"
        e.updated_at = now
        e.terms = list(dict.fromkeys(e.terms + problem_terms(data["issue"], [c.name for c in e.customers])))[:60]
        return await self._apply(e, events, now, notify=notify, confirmed=confirmed, notice=team_notice(e, "another customer is affected", what),
                                 message=f"{e.id}: {what}.", purpose="customer_attached")

    # --- machinery ----------------------------------------------------------------------------------
    async def _apply(self, e: Escalation, events: Event | list[Event], now: datetime, *, notify: bool, confirmed: bool,
                     notice: str, message: str, closing: bool = False, purpose: str = "") -> Outcome:
        """Record a local change; with notify, also post `notice` to the team's channel (preview until confirmed).
        `purpose` (default: the last event's kind) names the notice for a repeated call to resume (see `_resume`)."""
        events = [events] if isinstance(events, Event) else events
        by, purpose = events[0].by, purpose or events[-1].kind
        deliveries: list[Delivery] = []
        if notify:
            channel = self.policy.teams[e.target].chat_channel
            if not channel:
                raise LifecycleError(f"the policy gives {e.team} no chat channel to notify; call again with notify=false and send the drafts yourself")
            deliveries = [Delivery(marker=marker(e, f"{purpose}{len(e.history) + 1}", "chat"), purpose=purpose,
                                   kind="chat", system="slack", destination=channel, body=notice)]
            if _writer(self._connectors(), "slack", "post_message") is None:
                if confirmed:  # refused before anything is recorded
                    raise LifecycleError("slack is not connected, so the team cannot be notified from here: set SLACK_BOT_TOKEN "
                                         "(see CONNECTORS.md), or call again with notify=false and post the notice yourself")
                deliveries[0].state, deliveries[0].note = "unavailable", "slack is not connected: set SLACK_BOT_TOKEN (see CONNECTORS.md)"
            if not confirmed:
                preview = e.model_copy()
                return Outcome(escalation=preview, applied=False, deliveries=deliveries, message="Preview: " + message + " Nothing was written; "
                               f"call again with confirm=true to record it and post the notice to {channel}.",
                               checklist=closing_checklist(preview, self.policy, now, notified=False) if closing else [])
            self._writes_for(True)
        e = self.log.save(e, *events, deliveries=deliveries)
        if deliveries:
            e = await self._deliver(e, now, by)
        notified = any(d.state == "done" for d in self.log.deliveries(e.id) if d.purpose == purpose)
        return Outcome(escalation=e, applied=True, message=message + (self._next_due(e) if e.open else ""),
                       deliveries=[d for d in self.log.deliveries(e.id) if d.marker in {x.marker for x in deliveries}],
                       checklist=closing_checklist(e, self.policy, now, notified=notified) if closing else [])

    async def _resume(self, e: Escalation, now: datetime, by: str, purpose: str, message: str, notify: bool, confirmed: bool,
                      closing: bool = True) -> Outcome:
        """A repeated call whose change is already recorded: nothing new is recorded; its notices still pending are
        delivered (the idempotent retry after a lost answer)."""
        pending = [d for d in self.log.deliveries(e.id) if d.purpose == purpose and d.state == "pending"]
        if pending and notify and confirmed:
            e = await self._deliver(e, now, _who(by))
        notified = any(d.state == "done" for d in self.log.deliveries(e.id) if d.purpose == purpose)
        return Outcome(escalation=e, applied=False, message=message + " Nothing new was recorded.",
                       deliveries=[d for d in self.log.deliveries(e.id) if d.purpose == purpose],
                       checklist=closing_checklist(e, self.policy, now, notified=notified) if closing else [])

    async def _deliver(self, e: Escalation, now: datetime, by: str, *, project: str = "", priority: str = "") -> Escalation:
        """Send every pending delivery: look for its marker first, create only when nothing carries it."""
        self._writes_for(True, "Sending to trackers and chat")
        failures: list[str] = []
        async with _opened(self._connectors) as connectors:
            for d in self.log.deliveries(e.id):
                if d.state != "pending":
                    continue
                if failures and d.purpose == "file":
                    break  # the chat message links to the tracker issue: no message before the issue exists
                try:
                    e = await self._send(e, d, connectors, now, by, project=project, priority=priority)
                except _ConnectorFailure as failure:
                    e = self.log.record_delivery(e, d, Event(at=now, by=by, kind="delivery_failed",
                                                             summary=f"{d.where}: {failure.short}", data={"marker": d.marker}))
                    failures.append(str(failure))
        if failures:
            done = [f"{d.system} {d.item_id}" for d in self.log.deliveries(e.id) if d.state == "done"]
            raise LifecycleError(" ".join(failures) + (f" Already delivered: {', '.join(done)}." if done else "")
                                 + f" {e.id} is recorded; what is still pending is sent on the next call, never twice.")
        return e

    async def _send(self, e: Escalation, d: Delivery, connectors: Sequence[Any], now: datetime, by: str, *, project: str,
                    priority: str) -> Escalation:
        from .connectors.base import ConnectorError

        method = "create_issue" if d.kind == "tracker" else "post_message"
        writer = _writer(connectors, d.system, method)
        if writer is None:
            raise _ConnectorFailure(f"{d.system} is not connected, so nothing was sent to {d.destination}: set its environment "
                                    "variables (see CONNECTORS.md) and call again.", "not connected")
        if d.purpose == "file":  # rebuilt from the escalation now: the chat message links to the issue filed just before
            if d.kind == "tracker":
                d.title, d.body = tracker_issue(e, d.system)
                d.destination = project.strip() or d.destination
            else:
                d.body = chat_message(e, e.tracker_link(), self.policy)[0]
        try:
            if d.kind == "tracker":
                found = await writer.find_by_marker(d.marker)
                created = found or await writer.create_issue(
                    title=d.title, body_markdown=d.body, marker=d.marker, project=d.destination or None,
                    labels=["customer-escalation", f"severity-{e.severity.value}"], priority=priority.strip() or e.severity.value)
            else:
                found = await writer.find_by_marker(d.destination, d.marker)
                blocks = chat_message(e, e.tracker_link(), self.policy)[1] if d.purpose == "file" else None
                created = found or await writer.post_message(channel=d.destination, text=d.body, blocks=blocks, marker=d.marker)
        except ConnectorError as exc:
            raise _ConnectorFailure.from_error(exc, d) from None
        d.state, d.item_id, d.url = "done", created.id, created.url
        verb = "found already delivered (an earlier attempt reached it)" if found else "delivered"
        link = Link(kind=d.kind, system=created.system or d.system, id=created.id, url=created.url, destination=d.destination) if d.purpose == "file" else None
        return self.log.record_delivery(e, d, Event(at=now, by=by, kind="delivered", summary=f"{verb}: {d.where} {created.id}",
                                                    data={"marker": d.marker, "url": created.url}), link)

    def _writes_for(self, remote: bool, what: str = "Posting the notice to the team's channel") -> None:
        """Checked before anything else when a call would reach a connector's write method."""
        if remote and not self.enable_writes:
            raise WritesDisabled(what)

    def _draft(self, draft_id: str) -> dict[str, Any]:
        try:
            return self._load_draft(draft_id)
        except ValueError as exc:
            raise LifecycleError(str(exc)) from None

    def _next_due(self, e: Escalation) -> str:
        due = clocks(e, self.policy)
        if due is None:
            return ""
        return f" Next internal check-in due {due[0]:%Y-%m-%d %H:%M} UTC; next customer update due {due[1]:%Y-%m-%d %H:%M} UTC."


def _problem_text(draft: dict[str, Any]) -> str:
    """What a draft says the problem is: the issue as reported, the summary, description and exact error text."""
    inp = draft.get("brief_input") or {}
    return " ".join([draft["issue"], *(inp.get(k, "") for k in ("summary", "description", "evidence", "actual"))])


class _ConnectorFailure(Exception):
    def __init__(self, message: str, short: str):
        super().__init__(message)
        self.short = short

    @classmethod
    def from_error(cls, exc: Any, d: Delivery) -> _ConnectorFailure:
        where = f"{exc.source} ({d.destination})" if d.destination else exc.source
        text = f"{where} refused: {exc.message}."
        if exc.valid_values:
            text += " Valid values: " + "; ".join(f"{k}: {', '.join(map(str, v[:20]))}" for k, v in exc.valid_values.items()) + "."
            if d.kind == "tracker":
                argument = {"project": "project", "team": "project", "repository": "project", "priority": "priority"}
                settable = list(dict.fromkeys(argument[k] for k in exc.valid_values if k in argument))
                others = [k for k in exc.valid_values if k not in argument]
                if settable:
                    text += f" Call file_escalation again with {' or '.join(k + '=' for k in settable)} set to one of them."
                if others:
                    text += (f" file_escalation cannot set {', '.join(others)}: call again with project= naming a project that "
                             f"does not require it, or have {exc.source} give it a default.")
                text += " To change it for good, edit the team's tracker in the policy file."
        elif exc.kind in ("timed_out", "unreachable", "error"):
            text += (f" The request may have reached {exc.source}; call again: the retry looks for the item by its marker "
                     "before creating one.")
        elif exc.kind == "rate_limited":
            text += " Wait" + (f" {exc.retry_after:g}s" if exc.retry_after else " a moment") + " and call again."
        if exc.fix:
            text += f" Fix: {exc.fix}."
        return cls(text, f"{exc.kind}: {exc.message}")


def _writer(connectors: Sequence[Any], system: str, method: str) -> Any:
    for c in connectors:
        if (getattr(c, "name", None) == system or getattr(c, "SYSTEM", None) == system) and callable(getattr(c, method, None)):
            return c
    return None


@asynccontextmanager
async def _opened(factory: ConnectorFactory):
    connectors = list(factory())
    try:
        yield connectors
    finally:
        for c in connectors:
            close: Callable[[], Awaitable[None]] | None = getattr(c, "aclose", None)
            if close is not None:
                try:
                    await close()
                except Exception:
                    pass


def _who(by: str) -> str:
    return quote(by, 80) or "unknown"
