"""The case under assessment: its inputs, the rules fired so far, and what each section of the assessment works out
for the sections after it (a dimension's figures feed the criteria, the criteria feed the decision and the severity).

Precedence of evidence: facts the human gave > what the issue text says > what the workspace and connected systems
show. `Case.flag` applies it to a yes/no fact, and a disagreement becomes a question for the human.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ..models import (
    AccountSummary, ArrAtRisk, Context, Deal, Dimension, Facts, IssueKind, KBMatch, Question, Rule, Segment, TrackerMatch,
)
from .model import Policy
from .signals import TextSignals


def _unread() -> Dimension:
    return Dimension(value="unknown")


@dataclass
class Case:
    text: str
    ctx: Context
    facts: Facts
    policy: Policy
    now: datetime
    sig: TextSignals
    fired: list[Rule] = field(default_factory=list)
    handle: list[Rule] = field(default_factory=list)
    missing: list[Question] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    # what the issue is, and whose (assess)
    kind: IssueKind = "unknown"
    key_account: bool = False
    # breadth
    customers: int = 0
    users: int = 0
    segment: str = ""
    segment_accounts: Segment | None = None  # the segment's accounts, whose ARR counts as at risk
    growing: bool = False
    breadth: Dimension = field(default_factory=_unread)
    # depth
    prod_down: bool = False
    prod_ev: str = ""
    workaround_known: bool = False  # the reporter says a workaround is available
    kb_workaround: KBMatch | None = None  # an article documenting the fix or a workaround for this
    tried_already: bool = False
    depth_value: str = "unknown"
    depth: Dimension = field(default_factory=_unread)
    # duration
    hours_open: float | None = None
    duration: Dimension = field(default_factory=_unread)
    # revenue
    affected: dict[str, AccountSummary] = field(default_factory=dict)
    arr_figure: ArrAtRisk = field(default_factory=ArrAtRisk)
    arr: float = 0.0
    renewals: list[str] = field(default_factory=list)
    deals: float = 0.0  # pending deals the reporter or the text names
    open_deals: list[Deal] = field(default_factory=list)  # the account's open deals in the CRM
    crm_deals: float = 0.0
    high_value: list[AccountSummary] = field(default_factory=list)
    revenue: Dimension = field(default_factory=_unread)
    # reputation
    public: bool = False
    public_ev: str = ""
    legal: bool = False
    legal_ev: str = ""
    reputation: Dimension = field(default_factory=_unread)
    # contractual
    sla_status: str = "unknown"
    sla_ev: list[str] = field(default_factory=list)
    contractual: Dimension = field(default_factory=_unread)
    # criteria: the yes/no facts read from the facts given or the text; `said` holds the words each rests on, by name
    said: dict[str, str] = field(default_factory=dict)
    security: bool = False
    data_loss: bool = False
    churn: bool = False
    executive: bool = False
    exception: bool = False
    recurrence: bool = False
    confirmed: bool = False
    open_bug: TrackerMatch | None = None  # an open bug or incident in the tracker about this
    limitation: KBMatch | None = None  # a documented limitation with an alternative
    # the decision
    escalate: bool = False

    @property
    def blocked(self) -> bool:
        return self.depth_value == "blocked"

    def fire(self, rule_id: str, says: str, evidence: str) -> None:
        group = rule_id.split(".")[0]
        target = self.handle if group == "handle" else self.fired
        if all(r.id != rule_id for r in target):
            target.append(Rule(id=rule_id, group=group, says=says, evidence=evidence))

    def yes(self, fact: str) -> bool:
        return getattr(self.facts, fact) == "yes"

    def no(self, fact: str) -> bool:
        return getattr(self.facts, fact) == "no"

    def flag(self, fact: str, signal: str) -> tuple[bool, str]:
        """A given yes/no fact always wins over the text; where the text reads otherwise, ask. Returns (present, evidence)."""
        if self.yes(fact):
            return True, f"stated by the reporter ({fact}=yes)"
        if self.no(fact):
            if self.sig.has(signal):
                self.disagree(fact, "no", f'the text reads as yes: "{self.sig.found[signal]}"')
            return False, ""
        if self.sig.has(signal):
            return True, f'issue text: "{self.sig.found[signal]}"'
        return False, ""

    def disagree(self, fact: str, given: str, reading: str) -> None:
        """The given fact is kept; the disagreement becomes a question for the human."""
        note = f"{fact}={given} was given, but {reading}; the given fact is used"
        if note not in self.conflicts:
            self.conflicts.append(note)
            self.missing.append(Question(fact=fact, ask=f"You said {fact}={given}, but {reading}. Which is right?"))

    def masked(self) -> str:
        """The text without look-alike phrases ("SLA breach credits"), for the exposure wording."""
        text = self.text
        for phrase in self.sig.lookalikes:
            text = text.replace(phrase, "")
        return text


def short_money(value: float) -> str:
    if value >= 1_000_000:
        return f"${value / 1_000_000:.2f}M".replace(".00M", "M")
    if value >= 1_000:
        return f"${value / 1_000:.0f}k"
    return f"${value:.0f}"


def hours_text(h: float | None) -> str:
    if h is None:
        return "unknown"
    if h >= 48:
        return f"{h / 24:.0f} days"
    return f"{h:.0f}h"


def parse_when(value: str, now: datetime) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            d = date.fromisoformat(value.strip())
        except ValueError:
            return None
        parsed = datetime(d.year, d.month, d.day)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=now.tzinfo)
