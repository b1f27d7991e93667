"""What both store backends share: record kinds, errors, the searchable text of a record, and the ranking.

Related-record scoring is an IDF-weighted share of the query's terms found in the record, which reads as "how much
of this issue does that record talk about" and gives a stable threshold for "same problem". Each backend finds the
candidates with its own full-text index; the score itself is computed here, so both rank alike.
"""

from __future__ import annotations

import json
import logging
import math
import re
from dataclasses import dataclass
from datetime import timezone
from typing import Any, Literal

from pydantic import BaseModel

from ..errors import UserError
from ..models import Account, ChatThread, KBArticle, PastEscalation, Ticket, TrackerItem
from ..text import terms

RecordKind = Literal["account", "ticket", "tracker", "chat", "kb", "escalation"]
SEARCHABLE: tuple[RecordKind, ...] = ("ticket", "tracker", "chat", "kb")
MODEL: dict[str, type[BaseModel]] = {
    "account": Account, "ticket": Ticket, "tracker": TrackerItem, "chat": ChatThread, "kb": KBArticle,
    "escalation": PastEscalation,
}
WORKSPACE_FIELDS: dict[str, RecordKind] = {
    "accounts": "account", "tickets": "ticket", "tracker_items": "tracker", "chat_threads": "chat",
    "kb_articles": "kb", "escalations": "escalation",
}
log = logging.getLogger("customer_escalation.store")

COMMON_TERM_SHARE = 0.25  # terms in more than this share of records carry little signal
POSTINGS_BUDGET = 20_000  # postings one search walks for candidates, at most (past the two rarest terms)

WORKSPACE_DB = "workspace.db"  # the default workspace of the SQLite store, in the data directory
EMPTY_WORKSPACE = (
    "the {name!r} workspace is empty and no system is connected, so there is no context to gather. Next: "
    "`customer-escalation import FILE` loads your accounts and tickets (format: `customer-escalation schema`), "
    "or connect a support platform, CRM, tracker, chat or knowledge base (CONNECTORS.md; `customer-escalation "
    "connectors` checks them), or try the bundled sample with `--workspace sample`"
)
# the words a full-text index holds for a term: what FTS5's unicode61 tokenizer makes of it, so both backends agree
_TOKEN = re.compile(r"[a-z0-9]+")


class StoreError(UserError):
    """A store problem with a message a user can act on."""


class ImportError_(StoreError):
    """A workspace file that cannot be imported; nothing was changed."""


def loads(text: str) -> Any:
    """JSON stored by this package; None when it is damaged (not UTF-8, not JSON)."""
    try:
        return json.loads(text.encode("utf-8"))
    except (UnicodeEncodeError, ValueError, RecursionError):
        return None


def printable(value: Any, limit: int = 60) -> str:
    """A stored id as safe text for a message, even when the row holding it is damaged."""
    return str(value).encode("utf-8", "replace").decode("utf-8")[:limit]


def searchable_text(kind: str, record: BaseModel) -> tuple[str, str]:
    """(title, body) of a record as indexed for search."""
    if isinstance(record, Ticket):
        body = " ".join([record.description, *(m.body for m in record.messages), " ".join(record.tags)])
        return record.subject, body
    if isinstance(record, TrackerItem):
        return record.title, f"{record.description} {record.team or ''}"
    if isinstance(record, ChatThread):
        return record.topic, " ".join(m.text for m in record.messages)
    if isinstance(record, KBArticle):
        return record.title, f"{record.body} {record.workaround or ''}"
    raise TypeError(kind)


def indexed_terms(kind: str, record: BaseModel) -> tuple[str, str]:
    """(title, body) as normalised terms, the text both backends index and score."""
    title, body = searchable_text(kind, record)
    return " ".join(terms(title)), " ".join(terms(body))


def index_tokens(*texts: str) -> list[str]:
    """The distinct tokens a full-text index holds for normalised text."""
    return list(dict.fromkeys(t for text in texts for t in _TOKEN.findall(text)))


