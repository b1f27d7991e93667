"""Pure rules of the escalation log (no I/O, `now` passed in): follow-up clocks and what is due, the revenue of the
customers attached, and how alike two problem reports are (duplicate scoring)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from ..models import ArrAtRisk
from ..policy import Policy
from ..policy.cadence import customer_due, internal_due
from ..revenue import arr_at_risk, renewals_in_window
from ..text import keywords
from .types import MARKER_PREFIX, Escalation, FollowUp

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
            out.append(FollowUp(escalation_id=e.id, title=e.title, severity=e.severity, clock=clock, due_at=at,
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
