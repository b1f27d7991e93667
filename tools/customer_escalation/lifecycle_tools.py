"""MCP tools after the brief: the escalation log, follow-ups, filing, de-escalation, duplicates. Thin over the
application layer (`escalations.py`, the same use cases and write rules as the CLI's).

Read tools are always listed. Write tools are registered only when writes are enabled
(Settings.enable_writes: `serve --enable-writes` or CUSTOMER_ESCALATION_ENABLE_WRITES=1); a call to one
while writes are disabled is refused with an error naming the setting, and each write checks the
setting again when it runs. All write tools need the setting, local log changes included: a server
without it only reads. Within them, local log changes apply at once (they are the audit trail and
never leave the machine); anything sent to a tracker or chat shows a preview first (`confirm=false`)
and is sent on `confirm=true`, after the human approves through elicitation when the client supports it.
"""

# no `from __future__ import annotations`: the Resolve(...) markers name closures, evaluated where they are defined

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from mcp.server.elicitation import AcceptedElicitation, ElicitationResult
from mcp.server.mcpserver import Context as MCPContext
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.mcpserver.resolve import Elicit, Resolve
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.types import ToolAnnotations
from mcp_types import CallToolResult, TextContent

from .errors import UserError
from .escalations import Escalations
from .lifecycle import ChecklistStep, Delivery, Escalation, Event, FollowUp, Match, Outcome, WritesDisabled
from .models import Severity
from .service import Service

ID = Annotated[str, Field(max_length=40)]
DRAFT = Annotated[str, Field(max_length=100)]
BY = Annotated[str, Field(max_length=80)]  # the human's name
CONFIRM = Annotated[bool, Field(description="true only after the human approved the preview")]
NOTIFY = Annotated[bool, Field(description="also tell the team's channel")]

READ_LOCAL = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True, open_world_hint=False)
FILE = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=True)
APPEND = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False)
CHANGE = ToolAnnotations(read_only_hint=False, destructive_hint=True, idempotent_hint=True, open_world_hint=True)
ATTACH = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=True)

WRITE_TOOLS = ("file_escalation", "record_update", "change_severity", "de_escalate", "resolve_escalation", "attach_to_escalation")


# --- output shapes ---------------------------------------------------------------------------------------


class EscalationView(BaseModel):
    id: str
    status: str
    severity: str
    target: str
    team: str
    title: str
    customers: list[str]
    arr_at_risk: float
    arr_basis: str = Field(description="what the ARR at risk counts")
    renewals_soon: list[str]
    links: list[str] = Field(description="tracker issues, chat messages and customer tickets")
    created_at: str
    internal_due: str = Field(description="next internal check-in (UTC); empty once clocks are stopped")
    customer_due: str = Field(description="next customer update (UTC); empty once clocks are stopped")


DAMAGED: Any = Field(default_factory=list, description="records of the log found damaged and left out (restore state.db from a backup)")


class ListResult(BaseModel):
    escalations: list[EscalationView]
    next_step: str
    damaged: list[str] = DAMAGED


class ShowResult(BaseModel):
    escalation: EscalationView
    outcome: str
    learning: str
    history: list[Event] = Field(description="the audit trail: who, when, what")
    deliveries: list[Delivery]
    brief_markdown: str
    damaged: list[str] = DAMAGED


class FollowUpsResult(BaseModel):
    overdue: int
    due_soon: int
    items: list[FollowUp] = Field(description="most urgent first")
    next_step: str
    damaged: list[str] = DAMAGED


class CustomerUpdateResult(BaseModel):
    escalation_id: str
    subject: str
    body: str = Field(description="plain language, nothing internal; show the human before sending")
    next_step: str


class DuplicatesResult(BaseModel):
    matches: list[Match]
    next_step: str


class WriteResult(BaseModel):
    outcome: Literal["preview", "done", "unchanged", "declined"]
    message: str
    escalation: EscalationView | None
    deliveries: list[Delivery] = Field(description="destination, title and body of each issue or message")
    checklist: list[ChecklistStep]
    duplicates: list[Match]
    next_step: str


class Approve(BaseModel):
    approve: bool = Field(description="Send it")


