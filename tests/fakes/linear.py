"""A fake Linear GraphQL API (POST /graphql) on 127.0.0.1.

Not a GraphQL engine: it recognises the operations the connector documents (issues with an
IssueFilter, teams with a TeamFilter, issueCreate, viewer) by their root field and answers in
Linear's shapes. Documented behaviour it reproduces:
- `Authorization: <personal API key>` (lin_api_...) or `Bearer <OAuth token>`; a missing or wrong key
  is HTTP 400 {"errors": [{"message": "Authentication required, not authenticated",
  "extensions": {"code": "AUTHENTICATION_ERROR", "type": "authentication error", ...}}]};
- IssueFilter with and/or and title/description comparators (contains, containsIgnoreCase, eq),
  team.key; `orderBy: updatedAt` newest first; Relay pagination (first/after, pageInfo);
- issueCreate validates teamId (a team UUID), title and priority 0-4, stores the issue with an
  identifier TEAM-N and url https://linear.app/acme/issue/TEAM-N/slug;
- an unknown root field is HTTP 400 GRAPHQL_VALIDATION_FAILED.

`drop_after_create = N`: the next N creates store the issue, then drop the connection unanswered.
"""

from __future__ import annotations

import base64
import re
from datetime import datetime, timezone

from .harness import Reply, Request, TrackerFake, filler_times

API_KEY = "lin_api_FAKE0000000000000000000000000000000000"
OAUTH_TOKEN = "lin_oauth_fake_access_token_0000"
TEAMS = [{"id": "0c1a0b0e-0000-4000-8000-000000000001", "key": "ENG", "name": "Engineering"},
         {"id": "0c1a0b0e-0000-4000-8000-000000000002", "key": "PROD", "name": "Product"}]
PRIORITY_LABELS = {0: "No priority", 1: "Urgent", 2: "High", 3: "Medium", 4: "Low"}


def issue(identifier: str, title: str, description: str, *, state: str = "Todo", state_type: str = "unstarted",
          priority: int = 3, labels: list[str] = (), created: str, updated: str) -> dict:
    return {"identifier": identifier, "title": title, "description": description, "state": state, "state_type": state_type,
            "priority": priority, "labels": list(labels), "created": created, "updated": updated}


SEEDED = [
    issue("ENG-12", "CSV export drops rows", "Exports over 10k rows are **missing rows**.", state="In Progress",
          state_type="started", priority=2, labels=["Bug"], created="2026-11-01T09:00:00.000Z", updated="2026-11-12T10:00:00.000Z"),
    issue("PROD-4", "Scheduled exports", "Customers ask for scheduled exports.", state="Backlog", state_type="backlog",
          priority=0, labels=["Feature"], created="2026-10-01T09:00:00.000Z", updated="2026-11-10T08:00:00.000Z"),
    issue("ENG-9", "Export worker crash", "Rows missing after crash.", state="Done", state_type="completed", priority=1,
          labels=["Bug", "Backend"], created="2026-09-01T09:00:00.000Z", updated="2026-11-05T12:00:00.000Z"),
    issue("ENG-7", "Export docs", "Document the export limits.", state="Triage", state_type="triage", priority=4,
          created="2026-08-01T09:00:00.000Z", updated="2026-10-01T12:00:00.000Z"),
    issue("ENG-3", "SSO loop", "Login loops.", state="Canceled", state_type="canceled",
          created="2026-07-01T09:00:00.000Z", updated="2026-11-11T12:00:00.000Z"),
]


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]


