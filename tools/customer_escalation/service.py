"""The application core behind both surfaces (MCP tools and CLI): the chain, drafts and the clock.

gather -> assess -> choose -> render. Each step stores its result on a draft and returns the
draft id, so an agent chains the tools without re-sending large payloads; each step also
works alone from the issue text, running the earlier steps itself.
"""

from __future__ import annotations

import difflib
import math
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from .errors import UserError
from .offload import off_loop
from .models import Assessment, Context, Facts, Routing, SourceStatus
from .policy import Policy, assess, choose, load_policy
from .settings import Settings
from .text import clean

if TYPE_CHECKING:  # loaded at the first call that needs them, so the server answers its first tools/list sooner
    from .brief import Brief, BriefInput
    from .draft import Draft
    from .gather import Progress
    from .store import Store

MAX_ISSUE = 4000
MAX_ACCOUNT = 200
# the largest plausible figures: anything above is a mistake or an attack (a 4,000-digit number, 1e308), not a fact
MAX_CUSTOMERS = 1_000_000
MAX_USERS = 1_000_000_000
MAX_USD = 1e12


class InputError(UserError, ValueError):
    """Bad input from a caller; the message says what to do."""


@dataclass
class Chain:
    draft_id: str
    context: Context
    assessment: Assessment | None = None
    routing: Routing | None = None
    brief: Brief | None = None
    masked: dict[str, int] | None = None  # with redact: what was masked, by kind


