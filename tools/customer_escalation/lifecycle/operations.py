"""The escalation log's operations: filing, follow-up, severity changes, de-escalation, resolution, attaching a
customer and finding duplicates, over the log (`log.py`), the pure rules and texts, and the connectors.

Local changes are written to the log only; anything that reaches a connector's write method (filing, posting
notices) needs writes enabled. Idempotency of remote writes: every delivery has a marker, stored with the escalation
before the remote call; a delivery still pending is first looked up in the target system by its marker, and created
only when nothing carries it.
"""

from __future__ import annotations

import builtins

import functools
import inspect
import secrets
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar, cast

from ..models import AccountSummary, Assessment, Context, Facts, Routing, Severity, Target
from ..policy import Policy, assess
from ..revenue import arr_line
from ..store import Store
from ..text import quote
from .delivery import ConnectorFailure, find_writer, opened
from .log import EscalationLog
from .messages import chat_message, closing_checklist, customer_update, team_notice, tracker_issue
from .rules import clocks, error_strings, follow_ups, marker, problem_terms, revenue, similarity
from .types import (
    ENABLE_ON_SERVER, MAX_LIST, REASONS, SIMILAR, ConcurrentChange, ConnectorFactory, CustomerRef, DeEscalationReason, Delivery, Destinations, Escalation,
    Event, FollowUp, LifecycleError, Link, Match, Outcome, UpdateKind, WritesDisabled,
)

_CONFLICT_RETRIES = 3


Method = TypeVar("Method", bound=Callable[..., Any])


def _retry_on_conflict(method: Method) -> Method:
    """Re-run a read-change-save operation from a fresh read when another writer saved first (no lost update)."""
    if inspect.iscoroutinefunction(method):
        @functools.wraps(method)
        async def run_async(self: Any, *args: Any, **kwargs: Any) -> Any:
            for attempt in range(_CONFLICT_RETRIES):
                try:
                    return await method(self, *args, **kwargs)
                except ConcurrentChange:
                    if attempt + 1 == _CONFLICT_RETRIES:
                        raise
        return cast(Method, run_async)

    @functools.wraps(method)
    def run(self: Any, *args: Any, **kwargs: Any) -> Any:
        for attempt in range(_CONFLICT_RETRIES):
            try:
                return method(self, *args, **kwargs)
            except ConcurrentChange:
                if attempt + 1 == _CONFLICT_RETRIES:
                    raise
    return cast(Method, run)