class FakeLinear(TrackerFake):
    def __init__(self, filler: int = 0):
        super().__init__("linear")
        self.route("POST", r"/graphql")(self.graphql)
        self.reset(filler)

    def reset(self, filler: int = 0) -> FakeLinear:
        self.restart([dict(i) for i in SEEDED]
                     + [issue(f"ENG-{500 + n}", f"Export follow-up {n}", "missing rows again", created=when, updated=when)
                        for n, when in enumerate(filler_times(filler, "%Y-%m-%dT%H:%M:%S.000Z"))], 1000)
        return self

    @staticmethod
    def errors(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Reply:
        return Reply(status, {"errors": [{"message": message, "extensions": {
            "code": code, "type": code.lower().replace("_", " "), "userPresentableMessage": message}}]},
                     headers=headers or {})

    def authorized(self, request: Request) -> bool:
        return (request.header("Authorization") or "") in (API_KEY, f"Bearer {OAUTH_TOKEN}")

    def node(self, item: dict) -> dict:
        team = next(t for t in TEAMS if item["identifier"].startswith(t["key"] + "-"))
        return {
            "id": item.get("id") or f"7f3c{abs(hash(item['identifier'])) % 10**8:08d}-0000-4000-8000-000000000000",
            "identifier": item["identifier"], "title": item["title"], "description": item["description"],
            "url": f"https://linear.app/acme/issue/{item['identifier']}/{_slug(item['title'])}",
            "priority": item["priority"], "priorityLabel": PRIORITY_LABELS[item["priority"]],
            "createdAt": item["created"], "updatedAt": item["updated"],
            "state": {"name": item["state"], "type": item["state_type"]},
            "team": {"key": team["key"], "name": team["name"], "id": team["id"]},
            "labels": {"nodes": [{"name": n} for n in item["labels"]]},
        }

    def matches(self, item: dict, flt: dict | None) -> bool:
        if not flt:
            return True
        for key, cond in flt.items():
            if key == "or":
                if not any(self.matches(item, c) for c in cond):
                    return False
            elif key == "and":
                if not all(self.matches(item, c) for c in cond):
                    return False
            elif key in ("title", "description"):
                value = item[key] or ""
                for op, arg in cond.items():
                    if op == "contains" and arg not in value:
                        return False
                    if op == "containsIgnoreCase" and arg.lower() not in value.lower():
                        return False
                    if op == "eq" and arg != value:
                        return False
            elif key == "team":
                if item["identifier"].split("-")[0] != cond.get("key", {}).get("eq"):
                    return False
            else:
                raise ValueError(f"unknown filter field {key}")
        return True

    def graphql(self, request: Request) -> Reply:
        if not self.authorized(request):
            return self.errors(400, "AUTHENTICATION_ERROR", "Authentication required, not authenticated")
        body = request.json() or {}
        query, variables = body.get("query") or "", body.get("variables") or {}
        if re.search(r"\bissueCreate\s*\(", query):
            return self.create(variables.get("input") or {})
        if re.search(r"\bissues\s*\(", query):
            return self.search(query, variables)
        if re.search(r"\bteams\s*\(", query):
            flt = (variables.get("filter") or {}).get("key", {}).get("eq")
            nodes = [t for t in TEAMS if flt is None or t["key"] == flt]
            return Reply(200, {"data": {"teams": {"nodes": nodes}}})
        if re.search(r"\bviewer\s*\{", query):
            return Reply(200, {"data": {"viewer": {"id": "u-1", "name": "Support Agent"}}})
        return self.errors(400, "GRAPHQL_VALIDATION_FAILED", "Cannot query field on type Query")

    def search(self, query: str, variables: dict) -> Reply:
        try:
            found = [i for i in self.issues if self.matches(i, variables.get("filter"))]
        except ValueError as exc:
            return self.errors(400, "GRAPHQL_VALIDATION_FAILED", str(exc))
        if "orderBy: updatedAt" in query:
            found.sort(key=lambda i: i["updated"], reverse=True)
        else:
            found.sort(key=lambda i: i["created"], reverse=True)
        first = re.search(r"first:\s*(\d+)", query)
        size = int(first.group(1)) if first else int(variables.get("first") or 50)
        if size > 250:
            return self.errors(400, "INVALID_INPUT", "first must be at most 250")
        after = variables.get("after")
        start = int(base64.b64decode(after).decode()) if after else 0
        chunk = found[start:start + size]
        end = start + len(chunk)
        return Reply(200, {"data": {"issues": {
            "nodes": [self.node(i) for i in chunk],
            "pageInfo": {"hasNextPage": end < len(found), "endCursor": base64.b64encode(str(end).encode()).decode() if chunk else None},
        }}})

    def create(self, payload: dict) -> Reply:
        team = next((t for t in TEAMS if t["id"] == payload.get("teamId")), None)
        if team is None:
            return self.errors(400, "INVALID_INPUT", "Argument Validation Error: teamId must be a UUID of a team")
        if not payload.get("title"):
            return self.errors(400, "INVALID_INPUT", "Argument Validation Error: title should not be empty")
        priority = payload.get("priority", 0)
        if priority not in PRIORITY_LABELS:
            return self.errors(400, "INVALID_INPUT", "Argument Validation Error: priority must be 0-4")
        number = next(self.counter)
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        item = issue(f"{team['key']}-{number}", payload["title"], payload.get("description") or "", state="Todo",
                     state_type="unstarted", priority=priority, created=now, updated=now)
        item["id"] = f"9e0f{number:08d}-0000-4000-8000-000000000000"
        item["raw"] = payload
        if (dropped := self.keep(item)) is not None:
            return dropped
        node = self.node(item)
        return Reply(200, {"data": {"issueCreate": {"success": True, "issue": {k: node[k] for k in ("id", "identifier", "url")}}}})

