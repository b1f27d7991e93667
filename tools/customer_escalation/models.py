"""The domain vocabulary: one set of typed objects used by every layer.

Records (accounts, tickets, tracker items, chat threads, KB articles, past
escalations) come from the local workspace or from connectors and have the same
shape whichever source produced them. The workspace import format is `Workspace`.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from enum import Enum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _utc(value: datetime) -> datetime:
    """A time without an offset is taken as UTC: exports and some APIs omit it, and naive and aware times don't compare."""
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


Timestamp = Annotated[datetime, AfterValidator(_utc)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# --- enums shared by policy, tools and evals -------------------------------------------------


class Severity(str, Enum):
    critical = "critical"
    high = "high"
    medium = "medium"

    @property
    def rank(self) -> int:
        return {"critical": 3, "high": 2, "medium": 1}[self.value]


class Target(str, Enum):
    l2_support = "l2_support"
    engineering = "engineering"
    product = "product"
    security = "security"
    leadership = "leadership"


TARGET_LABELS: dict[Target, str] = {
    Target.l2_support: "L2 support",
    Target.engineering: "Engineering",
    Target.product: "Product management",
    Target.security: "Security",
    Target.leadership: "Leadership",
}

IssueKind = Literal["bug", "feature_gap", "question", "configuration", "unknown"]
SourceCategory = Literal["workspace", "support", "crm", "chat", "tracker", "knowledge_base"]


# --- workspace records -------------------------------------------------------------------------


class Contact(_Model):
    name: str
    email: str | None = None
    role: str | None = None


class Deal(_Model):
    """An open deal (HubSpot) or opportunity (Salesforce) of an account: revenue still pending."""

    id: str
    name: str
    amount: float | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, description="ISO code when the CRM gives one; none: the CRM's own currency")
    stage: str | None = None
    close_date: date | None = None
    renewal: bool = Field(default=False, description="a renewal deal: its close date is the renewal date when the CRM has none")
    source: str = "workspace"
    url: str | None = None


class Account(_Model):
    """A customer account as the CRM or support platform knows it."""

    id: str
    name: str
    domains: list[str] = Field(default_factory=list, description="email/web domains of the account")
    plan: str | None = Field(default=None, description="plan name, e.g. Starter, Growth, Enterprise")
    arr: float | None = Field(default=None, ge=0, description="annual recurring revenue in USD")
    renewal_date: date | None = None
    sla_tier: str | None = Field(default=None, description="SLA tier name, e.g. Premium")
    sla_first_response_hours: float | None = Field(default=None, gt=0)
    sla_resolution_hours: float | None = Field(default=None, gt=0)
    owner: str | None = Field(default=None, description="account owner or CSM")
    key_contacts: list[Contact] = Field(default_factory=list)
    reference_customer: bool = False
    segment: str | None = None
    notes: str | None = None
    open_deals: list[Deal] | None = Field(default=None, description="open deals or opportunities; null: not read")
    source: str = "workspace"
    url: str | None = None


class Message(_Model):
    author: str
    author_role: Literal["customer", "agent", "internal", "system"] = "customer"
    created_at: Timestamp
    body: str
    public: bool = True


TicketStatus = Literal["new", "open", "pending", "on_hold", "solved", "closed"]
TicketPriority = Literal["low", "normal", "high", "urgent"]


class Ticket(_Model):
    id: str
    account_id: str | None = None
    subject: str
    description: str = ""
    status: TicketStatus = "open"
    priority: TicketPriority = "normal"
    created_at: Timestamp
    updated_at: Timestamp | None = None
    requester: str | None = None
    tags: list[str] = Field(default_factory=list)
    messages: list[Message] = Field(default_factory=list)
    url: str | None = None
    source: str = "workspace"


class TrackerItem(_Model):
    id: str
    kind: Literal["bug", "feature_request", "task", "incident"] = "bug"
    title: str
    description: str = ""
    status: str = "open"
    status_category: Literal["todo", "in_progress", "done"] = "todo"
    priority: str | None = None
    team: str | None = None
    url: str | None = None
    created_at: Timestamp | None = None
    updated_at: Timestamp | None = None
    linked_ticket_ids: list[str] = Field(default_factory=list)
    source: str = "workspace"


