"""The application layer for the escalation log: every use case after the brief, for every surface.

The MCP tools (`lifecycle_tools.py`) and the CLI commands (`lifecycle_cli.py`) call this and nothing below it. It
supplies the service's clock and store, and applies the write rules, the same on both surfaces:

- anything sent to a tracker or chat needs writes enabled (`--enable-writes` or CUSTOMER_ESCALATION_ENABLE_WRITES=1),
  and a confirmation; without the confirmation the operation previews what it would send and writes nothing;
- changes to the local escalation log (updates, severity, de-escalation, resolution, attaching a customer, filing
  with destinations "log") never leave the machine. A person at the command line makes them without the setting; the
  MCP server, driven by a model, makes them only when writes are enabled (without the setting it only reads).
"""

from __future__ import annotations

import builtins

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from .lifecycle import (
    Delivery, Destinations, Escalation, FollowUp, Lifecycle, Match, Outcome, UpdateKind, WritesDisabled, chat_message, clocks,
    revenue, tracker_issue,
)
from .lifecycle.types import ENABLE_ON_COMMAND_LINE, ENABLE_ON_SERVER, DeEscalationReason
from .models import ArrAtRisk, Severity

if TYPE_CHECKING:
    from .service import Service

Surface = Literal["mcp", "cli"]


class Escalations:
    """The escalation log's use cases over one service (its store, policy, connectors, settings and clock)."""

    def __init__(self, service: Service, surface: Surface):
        self.service = service
        self.surface = surface
        self.enable_hint = ENABLE_ON_COMMAND_LINE if surface == "cli" else ENABLE_ON_SERVER
        self._lifecycle: Lifecycle | None = None

    # --- the write rules ---------------------------------------------------------------------------------
    @property
    def writes_enabled(self) -> bool:
        return self.service.settings.enable_writes

    @property
    def local_writes_allowed(self) -> bool:
        """Changing the local log: always from the command line; on the MCP server only with writes enabled."""
        return self.surface == "cli" or self.writes_enabled

    def require_local_writes(self, what: str = "this tool") -> None:
        """Checked at call time, not only when the tool list was built."""
        if not self.local_writes_allowed:
            raise WritesDisabled(what, self.enable_hint)

    # --- resources -------------------------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.service.now()

    def _life(self) -> Lifecycle:
        """Opened at the first use case, inside the caller's error handling (opening the store can fail)."""
        if self._lifecycle is None:
            self._lifecycle = Lifecycle.for_service(self.service, self.enable_hint)
        return self._lifecycle

    @property
    def damaged(self) -> builtins.list[str]:
        """Records of the log this object's reads found damaged and left out, by name (every surface reports them)."""
        return self._lifecycle.log.damaged if self._lifecycle is not None else []

    @property
    def state_path(self) -> str:
        """The state database read (known without reopening it, so also after the service is closed)."""
        return str((self._lifecycle.store if self._lifecycle is not None else self.service.store).state_path)

    def clocks(self, e: Escalation) -> tuple[datetime, datetime] | None:
        """(next internal check-in, next customer update) of an open escalation, under the policy in force."""
        return clocks(e, self.service.policy)

    def revenue(self, e: Escalation) -> tuple[ArrAtRisk, builtins.list[str]]:
        """ARR at risk of the customers attached (the brief's definition, with what it counts), and their renewals
        inside the policy's window, as of now."""
        return revenue(e, self.now(), self.service.policy)

    # --- reads -------------------------------------------------------------------------------------------------
    def list(self, *, account: str = "", status: str = "", severity: str = "", limit: int = 50) -> builtins.list[Escalation]:
        return self._life().list(account=account, status=status, severity=severity, limit=limit)

    def show(self, escalation_id: str) -> tuple[Escalation, builtins.list[Delivery]]:
        life = self._life()
        e = life.log.require(escalation_id)
        return e, life.log.deliveries(e.id)

    def follow_ups(self, within_hours: float = 4) -> builtins.list[FollowUp]:
        return self._life().follow_ups(self.now(), within_hours)

    def draft_customer_update(self, escalation_id: str, progress: str = "", account: str = "") -> tuple[Escalation, str, str]:
        return self._life().draft_customer_update(escalation_id, self.now(), progress, account)

    def duplicates(self, draft_id: str) -> builtins.list[Match]:
        return self._life().duplicates(draft_id)

    def formatted_brief(self, draft_id: str, fmt: str) -> str:
        """A rendered draft as the filing tools would send it: the team-channel message (slack) or the tracker issue,
        title then body (jira, github)."""
        escalation = self._life().prepare(draft_id, self.now()).model_copy(update={"id": "draft"})
        if fmt == "slack":
            return chat_message(escalation, None, self.service.policy)[0]
        title, body = tracker_issue(escalation, fmt)
        return f"{title}\n\n{body}"

    # --- writes ------------------------------------------------------------------------------------------------
    async def file(self, draft_id: str, *, by: str = "", only: Destinations = "all", project: str = "", priority: str = "",
                   confirmed: bool) -> Outcome:
        if confirmed:
            self.require_local_writes("file_escalation")
        return await self._life().file(draft_id, self.now(), by=by, only=only, project=project, priority=priority,
                                       confirmed=confirmed)

    def record_update(self, escalation_id: str, kind: UpdateKind, note: str = "", by: str = "") -> Outcome:
        self.require_local_writes("record_update")
        return self._life().record_update(escalation_id, kind, note, self.now(), by)

    async def change_severity(self, escalation_id: str, severity: Severity, reason: str, *, by: str = "", notify: bool = False,
                              confirmed: bool = True) -> Outcome:
        self.require_local_writes("change_severity")
        return await self._life().change_severity(escalation_id, severity, reason, self.now(), by=by, notify=notify,
                                                  confirmed=confirmed)

    async def de_escalate(self, escalation_id: str, reason: DeEscalationReason, note: str = "", *, by: str = "",
                          workaround: str = "", learning: str = "", notify: bool = False, confirmed: bool = True) -> Outcome:
        self.require_local_writes("de_escalate")
        return await self._life().de_escalate(escalation_id, reason, note, self.now(), by=by, workaround=workaround,
                                              learning=learning, notify=notify, confirmed=confirmed)

    async def resolve(self, escalation_id: str, resolution: str, *, by: str = "", learning: str = "", notify: bool = False,
                      confirmed: bool = True) -> Outcome:
        self.require_local_writes("resolve_escalation")
        return await self._life().resolve(escalation_id, resolution, self.now(), by=by, learning=learning, notify=notify,
                                          confirmed=confirmed)

    async def attach(self, escalation_id: str, draft_id: str, *, by: str = "", notify: bool = False,
                     confirmed: bool = True) -> Outcome:
        self.require_local_writes("attach_to_escalation")
        return await self._life().attach(escalation_id, draft_id, self.now(), by=by, notify=notify, confirmed=confirmed)
