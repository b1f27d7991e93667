"""The escalation log's vocabulary: an escalation, its events and deliveries, and what an operation returns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Literal

from pydantic import Field

from ..errors import UserError
from ..models import ArrAtRisk, Deal, Severity, Target, Timestamp, _Model

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
MARKER_PREFIX = "cesc"
SIMILAR = 0.6  # similarity from which two reports are treated as the same problem
MAX_LIST = 200


class LifecycleError(UserError, ValueError):
    """A refusal or failure with a message the caller can act on (trusted text only)."""


class ConcurrentChange(LifecycleError):
    """Someone else saved the escalation between this caller's read and its save."""


ENABLE_ON_SERVER = ("Enable them with the setting CUSTOMER_ESCALATION_ENABLE_WRITES=1 (or `customer-escalation serve "
                    "--enable-writes`), then call again.")
ENABLE_ON_COMMAND_LINE = ("Enable them for this command with --enable-writes (or set CUSTOMER_ESCALATION_ENABLE_WRITES=1), "
                          "then run it again.")


class WritesDisabled(LifecycleError):
    def __init__(self, what: str = "this", how: str = ENABLE_ON_SERVER):
        super().__init__(f"{what} writes to an external system, and writes are disabled. {how}")


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



class Outcome(_Model):
    """What a lifecycle operation did, or would do."""

    escalation: Escalation | None = None
    applied: bool = Field(description="the local change was recorded")
    # a preview: nothing was written, and a confirmed call would make the change (not shown in dumps: the message says it)
    preview: bool = Field(default=False, exclude=True)
    message: str
    deliveries: list[Delivery] = Field(default_factory=list)
    checklist: list[ChecklistStep] = Field(default_factory=list)
    duplicates: list[Match] = Field(default_factory=list)


ConnectorFactory = Callable[[], Sequence[Any]]
