"""Money in an escalation, defined once: the ARR at risk, the pending deals and the renewal dates.

The assessment, the brief, the team-channel post, the tracker issue and the escalation log all take their
figures from here, so one escalation never shows two amounts. Pure: no I/O, no clock read (`now` is passed in).

ARR at risk
    the figure the reporter gave (or the issue text states) when there is one: the human knows the contract;
    otherwise the combined ARR of the affected accounts, each counted once: the named account, the accounts
    with reports of the same problem and, when a segment is named (a plan, or all customers), every account of
    that segment in the workspace. The figure always travels with what it counts (`ArrAtRisk.basis`).
Pending deals
    the open deals (HubSpot) and opportunities (Salesforce) of the account. Amounts are added up in USD only:
    a deal in another currency is listed, never added to dollars.
Renewal date
    the CRM's renewal property; without one, the close date of the account's open renewal deal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Protocol

from .models import Account, ArrAtRisk, Deal, Segment

SOURCES = {"hubspot": "HubSpot", "salesforce": "Salesforce"}
SHOWN_DEALS = 3


class Customer(Protocol):
    """What the figures need of an account: AccountSummary, CustomerRef and Account all have it."""

    @property
    def id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def plan(self) -> str | None: ...
    @property
    def arr(self) -> float | None: ...
    @property
    def renewal_date(self) -> date | None: ...


def money(value: float) -> str:
    """USD as every surface shows it: whole dollars with thousands separators ($3,235,000)."""
    return f"${value:,.0f}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _in_segment(segment: Segment, account: Customer) -> bool:
    return segment.plan is None or (account.plan or "").strip().lower() == segment.plan.strip().lower()


def arr_at_risk(accounts: Iterable[Customer], *, segment: Segment | None = None, stated: float = 0,
                stated_by: str = "") -> ArrAtRisk:
    """The ARR at risk of these affected accounts (see the module doc), with what it counts."""
    distinct: dict[str, Customer] = {}
    for a in accounts:
        distinct.setdefault(a.id, a)
    if stated:
        return ArrAtRisk(amount=stated, basis=stated_by or "stated by the reporter", segment=segment, stated=stated,
                         stated_by=stated_by)
    whole = segment if segment is not None and segment.accounts > 0 else None
    outside = [a for a in distinct.values() if whole is None or not _in_segment(whole, a)]
    amount = (whole.arr if whole else 0) + sum(a.arr or 0 for a in outside)
    if not amount:
        return ArrAtRisk(segment=segment)
    parts = []
    if whole is not None:
        parts.append(f"all {_plural(whole.accounts, 'customer account')}" if whole.plan is None
                     else f"the {whole.accounts} {whole.label} account{'' if whole.accounts == 1 else 's'}")
    if outside:
        parts.append(f"{_plural(len(outside), 'other affected account')}" if whole else f"the {_plural(len(outside), 'affected account')}")
    basis = "combined ARR of " + " and ".join(parts)
    if whole is None and len(outside) == 1:
        basis = f"ARR of the affected account, {outside[0].name}"
    unknown = sum(1 for a in outside if not a.arr)
    if unknown:
        basis += f"; {unknown} of them without an ARR on record"
    return ArrAtRisk(amount=amount, basis=basis, accounts=(whole.accounts if whole else 0) + len(outside), segment=segment)


def arr_line(arr: ArrAtRisk) -> str:
    """'$X ARR at risk (what it counts)', or "" when nothing is known."""
    return f"{money(arr.amount)} ARR at risk ({arr.basis})" if arr.amount else ""


# --- deals ------------------------------------------------------------------------------------------------


def in_usd(deal: Deal) -> bool:
    return deal.currency is None or deal.currency.upper() == "USD"


def pending_value(deals: Iterable[Deal]) -> float:
    """The open deals' amounts in USD, added up."""
    return sum(d.amount or 0 for d in deals if in_usd(d))


def soonest_first(deals: Iterable[Deal]) -> list[Deal]:
    return sorted(deals, key=lambda d: (d.close_date or date.max, d.name))


def describe_deal(deal: Deal) -> str:
    """'"Acme expansion" $85,000 (HubSpot, Contract Sent, closes 2026-12-15)'."""
    amount = "" if deal.amount is None else " " + (money(deal.amount) if in_usd(deal) else f"{deal.amount:,.0f} {deal.currency}")
    details = [SOURCES.get(deal.source, deal.source), deal.stage or "", f"closes {deal.close_date.isoformat()}" if deal.close_date else ""]
    return f'"{deal.name}"{amount} (' + ", ".join(d for d in details if d) + ")"


def deals_line(deals: Sequence[Deal], account_name: str, value: float) -> str:
    """The pending deals as the revenue line says them: total, then the soonest ones by name."""
    ordered = soonest_first(deals)
    shown = "; ".join(describe_deal(d) for d in ordered[:SHOWN_DEALS])
    more = len(ordered) - SHOWN_DEALS
    total = f"{money(value)} in " if value else ""
    return (f"{total}{_plural(len(ordered), 'open deal')} of {account_name}: {shown}"
            + (f"; and {more} more" if more > 0 else ""))


def renewal_deal(deals: Iterable[Deal] | None) -> Deal | None:
    """The account's open renewal deal that closes first (one with a close date)."""
    return next((d for d in soonest_first(deals or []) if d.renewal and d.close_date), None)


def with_deal_renewal(account: Account) -> Account:
    """The account with its renewal date taken from its open renewal deal when the CRM has no renewal property."""
    deal = renewal_deal(account.open_deals)
    if account.renewal_date is not None or deal is None:
        return account
    return account.model_copy(update={"renewal_date": deal.close_date})


def merge_deals(first: list[Deal] | None, other: list[Deal] | None) -> list[Deal] | None:
    """Both systems' open deals, each once; None only when neither system said."""
    if first is None and other is None:
        return None
    merged: dict[tuple[str, str], Deal] = {}
    for d in (first or []) + (other or []):
        merged.setdefault((d.source, d.id), d)
    return soonest_first(merged.values())


# --- renewals ---------------------------------------------------------------------------------------------


def renewals_in_window(accounts: Iterable[Customer], now: datetime, window_days: int,
                       overrides: Mapping[str, date] | None = None) -> list[str]:
    """'<name> renews <date>' for each account renewing between today and the window's end."""
    end = now.date() + timedelta(days=window_days)
    out = []
    seen: set[str] = set()
    for a in accounts:
        renewal = (overrides or {}).get(a.id, a.renewal_date)
        if a.id not in seen and renewal and now.date() <= renewal <= end:
            out.append(f"{a.name} renews {renewal.isoformat()}")
        seen.add(a.id)
    return out