class _Approval(BaseModel):
    approved: bool
    via: str


def _view(e: Escalation, app: Escalations) -> EscalationView:
    arr, renewals = app.revenue(e)
    due = app.clocks(e)
    return EscalationView(
        id=e.id, status=e.status, severity=e.severity.value, target=e.target.value, team=e.team, title=e.title,
        customers=[c.name for c in e.customers], arr_at_risk=arr.amount, arr_basis=arr.basis, renewals_soon=renewals,
        links=[f"{k.kind} {k.system} {k.id}" + (f" {k.url}" if k.url else "") for k in e.links], created_at=e.created_at.isoformat(),
        internal_due=due[0].isoformat() if due else "", customer_due=due[1].isoformat() if due else "",
    )


def _fail(exc: Exception) -> ToolError:
    return ToolError(str(exc))


# --- the write gate --------------------------------------------------------------------------------------


class WriteGate:
    """Server middleware: a call to a write tool while writes are disabled gets an error naming the setting."""

    def __init__(self) -> None:
        self.registered: set[str] = set()  # the write tools this server registered (all of them when writes are enabled)

    async def __call__(self, ctx: ServerRequestContext[Any, Any], call_next: CallNext) -> HandlerResult:
        if ctx.method == "tools/call" and isinstance(ctx.params, dict) and ctx.params.get("name") in WRITE_TOOLS:
            if ctx.params["name"] not in self.registered:
                return CallToolResult(content=[TextContent(type="text", text=str(WritesDisabled(ctx.params["name"])))], is_error=True)
        return await call_next(ctx)


def _install_gate(app: MCPServer) -> WriteGate:
    from .arguments import ArgumentErrors

    gate = WriteGate()
    at = next((i for i, m in enumerate(app.middleware) if isinstance(m, ArgumentErrors)), len(app.middleware))
    app.middleware.insert(at, gate)
    return gate


def register(app: MCPServer, service: Service) -> None:
    """Read tools always; write tools when service.settings.enable_writes."""
    write_gate = _install_gate(app)

    def life() -> Escalations:
        return Escalations(service, "mcp")

    @app.tool(title="List escalations", annotations=READ_LOCAL)
    def list_escalations(
        account: Annotated[str, Field(max_length=200, description="id, name or domain")] = "",
        status: Literal["", "open", "de_escalated", "resolved"] = "",
        severity: Literal["", "critical", "high", "medium"] = "",
        limit: Annotated[int, Field(ge=1, le=200)] = 20,
    ) -> ListResult:
        """Escalations in the log, newest first, with their next follow-up times."""
        try:
            lc = life()
            items = [_view(e, lc) for e in lc.list(account=account, status=status, severity=severity, limit=limit)]
        except UserError as exc:
            raise _fail(exc) from None
        return ListResult(escalations=items, next_step="show_escalation(escalation_id) for the brief and the full history."
                          if items else "No escalations match. They are recorded by file_escalation.", damaged=lc.damaged)

    @app.tool(title="Show escalation", annotations=READ_LOCAL)
    def show_escalation(escalation_id: ID) -> ShowResult:
        """One escalation with its brief, links, clocks and history (who, when, what)."""
        try:
            lc = life()
            e, deliveries = lc.show(escalation_id)
        except UserError as exc:
            raise _fail(exc) from None
        return ShowResult(escalation=_view(e, lc), outcome=e.outcome, learning=e.learning, history=e.history,
                          deliveries=deliveries, brief_markdown=e.brief_markdown, damaged=lc.damaged)

    @app.tool(title="Follow-ups due", annotations=READ_LOCAL)
    def follow_ups(within_hours: Annotated[int, Field(ge=0, le=336, description="also what is due within this many hours")] = 4) -> FollowUpsResult:
        """Open escalations whose internal check-in or customer update is overdue or due soon (policy cadence), most
        urgent first."""
        try:
            lc = life()
            items = lc.follow_ups(within_hours)
        except UserError as exc:
            raise _fail(exc) from None
        overdue = sum(1 for f in items if f.state == "overdue")
        return FollowUpsResult(overdue=overdue, due_soon=len(items) - overdue, items=items,
                               next_step="After each check-in or customer update, record it (record_update) to reset its clock."
                               if items else "Nothing due.", damaged=lc.damaged)

    @app.tool(title="Draft customer update", annotations=READ_LOCAL)
    def draft_customer_update(
        escalation_id: ID,
        progress: Annotated[str, Field(max_length=1000, description="what changed, customer-readable")] = "",
        account: Annotated[str, Field(max_length=200, description="which customer; default the first")] = "",
    ) -> CustomerUpdateResult:
        """Drafts the customer-facing status update: plain language, nothing internal, when the next update comes.
        Sends nothing."""
        try:
            e, subject, body = life().draft_customer_update(escalation_id, progress, account)
        except UserError as exc:
            raise _fail(exc) from None
        return CustomerUpdateResult(escalation_id=e.id, subject=subject, body=body,
                                    next_step="Show the human; once sent, record_update(kind='customer') resets the customer clock.")

    @app.tool(title="Find duplicate escalations", annotations=READ_LOCAL)
    def find_duplicates(draft_id: DRAFT) -> DuplicatesResult:
        """Before filing: escalations in the log and open tracker issues about the same problem as this draft."""
        try:
            matches = life().duplicates(draft_id)
        except UserError as exc:
            raise _fail(exc) from None
        esc = next((m for m in matches if m.kind == "escalation"), None)
        step = (f"Offer the human to attach instead: attach_to_escalation(escalation_id='{esc.id}', draft_id='{draft_id}')."
                if esc else "No escalation about this yet: file_escalation files it." + (" Link the open tracker issue in the brief." if matches else ""))
        return DuplicatesResult(matches=matches, next_step=step)

    if service.settings.enable_writes:
        _register_writes(app, life)
        write_gate.registered.update(WRITE_TOOLS)


