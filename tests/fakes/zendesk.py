"""A fake Zendesk Support API (https://developer.zendesk.com/api-reference/), served on 127.0.0.1.

Documented behaviour it reproduces:
- API token auth: HTTP Basic `{email}/token:{api_token}`; a wrong or missing credential gets
  401 {"error": "Couldn't authenticate you"}, except GET /api/v2/users/me.json without any
  credentials, which answers the anonymous user (id null);
- GET /api/v2/search.json?query=...: `type:ticket|organization`, `organization:<id>` or
  `organization:"<name>"`, `name:"<phrase>"` (organizations), "quoted phrases" and bare words
  (every one must match; `word*` matches by prefix); sort_by=updated_at|created_at,
  sort_order=asc|desc; offset pages (`page`, `per_page` up to 100) with absolute
  `next_page`/`previous_page` URLs and the full
  `count`; each result carries `result_type`; at most 1,000 results per query: a page past
  that window is a 422 with {"error": "invalid", "description": ...};
- GET /api/v2/tickets/{id}/comments.json: `comments` (id, type, author_id, body, plain_body,
  html_body, public, created_at), `sort_order`, `per_page`/`page`, `include=users` side-loads
  `users` (id, name, email, role: end-user|agent|admin); 404 {"error": "RecordNotFound", ...}.
"""

from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import urlencode

from .harness import FakeService, Reply, Request

EMAIL = "agent@example.com"
TOKEN = "zd-CANARY-token-7f3a9c"

UNAUTHORIZED = {"error": "Couldn't authenticate you"}
RESULT_WINDOW = 1000


def organizations() -> list[dict[str, Any]]:
    return [
        {"id": 361, "url": "https://example.zendesk.com/api/v2/organizations/361.json", "name": "Acme Corp",
         "domain_names": ["acme.com", "acme.io"], "details": "HQ in Springfield", "notes": "Key account",
         "tags": ["enterprise", "reference_customer"], "shared_tickets": False, "shared_comments": False,
         "external_id": "sf-001", "group_id": None, "created_at": "2021-03-01T10:00:00Z", "updated_at": "2026-01-10T10:00:00Z",
         "organization_fields": {"plan": "Enterprise", "arr": "120,000", "renewal_date": "2026-09-30",
                                 "account_owner": "Dana Whitfield", "sla_tier": "Premium"}},
        {"id": 362, "url": "https://example.zendesk.com/api/v2/organizations/362.json", "name": "Acme Labs",
         "domain_names": ["acmelabs.dev"], "details": None, "notes": None, "tags": [],
         "created_at": "2022-05-01T10:00:00Z", "updated_at": "2026-01-09T10:00:00Z", "organization_fields": {}},
        {"id": 363, "url": "https://example.zendesk.com/api/v2/organizations/363.json", "name": "Globex",
         "domain_names": ["globex.com"], "details": None, "notes": "Mentions acme.com in a migration note", "tags": [],
         "created_at": "2022-06-01T10:00:00Z", "updated_at": "2026-01-08T10:00:00Z",
         "organization_fields": {"plan": "Growth", "arr": 18000}},
    ]


def users() -> list[dict[str, Any]]:
    return [
        {"id": 9001, "name": "Sam Agent", "email": EMAIL, "role": "agent"},
        {"id": 9002, "name": "Alex Admin", "email": "admin@example.com", "role": "admin"},
        {"id": 501, "name": "Jo Customer", "email": "jo@acme.com", "role": "end-user", "organization_id": 361},
        {"id": 502, "name": "Lee Buyer", "email": "lee@globex.com", "role": "end-user", "organization_id": 363},
    ]


def tickets() -> list[dict[str, Any]]:
    def t(id: int, org: int | None, requester: int, subject: str, description: str, status: str, priority: str | None,
          created: str, updated: str, tags: list[str]) -> dict[str, Any]:
        return {"id": id, "url": f"https://example.zendesk.com/api/v2/tickets/{id}.json", "external_id": None,
                "type": "problem", "subject": subject, "raw_subject": subject, "description": description,
                "priority": priority, "status": status, "requester_id": requester, "submitter_id": requester,
                "assignee_id": 9001, "organization_id": org, "group_id": 1, "tags": tags, "via": {"channel": "email"},
                "created_at": created, "updated_at": updated, "custom_fields": []}

    return [
        t(1001, 361, 501, "Data export missing rows", "Our CSV export is missing rows since the last release.",
          "open", "high", "2026-01-05T09:00:00Z", "2026-01-07T12:00:00Z", ["export", "bug"]),
        t(1002, 363, 502, "Export incomplete", "The export stops at 10k rows, missing the rest.",
          "hold", "urgent", "2026-01-06T09:00:00Z", "2026-01-06T15:00:00Z", ["export"]),
        t(1003, 361, 501, "SSO login loop", "Users bounce between the IdP and the login page.",
          "solved", None, "2025-12-01T09:00:00Z", "2025-12-03T09:00:00Z", ["sso"]),
        t(1004, 362, 501, "Export button greyed out", "Cannot click export on the reports page.",
          "pending", "low", "2026-01-02T09:00:00Z", "2026-01-03T09:00:00Z", []),
    ]


