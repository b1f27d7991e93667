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
    SearchQuery, SourceStatus, Ticket, Timeline, TrackerItem, TrackerMatch,
)
from .policy.concepts import SPECIFIC_SYMPTOMS, asks_rather_than_reports, error_codes, symptoms
from .policy.model import Policy
from .revenue import merge_deals, with_deal_renewal
from .store import EMPTY_WORKSPACE, Store
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


def _checked(connector: Any, items: Any, model: type) -> list[Any]:
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
    search, model = {"support": ("search_tickets", Ticket), "tracker": ("search_items", TrackerItem),
                     "chat": ("search_messages", ChatThread), "knowledge_base": ("search_articles", KBArticle)}.get(category, (None, None))
    if search is None:
        return found, truncated
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
    started = time.perf_counter()
    limits = LIMITS.get(detail, LIMITS["summary"])
    plan_counts: dict[str, int] = {}
    plan_arr: dict[str, float] = {}
    accounts = store.accounts()
    for acc in accounts:
        if acc.plan:
            plan_counts[acc.plan] = plan_counts.get(acc.plan, 0) + 1
            plan_arr[acc.plan] = plan_arr.get(acc.plan, 0.0) + (acc.arr or 0.0)

    # account: the workspace first, then what the systems say; an account named in the text counts
    if not account_query:
        account_query = mentioned_account(issue, store.derived("account_names", lambda: account_names(accounts)))
    local_matches = store.find_accounts(account_query) if account_query else []
    drop = {t for t in terms(account_query)} | {t for p in plan_counts for t in terms(p)} | _REPORTING
    query_terms = extract_keywords(issue, drop=drop)
    account = local_matches[0] if len(local_matches) == 1 else None
    query = SearchQuery(text=issue, keywords=query_terms, account=account, limit=20)

    total = 1 + len(connectors)
    done = 0

    async def report(message: str) -> None:
        nonlocal done
        done += 1
        if progress is not None:
            try:
                await progress(done, total, message)
            except Exception:  # progress is best effort; a client that went away must not fail the call
                log.debug("progress notification failed")

    # remote sources run while the workspace is searched
    tasks: dict[asyncio.Task, tuple[Any, float]] = {}
    for connector in connectors:
        task = asyncio.create_task(_remote(connector, query, account_query, query_terms))
        tasks[task] = (connector, time.perf_counter())

    local = _empty()
    t0 = time.perf_counter()
    local_hits = {kind: store.search(kind, query_terms, limit=n) for kind, n in (("ticket", 60), ("tracker", 15), ("chat", 10), ("kb", 10))}
    local.tickets = [(h.record, h.score) for h in local_hits["ticket"]]
    local.tracker = [(h.record, h.score) for h in local_hits["tracker"]]
    local.chat = [(h.record, h.score) for h in local_hits["chat"]]
    local.kb = [(h.record, h.score) for h in local_hits["kb"]]
    if account is not None:
        # the account's own recent tickets on this problem, even when other customers' tickets rank higher
        own = store.search("ticket", query_terms, limit=10, account_id=account.id)
        seen = {t.id for t, _ in local.tickets}
        local.tickets += [(h.record, h.score) for h in own if h.record.id not in seen]
    empty = store.is_empty() and not connectors
    statuses = [SourceStatus(source="workspace", category="workspace", state="ok",
                             items=sum(len(v) for v in local_hits.values()), elapsed_ms=int((time.perf_counter() - t0) * 1000),
                             detail=EMPTY_WORKSPACE.format(name=store.workspace_name) if empty else None)]
    await report("workspace searched")

    results: list[_Found] = [local]
    if tasks:
        remaining = max(0.0, deadline - (time.perf_counter() - started))
        pending = set(tasks)
        end = time.perf_counter() + remaining
        while pending:
            timeout = end - time.perf_counter()
            if timeout <= 0:
                break
            finished, pending = await asyncio.wait(pending, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            for task in finished:
                connector, t_start = tasks[task]
                elapsed = time.perf_counter() - t_start
                exc = task.exception()
                if exc is None:
                    found, truncated = task.result()
                    results.append(found)
                    n = len(found.tickets) + len(found.tracker) + len(found.chat) + len(found.kb) + len(found.accounts)
                    statuses.append(_status_for(connector, None, elapsed, n, truncated))
                else:
                    statuses.append(_status_for(connector, exc, elapsed, 0, False))
                await report(f"{connector.name}: {statuses[-1].state}")
        for task in pending:
            task.cancel()
            connector, t_start = tasks[task]
            statuses.append(_status_for(connector, TimeoutError(), time.perf_counter() - t_start, 0, False))
        if pending:
            await asyncio.wait(pending, timeout=0.2)

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
_QUOTED = re.compile(r"""(?:^|(?<=[\s:(\[]))["'“‘]([^"'”’\n]{4,80}?)["'”’](?![A-Za-z])""")
STRONG_MATCH = 0.8
# how the engineer relays the problem ("customer asks", "they say"): not what the problem is about
_REPORTING = set(terms("ask asks asked asking says said tells told reports reported mentions mentioned claims claimed wonders complains "
                      "whether want wants wanted know knows need needs needed came come comes mean means even would could might "
                      "found find finds tried trying try let lets make makes made going went happen happened"))
# how a failure behaves: shared alone, these say nothing about which feature fails
_BEHAVIOUR_TERMS = set(terms("stuck spinning spin hanging hung frozen freezing stalled processing pending queued loop looping redirect "
                             "bounced twice double duplicate duplicated missing blank empty lost wrong incorrect slow timeout timed "
                             "late delayed delay crash crashes error errors fail fails failed failing failure declined rejected "
                             "invalid denied broken working works"))  # the same error code or quoted message: as close as two reports get


@dataclass
class _Symptom:
    """What the issue reports, to tell the same problem from the same product area."""

    behaviours: set[str]
    codes: set[str]
    asks: bool  # the issue itself asks how to do something
    terms: set[str]

    quoted: list[str]  # what the issue quotes: an error message or a status as the screen shows it

    @classmethod
    def of(cls, issue: str) -> _Symptom:
        quoted = [q.strip().lower() for q in _QUOTED.findall(issue) if len(q.split()) >= 2 or error_codes(q)]
        return cls(symptoms(issue), error_codes(issue), asks_rather_than_reports(issue), set(terms(issue)), quoted)

    def judge(self, text: str, score: float, min_score: float) -> tuple[float, str]:
        """The match adjusted for behaviour, and why: the same error code, quoted message or behaviour lifts a record
        the words alone placed near the threshold; a different behaviour, or a how-to for a failure, drops it below."""
        same = sorted(self.codes & error_codes(text)) + [q for q in self.quoted if q in text.lower()]
        if same:
            return max(score, STRONG_MATCH), "same error: " + ", ".join(f"'{x}'" for x in same[:2])
        behaviours = symptoms(text)
        shared = self.behaviours & behaviours
        common = sorted(self.terms & set(terms(text)))
        words = common[:4]
        why = ("same behaviour: " + ", ".join(sorted(shared)) + "; " if shared else "") + ("shares: " + ", ".join(words) if words else "")
        if self.behaviours & SPECIFIC_SYMPTOMS and not self.asks and asks_rather_than_reports(text):
            return round(score * 0.5, 3), "asks how, reports no failure"
        if self.asks and not self.behaviours and behaviours & SPECIFIC_SYMPTOMS:
            return round(score * 0.5, 3), "reports a failure; the issue asks a question"
        if self.behaviours and behaviours and not shared:
            return round(score * 0.5, 3), "a different behaviour: " + ", ".join(sorted(behaviours))
        if self.behaviours and not behaviours and self.behaviours & SPECIFIC_SYMPTOMS:
            return round(min(score, min_score * 0.99), 3), why or "no failure described"
        feature = [t for t in common if t not in _BEHAVIOUR_TERMS]
        if self.asks and not self.behaviours and not behaviours & SPECIFIC_SYMPTOMS and len(feature) >= 3 and score >= min_score * 0.5:
            # the same request in other words ("split payouts" and "send part of each payout to a reserve account"):
            # three shared words of the feature, and neither reports a failure
            return max(score, min_score), "the same ask; " + why
        if shared & SPECIFIC_SYMPTOMS and feature and (score >= min_score * 0.6 or (score >= min_score * 0.5 and len(feature) >= 2)):
            # the same behaviour of the same thing ("pay run stuck", "pay run spinning for hours"), in other words
            return max(score, min_score), why
        return score, why


_RECORD_ID = re.compile(r"\b[A-Z][A-Z0-9]{1,9}-\d{1,7}\b")


def _cross_reference(tickets: dict[tuple[str, str], tuple[Ticket, float]], local: _Found, store: Store, min_score: float,
                     reasons: dict[tuple[str, str], str]) -> None:
    """Records the same-problem tickets cite by id ("linked to ENG-2291", "see KB-110", "same as BW-7083") are about
    this problem too, however they are worded; so are the tickets a cited open bug links. Workspace records only."""
    cited: dict[str, str] = {}
    for (_, ticket_id), (t, score) in list(tickets.items()):
        if score >= min_score:
            text = " ".join([t.subject, t.description or "", *(m.body for m in t.messages)])
            for record_id in _RECORD_ID.findall(text):
                if record_id != ticket_id:
                    cited.setdefault(record_id, ticket_id)
    if not cited:
        return
    tracker = {item.id: i for i, (item, _) in enumerate(local.tracker)}
    kb = {k.id: i for i, (k, _) in enumerate(local.kb)}
    linked: list[tuple[str, str]] = []
    for record_id, by in cited.items():
        why = f"cited in {by}"
        if record_id in tracker or (item := store.get("tracker", record_id)) is not None:
            i = tracker.get(record_id)
            item, score = local.tracker[i] if i is not None else (item, 0.0)
            if i is None:
                local.tracker.append((item, min_score))
            elif score < min_score:
                local.tracker[i] = (item, min_score)
            if item.kind in ("bug", "incident") and item.status_category != "done":
                linked += [(ticket_id, f"linked to {item.id}") for ticket_id in item.linked_ticket_ids[:50]]
        elif record_id in kb or (article := store.get("kb", record_id)) is not None:
            i = kb.get(record_id)
            if i is None:
                local.kb.append((article, min_score))
            elif local.kb[i][1] < min_score:
                local.kb[i] = (local.kb[i][0], min_score)
        else:
            linked.append((record_id, why))
    for ticket_id, why in linked:
        key = ("workspace", ticket_id)
        current = tickets.get(key)
        if current is None:
            found = store.get("ticket", ticket_id)
            if found is None:
                continue
            current = (found, 0.0)
        if current[1] < min_score:
            tickets[key] = (current[0], min_score)
            reasons[key] = why


def _ticket_text(t: Ticket) -> str:
    first = next((m.body for m in t.messages if m.author_role == "customer"), "")
    return f"{t.subject} {t.description or first}"


def _merge(issue: str, account_query: str, account: Account | None, candidates: list[Account], results: list[_Found],
           store: Store, policy: Policy, now: datetime, limits: dict[str, int],
           history: Callable[[str | None], list[EscalationRef]] | None) -> Context:
    omitted: dict[str, int] = {}
    min_score = policy.related_min_score
    window_start = now - timedelta(days=policy.pattern_window_days)

    symptom = _Symptom.of(issue)
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

    # tickets: de-duplicate by source and id; newest first among those on the same problem
    tickets: dict[tuple[str, str], tuple[Ticket, float]] = {}
    for r in results:
        for t, score in r.tickets:
            key = (t.source, t.id)
            linked = reasons.get(key)
            score, why = (max(score, min_score), linked) if linked else symptom.judge(_ticket_text(t), score, min_score)
            if key not in tickets or tickets[key][1] < score:
                tickets[key] = (t, score)
                reasons[key] = why
    # citations are followed from tickets judged on a described failure, or matched closely: a loose match's
    # citations would spread its error to the tracker and the KB
    specific = bool(symptom.behaviours & SPECIFIC_SYMPTOMS or symptom.codes or symptom.quoted)
    _cross_reference(tickets, results[0], store, min_score if specific else max(min_score, STRONG_MATCH), reasons)
    names: dict[str, str] = {}
    account_cache: dict[str, Account | None] = {}

    if account is not None:
        account_cache[account.id] = account

    def account_of(account_id: str | None) -> Account | None:
        if not account_id:
            return None
        if account_id not in account_cache:
            account_cache[account_id] = store.get("account", account_id)
        return account_cache[account_id]

    same = [(t, s) for t, s in tickets.values() if s >= min_score and t.created_at <= now]
    recent_same = [(t, s) for t, s in same if t.created_at >= window_start or (t.updated_at and t.updated_at >= window_start)]
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
    related: list[RelatedTicket] = []
    ranked = sorted(tickets.values(), key=lambda ts: (ts[1] >= min_score, (ts[0].account_id == (account.id if account else None)), ts[0].updated_at or ts[0].created_at), reverse=True)
    for t, score in ranked:
        if score < min_score * 0.6:
            continue
        acc = account_of(t.account_id)
        if acc:
            names[acc.id] = acc.name
        first_text = t.description or (t.messages[0].body if t.messages else "")
        related.append(RelatedTicket(
            id=t.id, account_id=t.account_id, account_name=quote(acc.name, 120) if acc else None, subject=quote(t.subject, 120),
            status=t.status, priority=t.priority, created_at=t.created_at, updated_at=t.updated_at, match=score,
            same_problem=score >= min_score, why=quote(reasons.get((t.source, t.id), ""), 100), url=safe_url(t.url), source=t.source,
            excerpt=quote(first_text, 160),
        ))
    keep = limits["tickets"]
    # keep the named account's tickets visible even when many others match
    own = [r for r in related if account and r.account_id == account.id][: max(2, keep // 3)]
    rest = [r for r in related if r not in own][: keep - len(own)]
    if len(related) > keep:
        omitted["related_tickets"] = len(related) - len(own) - len(rest)
    related_out = own + rest
    related_out.sort(key=lambda r: (r.same_problem, r.updated_at or r.created_at), reverse=True)

    affected: list[AccountSummary] = []
    for acc_id, n in sorted(by_account.items(), key=lambda kv: -kv[1]):
        acc = account if account and acc_id == account.id else account_of(acc_id)
        if acc:
            affected.append(_summary(acc, n))
    affected.sort(key=lambda a: -(a.arr or 0))
    customers_reporting = len([a for a, n in by_account.items() if n > 0])
    if len(affected) > limits["accounts"]:
        omitted["affected_accounts"] = len(affected) - limits["accounts"]
    # the timeline of the current episode: older tickets about the same problem stay in the list, not the clock
    timeline = _timeline([t for t, _ in (recent_same or same)], account, now)
    errors = _error_strings([t for t, _ in sorted(same, key=lambda ts: -ts[1])][:20])
    own_first = sorted(recent_same or same, key=lambda ts: (not (account and ts[0].account_id == account.id), -ts[1]))
    chat_on_it = [t for r in results for t, score in r.chat if score >= min_score]
    deadlines = customer_deadlines([t for t, _ in own_first][:10], chat_on_it)

    tracker = _top([(t, s) for r in results for t, s in r.tracker], limits["tracker"], min_score * 0.6, omitted, "tracker_items", key=lambda t: (t.source, t.id))
    chat = _top([(t, s) for r in results for t, s in r.chat], limits["chat"], min_score * 0.6, omitted, "chat_threads", key=lambda t: (t.source, t.id))
    kb = _top([(t, s) for r in results for t, s in r.kb], limits["kb"], min_score * 0.6, omitted, "kb_articles", key=lambda t: (t.source, t.id))

    past: list[EscalationRef] = []
    if account is not None:
        for e in store.records_for_account("escalation", account.id, limit=50):
            past.append(EscalationRef(id=e.id, summary=quote(e.summary, 160), target=e.target.value, severity=e.severity.value,
                                      status=e.status, created_at=e.created_at, url=safe_url(e.url)))
    if history is not None:
        past += [e.model_copy(update={"url": safe_url(e.url)}) for e in history(account.id if account else None)]
    past.sort(key=lambda e: e.created_at, reverse=True)
    if len(past) > limits["escalations"]:
        omitted["past_escalations"] = len(past) - limits["escalations"]

    return Context(
        issue=issue, account_query=account_query, account=account,
        account_candidates=[_summary(a) for a in candidates[:10]],
        related_tickets=related_out, customers_reporting=customers_reporting, affected_accounts=affected[: limits["accounts"]],
        account_open_tickets=sum(1 for t, _ in tickets.values() if account and t.account_id == account.id and t.status not in ("solved", "closed")),
        timeline=timeline,
        tracker_items=[TrackerMatch(id=t.id, kind=t.kind, title=quote(t.title, 140), status=quote(t.status, 60),
                                    status_category=t.status_category, team=quote(t.team, 80) if t.team else None, match=s,
                                    linked_tickets=len(t.linked_ticket_ids), url=safe_url(t.url), source=t.source) for t, s in tracker],
        chat_threads=[ChatMatch(id=t.id, channel=quote(t.channel, 80), topic=quote(t.topic, 120),
                                at=max((m.created_at for m in t.messages), default=t.created_at),
                                excerpt=quote(" / ".join(m.text for m in t.messages[:2]), 200), url=safe_url(t.url), source=t.source)
                      for t, s in chat],
        kb_articles=[KBMatch(id=k.id, title=quote(k.title, 140), kind=k.kind, match=s, applies=s >= min_score and not _hands_on(k),
                             # a workaround for another symptom is not shown where it could be offered for this one
                             workaround=quote(k.workaround, 240) if k.workaround and s >= min_score and not _hands_on(k) else None,
                             url=safe_url(k.url), source=k.source) for k, s in kb],
        past_escalations=past[: limits["escalations"]], error_strings=errors, customer_deadlines=deadlines, omitted=omitted, now=now,
    )


# an article whose own answer is to pass the case on ("past 48 hours, escalate to L2 Number Operations") is no fix
# support can give: it is listed as related, never as the documented answer
_HAND_ON = re.compile(r"\b(?:escalate|hand (?:it |this |the case )?(?:over|off|on)|pass (?:it |this |the case )?on|raise (?:it|this|the case)|open a case)\b"
                      r"(?:\W+\w+){0,4}?\W+(?:to|with) (?:the )?(?:l2|l3|tier[- ]?[23]|engineering|specialists?|[\w-]+ (?:operations|ops|engineering|team|specialists))\b",
                      re.IGNORECASE)


def _hands_on(article: Any) -> bool:
    return bool(_HAND_ON.search(f"{article.body} {article.workaround or ''}")) and not article.workaround


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


def _error_strings(tickets: list[Ticket], limit: int = 5) -> list[str]:
    """Exact error text customers quoted in their tickets: the evidence engineering asks for first."""
    found: dict[str, None] = {}
    for t in tickets:
        for text in [t.subject, t.description, *(m.body for m in t.messages if m.author_role == "customer")]:
            for m in _ERROR.finditer(text or ""):
                value = quote((m.group(1) or m.group(2) or "").strip(), 140)
                if value and not any(value.lower() in k.lower() or k.lower() in value.lower() for k in found):
                    found[value] = None
                    if len(found) >= limit:
                        return list(found)
    return list(found)


def _timeline(same: list[Ticket], account: Account | None, now: datetime) -> Timeline:
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