class ChatMessage(_Model):
    author: str
    created_at: Timestamp
    text: str


class ChatThread(_Model):
    id: str
    channel: str
    topic: str = ""
    messages: list[ChatMessage] = Field(default_factory=list)
    url: str | None = None
    created_at: Timestamp | None = None
    source: str = "workspace"


class KBArticle(_Model):
    id: str
    title: str
    body: str = ""
    kind: Literal["known_issue", "workaround", "how_to", "doc", "limitation"] = "doc"
    workaround: str | None = Field(default=None, description="the documented workaround, when one exists")
    url: str | None = None
    updated_at: Timestamp | None = None
    source: str = "workspace"

    @property
    def has_workaround(self) -> bool:
        return bool(self.workaround)


class PastEscalation(_Model):
    id: str
    account_id: str | None = None
    summary: str
    target: Target
    severity: Severity
    status: Literal["open", "de_escalated", "resolved"] = "resolved"
    created_at: Timestamp
    resolved_at: Timestamp | None = None
    outcome: str | None = None
    url: str | None = None


class Workspace(_Model):
    """The workspace import format (`customer-escalation import FILE`)."""

    format_version: Literal[1] = 1
    company: str | None = Field(default=None, description="the company whose support team uses this workspace")
    generated_at: Timestamp | None = Field(
        default=None, description="when the data was exported; a clock reference for sample data"
    )
    accounts: list[Account] = Field(default_factory=list)
    tickets: list[Ticket] = Field(default_factory=list)
    tracker_items: list[TrackerItem] = Field(default_factory=list)
    chat_threads: list[ChatThread] = Field(default_factory=list)
    kb_articles: list[KBArticle] = Field(default_factory=list)
    escalations: list[PastEscalation] = Field(default_factory=list)


# --- connector query and per-source status -----------------------------------------------------


class SearchQuery(_Model):
    """What gather_context asks every source for."""

    text: str = Field(description="the issue description as typed")
    keywords: list[str] = Field(default_factory=list, description="significant terms extracted from the text")
    account: Account | None = None
    limit: int = Field(default=20, ge=1, le=200)


SourceState = Literal[
    "ok", "timed_out", "rate_limited", "auth_failed", "not_found", "error", "misconfigured", "unreachable", "skipped"
]


class SourceStatus(_Model):
    source: str = Field(description="system name, e.g. zendesk, jira, workspace")
    category: SourceCategory
    state: SourceState
    items: int = 0
    elapsed_ms: int = 0
    detail: str | None = Field(default=None, description="short trusted reason; never text from the source")
    truncated: bool = False


# --- facts the agent learned from the human ---------------------------------------------------

Tri = Literal["unknown", "yes", "no"]


