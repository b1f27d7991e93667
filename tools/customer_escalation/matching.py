"""Telling the same problem from the same product area: the symptom an issue reports, how each record compares
with it (error codes, quoted messages, behaviours, the feature's words), the records a same-problem ticket cites,
and the articles whose answer is to pass the case on. Pure functions of the texts (the store is read only to follow
a citation)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .models import KBArticle, Ticket, TrackerItem
from .policy.concepts import SPECIFIC_SYMPTOMS, asks_rather_than_reports, error_codes, symptoms
from .store import Store
from .text import terms

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
class Symptom:
    """What the issue reports, to tell the same problem from the same product area."""

    behaviours: set[str]
    codes: set[str]
    asks: bool  # the issue itself asks how to do something
    terms: set[str]

    quoted: list[str]  # what the issue quotes: an error message or a status as the screen shows it

    @classmethod
    def of(cls, issue: str) -> Symptom:
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


def cross_reference(tickets: dict[tuple[str, str], tuple[Ticket, float]], tracker_found: list[tuple[TrackerItem, float]], kb_found: list[tuple[KBArticle, float]], store: Store, min_score: float,
                     reasons: dict[tuple[str, str], str], own: tuple[str, float] | None = None) -> None:
    """Records the same-problem tickets cite by id ("linked to ENG-2291", "see KB-110", "same as BW-7083") are about
    this problem too, however they are worded; so are the tickets a cited open bug links. Workspace records only."""
    cited: dict[str, str] = {}
    codes: dict[str, str] = {}
    for (_, ticket_id), (t, score) in list(tickets.items()):
        if score >= min_score or (own is not None and t.account_id == own[0] and score >= own[1]):
            text = " ".join([t.subject, t.description or "", *(m.body for m in t.messages)])
            for record_id in _RECORD_ID.findall(text):
                if record_id != ticket_id:
                    cited.setdefault(record_id, ticket_id)
            for code in sorted(error_codes(text)):
                # a status number ("500") is shared by unrelated failures; a named code is not
                if len(codes) < _CODES_FOLLOWED and re.search(r"[A-Z]", code) and not record_id_like(code, tickets, tracker_found):
                    codes.setdefault(code, ticket_id)
    _same_code(codes, tickets, tracker_found, store, min_score, reasons)
    if not cited:
        return
    tracker = {item.id: i for i, (item, _) in enumerate(tracker_found)}
    kb = {k.id: i for i, (k, _) in enumerate(kb_found)}
    linked: list[tuple[str, str]] = []
    for record_id, by in cited.items():
        why = f"cited in {by}"
        i = tracker.get(record_id)
        item: TrackerItem | None = tracker_found[i][0] if i is not None else store.get("tracker", record_id)
        j = kb.get(record_id)
        article: KBArticle | None = kb_found[j][0] if j is not None else store.get("kb", record_id) if item is None else None
        if item is not None:
            if i is None:
                tracker_found.append((item, min_score))
            elif tracker_found[i][1] < min_score:
                tracker_found[i] = (item, min_score)
            if item.kind in ("bug", "incident") and item.status_category != "done":
                linked += [(ticket_id, f"linked to {item.id}") for ticket_id in item.linked_ticket_ids[:50]]
        elif article is not None:
            if j is None:
                kb_found.append((article, min_score))
            elif kb_found[j][1] < min_score:
                kb_found[j] = (article, min_score)
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


_CODES_FOLLOWED = 3  # error codes a same-problem ticket quotes, followed to the other records that quote them


def record_id_like(code: str, tickets: dict[tuple[str, str], tuple[Ticket, float]], tracker_found: list[tuple[TrackerItem, float]]) -> bool:
    """A record's id ("TH-4107", "ENG-2230") has the shape of an error code; it is told by its prefix, which the
    tickets and tracker items in hand share."""
    prefix = code.split("-")[0]
    if not re.fullmatch(r"[A-Z]{1,6}-\d{2,7}", code):
        return False
    return any(t.id.startswith(prefix + "-") for t, _ in tickets.values()) or any(i.id.startswith(prefix + "-") for i, _ in tracker_found)


def _same_code(codes: dict[str, str], tickets: dict[tuple[str, str], tuple[Ticket, float]], tracker_found: list[tuple[TrackerItem, float]],
               store: Store, min_score: float, reasons: dict[tuple[str, str], str]) -> None:
    """Tickets and tracker items quoting the error code a same-problem ticket quotes are about the same failure, however
    else they are worded ("all our jobs are gone" and "feed rejected with XML_FEED_REJECTED")."""
    tracker = {item.id: i for i, (item, _) in enumerate(tracker_found)}
    for code, by in codes.items():
        query = terms(code)
        if not query:
            continue
        for hit in store.search("ticket", query, limit=30):
            t = hit.record
            if code in ticket_full_text(t):
                key = (t.source, t.id)
                if key not in tickets or tickets[key][1] < min_score:
                    tickets[key] = (t, min_score)
                    reasons[key] = f"same error '{code}' as {by}"
        for hit in store.search("tracker", query, limit=10):
            item = hit.record
            if code in f"{item.title} {item.description}":
                i = tracker.get(item.id)
                if i is None:
                    tracker_found.append((item, min_score))
                    tracker[item.id] = len(tracker_found) - 1
                elif tracker_found[i][1] < min_score:
                    tracker_found[i] = (item, min_score)
                if item.kind in ("bug", "incident") and item.status_category != "done":
                    # the open bug on that error links the reports engineering already tied to it
                    for ticket_id in item.linked_ticket_ids[:50]:
                        key = ("workspace", ticket_id)
                        if key in tickets and tickets[key][1] >= min_score:
                            continue
                        found = tickets[key][0] if key in tickets else store.get("ticket", ticket_id)
                        if found is not None:
                            tickets[key] = (found, min_score)
                            reasons[key] = f"linked to {item.id} ('{code}')"


def ticket_full_text(t: Ticket) -> str:
    return " ".join([t.subject, t.description or "", *(m.body for m in t.messages)])


def ticket_text(t: Ticket) -> str:
    first = next((m.body for m in t.messages if m.author_role == "customer"), "")
    return f"{t.subject} {t.description or first}"


# an article whose own answer is to pass the case on ("past 48 hours, escalate to L2 Number Operations") is no fix
# support can give: it is listed as related, never as the documented answer
_HAND_ON = re.compile(r"\b(?:escalate|hand (?:it |this |the case )?(?:over|off|on)|pass (?:it |this |the case )?on|raise (?:it|this|the case)|open a case)\b"
                      r"(?:\W+\w+){0,4}?\W+(?:to|with) (?:the )?(?:l2|l3|tier[- ]?[23]|engineering|specialists?|[\w-]+ (?:operations|ops|engineering|team|specialists))\b",
                      re.IGNORECASE)


def hands_on(article: Any) -> bool:
    return bool(_HAND_ON.search(f"{article.body} {article.workaround or ''}")) and not article.workaround
