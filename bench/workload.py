"""Synthetic workspaces with a labelled set of true duplicates (deterministic for a seed).

A *problem* is (product area, symptom, condition), e.g. (SSO, redirect loop, on Safari). Every
ticket is written about exactly one problem, in varied wording: each concept has several
phrasings (not all of which the product's synonym table knows), sentences come from many
templates, and most tickets carry support chatter shared by every problem. Problems that share
an area and a symptom but differ in condition are the hard negatives.

A query is a fresh short description of a problem, as a support engineer types it; its true
duplicates are the tickets generated from that problem.
"""

from __future__ import annotations

import json
import random
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

# concept -> phrasings (varied on purpose: abbreviations, vendor names, verbs, plurals)
AREAS: dict[str, list[str]] = {
    "sso": ["SSO", "single sign-on", "SAML login", "Okta sign-in", "login through our identity provider"],
    "export": ["CSV export", "data export", "report download", "exporting to CSV", "the export job"],
    "webhook": ["webhooks", "webhook delivery", "outgoing webhook calls", "event notifications to our endpoint"],
    "dashboard": ["dashboards", "the dashboard page", "dashboard widgets", "shared dashboards"],
    "billing": ["invoices", "the billing page", "monthly charges", "our subscription invoice"],
    "api": ["the REST API", "API requests", "the public API", "API calls from our backend"],
    "search": ["search", "the search bar", "full-text search", "searching records"],
    "email": ["email alerts", "notification emails", "alert emails", "scheduled email digests"],
    "mobile": ["the mobile app", "the iOS app", "the Android app", "the phone app"],
    "roles": ["user roles", "permissions", "role-based access", "team permissions"],
    "audit": ["the audit log", "audit trail", "activity history", "the audit export"],
    "sync": ["the Salesforce sync", "CRM sync", "the Salesforce integration", "syncing contacts to Salesforce"],
    "schedule": ["scheduled reports", "report schedules", "the report scheduler", "recurring reports"],
    "upload": ["file uploads", "attachments", "uploading files", "the upload dialog"],
    "mfa": ["two-factor authentication", "2FA codes", "MFA", "the authenticator codes"],
    "password": ["password reset", "reset password emails", "the forgot-password flow", "password reset links"],
    "import": ["data import", "the CSV importer", "bulk import", "importing spreadsheets"],
    "connector": ["the Snowflake connector", "warehouse connection", "the BigQuery connector", "database connections"],
}
SYMPTOMS: dict[str, list[str]] = {
    "loop": ["redirect loop", "keeps redirecting back to the start", "bounces between two pages", "stuck in a loop"],
    "timeout": ["times out", "hangs and then times out", "gateway timeout", "never finishes loading"],
    "server_error": ["500 error", "internal server error", "HTTP 500 responses", "5xx errors"],
    "missing": ["missing rows", "data is missing", "incomplete results", "some records are not included"],
    "duplicate": ["duplicate entries", "everything shows up twice", "duplicated records", "double entries"],
    "slow": ["very slow", "takes minutes to load", "sluggish performance", "latency spikes"],
    "wrong": ["wrong numbers", "incorrect totals", "values do not match the source", "miscalculated figures"],
    "blank": ["blank page", "empty screen", "white screen", "nothing renders"],
    "denied": ["access denied", "403 forbidden", "permission error", "not authorized message"],
    "crash": ["crashes", "closes unexpectedly", "force quits", "crash on open"],
    "not_sent": ["not being sent", "never arrives", "not delivered", "silently dropped"],
    "encoding": ["garbled characters", "broken accents and umlauts", "encoding errors", "mojibake in names"],
}
CONDITIONS: dict[str, list[str]] = {
    "release": ["after the latest release", "since the last update", "after your deploy on Tuesday"],
    "safari": ["on Safari", "in Safari only", "with Safari 17"],
    "large": ["for large accounts", "with more than 10k rows", "on big workspaces"],
    "migration": ["since the migration", "after moving to the new plan", "since we migrated regions"],
    "eu": ["in the EU region", "on the EU data center", "for our European tenant"],
    "admin": ["for admin users", "only for admins", "when logged in as an administrator"],
    "midnight": ["around midnight UTC", "during the nightly run", "at the start of each day"],
    "timezone": ["for users in Asia timezones", "when the timezone is not UTC", "for accounts set to PST"],
    "sandbox": ["in the sandbox environment", "on our staging tenant", "in the test workspace"],
    "bulk": ["when selecting many items at once", "for bulk operations", "with large batches"],
    "new_users": ["for newly invited users", "for people who joined this week", "on first login"],
    "proxy": ["behind our corporate proxy", "on the office VPN", "through the company firewall"],
}
OPENERS = ["Hi team,", "Hello,", "Hi support,", "Good morning,", "", "", "Hey there,"]
CHATTER = [
    "This is blocking several people on our side.", "We need this fixed as soon as possible.",
    "Our team relies on this every morning.", "Can you please look into it?",
    "It worked fine until recently.", "We already cleared the cache and tried another browser.",
    "Let me know if you need more details or logs.", "This is quite urgent for our quarterly review.",
    "A few colleagues see the same thing.", "We have not changed anything in our configuration.",
    "Is there a known workaround?", "Please escalate if needed.", "Screenshots attached.",
    "Happy to jump on a call.", "Our admin confirmed the settings look right.", "We are on the Enterprise plan.",
]
AGENT = [
    "Thanks for reaching out, we are looking into this.", "Could you share a screenshot and the time it happened?",
    "I have passed this to our engineers.", "Thanks for the details, I can reproduce it.",
    "Can you confirm which browser and version you use?", "We are investigating and will update you shortly.",
]
SUBJECTS = ["{area} {sym}", "{sym} in {area}", "{area}: {sym} {cond}", "Problem with {area}", "Urgent: {area} {sym}",
            "{area} issue {cond}", "{sym} when using {area}", "Re: {area} {sym}"]