def comments() -> dict[int, list[dict[str, Any]]]:
    def c(id: int, author: int, body: str, public: bool, created: str) -> dict[str, Any]:
        return {"id": id, "type": "Comment", "author_id": author, "body": body, "plain_body": body,
                "html_body": f"<p>{body}</p>", "public": public, "attachments": [], "audit_id": id + 1,
                "via": {"channel": "web"}, "created_at": created, "metadata": {}}

    return {
        1001: [
            c(1, 501, "Our CSV export is missing rows since the last release.", True, "2026-01-05T09:00:00Z"),
            c(2, 9001, "Thanks, we are looking into it.", True, "2026-01-05T11:00:00Z"),
            c(3, 9002, "Internal: reproduced on staging, likely the paging change.", False, "2026-01-06T08:00:00Z"),
            c(4, 501, "Any update? Finance needs this by Friday.", True, "2026-01-07T12:00:00Z"),
        ],
        1002: [c(5, 502, "The export stops at 10k rows, missing the rest.", True, "2026-01-06T09:00:00Z")],
    }


def basic(email: str = EMAIL, token: str = TOKEN) -> str:
    return "Basic " + base64.b64encode(f"{email}/token:{token}".encode()).decode()


_TOKEN = re.compile(r'(\w+):"([^"]*)"|(\w+):(\S+)|"([^"]*)"|(\S+)')


def parse_query(query: str) -> dict[str, Any]:
    parsed: dict[str, Any] = {"type": None, "organization": None, "name": None, "phrases": [], "words": []}
    for m in _TOKEN.finditer(query):
        key, value = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if key:
            key = key.lower()
            if key in ("type", "organization", "name"):
                parsed[key] = value
            else:
                parsed["words"].append(f"{key}:{value}")
        elif m.group(5) is not None:
            parsed["phrases"].append(m.group(5))
        else:
            parsed["words"].append(m.group(6))
    return parsed