def record_time(record: BaseModel) -> str | None:
    for attr in ("updated_at", "created_at"):
        value = getattr(record, attr, None)
        if value is not None:
            return value.astimezone(timezone.utc).isoformat()
    if isinstance(record, ChatThread) and record.messages:
        return max(m.created_at for m in record.messages).astimezone(timezone.utc).isoformat()
    return None


def record_columns(kind: str, record: Any) -> tuple[str | None, str | None, str | None, str | None, str]:
    """(account_id, name, at, status, data) of a record as stored."""
    account_id = record.id if kind == "account" else getattr(record, "account_id", None)
    return account_id, getattr(record, "name", None), record_time(record), getattr(record, "status", None), record.model_dump_json()


@dataclass
class Hit:
    kind: RecordKind
    record: Any
    score: float  # 0..1: IDF-weighted share of the query's terms found in the record
    matched: list[str]


@dataclass
class SearchPlan:
    """What one search weighs and walks: each term's IDF, the weight of the whole query, the terms worth a walk."""
    present: list[str]
    idf: dict[str, float]
    weight_total: float
    walk: list[str]
    query_size: int


def plan_search(distinct: list[str], df: dict[str, int], total: int) -> SearchPlan | None:
    present = [t for t in distinct if df.get(t)]
    if not present:
        return None
    idf = {t: math.log(1 + (total - df[t] + 0.5) / (df[t] + 0.5)) for t in present}
    # a term no record contains cannot tell records apart, but the issue is still partly about
    # it: it counts against every record at half weight, so a query's common words alone never match
    absent_weight = 0.5 * math.log(1 + (total + 0.5) / 0.5)
    weight_total = sum(idf.values()) + absent_weight * (len(distinct) - len(present))
    # common terms count towards the score but are not worth a posting-list walk
    selective = [t for t in present if total < 50 or df[t] / total <= COMMON_TERM_SHARE] or sorted(present, key=df.__getitem__)[:2]
    # and in a large workspace, the rarest of them up to a posting budget: the rest still count in the score
    walk: list[str] = []
    for t in sorted(selective, key=df.__getitem__):
        if len(walk) >= 2 and sum(df[w] for w in walk) + df[t] > POSTINGS_BUDGET:
            break
        walk.append(t)
    return SearchPlan(present, idf, weight_total, walk, len(distinct))


TITLE_WEIGHT: dict[str, float] = {"ticket": 0.7}  # by kind of record: how far a title the issue wholly says lifts it
TITLE_MIN_TERMS = 3  # a shorter title says too little to be read on its own


def candidate_count(limit: int) -> int:
    """Candidates read, ranked by the score less common terms: twice the limit leaves room for them."""
    return max(limit * 2, 40)


def score(plan: SearchPlan, ranked: list[Any], texts: dict[Any, tuple[str, str]], *, limit: int,
          min_score: float, title_weight: float = 0.0) -> list[tuple[float, int, Any, list[str]]]:
    """(score, length, key, matched terms) of the best candidates, best first.

    The score is the IDF-weighted share of the query's terms a record holds. With `title_weight`, a record whose own
    title the issue almost wholly says ("Candidate signed but offer still says Sent", inside a long issue about signed
    offers still awaiting signature) scores at least that share of its title times the weight: a long issue covers
    many things, and a short title that all of it is in the issue is about one of them."""
    asked = set(plan.present)
    scored = []
    for key in ranked:
        if key not in texts:  # removed by an import since the walk
            continue
        title, body = texts[key]
        words = title.split() + body.split()
        doc_terms = set(words)
        matched = [t for t in plan.present if t in doc_terms]
        value = sum(plan.idf[t] for t in matched) / plan.weight_total
        if title_weight:
            heading = set(title.split())
            if len(heading) >= TITLE_MIN_TERMS:
                value = max(value, title_weight * len(heading & asked) / len(heading))
        if len(matched) < 2 <= plan.query_size - 1:
            value *= 0.5  # one shared word is not the same problem
        if value >= min_score:
            scored.append((value, len(words), key, matched))
    scored.sort(key=lambda s: (-s[0], s[1]))  # equal scores: the shorter record is more about the issue
    return scored[:limit]