CORE = [
    "{area} {sym} {cond}.", "We see {sym} in {area} {cond}.", "Since a few days {area} gives us {sym}.",
    "{area} is broken: {sym}.", "When we use {area} we get {sym} {cond}.", "Our users report {sym} with {area}.",
    "{cond_cap}, {area} shows {sym}.",
]
QUERY = ["{area} {sym} {cond}", "{area}: {sym} {cond}", "{sym} in {area} {cond}", "customers report {area} {sym} {cond}",
         "{area} {sym} affecting several customers {cond}"]
PLANS = ["Starter", "Growth", "Enterprise"]
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Problem:
    area: str
    symptom: str
    condition: str

    @property
    def key(self) -> str:
        return f"{self.area}/{self.symptom}/{self.condition}"


@dataclass
class Query:
    text: str
    problem: str  # Problem.key
    relevant: set[str]  # ids of the true duplicates


@dataclass
class Generated:
    workspace: dict[str, Any]  # the import format (models.Workspace), as JSON-ready dicts
    problems: dict[str, str]  # ticket id -> problem key
    queries: list[Query]

    def write(self, path: Path) -> Path:
        path.write_text(json.dumps(self.workspace), encoding="utf-8")
        return path


def _fill(rng: random.Random, template: str, p: Problem, cond: bool = True) -> str:
    c = rng.choice(CONDITIONS[p.condition]) if cond else ""
    text = template.format(area=rng.choice(AREAS[p.area]), sym=rng.choice(SYMPTOMS[p.symptom]), cond=c,
                           cond_cap=(c[:1].upper() + c[1:]) if c else "Lately")
    return " ".join(text.split()).replace(" .", ".").replace(" :", ":")


def problems(rng: random.Random, n: int) -> list[Problem]:
    every = [Problem(a, s, c) for a in AREAS for s in SYMPTOMS for c in CONDITIONS]
    rng.shuffle(every)
    return every[: max(1, min(n, len(every)))]


def accounts(rng: random.Random, n: int) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        name = f"Customer {i:05d} " + rng.choice(["Inc", "Ltd", "Group", "Labs", "Health", "Bank", "Foods", "Media"])
        out.append({"id": f"acc-{i:05d}", "name": name, "domains": [f"customer{i:05d}.example"],
                    "plan": rng.choices(PLANS, weights=[5, 3, 2])[0], "arr": float(rng.randrange(2, 500) * 1000)})
    return out