def _register_writes(app: MCPServer, life: Callable[[], Escalations]) -> None:
    w = _Writes(life)
    _register_filing(app, w)
    _register_local_updates(app, w)
    _register_closing(app, w)
    _register_attach(app, w)


class _Writes:
    """What every write tool shares: the write rules checked at call time, the approval a write needs (a preview, then
    the human's answer), and the shape of the answer."""

    def __init__(self, life: Callable[[], Escalations]):
        self.life = life

    def enabled(self) -> None:
        try:
            self.life().require_local_writes()  # checked at call time too, not only when the list was built
        except WritesDisabled as exc:
            raise ToolError(str(exc)) from None

    async def gate(self, ctx: MCPContext, confirm: bool, preview: Callable[[], Awaitable[Outcome]], *, remote: bool = True) -> Any:
        """The approval a write needs. Local only: none. Remote: a preview until confirm=true; then the human's answer to
        an elicitation showing the preview where the client supports it, else confirm=true itself."""
        self.enabled()
        if not remote:
            return _Approval(approved=True, via="local")
        if not confirm:
            return _Approval(approved=False, via="preview")
        caps = ctx.client_capabilities if ctx is not None else None
        if caps is None or caps.elicitation is None:
            return _Approval(approved=True, via="confirm")
        try:
            return Elicit(self.question_text(await preview()), Approve)
        except UserError as exc:
            raise _fail(exc) from None

    @staticmethod
    def question_text(o: Outcome) -> str:
        lines = [o.message.replace(" Nothing was written.", "").replace("Preview: would", "Approve: will"), ""]
        lines += [f"- {d.kind} {d.where}: {d.title or d.body[:300]}" for d in o.deliveries if d.state != "unavailable"]
        return "\n".join(lines)[:1500]

    async def run(self, approval: Any, op: Callable[[Escalations, bool], Awaitable[Outcome]], step: Callable[[Outcome], str] | str) -> WriteResult:
        """Check the setting, read the approval, run the operation, shape the answer."""
        self.enabled()
        if isinstance(approval, AcceptedElicitation):
            data = approval.data
            ok = data.approved if isinstance(data, _Approval) else bool(getattr(data, "approve", False))
            declined = not ok and not isinstance(data, _Approval)
        else:
            ok, declined = False, True
        try:
            lc = self.life()
            o = await op(lc, ok)
        except UserError as exc:
            raise _fail(exc) from None
        kind = "declined" if declined else ("done" if o.applied else ("preview" if o.preview else "unchanged"))
        return WriteResult(outcome=kind, message=("The human declined; nothing was written. " if declined else "") + o.message,
                           escalation=_view(o.escalation, lc) if o.escalation else None, deliveries=o.deliveries,
                           checklist=o.checklist, duplicates=o.duplicates, next_step=step(o) if callable(step) else step)


