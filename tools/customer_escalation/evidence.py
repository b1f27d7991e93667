"""What the same-problem tickets say beyond their match: the error messages customers quote, the deadlines they
set, and the timeline of the current episode (first report, last update, how long the customer has waited)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from .models import Account, ChatThread, Ticket, Timeline
from .policy.concepts import error_codes
from .text import quote

_ERROR = re.compile(
    # a quotation opens after a space, colon or bracket (not the apostrophe of "isn't") and closes before a non-letter
    r"""(?:^|(?<=[\s:(\[]))["'“‘`]([^"'”’`\n]{6,120}?(?:error|invalid|failed|failure|exception|denied|refused|timed? ?out|not found|unauthori[sz]ed|forbidden|out of range)[^"'”’`\n]{0,60})["'”’`](?![A-Za-z])"""
    r"|\b(HTTP [45]\d\d(?: [A-Z][A-Za-z ]{2,40})?)",
    re.IGNORECASE,
)


_DATE = (r"\d{1,2} (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w* \d{1,2}|"
         r"20\d\d-\d\d-\d\d|\d{1,2}/\d{1,2}")
_WHEN = (_DATE + r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|end of (?:the )?(?:day|week|month|quarter)|"
         r"month-end|quarter-end|year-end|(?:the |our |their )?renewal(?: kickoff| date| meeting)?|go-?live|launch|kickoff")
_DEADLINE = re.compile(
    rf"[^.!?\n]{{0,120}}\b(?:before|by|until|ahead of|no later than|deadline|due)\b[^.!?\n]{{0,40}}?\b(?:{_WHEN})\b[^.!?\n]{{0,60}}[.!?]?|"
    rf"[^.!?\n]{{0,60}}\b(?:renewal|kickoff|go-?live|launch|deadline|audit|close|board (?:meeting|review))\b[^.!?\n]{{0,40}}?\b(?:is|on|by|before)\b[^.!?\n]{{0,12}}?\b(?:{_DATE})\b[^.!?\n]{{0,60}}[.!?]?",
    re.IGNORECASE)
_HAS_DATE = re.compile(rf"\b(?:{_DATE})\b", re.IGNORECASE)


def customer_deadlines(tickets: list[Ticket], chat: list[ChatThread], limit: int = 3) -> list[str]:
    """Deadlines the customer (or the account team in chat) stated about this problem, quoted with their source."""
    found: list[str] = []
    texts = [(t.id, m.body) for t in tickets for m in t.messages if m.author_role == "customer"]
    texts += [(t.id, t.description or "") for t in tickets]
    texts += [(c.id, m.text) for c in chat for m in c.messages]
    for source, text in texts:
        for m in _DEADLINE.finditer(text or ""):
            said = quote(m.group(0).strip(), 160)
            if said and not any(said in f for f in found):
                found.append(f'"{said}" ({source})')
    # a stated date first: "before the renewal kickoff" says less than "kickoff is 1 Dec"
    return sorted(found, key=lambda f: not _HAS_DATE.search(f))[:limit]


def error_strings(tickets: list[Ticket], limit: int = 5, record_prefixes: frozenset[str] = frozenset()) -> list[str]:
    """Exact error text customers quoted in their tickets, and the error codes anyone on the tickets cites (a code in a
    support reply quotes the logs): the evidence engineering asks for first. A record's id ("TH-4107") is no code."""
    found: dict[str, None] = {}

    def add(value: str) -> bool:
        if value and not any(value.lower() in k.lower() or k.lower() in value.lower() for k in found):
            found[value] = None
        return len(found) >= limit

    for t in tickets:
        for text in [t.subject, t.description, *(m.body for m in t.messages if m.author_role == "customer")]:
            for m in _ERROR.finditer(text or ""):
                if add(quote((m.group(1) or m.group(2) or "").strip(), 140)):
                    return list(found)
    for t in tickets:
        for text in [t.subject, t.description, *(m.body for m in t.messages)]:
            for code in sorted(error_codes(text or "")):
                if not (re.fullmatch(r"[A-Z]{1,6}-\d{2,7}", code) and code.split("-")[0] in record_prefixes) and add(code):
                    return list(found)
    return list(found)


def timeline(same: list[Ticket], account: Account | None, now: datetime) -> Timeline:
    if not same:
        return Timeline()
    first = min(t.created_at for t in same)
    mine = [t for t in same if account and t.account_id == account.id]
    customer_msgs = [m.created_at for t in (mine or same) for m in t.messages if m.author_role == "customer"] + [t.created_at for t in mine]
    agent_msgs = [m.created_at for t in (mine or same) for m in t.messages if m.author_role == "agent" and m.public]
    last_customer = max(customer_msgs) if customer_msgs else None
    last_agent = max(agent_msgs) if agent_msgs else None
    waiting = None
    open_mine = [t for t in mine if t.status not in ("solved", "closed")]
    if open_mine and last_customer and (last_agent is None or last_customer > last_agent):
        waiting = round((now - last_customer).total_seconds() / 3600, 1)
    week = now - timedelta(days=7)
    fortnight = now - timedelta(days=14)
    return Timeline(
        first_report=first, last_customer_update=last_customer, last_agent_update=last_agent,
        hours_since_first_report=round((now - first).total_seconds() / 3600, 1), customer_waiting_hours=waiting,
        reports_last_7_days=sum(1 for t in same if week <= t.created_at <= now),
        reports_prior_7_days=sum(1 for t in same if fortnight <= t.created_at < week),
    )