class Lifecycle:
    """Filing, follow-up, de-escalation, resolution and duplicates over the log and the connectors."""

    def __init__(self, store: Store, policy: Policy, *, connectors: ConnectorFactory, enable_writes: bool,
                 load_draft: Callable[[str], dict[str, Any]], enable_hint: str = ENABLE_ON_SERVER):
        self.log = EscalationLog(store)
        self.store = store
        self.policy = policy
        self._connectors = connectors
        self.enable_writes = enable_writes
        self._load_draft = load_draft
        self.enable_hint = enable_hint  # how to enable writes, in the words of the caller's surface

    @classmethod
    def for_service(cls, service: Any, enable_hint: str = ENABLE_ON_SERVER) -> Lifecycle:
        return cls(service.store, service.policy, connectors=service.connectors, enable_writes=service.settings.enable_writes,
                   load_draft=service.load_chain, enable_hint=enable_hint)

    # --- reading ------------------------------------------------------------------------------------
    def list(self, *, account: str = "", status: str = "", severity: str = "", limit: int = 50) -> builtins.list[Escalation]:
        """Filter by account (id, name or domain), status and severity."""
        account = account.strip()
        ids = list(dict.fromkeys([account, *(a.id for a in self.store.find_accounts(account))])) if account else []
        return self.log.list(accounts=ids, status=status, severity=severity, limit=min(max(limit, 1), MAX_LIST))

    def follow_ups(self, now: datetime, within_hours: float = 4) -> builtins.list[FollowUp]:
        return follow_ups(self.log.list(status="open", limit=10_000), now, self.policy, timedelta(hours=within_hours))

    def draft_customer_update(self, escalation_id: str, now: datetime, progress: str = "", account: str = "") -> tuple[Escalation, str, str]:
        e = self.log.require(escalation_id)
        customer = e.customer(account)
        if account.strip() and customer is None:
            raise LifecycleError(f"{e.id} has no such customer; its customers: {', '.join(c.name for c in e.customers) or 'none'}")
        subject, body = customer_update(e, now, self.policy, progress, customer)
        return e, subject, body

    def duplicates(self, draft_id: str) -> builtins.list[Match]:
        """Open escalations (and closed ones, as candidates to re-open) and open tracker issues about the same problem."""
        return self._duplicates(draft_id, self._draft(draft_id))

    def _duplicates(self, draft_id: str, data: dict[str, Any]) -> builtins.list[Match]:
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
                                     url=link.url if (link := e.tracker_link()) else None, customers=[c.name for c in e.customers], why=why))
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
        return self._prepare(draft_id, now)[0]

    def _prepare(self, draft_id: str, now: datetime) -> tuple[Escalation, dict[str, Any] | None]:
        """`prepare`, with the draft when it was read (a new escalation): filing reads it once."""
        existing = self.log.by_draft(draft_id)
        if existing is not None:
            return existing, None
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
        accounts: builtins.list[AccountSummary] = ([AccountSummary(id=ctx.account.id, name=ctx.account.name, plan=ctx.account.plan,
                                                          arr=ctx.account.arr, renewal_date=ctx.account.renewal_date)] if ctx.account else [])
        accounts += [a for a in ctx.affected_accounts if all(a.id != b.id for b in accounts)]
        customers = [CustomerRef(id=a.id, name=a.name, plan=a.plan, arr=a.arr, renewal_date=a.renewal_date) for a in accounts]
        inp = data.get("brief_input") or {}
        text = _problem_text(data)
        tickets = [Link(kind="ticket", system=t.source, id=t.id, url=t.url, account_id=t.account_id) for t in ctx.related_tickets if t.same_problem]
        escalation = Escalation(
            id="(new)", uid=secrets.token_hex(5), draft_id=draft_id, created_at=now, updated_at=now, severity=assessment.severity,
            target=target, team=self.policy.teams[target].name, security=security, title=brief["title"], issue=data["issue"],
            description=inp.get("description", ""), ask=inp.get("ask", ""), deadline=brief.get("deadline", ""),
            brief_markdown=brief["markdown"], customers=customers, arr=assessment.arr,
            open_deals=(ctx.account.open_deals or []) if ctx.account else [], links=tickets,
            terms=problem_terms(text, [c.name for c in customers]), error_strings=error_strings(text),
            internal_basis=now, customer_basis=now,
        )
        return escalation, data

    def plan_filing(self, e: Escalation, only: Destinations = "all", project: str = "", priority: str = "") -> builtins.list[Delivery]:
        """Where the brief goes: the target team's tracker and chat channel, as the policy routes it."""
        team = self.policy.teams[e.target]
        done = {d.marker: d for d in (self.log.deliveries(e.id) if e.id != "(new)" else [])}
        plan: builtins.list[Delivery] = []
        connectors = self._connectors()  # only looked at: a connector opens no client before its first request
        if only in ("all", "tracker") and team.tracker:
            system, _, default_project = team.tracker.partition(":")
            dest = project.strip() or default_project
            d = done.get(marker(e, "file", "tracker"))
            if d is None:
                title, body = tracker_issue(e, system)
                d = Delivery(marker=marker(e, "file", "tracker"), purpose="file", kind="tracker", system=system, destination=dest,
                             title=title, body=body, note=f"priority {priority.strip() or e.severity.value}")
                if find_writer(connectors, system, "create_issue") is None:
                    d.state, d.note = "unavailable", f"{system} is not connected: set its environment variables (see CONNECTORS.md)"
            plan.append(d)
        if only in ("all", "chat") and team.chat_channel:
            d = done.get(marker(e, "file", "chat"))
            if d is None:
                text, _blocks = chat_message(e, e.tracker_link() or (Link(kind="tracker", system="", id="(the new issue)") if plan else None),
                                             self.policy)
                d = Delivery(marker=marker(e, "file", "chat"), purpose="file", kind="chat", system="slack", destination=team.chat_channel, body=text)
                if find_writer(connectors, "slack", "post_message") is None:
                    d.state, d.note = "unavailable", "slack is not connected: set SLACK_BOT_TOKEN (see CONNECTORS.md)"
            plan.append(d)
        return plan

    async def file(self, draft_id: str, now: datetime, *, by: str = "", only: Destinations = "all", project: str = "",
                   priority: str = "", confirmed: bool) -> Outcome:
        """Preview (not confirmed) or file the brief: record the escalation, then deliver it where the policy routes it."""
        by = _who(by)
        e, data = self._prepare(draft_id, now)
        plan = self.plan_filing(e, only, project, priority)
        remote = [d for d in plan if d.state in ("planned", "pending")]
        dupes = [m for m in self._duplicates(draft_id, data) if m.kind == "escalation" and m.status == "open"] if data is not None else []
        if not confirmed:
            where = ", ".join(d.where for d in remote) or "the local log only"
            return Outcome(escalation=e, applied=False, preview=True, deliveries=plan, duplicates=dupes,
                           message=f"Preview: would file {e.id if e.id != '(new)' else 'a new escalation'} ({e.severity.value}, "
                                   f"{e.team}) to {where}. Nothing was written.")
        if remote and not self.enable_writes:
            raise WritesDisabled("Filing to " + ", ".join(sorted({d.system for d in remote})), self.enable_hint)
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
    async def _apply(self, e: Escalation, events: Event | builtins.list[Event], now: datetime, *, notify: bool, confirmed: bool,
                     notice: str, message: str, closing: bool = False, purpose: str = "") -> Outcome:
        """Record a local change; with notify, also post `notice` to the team's channel (preview until confirmed).
        `purpose` (default: the last event's kind) names the notice for a repeated call to resume (see `_resume`)."""
        events = [events] if isinstance(events, Event) else events
        by, purpose = events[0].by, purpose or events[-1].kind
        deliveries: builtins.list[Delivery] = []
        if notify:
            channel = self.policy.teams[e.target].chat_channel
            if not channel:
                raise LifecycleError(f"the policy gives {e.team} no chat channel to notify; call again with notify=false and send the drafts yourself")
            deliveries = [Delivery(marker=marker(e, f"{purpose}{len(e.history) + 1}", "chat"), purpose=purpose,
                                   kind="chat", system="slack", destination=channel, body=notice)]
            if find_writer(self._connectors(), "slack", "post_message") is None:
                if confirmed:  # refused before anything is recorded
                    raise LifecycleError("slack is not connected, so the team cannot be notified from here: set SLACK_BOT_TOKEN "
                                         "(see CONNECTORS.md), or call again with notify=false and post the notice yourself")
                deliveries[0].state, deliveries[0].note = "unavailable", "slack is not connected: set SLACK_BOT_TOKEN (see CONNECTORS.md)"
            if not confirmed:
                preview = e.model_copy()
                return Outcome(escalation=preview, applied=False, preview=True, deliveries=deliveries, message="Preview: " + message + " Nothing was written; "
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
        failures: builtins.list[str] = []
        async with opened(self._connectors) as connectors:
            for d in self.log.deliveries(e.id):
                if d.state != "pending":
                    continue
                if failures and d.purpose == "file":
                    break  # the chat message links to the tracker issue: no message before the issue exists
                try:
                    e = await self._send(e, d, connectors, now, by, project=project, priority=priority)
                except ConnectorFailure as failure:
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
        from ..connectors.base import ConnectorError

        method = "create_issue" if d.kind == "tracker" else "post_message"
        writer = find_writer(connectors, d.system, method)
        if writer is None:
            raise ConnectorFailure(f"{d.system} is not connected, so nothing was sent to {d.destination}: set its environment "
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
            raise ConnectorFailure.from_error(exc, d) from None
        d.state, d.item_id, d.url = "done", created.id, created.url
        verb = "found already delivered (an earlier attempt reached it)" if found else "delivered"
        link = Link(kind=d.kind, system=created.system or d.system, id=created.id, url=created.url, destination=d.destination) if d.purpose == "file" else None
        return self.log.record_delivery(e, d, Event(at=now, by=by, kind="delivered", summary=f"{verb}: {d.where} {created.id}",
                                                    data={"marker": d.marker, "url": created.url}), link)

    def _writes_for(self, remote: bool, what: str = "Posting the notice to the team's channel") -> None:
        """Checked before anything else when a call would reach a connector's write method."""
        if remote and not self.enable_writes:
            raise WritesDisabled(what, self.enable_hint)

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


def _who(by: str) -> str:
    return quote(by, 80) or "unknown"