def _register_filing(app: MCPServer, w: _Writes) -> None:
    # --- filing ------------------------------------------------------------------------------------------
    async def approve_filing(ctx: MCPContext, confirm: bool, draft_id: str, destinations: str, project: str, priority: str) -> Any:
        return await w.gate(ctx, confirm, lambda: w.life().file(draft_id, only=destinations, project=project,  # type: ignore[arg-type]
                                                            priority=priority, confirmed=False))

    def after_filing(o: Outcome) -> str:
        if o.applied and o.escalation is not None:
            return f"Follow-ups are now tracked (follow_ups). Draft the customer update with draft_customer_update('{o.escalation.id}')."
        if o.duplicates:
            return (f"Open escalations look like the same problem ({', '.join(m.id for m in o.duplicates)}): offer to attach instead "
                    "(attach_to_escalation); otherwise show the preview and call again with confirm=true.")
        return "Show the human this preview; if they approve, call again with confirm=true."

    @app.tool(title="File escalation", annotations=FILE)
    async def file_escalation(
        *,
        draft_id: DRAFT,
        destinations: Literal["all", "tracker", "chat", "log"] = "all",
        project: Annotated[str, Field(max_length=60, description="override the tracker project/team")] = "",
        priority: Annotated[str, Field(max_length=40, description="override the tracker priority")] = "",
        by: BY = "",
        confirm: CONFIRM = False,
        approval: Annotated[ElicitationResult[Approve], Resolve(approve_filing)],
    ) -> WriteResult:
        """Files a rendered brief in the target team's tracker and chat channel, linked to the customer tickets, and
        records it in the log. confirm=false previews it and lists open duplicates. Never files twice."""
        return await w.run(approval, lambda lc, ok: lc.file(draft_id, by=by, only=destinations, project=project,
                                                          priority=priority, confirmed=ok), after_filing)


def _register_local_updates(app: MCPServer, w: _Writes) -> None:
    # --- local updates -------------------------------------------------------------------------------------
    @app.tool(title="Record escalation update", annotations=APPEND)
    def record_update(
        escalation_id: ID,
        kind: Literal["internal", "customer", "note", "reopened"],
        note: Annotated[str, Field(max_length=2000, description="what was learned or said")] = "",
        by: BY = "",
    ) -> WriteResult:
        """Records a follow-up; sends nothing. internal: checked with the receiving team; customer: updated the
        customer (each resets its clock); reopened: the problem came back."""
        w.enabled()
        lc = w.life()
        try:
            o = lc.record_update(escalation_id, kind, note, by)
        except UserError as exc:
            raise _fail(exc) from None
        assert o.escalation is not None
        return WriteResult(outcome="done", message=o.message, escalation=_view(o.escalation, lc), deliveries=[],
                           checklist=[], duplicates=[], next_step="follow_ups shows what is due next.")

    async def approve_severity(ctx: MCPContext, confirm: bool, notify: bool, escalation_id: str, severity: str, reason: str) -> Any:
        return await w.gate(ctx, confirm, lambda: w.life().change_severity(escalation_id, Severity(severity), reason,
                                                                      notify=True, confirmed=False), remote=notify)

    @app.tool(title="Change escalation severity", annotations=CHANGE)
    async def change_severity(
        *,
        escalation_id: ID,
        severity: Literal["critical", "high", "medium"],
        reason: Annotated[str, Field(max_length=1000, description="what changed")],
        by: BY = "",
        notify: NOTIFY = False,
        confirm: CONFIRM = False,
        approval: Annotated[ElicitationResult[Approve], Resolve(approve_severity)],
    ) -> WriteResult:
        """Raises or lowers severity with the reason and re-plans both follow-up clocks."""
        return await w.run(approval, lambda lc, ok: lc.change_severity(escalation_id, Severity(severity), reason, by=by,
                                                                     notify=notify, confirmed=ok),
                         "Tell the customer if it changes what they should expect (draft_customer_update).")


