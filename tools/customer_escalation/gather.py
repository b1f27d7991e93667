"""Gathering context: the local workspace plus every configured system, concurrently, under a deadline.

Each source runs as its own task with its own timeout; the call returns by the overall
deadline with whatever arrived and a status per source. One failing source never fails the
call. Results merge into the domain types, de-duplicated, newest first, bounded in size.
"""

from __future__ import annotations

import asyncio
import re
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from .models import (
    Account, AccountSummary, ChatMatch, ChatThread, Context, EscalationRef, KBArticle, KBMatch, RelatedTicket,
    SearchQuery, SourceStatus, Ticket, TrackerItem, TrackerMatch,
)
from .evidence import customer_deadlines, error_strings
from .evidence import timeline as timeline_of
from .matching import _REPORTING, STRONG_MATCH, Symptom, cross_reference, hands_on, ticket_text
from .policy.concepts import SPECIFIC_SYMPTOMS, error_codes
from .policy.model import Policy
from .revenue import merge_deals, with_deal_renewal
from .store import EMPTY_WORKSPACE, RecordKind, Store
from .text import defuse, on_hosts, quote, safe_url, terms
from .text import keywords as extract_keywords

log = logging.getLogger("customer_escalation.gather")

Progress = Callable[[int, int, str], Awaitable[None]]

# Default bounds keep a gather_context answer to a couple of thousand tokens.
LIMITS = {"summary": {"tickets": 6, "tracker": 4, "chat": 3, "kb": 4, "escalations": 4, "accounts": 8},
          "full": {"tickets": 25, "tracker": 12, "chat": 10, "kb": 10, "escalations": 15, "accounts": 30}}


@dataclass
class _Found:
    tickets: list[tuple[Ticket, float]]
    tracker: list[tuple[TrackerItem, float]]
    chat: list[tuple[ChatThread, float]]
    kb: list[tuple[KBArticle, float]]
    accounts: list[Account]


def _empty() -> _Found:
    return _Found([], [], [], [], [])


def _overlap(query_terms: list[str], text: str) -> float:
    """Share of the query's terms present in a remote record (no corpus statistics for remote data)."""
    if not query_terms:
        return 0.0
    doc = set(terms(text))
    return round(sum(1 for t in query_terms if t in doc) / len(query_terms), 3)


def _checked(connector: Any, items: Any, model: type[BaseModel]) -> list[Any]:
    """A connector's records, re-validated (a wrong shape fails that source only, never the merge) and neutral."""
    from .connectors.base import ConnectorError
    from .connectors.registry import link_hosts

    try:
        if not all(isinstance(item, model) for item in items):
            raise TypeError(model.__name__)
        records = [model.model_validate(item.model_dump()) for item in items]
    except (ValueError, TypeError, AttributeError):
        raise ConnectorError(connector.name, "error", f"returned data of an unexpected shape (expected {model.__name__} records)",
                             fix=f"a bug in the {connector.name} connector or a change in its API; report it") from None
    hosts = link_hosts(connector)
    return [neutral(record, hosts) for record in records]


# free text keeps its lines (search and error-text extraction read them); every other string is a one-line label
_LONG_TEXT = frozenset({"description", "body", "text", "notes", "workaround"})


def neutral(record: BaseModel, hosts: set[str]) -> Any:
    """A record from another system with every string neutralised as ticket text is: control and bidi characters
    removed, tool-call and prompt markup defused; labels (status, team, channel, ids, names...) on one bounded line;
    a link kept only when it is one plain http(s) URL on the system's own hosts."""
    def value(name: str, v: Any) -> Any:
        if isinstance(v, BaseModel):
            return neutral(v, hosts)
        if isinstance(v, list):
            return [value(name, item) for item in v]
        if not isinstance(v, str):
            return v
        if name == "url":
            url = safe_url(v)
            return url if url and on_hosts(url, hosts) else None
        return defuse(v) if name in _LONG_TEXT else quote(v, 200)

    return record.model_copy(update={name: value(name, v) for name, v in record})