class Service:
    def __init__(self, settings: Settings, *, policy: Policy | None = None,
                 connectors: Callable[[], Sequence[Any]] | None = None, env: dict[str, str] | None = None):
        self.settings = settings
        self.policy = policy if policy is not None else load_policy(settings.policy_file)
        self._connector_factory = connectors
        self._env = env
        self._store: Store | None = None
        self._opening = threading.Lock()  # tool calls run on worker threads: the store is opened once

    # --- resources -----------------------------------------------------------------------------
    @property
    def store(self) -> Store:
        with self._opening:
            if self._store is None:
                from .store import Store

                self._store = Store(self.settings.home, self.settings.workspace, url=self.settings.store, clock=self.last_use_clock,
                                    draft_days=self.settings.draft_days)
            return self._store

    def now(self) -> datetime:
        return self.settings.now or self.store.clock_reference() or datetime.now(timezone.utc)

    def last_use_clock(self) -> datetime:
        """When a draft is used, for its retention: the fixed clock (tests, evals) or real time, never the workspace's
        own 'now' (a sample's generated_at stands still, so its drafts would never age)."""
        return self.settings.now or datetime.now(timezone.utc)

    def connectors(self) -> list[Any]:
        if self._connector_factory is not None:
            return list(self._connector_factory())
        from .connectors.base import HttpSettings
        from .connectors.registry import from_env

        configured = from_env(self._env if self._env is not None else dict(os.environ),
                              HttpSettings(timeout=self.settings.source_timeout, max_retries=1))
        return configured.connectors

    def empty_workspace_hint(self) -> str:
        """What to do next when the workspace holds nothing and no system is connected; "" otherwise. A default store
        never imported into is known empty without creating it (install --dry-run writes nothing)."""
        from .store import EMPTY_WORKSPACE, WORKSPACE_DB

        never_imported = (self.settings.workspace == "default" and not self.settings.store
                          and not (self.settings.home / WORKSPACE_DB).exists())
        if not (never_imported or self.store.is_empty()) or self.connectors():
            return ""
        text = EMPTY_WORKSPACE.format(name=self.settings.workspace)
        return text[0].upper() + text[1:] + "."

    def link_hosts(self) -> set[str]:
        """The hosts the configured systems' records link to: links in a brief to other hosts are shown as text."""
        from .connectors.registry import link_hosts

        return {host for connector in self.connectors() for host in link_hosts(connector)}

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None

    # --- inputs --------------------------------------------------------------------------------
    @staticmethod
    def check_issue(issue: str) -> str:
        issue = clean(issue or "").strip()  # control and zero-width characters alone are no description
        if not issue:
            raise InputError("issue is empty: describe what is broken or needed, e.g. 'API returning 500 errors for Acme Corp'")
        if len(issue) > MAX_ISSUE:
            raise InputError(f"issue is {len(issue)} characters; the limit is {MAX_ISSUE}. Summarise it; put logs in render_brief's evidence")
        return issue

    @staticmethod
    def check_account(account: str) -> str:
        account = clean(account or "").strip()
        if len(account) > MAX_ACCOUNT:
            raise InputError(f"account is longer than {MAX_ACCOUNT} characters: pass the account name or domain only")
        return account

    @staticmethod
    def check_facts(facts: Facts) -> Facts:
        """Counts and amounts bounded: each is a whole number or a finite amount within its plausible range."""
        bounds = {"customers_affected": (MAX_CUSTOMERS, "a whole number"), "users_affected": (MAX_USERS, "a whole number"),
                  "arr_at_risk": (MAX_USD, "an amount in USD"), "pending_deal_value": (MAX_USD, "an amount in USD")}
        for name, (most, what) in bounds.items():
            value = getattr(facts, name)
            if (isinstance(value, float) and not math.isfinite(value)) or not 0 <= value <= most:
                raise InputError(f"{name} is out of range: pass {what} from 0 to {most:,.0f} (0 = unknown)")
        return facts

    def _load(self, draft_id: str) -> Draft:
        draft_id = (draft_id or "").strip()
        data = self.store.load_draft(draft_id) if draft_id else None
        if data is None:
            raise InputError(
                "no draft with that draft_id in this workspace: call gather_context first and pass the draft_id it returns, "
                "or pass issue (and account) to run the earlier steps in one call"
            )
        return self._checked(draft_id, data)

    def _checked(self, draft_id: str, data: dict[str, Any]) -> Draft:
        """A stored draft whose every part still has its shape: a damaged one is named, never half used."""
        from .draft import Draft

        try:
            return Draft.model_validate(data)
        except ValidationError:
            raise self.store.damaged(f"draft {draft_id}", "call gather_context again to start a new draft") from None

    def _save(self, draft: Draft, draft_id: str = "") -> str:
        """The one save of a tool call; a new draft gets its id here."""
        return self.store.save_draft("chain", draft.stored(), draft_id or None)

    # --- the chain -----------------------------------------------------------------------------
    @off_loop
    async def gather_context(self, issue: str, account: str = "", *, detail: str = "summary",
                             progress: Progress | None = None) -> Chain:
        draft = await self._gather(issue, account, detail=detail, progress=progress)
        return Chain(self._save(draft), draft.context)

    async def _gather(self, issue: str, account: str, *, detail: str = "summary", progress: Progress | None = None) -> Draft:
        """A new draft: the issue's context from the workspace and every connected system (not saved yet)."""
        from .draft import Draft

        issue = self.check_issue(issue)
        account = self.check_account(account)
        from .gather import gather
        from .lifecycle import EscalationLog, history_for_account

        connectors = self.connectors()
        escalations = EscalationLog(self.store)
        try:
            ctx = await gather(issue, account, self.store, self.policy, self.now(), connectors=connectors,
                               deadline=self.settings.gather_deadline, detail=detail, progress=progress,
                               history=lambda account_id: history_for_account(escalations, account_id))
        finally:
            for connector in connectors:
                try:
                    await connector.aclose()
                except Exception:
                    pass
        if escalations.damaged:  # named, so the past escalations shown are known to be incomplete
            ctx.sources.append(SourceStatus(source="escalation log", category="workspace", state="error", detail=(
                f"left out, damaged in {self.store.state_path}: {', '.join(escalations.damaged[:5])}; restore it from a backup")))
        if account and ctx.account is None and not ctx.account_candidates:
            unverified = [s.source for s in ctx.sources if s.category in ("crm", "support") and s.state != "ok"]
            if not unverified:
                raise InputError(self._unknown_account(account))
        return Draft(issue=issue, account=account, context=ctx)

    def _unknown_account(self, account: str) -> str:
        names = [a.name for a in self.store.accounts()]
        close = difflib.get_close_matches(account, names, n=3, cutoff=0.5)
        hint = f" Did you mean: {', '.join(close)}?" if close else ""
        where = "the workspace" + (" or the connected systems" if self.connectors() else "")
        return (f"unknown account: no account in {where} matches that name or domain.{hint} "
                "Call again with the exact name or an email domain, or leave account empty to gather by issue only.")

    async def _open(self, draft_id: str, issue: str, account: str) -> tuple[str, Draft]:
        """The draft a step works on: the stored one, loaded once, or a new one gathered from the issue text (its id is
        given when it is saved)."""
        if draft_id:
            return draft_id, self._load(draft_id)
        if not issue:
            raise InputError("pass draft_id from gather_context, or issue (and optionally account) to start from the text")
        return "", await self._gather(issue, account)

    def _assess(self, draft: Draft, facts: Facts | None) -> Assessment:
        """Assess the draft's issue with the facts given; the routing chosen from an earlier assessment is dropped."""
        facts = self.check_facts(facts or Facts())
        draft.assessment = assess(draft.issue, draft.context, facts, self.policy, draft.context.now)
        draft.facts, draft.routing = facts, None
        return draft.assessment

    def _choose(self, draft: Draft) -> Routing:
        """Route the draft's assessment (assessing it first, with no facts, when no step has)."""
        from .brief import BriefInput

        assessment = draft.assessment or self._assess(draft, None)
        draft.routing = choose(assessment, draft.context, self.policy,
                               _provided(draft.context, assessment, draft.brief_input or BriefInput()))
        return draft.routing

    @off_loop
    async def assess_impact(self, *, draft_id: str = "", issue: str = "", account: str = "", facts: Facts | None = None) -> Chain:
        draft_id, draft = await self._open(draft_id, issue, account)
        assessment = self._assess(draft, facts)
        return Chain(self._save(draft, draft_id), draft.context, assessment)

    @off_loop
    async def choose_tier(self, *, draft_id: str = "", issue: str = "", account: str = "") -> Chain:
        draft_id, draft = await self._open(draft_id, issue, account)
        routing = self._choose(draft)
        return Chain(self._save(draft, draft_id), draft.context, draft.assessment, routing)

    @off_loop
    async def render_brief(self, *, draft_id: str = "", issue: str = "", account: str = "",
                           brief_input: BriefInput | None = None, redact: bool = False) -> Chain:
        """Render the brief. With `redact`, personal data and secrets are masked in the brief itself, so what is
        filed or posted from this draft later is the masked brief the human saw."""
        from .brief import BriefInput, render

        draft_id, draft = await self._open(draft_id, issue, account)
        draft.brief_input = inp = brief_input or BriefInput()
        routing = self._choose(draft)  # chosen again: the checklist depends on what was supplied
        assert draft.assessment is not None
        brief = render(draft.context, draft.assessment, routing, inp, self.policy, draft.context.now, link_hosts=self.link_hosts())
        masked = None
        if redact:
            from . import redact as redaction

            masked = redaction.summary(brief.markdown)
            brief = brief.model_copy(update={"markdown": redaction.redact(brief.markdown), "title": redaction.redact(brief.title)})
        draft.brief = brief
        return Chain(self._save(draft, draft_id), draft.context, draft.assessment, routing, brief, masked)

    async def run(self, issue: str, account: str = "", facts: Facts | None = None, brief_input: BriefInput | None = None,
                  *, progress: Progress | None = None) -> Chain:
        """The whole chain in one call (CLI and evals)."""
        chain = await self.gather_context(issue, account, progress=progress)
        await self.assess_impact(draft_id=chain.draft_id, facts=facts)
        return await self.render_brief(draft_id=chain.draft_id, brief_input=brief_input)

    def load_chain(self, draft_id: str) -> dict[str, Any]:
        """A stored draft, checked, as the escalation log reads it."""
        return self._load(draft_id).stored()