def _register_closing(app: MCPServer, w: _Writes) -> None:
    # --- de-escalation and closing ------------------------------------------------------------------------
    async def approve_de_escalation(ctx: MCPContext, confirm: bool, notify: bool, escalation_id: str, reason: str, note: str,
                                    workaround: str) -> Any:
        return await w.gate(ctx, confirm, lambda: w.life().de_escalate(escalation_id, reason, note,  # type: ignore[arg-type]
                                                                  workaround=workaround, notify=True, confirmed=False), remote=notify)

    @app.tool(title="De-escalate", annotations=CHANGE)
    async def de_escalate(
        *,
        escalation_id: ID,
        reason: Literal["support_resolvable", "workaround", "went_away", "lower_severity"],
        note: Annotated[str, Field(max_length=1000, description="root cause or new information")] = "",
        workaround: Annotated[str, Field(max_length=1000, description="for reason=workaround, customer-readable")] = "",
        learning: Annotated[str, Field(max_length=1000)] = "",
        by: BY = "",
        notify: NOTIFY = False,
        confirm: CONFIRM = False,
        approval: Annotated[ElicitationResult[Approve], Resolve(approve_de_escalation)],
    ) -> WriteResult:
        """De-escalates for the reason that applies and stops the clocks. Returns the checklist with drafts: tell the
        receiving team, update the ticket, tell the customer, record the learning."""
        return await w.run(approval, lambda lc, ok: lc.de_escalate(escalation_id, reason, note, by=by, workaround=workaround,
                                                                 learning=learning, notify=notify, confirmed=ok),
                         "Work through the checklist; each step has its draft.")

    async def approve_resolution(ctx: MCPContext, confirm: bool, notify: bool, escalation_id: str, resolution: str) -> Any:
        return await w.gate(ctx, confirm, lambda: w.life().resolve(escalation_id, resolution, notify=True, confirmed=False),
                          remote=notify)

    @app.tool(title="Resolve escalation", annotations=CHANGE)
    async def resolve_escalation(
        *,
        escalation_id: ID,
        resolution: Annotated[str, Field(max_length=1000, description="what fixed it, customer-readable")],
        learning: Annotated[str, Field(max_length=1000)] = "",
        by: BY = "",
        notify: NOTIFY = False,
        confirm: CONFIRM = False,
        approval: Annotated[ElicitationResult[Approve], Resolve(approve_resolution)],
    ) -> WriteResult:
        """Closes the loop: resolved, clocks stopped. Returns the checklist with drafts: confirm with the customer,
        update tracking, tell the team, record the learning."""
        return await w.run(approval, lambda lc, ok: lc.resolve(escalation_id, resolution, by=by, learning=learning,
                                                             notify=notify, confirmed=ok),
                         "Work through the checklist; if the problem comes back, record_update(kind='reopened').")


def _register_attach(app: MCPServer, w: _Writes) -> None:
    # --- duplicates -----------------------------------------------------------------------------------------
    async def approve_attach(ctx: MCPContext, confirm: bool, notify: bool, escalation_id: str, draft_id: str) -> Any:
        return await w.gate(ctx, confirm, lambda: w.life().attach(escalation_id, draft_id, notify=True, confirmed=False),
                          remote=notify)

    @app.tool(title="Attach to escalation", annotations=ATTACH)
    async def attach_to_escalation(
        *,
        escalation_id: ID,
        draft_id: DRAFT,
        by: BY = "",
        notify: NOTIFY = False,
        confirm: CONFIRM = False,
        approval: Annotated[ElicitationResult[Approve], Resolve(approve_attach)],
    ) -> WriteResult:
        """Instead of filing a duplicate: adds the draft's customer to an escalation (re-opening it if closed) and
        re-assesses its breadth, ARR at risk and severity (never lowered)."""
        return await w.run(approval, lambda lc, ok: lc.attach(escalation_id, draft_id, by=by, notify=notify, confirmed=ok),
                         "Tell the new customer what to expect (draft_customer_update).")