async def _remote(connector: Any, query: SearchQuery, account_query: str, query_terms: list[str]) -> tuple[_Found, bool]:
    """One system's part: account lookup (if it keeps accounts) and its category's search."""
    found = _empty()
    truncated = False
    category = connector.category
    if account_query and hasattr(connector, "find_accounts"):
        found.accounts = _checked(connector, await connector.find_accounts(account_query), Account)
        if len(found.accounts) == 1:
            query = query.model_copy(update={"account": found.accounts[0]})
    kinds: dict[str, tuple[str, type[BaseModel]]] = {
        "support": ("search_tickets", Ticket), "tracker": ("search_items", TrackerItem),
        "chat": ("search_messages", ChatThread), "knowledge_base": ("search_articles", KBArticle)}
    if category not in kinds:
        return found, truncated
    search, model = kinds[category]
    page = await getattr(connector, search)(query)
    items = _checked(connector, getattr(page, "items", None), model)
    truncated = bool(getattr(page, "truncated", False))
    if category == "support":
        found.tickets = [(t, _overlap(query_terms, f"{t.subject} {t.description} {' '.join(m.body for m in t.messages)}")) for t in items]
    elif category == "tracker":
        found.tracker = [(t, _overlap(query_terms, f"{t.title} {t.description}")) for t in items]
    elif category == "chat":
        found.chat = [(t, _overlap(query_terms, f"{t.topic} {' '.join(m.text for m in t.messages)}")) for t in items]
    else:
        found.kb = [(k, _overlap(query_terms, f"{k.title} {k.body}")) for k in items]
    return found, truncated


def _status_for(connector: Any, exc: BaseException | None, elapsed: float, items: int, truncated: bool) -> SourceStatus:
    from .connectors.base import ConnectorError

    base = dict(source=connector.name, category=connector.category, elapsed_ms=int(elapsed * 1000), items=items, truncated=truncated)
    if exc is None:
        return SourceStatus(state="ok", **base)
    if isinstance(exc, asyncio.TimeoutError | TimeoutError):
        return SourceStatus(state="timed_out", detail="no answer before the deadline", **base)
    if isinstance(exc, ConnectorError):
        detail = exc.message + (f"; fix: {exc.fix}" if exc.fix else "")
        return SourceStatus(state=exc.state, detail=detail, **base)
    # an unexpected failure inside a connector: report its type only (its text may echo remote data)
    log.warning("source %s failed: %s", connector.name, type(exc).__name__)
    return SourceStatus(state="error", detail=f"unexpected {type(exc).__name__} in the {connector.name} connector", **base)


async def gather(
    issue: str,
    account_query: str,
    store: Store,
    policy: Policy,
    now: datetime,
    *,
    connectors: Sequence[Any] = (),
    deadline: float = 4.0,
    detail: str = "summary",
    progress: Progress | None = None,
    history: Callable[[str | None], list[EscalationRef]] | None = None,
) -> Context:
    """Collect what every source knows about `issue` (and `account_query` when given)."""
    limits = LIMITS.get(detail, LIMITS["summary"])
    accounts = store.accounts()
    plan_counts, plan_arr = _plans(accounts)

    # account: the workspace first, then what the systems say; an account named in the text counts
    if not account_query:
        account_query = mentioned_account(issue, store.derived("account_names", lambda: account_names(accounts)))
    local_matches = store.find_accounts(account_query) if account_query else []
    drop = {t for t in terms(account_query)} | {t for p in plan_counts for t in terms(p)} | _REPORTING
    query_terms = extract_keywords(issue, drop=drop)
    account = local_matches[0] if len(local_matches) == 1 else None
    query = SearchQuery(text=issue, keywords=query_terms, account=account, limit=20)

    results, statuses = await _fan_out(store, connectors, query, account_query, query_terms, account, deadline, progress)

    remote_accounts = [a for r in results[1:] for a in r.accounts]
    account, candidates, aliases = _resolve_account(account, local_matches, remote_accounts)
    account = _quoted_account(account) if account is not None else None
    if account is not None and aliases:
        # each system files tickets under its own id for the account: count them all as this account's
        for r in results[1:]:
            r.tickets = [(t.model_copy(update={"account_id": account.id}) if (t.source, t.account_id) in aliases else t, s)
                         for t, s in r.tickets]
    ctx = _merge(issue, account_query, account, candidates, results, store, policy, now, limits, history)
    ctx.keywords = query_terms
    ctx.plan_counts, ctx.plan_arr = plan_counts, plan_arr
    ctx.sources = statuses
    return ctx