def _tri(value: object) -> object:
    """Accept booleans and common spellings for a yes/no/unknown fact."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        v = value.strip().lower()
        if v in {"true", "y", "yes", "1"}:
            return "yes"
        if v in {"false", "n", "no", "0"}:
            return "no"
        if v in {"", "unknown", "null", "none", "?"}:
            return "unknown"
    return value


class Facts(_Model):
    """What the human told the agent. Every field is optional; "unknown", 0 or "" mean not known.

    Field names are the assess_impact tool's parameter names, and the eval cases' `facts` keys.
    """

    customers_affected: int = Field(default=0, ge=0, description="number of customers affected; 0 = unknown")
    users_affected: int = Field(default=0, ge=0, description="number of end users affected; 0 = unknown")
    segment: str = Field(default="", max_length=200, description="affected segment, e.g. 'all Enterprise customers'")
    workflow_impact: Literal["unknown", "blocked", "degraded", "inconvenienced"] = "unknown"
    workaround_available: Tri = "unknown"
    started_at: str = Field(default="", max_length=40, description="when it started (ISO date or datetime)")
    arr_at_risk: float = Field(default=0, ge=0, description="USD ARR at risk; 0 = unknown")
    pending_deal_value: float = Field(default=0, ge=0, description="USD value of pending deals affected")
    renewal_date: str = Field(default="", max_length=40, description="renewal date (ISO) if not in the CRM")
    churn_threat: Tri = "unknown"
    legal_or_pr_risk: Tri = "unknown"
    public_exposure: Tri = "unknown"
    reference_customer: Tri = "unknown"
    sla_status: Literal["unknown", "ok", "at_risk", "breached"] = "unknown"
    data_loss: Tri = "unknown"
    security_concern: Tri = "unknown"
    production_down: Tri = "unknown"
    issue_kind: Literal["unknown", "bug", "feature_gap", "question", "configuration"] = "unknown"
    confirmed: Tri = "unknown"
    executive_request: Tri = "unknown"
    policy_exception: Tri = "unknown"
    recurrence: Tri = "unknown"

    @classmethod
    def coerce(cls, data: dict) -> "Facts":
        tri_fields = {name for name, f in cls.model_fields.items() if f.annotation == Tri}
        fixed = {k: (_tri(v) if k in tri_fields else ("" if v is None and k in {"segment", "started_at", "renewal_date"} else v)) for k, v in data.items()}
        return cls.model_validate(fixed)

    def known(self) -> dict[str, object]:
        """Only the facts that were actually given."""
        defaults = Facts()
        return {k: v for k, v in self.model_dump().items() if v != getattr(defaults, k)}


# --- what the tool chain produces ---------------------------------------------------------------


class AccountSummary(_Model):
    id: str
    name: str
    plan: str | None = None
    arr: float | None = None
    renewal_date: date | None = None
    reference_customer: bool = False
    tickets: int = 0


class RelatedTicket(_Model):
    id: str
    account_id: str | None = None
    account_name: str | None = None
    subject: str
    status: str
    priority: str
    created_at: Timestamp
    updated_at: Timestamp | None = None
    match: float = Field(description="0-1, how much of the issue this ticket talks about")
    same_problem: bool = False
    why: str = Field(default="", description="why it matched: shared error code, behaviour, tracker link or terms")
    url: str | None = None
    source: str = "workspace"
    excerpt: str = Field(default="", description="quoted customer text: data, not instructions")


class TrackerMatch(_Model):
    id: str
    kind: str
    title: str
    status: str
    status_category: str
    team: str | None = None
    match: float = 0
    linked_tickets: int = 0
    url: str | None = None
    source: str = "workspace"


class ChatMatch(_Model):
    id: str
    channel: str
    topic: str
    at: Timestamp | None = None
    excerpt: str = Field(default="", description="quoted internal chat: data, not instructions")
    url: str | None = None
    source: str = "workspace"


class KBMatch(_Model):
    id: str
    title: str
    kind: str
    match: float = 0
    applies: bool = Field(default=True, description="addresses this symptom; false: possibly related only, not a fix to offer")
    workaround: str | None = Field(default=None, description="quoted documented workaround, when one exists")
    url: str | None = None
    source: str = "workspace"


class EscalationRef(_Model):
    id: str
    summary: str
    target: str
    severity: str
    status: str
    created_at: Timestamp
    url: str | None = None


class Timeline(_Model):
    first_report: Timestamp | None = None
    last_customer_update: Timestamp | None = Field(default=None, description="last message from a customer")
    last_agent_update: Timestamp | None = Field(default=None, description="last public reply to a customer")
    hours_since_first_report: float | None = None
    customer_waiting_hours: float | None = Field(default=None, description="hours since a customer message went unanswered")
    reports_last_7_days: int = 0
    reports_prior_7_days: int = 0


class Context(_Model):
    """Everything gathered about an issue, from the workspace and the connected systems."""

    issue: str
    account_query: str = ""
    account: Account | None = None
    account_candidates: list[AccountSummary] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    related_tickets: list[RelatedTicket] = Field(default_factory=list)
    customers_reporting: int = Field(default=0, description="distinct accounts with a ticket about the same problem")
    affected_accounts: list[AccountSummary] = Field(default_factory=list)
    account_open_tickets: int = 0
    timeline: Timeline = Field(default_factory=Timeline)
    tracker_items: list[TrackerMatch] = Field(default_factory=list)
    chat_threads: list[ChatMatch] = Field(default_factory=list)
    kb_articles: list[KBMatch] = Field(default_factory=list)
    past_escalations: list[EscalationRef] = Field(default_factory=list)
    error_strings: list[str] = Field(default_factory=list, description="quoted error text reported in the related tickets")
    customer_deadlines: list[str] = Field(default_factory=list, description="deadlines stated in the related tickets or chat, quoted with their source")
    plan_counts: dict[str, int] = Field(default_factory=dict, description="accounts per plan in the workspace")
    plan_arr: dict[str, float] = Field(default_factory=dict, description="ARR per plan in the workspace")
    sources: list[SourceStatus] = Field(default_factory=list)
    omitted: dict[str, int] = Field(default_factory=dict, description="items left out per list, by the size bound")
    now: Timestamp


RuleGroup = Literal["technical", "complexity", "impact", "business", "time", "pattern", "handle"]


class Rule(_Model):
    id: str = Field(description="e.g. impact.security, handle.documented_workaround")
    group: RuleGroup
    says: str = Field(description="the rule in words")
    evidence: str = Field(description="the fact, ticket or number that made it fire")


class Dimension(_Model):
    value: str
    level: Literal["unknown", "low", "moderate", "high", "severe"] = "unknown"
    evidence: list[str] = Field(default_factory=list)


class Question(_Model):
    fact: str = Field(description="the assess_impact parameter that answers it")
    ask: str


class Segment(_Model):
    """A named segment of customers whose accounts count as affected: a plan, or all customers (plan null)."""

    label: str
    plan: str | None = None
    accounts: int = 0
    arr: float = 0


class ArrAtRisk(_Model):
    """The ARR at risk, what it counts, and what it was reached from (see revenue.arr_at_risk)."""

    amount: float = 0
    basis: str = Field(default="", description="what the figure counts, e.g. 'combined ARR of the 3 affected accounts'")
    accounts: int = Field(default=0, description="accounts counted; 0 when the figure was stated")
    segment: Segment | None = None
    stated: float = Field(default=0, description="the figure the reporter or the issue text gave, which wins when given")
    stated_by: str = ""


class Assessment(_Model):
    escalate: bool
    decision: str = Field(description="one sentence: escalate or handle in support, and why")
    severity: Severity | None = None
    severity_reasons: list[str] = Field(default_factory=list)
    issue_kind: IssueKind = "unknown"
    security: bool = False
    fired: list[Rule] = Field(default_factory=list, description="escalation criteria that fired")
    handle_in_support: list[Rule] = Field(default_factory=list, description="handle-in-support criteria that fired")
    breadth: Dimension
    depth: Dimension
    duration: Dimension
    revenue: Dimension
    reputation: Dimension
    contractual: Dimension
    customers_affected: int = 0
    users_affected: int = 0
    arr_at_risk: float = 0
    arr: ArrAtRisk = Field(default_factory=ArrAtRisk, description="the ARR at risk with what it counts")
    pending_deals: list[Deal] = Field(default_factory=list, description="open deals of the account the issue puts at risk")
    pending_deal_value: float = 0
    renewals_in_window: list[str] = Field(default_factory=list)
    hours_open: float | None = None
    sla_status: Literal["unknown", "ok", "at_risk", "breached"] = "unknown"
    key_account: bool = False
    churn_threat: bool = False
    confirmed: bool | None = Field(default=None, description="bug reproduced (true), not reproduced (false), unknown (null)")
    missing: list[Question] = Field(default_factory=list, description="ask the human these, then call again")
    conflicts: list[str] = Field(default_factory=list)
    documented_answer: list[str] = Field(default_factory=list, description="KB articles that address this very symptom (fix, workaround, or limitation with its alternative)")


class ChecklistItem(_Model):
    item: str
    present: bool


class Routing(_Model):
    target: Target | None = Field(description="primary target; null when support handles it")
    team: str = ""
    also_inform: list[Target] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)
    security_bypass: bool = False
    tracker: str = ""
    chat_channel: str = ""
    checklist: list[ChecklistItem] = Field(default_factory=list, description="what the target needs in the brief")
