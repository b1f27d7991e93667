"""The workspace assembled from its parts (tickets numbered by date, links resolved), and the labelled relevance set
read from the problems."""

from __future__ import annotations

import json
import random
from datetime import datetime

from .company import (
    ACCOUNTS, CHAT_URL, ESC_URL, HELP_URL, NOW, SEED, START, SUPPORT_URL, TRACKER_URL, email, iso, t,
)
from .long_tail import build_long_tail
from .problems import PROBLEM_TICKETS
from .records import CHAT, ESCALATIONS, KB, TRACKER

# --- assemble --------------------------------------------------------------------------------------


def _dt(value) -> datetime:
    return value if isinstance(value, datetime) else t(value)


def build() -> dict:
    rng = random.Random(SEED)
    raw = [dict(x) for x in PROBLEM_TICKETS] + build_long_tail(rng, 300)
    for x in raw:
        x["created"] = _dt(x["created"])
    raw.sort(key=lambda x: (x["created"], x["key"]))
    ids: dict[str, str] = {}
    tickets = []
    for n, x in enumerate(raw):
        tid = str(40001 + n)
        ids[x["key"]] = tid
        messages = [dict(author=a, author_role=role, created_at=iso(_dt(at)), body=body, public=public)
                    for a, role, at, body, public in x["messages"]]
        times = [x["created"]] + [_dt(m[2]) for m in x["messages"]]
        updated = max(times)
        assert START <= x["created"] <= NOW and updated <= NOW, x["key"]
        # the description is what the customer wrote first; a ticket's message list starts with it
        if not x["messages"] or x["messages"][0][1] != "customer" or _dt(x["messages"][0][2]) != x["created"]:
            messages.insert(0, dict(author=x["requester"], author_role="customer", created_at=iso(x["created"]),
                                    body=x["description"], public=True))
        tickets.append({
            "id": tid,
            "account_id": x["account"],
            "subject": x["subject"],
            "description": x["description"],
            "status": x["status"],
            "priority": x["priority"],
            "created_at": iso(x["created"]),
            "updated_at": iso(updated),
            "requester": email(x["account"], x["requester"]),
            "tags": x["tags"],
            "messages": messages,
            "url": SUPPORT_URL + tid,
        })
    tracker = [{
        "id": tid, "kind": kind, "title": title, "description": desc, "status": status, "status_category": cat,
        "priority": prio, "team": team, "url": TRACKER_URL + tid, "created_at": iso(t(created)),
        "updated_at": iso(t(updated)), "linked_ticket_ids": [ids[k] for k in links],
    } for tid, kind, title, desc, status, cat, prio, team, created, updated, links in TRACKER]
    chats = [{
        "id": cid, "channel": channel, "topic": topic,
        "messages": [{"author": a, "created_at": iso(t(at)), "text": text} for a, at, text in msgs],
        "url": f"{CHAT_URL}{channel.strip('#')}/{cid.lower()}", "created_at": iso(t(msgs[0][1])),
    } for cid, channel, topic, msgs in CHAT]
    kb = [{
        "id": kid, "title": title, "body": body, "kind": kind, "workaround": workaround,
        "url": HELP_URL + kid.lower() + "-" + "-".join(filter(None, ("".join(ch for ch in w.lower() if ch.isalnum())
                                                                    for w in title.split()[:6]))),
        "updated_at": iso(t(updated)),
    } for kid, kind, title, body, workaround, updated in KB]
    escalations = [{
        "id": eid, "account_id": acc, "summary": summary, "target": target, "severity": sev, "status": status,
        "created_at": iso(t(created)), "resolved_at": iso(t(resolved)), "outcome": outcome, "url": ESC_URL + eid,
    } for eid, acc, summary, target, sev, status, created, resolved, outcome in ESCALATIONS]
    return {
        "format_version": 1,
        "company": "Lumen Data",
        "generated_at": iso(NOW),
        "accounts": ACCOUNTS,
        "tickets": tickets,
        "tracker_items": tracker,
        "chat_threads": chats,
        "kb_articles": kb,
        "escalations": escalations,
    }


# --- the labelled relevance set: what an engineer would type about each problem, and what truly belongs to it ---
# (ticket key prefix, issue text, the KB articles that document a fix or an alternative for it, the decision). The
# tickets and tracker items are read from the problems above: every ticket of the problem, every item linking one.
RELEVANCE = [
    ("api500-", "API returning 500 errors intermittently on the query endpoint", [], "engineering"),
    ("sso-", "SSO login loop since the identity provider certificate change", [], "engineering"),
    ("export-", "CSV export stops at 10,000 rows", [], "engineering"),
    ("webhook-", "webhook deliveries arriving 20-45 minutes late", [], "engineering"),
    ("dst-", "dashboard times are an hour off after the daylight saving change", ["KB-101"], None),
    ("dup-", "customer sees two charges for one invoice", ["KB-108"], None),
    ("audit-", "Enterprise customers keep asking for an audit log", ["KB-109"], "product"),
    ("xtenant-", "a user saw another company's data in a report", [], "security"),
    ("rate-", "getting HTTP 429 errors since they downgraded their plan", ["KB-107"], None),
    ("slow-", "report builder takes over a minute to open large reports", [], "engineering"),
    ("sync-", "warehouse sync failing with cursor out of range", [], "engineering"),
    ("pdf-", "PDF export shows the charts blank", [], "engineering"),
]
# A problem's own old episode with another cause is not the same problem (Orrery's June certificate upload).
NOT_THE_SAME = {"sso-orrery-old"}


def relevance_cases(workspace: dict) -> dict[str, str]:
    """The labelled cases (file name -> YAML text) for `customer-escalation eval --relevance`, from the generator's own
    knowledge of which ticket belongs to which problem."""
    by_key = {}
    raw = sorted((dict(x) for x in PROBLEM_TICKETS), key=lambda x: (_dt(x["created"]), x["key"]))
    ids = {t["subject"] + t["created_at"]: t["id"] for t in workspace["tickets"]}
    for x in raw:
        by_key[x["key"]] = ids[x["subject"] + iso(_dt(x["created"]))]
    out = {}
    for prefix, issue, kb, target in RELEVANCE:
        keys = [k for k in by_key if k.startswith(prefix) and k not in NOT_THE_SAME]
        tickets = sorted(by_key[k] for k in keys)
        tracker = sorted(item["id"] for item in workspace["tracker_items"] if set(item["linked_ticket_ids"]) & set(tickets))
        name = prefix.rstrip("-")
        expect = f"{{escalate: true, target: {target}}}" if target else "{escalate: false}"
        out[f"sample-{name}.yaml"] = (
            f"# Generated by tools/make_sample_workspace.py from the sample's problems: do not edit by hand.\n"
            f"id: sample-{name}\nprompt: {json.dumps(issue)}\naccount: null\nworkspace: sample\nfacts: {{}}\nexpect: {expect}\n"
            f"context_truth:\n  same_problem_tickets: {json.dumps(tickets)}\n  kb_workarounds: {json.dumps(kb)}\n"
            f"  tracker_items: {json.dumps(tracker)}\n")
    return out