def _plans(accounts: list[Account]) -> tuple[dict[str, int], dict[str, float]]:
    """How many accounts and how much ARR each plan has (a segment's size)."""
    counts: dict[str, int] = {}
    arr: dict[str, float] = {}
    for acc in accounts:
        if acc.plan:
            counts[acc.plan] = counts.get(acc.plan, 0) + 1
            arr[acc.plan] = arr.get(acc.plan, 0.0) + (acc.arr or 0.0)
    return counts, arr


def _search_workspace(store: Store, query_terms: list[str], account: Account | None) -> tuple[_Found, int]:
    """The workspace's part: tickets, tracker items, chat and articles on these terms, and the account's own tickets."""
    local = _empty()
    sizes: tuple[tuple[RecordKind, int], ...] = (("ticket", 60), ("tracker", 15), ("chat", 10), ("kb", 10))
    hits = {kind: store.search(kind, query_terms, limit=n) for kind, n in sizes}
    local.tickets = [(h.record, h.score) for h in hits["ticket"]]
    local.tracker = [(h.record, h.score) for h in hits["tracker"]]
    local.chat = [(h.record, h.score) for h in hits["chat"]]
    local.kb = [(h.record, h.score) for h in hits["kb"]]
    if account is not None:
        # the account's own recent tickets on this problem, even when other customers' tickets rank higher
        own = store.search("ticket", query_terms, limit=10, account_id=account.id)
        seen = {t.id for t, _ in local.tickets}
        local.tickets += [(h.record, h.score) for h in own if h.record.id not in seen]
    return local, sum(len(v) for v in hits.values())