def _provided(ctx: Context, a: Assessment, inp: BriefInput) -> dict[str, bool]:
    """Which checklist items the brief can already fill."""
    return {
        "ticket summary": bool(ctx.related_tickets) or bool(inp.summary),
        "steps already tried": bool(inp.tried),
        "what was tried": bool(inp.tried),
        "customer context": ctx.account is not None,
        "full reproduction steps": bool(inp.repro_steps) and bool(inp.expected) and bool(inp.actual),
        "environment": bool(inp.environment),
        "logs or error messages": bool(inp.evidence) or bool(inp.actual) or bool(ctx.error_strings),
        "business impact": a.customers_affected > 0 and (a.arr_at_risk > 0 or a.depth.value != "unknown"),
        "customer timeline": ctx.timeline.first_report is not None or a.hours_open is not None,
        "customer use case": bool(inp.description),
        "how often it is requested": ctx.customers_reporting > 0,
        "competitive pressure (if known)": a.churn_threat,
        "what was observed": bool(inp.description) or bool(inp.evidence),
        "who or what may be affected": a.customers_affected > 0,
        "containment already done": bool(inp.tried),
        "urgency": a.severity is not None,
        "full business context": ctx.account is not None and a.arr_at_risk > 0,
        "revenue at risk": a.arr_at_risk > 0,
        "the decision or action needed": bool(inp.ask),
        "deadline": True,
    }