class FakeZendesk(FakeService):
    def __init__(self, *, email: str = EMAIL, token: str = TOKEN):
        super().__init__("zendesk")
        self.auth = basic(email, token)
        self.reset()
        self.route("GET", r"/api/v2/users/me\.json")(self._me)
        self.route("GET", r"/api/v2/search\.json")(self._search)
        self.route("GET", r"/api/v2/tickets/(\d+)/comments\.json")(self._comments)

    def reset(self) -> None:
        """Seed data back, recorded requests and queued faults cleared (one fake can serve many tests)."""
        self.reseed(organizations=organizations(), users=users(), tickets=tickets(), comments=comments())

    # --- helpers -------------------------------------------------------------------------------
    def _authorised(self, request: Request) -> bool:
        return request.header("Authorization") == self.auth

    def add_tickets(self, count: int, *, subject: str = "Export missing rows", org: int = 361) -> None:
        """Filler tickets that all match the word 'export', newest last."""
        for i in range(count):
            n = 5000 + i
            day = 1 + (i % 28)
            self.tickets.append({
                "id": n, "subject": f"{subject} #{i}", "description": "export problem", "status": "open", "priority": "normal",
                "organization_id": org, "requester_id": 501, "tags": [],
                "created_at": f"2025-11-{day:02d}T08:00:00Z", "updated_at": f"2025-11-{day:02d}T{8 + i % 10:02d}:{i % 60:02d}:00Z",
            })

    def _org_by_name(self, name: str) -> dict[str, Any] | None:
        return next((o for o in self.organizations if o["name"].lower() == name.lower()), None)

    # --- routes --------------------------------------------------------------------------------
    def _me(self, request: Request) -> Reply:
        if request.header("Authorization") is None:
            return Reply(200, {"user": {"id": None, "url": None, "name": "Anonymous user", "email": "invalid@example.com",
                                        "role": "end-user", "active": True}})
        if not self._authorised(request):
            return Reply(401, UNAUTHORIZED)
        agent = self.users[0]
        return Reply(200, {"user": {**agent, "url": "https://example.zendesk.com/api/v2/users/9001.json", "active": True}})

    def _search(self, request: Request) -> Reply:
        if not self._authorised(request):
            return Reply(401, UNAUTHORIZED)
        query = request.arg("query") or ""
        parsed = parse_query(query)
        try:
            per_page = min(100, max(1, int(request.arg("per_page", "100"))))
            page = max(1, int(request.arg("page", "1")))
        except ValueError:
            return Reply(400, {"error": "InvalidParameter", "description": "per_page and page must be integers"})
        if page * per_page > RESULT_WINDOW:
            return Reply(422, {"error": "invalid", "description": "Invalid search: Requested response size was greater "
                                                                  "than Search Response Limits"})
        if parsed["type"] == "organization":
            hits = [dict(o, result_type="organization") for o in self.organizations if self._org_matches(o, parsed)]
        elif parsed["type"] == "ticket":
            hits = [dict(t, result_type="ticket") for t in self.tickets if self._ticket_matches(t, parsed)]
        else:
            hits = []
        sort_by = request.arg("sort_by")
        if sort_by in ("updated_at", "created_at"):
            hits.sort(key=lambda h: h.get(sort_by) or "", reverse=request.arg("sort_order", "desc") != "asc")
        start = (page - 1) * per_page
        chunk = hits[start:start + per_page]
        host = request.header("Host")
        base = f"http://{host}/api/v2/search.json"

        def link(n: int) -> str:
            params = {"page": n, "per_page": per_page, "query": query}
            if sort_by:
                params.update(sort_by=sort_by, sort_order=request.arg("sort_order", "desc"))
            return f"{base}?{urlencode(params)}"

        has_next = start + per_page < min(len(hits), RESULT_WINDOW)
        return Reply(200, {"results": chunk, "facets": None, "count": len(hits),
                           "next_page": link(page + 1) if has_next else None,
                           "previous_page": link(page - 1) if page > 1 else None})

    def _org_matches(self, org: dict[str, Any], parsed: dict[str, Any]) -> bool:
        if parsed["name"] is not None:
            want = parsed["name"].lower().split()
            have = re.findall(r"\w+", org["name"].lower())
            if not all(w in have for w in want):
                return False
        text = " ".join([org["name"], " ".join(org.get("domain_names") or []), org.get("details") or "",
                         org.get("notes") or "", " ".join(org.get("tags") or [])]).lower()
        return all(p.lower() in text for p in parsed["phrases"]) and all(w.lower() in text for w in parsed["words"])

    def _ticket_matches(self, ticket: dict[str, Any], parsed: dict[str, Any]) -> bool:
        org = parsed["organization"]
        if org is not None:
            if org.isdigit():
                if ticket.get("organization_id") != int(org):
                    return False
            else:
                found = self._org_by_name(org)
                if found is None or ticket.get("organization_id") != found["id"]:
                    return False
        text = " ".join([ticket.get("subject") or "", ticket.get("description") or "", " ".join(ticket.get("tags") or [])]).lower()
        words = re.findall(r"\w+", text)
        def word_matches(w: str) -> bool:  # `export*` is a prefix; a bare word must match a whole word
            w = w.lower()
            return any(word.startswith(w[:-1]) for word in words) if w.endswith("*") else w in words

        return all(p.lower() in text for p in parsed["phrases"]) and all(word_matches(w) for w in parsed["words"])

    def _comments(self, request: Request) -> Reply:
        if not self._authorised(request):
            return Reply(401, UNAUTHORIZED)
        ticket_id = int(request.match.group(1))
        if not any(t["id"] == ticket_id for t in self.tickets):
            return Reply(404, {"error": "RecordNotFound", "description": "Not found"})
        items = list(self.comments.get(ticket_id, []))
        if request.arg("sort_order") == "desc":
            items.reverse()
        per_page = min(100, max(1, int(request.arg("per_page", "100"))))
        page = max(1, int(request.arg("page", "1")))
        chunk = items[(page - 1) * per_page: page * per_page]
        body: dict[str, Any] = {"comments": chunk, "next_page": None, "previous_page": None, "count": len(items)}
        if "users" in (request.arg("include") or "").split(","):
            ids = {c["author_id"] for c in chunk}
            body["users"] = [u for u in self.users if u["id"] in ids]
        return Reply(200, body)


def zendesk_fake(**kwargs: Any) -> FakeZendesk:
    """A Zendesk fake with seeded organizations, users, tickets and comments (start it with `with`)."""
    return FakeZendesk(**kwargs)