async def _fan_out(store: Store, connectors: Sequence[Any], query: SearchQuery, account_query: str, query_terms: list[str],
                   account: Account | None, deadline: float, progress: Progress | None) -> tuple[list[_Found], list[SourceStatus]]:
    """Every connected system at once, each in a task of one TaskGroup that ends by the deadline (a system still
    working then is cancelled and reported as timed out); the workspace is searched meanwhile. One failing source
    never fails the call."""
    loop = asyncio.get_running_loop()
    end = loop.time() + deadline
    total, done = 1 + len(connectors), 0
    results: list[_Found] = []
    statuses: list[SourceStatus] = []

    async def report(message: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            try:
                await progress(done, total, message)
            except Exception:  # progress is best effort; a client that went away must not fail the call
                log.debug("progress notification failed")

    async def one(connector: Any) -> None:
        t_start = time.perf_counter()
        found, exc, truncated = None, None, False
        try:
            async with asyncio.timeout_at(end):
                found, truncated = await _remote(connector, query, account_query, query_terms)
        except Exception as error:  # TimeoutError at the deadline, a ConnectorError, or a connector's own bug
            exc = error
        elapsed = time.perf_counter() - t_start
        if found is not None:
            results.append(found)
            n = len(found.tickets) + len(found.tracker) + len(found.chat) + len(found.kb) + len(found.accounts)
            statuses.append(_status_for(connector, None, elapsed, n, truncated))
        else:
            statuses.append(_status_for(connector, exc, elapsed, 0, False))
        await report(f"{connector.name}: {statuses[-1].state}")

    async with asyncio.TaskGroup() as group:
        for connector in connectors:
            group.create_task(one(connector))
        # remote sources run while the workspace is searched
        t0 = time.perf_counter()
        local, items = _search_workspace(store, query_terms, account)
        empty = store.is_empty() and not connectors
        statuses.insert(0, SourceStatus(source="workspace", category="workspace", state="ok", items=items,
                                        elapsed_ms=int((time.perf_counter() - t0) * 1000),
                                        detail=EMPTY_WORKSPACE.format(name=store.workspace_name) if empty else None))
        results.insert(0, local)
        await report("workspace searched")
    return results, statuses


def account_names(accounts: list[Account]) -> list[tuple[str, str, list[str]]]:
    """(normalised name, name, lower-case domains) per account, for finding names in issue text."""
    return [(" ".join(terms(a.name, keep_stopwords=True)), a.name, [d.lower() for d in a.domains if d]) for a in accounts]


def mentioned_account(issue: str, names: list[tuple[str, str, list[str]]]) -> str:
    """The longest workspace account name (or domain) that appears in the issue text as whole words, if any."""
    lower = " " + " ".join(terms(issue, keep_stopwords=True)) + " "
    issue_lower = issue.lower()
    best = ""
    for name_terms, name, domains in names:
        if len(name_terms) >= 3 and f" {name_terms} " in lower and len(name) > len(best):
            best = name
        for domain in domains:
            if domain in issue_lower and len(domain) > len(best):
                best = domain
    return best


def _same_account(a: Account, b: Account) -> bool:
    if a.name.strip().lower() == b.name.strip().lower():
        return True
    return bool({d.lower() for d in a.domains} & {d.lower() for d in b.domains})


def _resolve_account(local: Account | None, local_matches: list[Account], remote: list[Account]
                     ) -> tuple[Account | None, list[Account], set[tuple[str, str]]]:
    """One account when the sources agree on one (with each source's id for it); otherwise the candidates."""
    if local is None and len(local_matches) > 1:
        return None, local_matches, set()
    groups: list[list[Account]] = []
    for acc in ([local] if local else []) + remote:
        for group in groups:
            if _same_account(group[0], acc):
                group.append(acc)
                break
        else:
            groups.append([acc])
    if not groups:
        return None, [], set()
    if local is None and len(groups) > 1:
        return None, [g[0] for g in groups], set()
    group = groups[0]
    merged = group[0]
    for other in group[1:]:
        # fill what the first source lacks; a CRM is authoritative for revenue and renewal; open deals of every CRM count
        update = {k: getattr(other, k) for k, v in other.model_dump().items() if v not in (None, [], "") and (
            getattr(merged, k) in (None, [], "") or (other.source in ("hubspot", "salesforce") and k in ("arr", "renewal_date", "owner")))}
        update.pop("id", None)
        update.pop("source", None)
        update["open_deals"] = merge_deals(merged.open_deals, other.open_deals)
        merged = merged.model_copy(update=update)
    return with_deal_renewal(merged), [], {(a.source, a.id) for a in group[1:]}


def _quoted_account(account: Account) -> Account:
    """The account's free text (notes, names, contacts) as quoted data: CRM fields are typed in by many hands."""
    def q(value: str | None, limit: int = 120) -> str | None:
        return quote(value, limit) if value else value

    return account.model_copy(update=dict(
        name=quote(account.name, 120), notes=q(account.notes, 300), owner=q(account.owner), segment=q(account.segment),
        sla_tier=q(account.sla_tier), plan=q(account.plan, 60), url=safe_url(account.url),
        domains=[quote(d, 120) for d in account.domains],
        key_contacts=[c.model_copy(update=dict(name=quote(c.name, 80), role=q(c.role, 80), email=q(c.email, 120))) for c in account.key_contacts],
        open_deals=None if account.open_deals is None else [
            d.model_copy(update=dict(name=quote(d.name, 120), stage=q(d.stage, 60))) for d in account.open_deals],
    ))


def _summary(account: Account, tickets: int = 0) -> AccountSummary:
    return AccountSummary(id=account.id, name=quote(account.name, 120), plan=quote(account.plan, 60) if account.plan else None, arr=account.arr,
                          renewal_date=account.renewal_date, reference_customer=account.reference_customer, tickets=tickets)


# a quotation opens after a space, a colon or a bracket (not the apostrophe of "Coffee's") and closes before a non-letter
class _Accounts:
    """Accounts by id, each read from the store once per gather."""

    def __init__(self, store: Store, account: Account | None) -> None:
        self.store = store
        self.cache: dict[str, Account | None] = {account.id: account} if account is not None else {}

    def get(self, account_id: str | None) -> Account | None:
        if not account_id:
            return None
        if account_id not in self.cache:
            self.cache[account_id] = self.store.get("account", account_id)
        return self.cache[account_id]


def _judge(issue: str, results: list[_Found], store: Store, min_score: float, account: Account | None = None
           ) -> tuple[dict[tuple[str, str], tuple[Ticket, float]], dict[tuple[str, str], str]]:
    """Every record's match adjusted for the symptom, and why; tickets de-duplicated by source and id."""
    symptom = Symptom.of(issue)
    reasons: dict[tuple[str, str], str] = {}
    # tracker items first: a ticket an item on this very problem links to is the same problem
    for r in results:
        judged = [(item, symptom.judge(f"{item.title} {item.description}", score, min_score)) for item, score in r.tracker]
        r.tracker = [(item, s) for item, (s, _) in judged]
        for item, (s, _) in judged:
            if s >= min_score and item.kind in ("bug", "incident") and item.status_category != "done":
                for ticket_id in item.linked_ticket_ids[:50]:
                    reasons.setdefault((item.source, ticket_id), f"linked to {item.id}")
        r.kb = [(k, symptom.judge(f"{k.title} {k.body} {k.workaround or ''}", score, min_score)[0]) for k, score in r.kb]

    tickets: dict[tuple[str, str], tuple[Ticket, float]] = {}
    for r in results:
        for t, score in r.tickets:
            key = (t.source, t.id)
            linked = reasons.get(key)
            score, why = (max(score, min_score), linked) if linked else symptom.judge(ticket_text(t), score, min_score)
            if key not in tickets or tickets[key][1] < score:
                tickets[key] = (t, score)
                reasons[key] = why
    # citations are followed from tickets judged on a described failure, or matched closely: a loose match's
    # citations would spread its error to the tracker and the KB
    specific = bool(symptom.behaviours & SPECIFIC_SYMPTOMS or symptom.codes or symptom.quoted)
    follow = min_score if specific else max(min_score, STRONG_MATCH)
    # the named account's own report of it, matched well, is as good a guide to what it cites as a close match
    own_follow = min(follow, (min_score + STRONG_MATCH) / 2)
    cross_reference(tickets, results[0].tracker, results[0].kb, store, follow, reasons,
                    own=(account.id, own_follow) if account is not None else None)
    return tickets, reasons


def _reporters(recent_same: list[tuple[Ticket, float]], results: list[_Found], store: Store, account: Account | None,
               min_score: float) -> dict[str, int]:
    """Same-problem reports per account in the pattern window, plus the accounts an open bug on it links to."""
    by_account: dict[str, int] = {}
    for t, _ in recent_same:
        if t.account_id:
            by_account[t.account_id] = by_account.get(t.account_id, 0) + 1
    # customers the tracker links to an open bug on this problem are affected too
    for r in results:
        for item, score in r.tracker:
            if score >= min_score and item.status_category != "done" and item.kind in ("bug", "incident"):
                for ticket_id in item.linked_ticket_ids[:50]:
                    linked = store.get("ticket", ticket_id)
                    if linked is not None and linked.account_id:
                        by_account[linked.account_id] = max(by_account.get(linked.account_id, 0), 1)
    if account is not None:
        # the named account counts when it is not among the reporters yet
        by_account.setdefault(account.id, 0)
    return by_account


def _related(tickets: dict[tuple[str, str], tuple[Ticket, float]], reasons: dict[tuple[str, str], str], accounts: _Accounts,
             account: Account | None, min_score: float, keep: int, omitted: dict[str, int]) -> list[RelatedTicket]:
    """The tickets shown: same problem first, the named account's own kept visible, each saying why it matched."""
    related: list[RelatedTicket] = []
    ranked = sorted(tickets.values(), key=lambda ts: (ts[1] >= min_score, (ts[0].account_id == (account.id if account else None)), ts[0].updated_at or ts[0].created_at), reverse=True)
    for t, score in ranked:
        if score < min_score * 0.6:
            continue
        acc = accounts.get(t.account_id)
        first_text = t.description or (t.messages[0].body if t.messages else "")
        related.append(RelatedTicket(
            id=t.id, account_id=t.account_id, account_name=quote(acc.name, 120) if acc else None, subject=quote(t.subject, 120),
            status=t.status, priority=t.priority, created_at=t.created_at, updated_at=t.updated_at, match=score,
            same_problem=score >= min_score, why=quote(reasons.get((t.source, t.id), ""), 100), url=safe_url(t.url), source=t.source,
            excerpt=quote(first_text, 160),
        ))
    # keep the named account's tickets visible even when many others match
    own = [r for r in related if account and r.account_id == account.id][: max(2, keep // 3)]
    rest = [r for r in related if r not in own][: keep - len(own)]
    if len(related) > keep:
        omitted["related_tickets"] = len(related) - len(own) - len(rest)
    out = own + rest
    out.sort(key=lambda r: (r.same_problem, r.updated_at or r.created_at), reverse=True)
    return out


def _affected(by_account: dict[str, int], accounts: _Accounts, limit: int, omitted: dict[str, int]) -> list[AccountSummary]:
    affected = [_summary(acc, n) for acc_id, n in sorted(by_account.items(), key=lambda kv: -kv[1]) if (acc := accounts.get(acc_id))]
    affected.sort(key=lambda a: -(a.arr or 0))
    if len(affected) > limit:
        omitted["affected_accounts"] = len(affected) - limit
    return affected[:limit]


def _past(store: Store, account: Account | None, history: Callable[[str | None], list[EscalationRef]] | None,
          limit: int, omitted: dict[str, int]) -> list[EscalationRef]:
    """Earlier escalations of the account: the workspace's and the escalation log's, newest first."""
    past: list[EscalationRef] = []
    if account is not None:
        for e in store.records_for_account("escalation", account.id, limit=50):
            past.append(EscalationRef(id=e.id, summary=quote(e.summary, 160), target=e.target.value, severity=e.severity.value,
                                      status=e.status, created_at=e.created_at, url=safe_url(e.url)))
    if history is not None:
        past += [e.model_copy(update={"url": safe_url(e.url)}) for e in history(account.id if account else None)]
    past.sort(key=lambda e: e.created_at, reverse=True)
    if len(past) > limit:
        omitted["past_escalations"] = len(past) - limit
    return past[:limit]


def _matches(results: list[_Found], limits: dict[str, int], min_score: float, omitted: dict[str, int]
             ) -> tuple[list[TrackerMatch], list[ChatMatch], list[KBMatch]]:
    """The tracker items, chat threads and articles shown, best first, each as the domain type."""
    floor = min_score * 0.6
    tracker = _top([(t, s) for r in results for t, s in r.tracker], limits["tracker"], floor, omitted, "tracker_items", key=lambda t: (t.source, t.id))
    chat = _top([(t, s) for r in results for t, s in r.chat], limits["chat"], floor, omitted, "chat_threads", key=lambda t: (t.source, t.id))
    kb = _top([(t, s) for r in results for t, s in r.kb], limits["kb"], floor, omitted, "kb_articles", key=lambda t: (t.source, t.id))
    return (
        [TrackerMatch(id=t.id, kind=t.kind, title=quote(t.title, 140), status=quote(t.status, 60),
                      status_category=t.status_category, team=quote(t.team, 80) if t.team else None, match=s,
                      linked_tickets=len(t.linked_ticket_ids), url=safe_url(t.url), source=t.source) for t, s in tracker],
        [ChatMatch(id=t.id, channel=quote(t.channel, 80), topic=quote(t.topic, 120),
                   at=max((m.created_at for m in t.messages), default=t.created_at),
                   excerpt=quote(" / ".join(m.text for m in t.messages[:2]), 200), url=safe_url(t.url), source=t.source)
         for t, s in chat],
        [KBMatch(id=k.id, title=quote(k.title, 140), kind=k.kind, match=s, applies=s >= min_score and not hands_on(k),
                 # a workaround for another symptom is not shown where it could be offered for this one (an article
                 # with a workaround never counts as passing the case on, so `applies` alone does not decide it)
                 workaround=quote(k.workaround, 240) if k.workaround and s >= min_score else None,
                 url=safe_url(k.url), source=k.source) for k, s in kb],
    )


def _merge(issue: str, account_query: str, account: Account | None, candidates: list[Account], results: list[_Found],
           store: Store, policy: Policy, now: datetime, limits: dict[str, int],
           history: Callable[[str | None], list[EscalationRef]] | None) -> Context:
    omitted: dict[str, int] = {}
    min_score = policy.related_min_score
    window_start = now - timedelta(days=policy.pattern_window_days)
    tickets, reasons = _judge(issue, results, store, min_score, account)
    accounts = _Accounts(store, account)

    same = [(t, s) for t, s in tickets.values() if s >= min_score and t.created_at <= now]
    recent_same = [(t, s) for t, s in same if t.created_at >= window_start or (t.updated_at and t.updated_at >= window_start)]
    by_account = _reporters(recent_same, results, store, account, min_score)
    related = _related(tickets, reasons, accounts, account, min_score, limits["tickets"], omitted)
    affected = _affected(by_account, accounts, limits["accounts"], omitted)
    # the timeline of the current episode: older tickets about the same problem stay in the list, not the clock
    timeline = timeline_of([t for t, _ in (recent_same or same)], account, now)
    ids = [*(t.id for t, _ in tickets.values()), *(i.id for f in results for i, _ in f.tracker), *(k.id for f in results for k, _ in f.kb)]
    prefixes = frozenset(i.split("-")[0] for i in ids if "-" in i)
    told = [c for c in sorted(error_codes(issue)) if re.search(r"[A-Z]", c)]  # what the engineer quoted comes first
    errors = list(dict.fromkeys(told + error_strings([t for t, _ in sorted(same, key=lambda ts: -ts[1])][:20], record_prefixes=prefixes)))[:5]
    own_first = sorted(recent_same or same, key=lambda ts: (not (account and ts[0].account_id == account.id), -ts[1]))
    chat_on_it = [t for r in results for t, score in r.chat if score >= min_score]
    deadlines = customer_deadlines([t for t, _ in own_first][:10], chat_on_it)
    tracker, chat, kb = _matches(results, limits, min_score, omitted)
    return Context(
        issue=issue, account_query=account_query, account=account,
        account_candidates=[_summary(a) for a in candidates[:10]],
        related_tickets=related, customers_reporting=len([a for a, n in by_account.items() if n > 0]), affected_accounts=affected,
        account_open_tickets=sum(1 for t, _ in tickets.values() if account and t.account_id == account.id and t.status not in ("solved", "closed")),
        timeline=timeline, tracker_items=tracker, chat_threads=chat, kb_articles=kb,
        past_escalations=_past(store, account, history, limits["escalations"], omitted), error_strings=errors,
        customer_deadlines=deadlines, omitted=omitted, now=now,
    )


def _top(items: list[tuple[Any, float]], n: int, floor: float, omitted: dict[str, int], label: str, key: Callable[[Any], Any]) -> list[tuple[Any, float]]:
    best: dict[Any, tuple[Any, float]] = {}
    for item, score in items:
        k = key(item)
        if score >= floor and (k not in best or best[k][1] < score):
            best[k] = (item, score)
    ranked = sorted(best.values(), key=lambda it: it[1], reverse=True)
    if len(ranked) > n:
        omitted[label] = len(ranked) - n
    return ranked[:n]
