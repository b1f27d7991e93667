"""After the brief: the escalation log, filing, follow-up clocks, de-escalation, closing and duplicates.

One vocabulary (`Escalation`, `Event`, `Delivery`, in `types.py`), by responsibility:

- `rules.py`: pure rules (no I/O, `now` passed in): follow-up clocks and what is due, breadth and revenue of the
  customers attached, problem similarity (duplicate scoring);
- `messages.py`: every text the log writes (tracker issue, chat message, team notices, the customer-facing update,
  the de-escalation checklist), pure as well;
- `log.py`: the escalation log in the state database (SQL): escalations, accounts, history, deliveries;
- `delivery.py`: connector lookup and refusals turned into actionable messages;
- `operations.py`: `Lifecycle`, the operations; the application layer (`escalations.py`) is what surfaces call.
"""

from .log import EscalationLog, history_for_account
from ..revenue import money
from .messages import (
    chat_message, closing_checklist, customer_safe, customer_update, team_notice, tracker_issue,
)
from .operations import Lifecycle
from .rules import clocks, error_strings, follow_ups, marker, problem_terms, revenue, similarity
from .types import (
    MARKER_PREFIX, MAX_LIST, REASONS, SIMILAR, ChecklistStep, ConcurrentChange, ConnectorFactory, CustomerRef, DeEscalationReason,
    Delivery, Destinations, Escalation, Event, FollowUp, LifecycleError, Link, Match, Outcome, Status, UpdateKind, WritesDisabled,
)

__all__ = [
    "MARKER_PREFIX", "MAX_LIST", "REASONS", "SIMILAR", "ChecklistStep", "ConcurrentChange", "ConnectorFactory", "CustomerRef",
    "DeEscalationReason", "Delivery", "Destinations", "Escalation", "EscalationLog", "Event", "FollowUp", "Lifecycle",
    "LifecycleError", "Link", "Match", "Outcome", "Status", "UpdateKind", "WritesDisabled", "chat_message", "clocks",
    "closing_checklist", "customer_safe", "customer_update", "error_strings", "follow_ups", "history_for_account", "marker",
    "money", "problem_terms", "revenue", "similarity", "team_notice", "tracker_issue",
]