def ticket(rng: random.Random, tid: str, account_id: str | None, p: Problem, problem_ids: list[Problem]) -> dict[str, Any]:
    with_cond = rng.random() < 0.7
    created = (NOW - timedelta(days=rng.uniform(0, 120), minutes=rng.randrange(0, 1440))).replace(microsecond=0)
    sentences = [rng.choice(OPENERS), _fill(rng, rng.choice(CORE), p, with_cond)]
    sentences += rng.sample(CHATTER, rng.randint(0, 3))
    if rng.random() < 0.3:  # error text: duplicates often quote the same code
        sentences.append(f"Error code {p.area.upper()}-{zlib.crc32(p.key.encode()) % 9000 + 1000}.")
    if rng.random() < 0.15:  # a mention of an unrelated area that works
        other = rng.choice(problem_ids)
        sentences.append(f"{rng.choice(AREAS[other.area]).capitalize()} works fine though.")
    description = " ".join(s for s in sentences if s)
    messages = []
    at = created
    for _ in range(rng.choice([0, 0, 1, 2])):
        at += timedelta(seconds=rng.randrange(1800, 72000))
        agent = rng.random() < 0.5
        body = rng.choice(AGENT) if agent else _fill(rng, "Still seeing {sym} in {area}. " + rng.choice(CHATTER), p, False)
        messages.append({"author": "Agent" if agent else "Customer", "author_role": "agent" if agent else "customer",
                         "created_at": at.isoformat(), "body": body})
    return {
        "id": tid, "account_id": account_id, "subject": _fill(rng, rng.choice(SUBJECTS), p, rng.random() < 0.3),
        "description": description, "status": rng.choice(["open", "open", "pending", "solved", "closed"]),
        "priority": rng.choice(["low", "normal", "normal", "high", "urgent"]), "created_at": created.isoformat(),
        "updated_at": (at + timedelta(hours=1)).isoformat(), "tags": [p.area] if rng.random() < 0.5 else [],
        "messages": messages,
    }


def generate(n_tickets: int, *, seed: int = 7, n_queries: int = 200, account_tickets: dict[str, int] | None = None,
             base: dict[str, Any] | None = None) -> Generated:
    """A workspace of `n_tickets` tickets (plus `base`'s records), and labelled queries.

    account_tickets: account id -> how many of the tickets belong to it (the rest are spread over
    generated accounts, or over `base`'s accounts when given).
    """
    rng = random.Random(seed)
    n_problems = max(8, min(n_tickets // 40, 2500))
    probs = problems(rng, n_problems)
    # skewed: a few problems have many tickets, most have a handful (like a real queue)
    weights = [1.0 / (rank + 1) ** 0.6 for rank in range(len(probs))]
    if base is not None:
        accs = base["accounts"]
        workspace = {k: list(v) if isinstance(v, list) else v for k, v in base.items()}
    else:
        accs = accounts(rng, max(30, n_tickets // 100))
        workspace = {"format_version": 1, "company": "Bench Co", "generated_at": NOW.isoformat(), "accounts": accs,
                     "tickets": [], "tracker_items": [], "chat_threads": [], "kb_articles": [], "escalations": []}
    owners: list[str | None] = []
    for account_id, n in (account_tickets or {}).items():
        owners += [account_id] * n
    owners += [rng.choice(accs)["id"] for _ in range(n_tickets - len(owners))]
    rng.shuffle(owners)
    by_problem: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    assigned = rng.choices(probs, weights=weights, k=n_tickets)
    for i, (p, owner) in enumerate(zip(assigned, owners)):
        tid = f"gen-{i:06d}"
        workspace["tickets"].append(ticket(rng, tid, owner, p, probs))
        by_problem.setdefault(p.key, []).append(tid)
        labels[tid] = p.key
    # queries: problems with enough duplicates to fill a top 5
    eligible = [p for p in probs if len(by_problem.get(p.key, [])) >= 5]
    qrng = random.Random(seed + 1)
    queries = [Query(_fill(qrng, qrng.choice(QUERY), p), p.key, set(by_problem[p.key]))
               for p in (qrng.choice(eligible) for _ in range(n_queries if eligible else 0))]
    return Generated(workspace, labels, queries)
