"""A fake Intercom REST API (https://developers.intercom.com/docs/references/rest-api/), on 127.0.0.1.

Documented behaviour it reproduces (API version 2.14):
- `Authorization: Bearer <token>`; a wrong or missing token gets 401
  {"type": "error.list", "request_id": ..., "errors": [{"code": "unauthorized", "message": "Access Token Invalid"}]};
  an unknown `Intercom-Version` gets 400 with code intercom_version_invalid; authenticated
  answers carry X-RateLimit-Limit / -Remaining / -Reset (UNIX time);
- GET /me: the admin with the embedded app (`app.id_code`);
- GET /companies?name=: a list with the company of exactly that name, or 404 company_not_found;
  GET /companies/{id}; GET /companies/{id}/contacts (type list, data, total_count, pages);
- POST /contacts/search and POST /conversations/search: `query` is one filter
  {field, operator, value} or a group {operator: AND|OR, value: [...]}, at most 2 levels of
  groups and 15 filters per group; operators = != IN NIN > < ~ !~ ^ $; `source.body` matches
  word by word (`=` with one word); pagination {per_page (max 150), starting_after}; answers
  carry `pages` {type, page, per_page, total_pages, next: {page, starting_after}} while more remain;
- GET /conversations/{id}[?display_as=plaintext]: the conversation with `conversation_parts`.
"""

from __future__ import annotations

import base64
import re
import time
import uuid
from datetime import datetime, timezone
from typing import Any

from .harness import FakeService, Reply, Request

TOKEN = "ic-CANARY-token-5b21e0"
APP_ID = "abc123app"
VERSIONS = {f"1.{i}" for i in range(5)} | {f"2.{i}" for i in range(15)} | {"Unstable"}


def epoch(text: str) -> int:
    return int(datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp())


def error(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"type": "error.list", "request_id": str(uuid.uuid4()), "errors": [{"code": code, "message": message}]})


def companies() -> list[dict[str, Any]]:
    def c(id: str, name: str, website: str | None, plan: str | None, spend: int, attrs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "company", "id": id, "company_id": f"ext-{id}", "app_id": APP_ID, "name": name, "website": website,
                "industry": "Software", "size": 200, "plan": {"type": "plan", "id": "1", "name": plan} if plan else {},
                "monthly_spend": spend, "session_count": 10, "user_count": 3, "remote_created_at": epoch("2021-03-01T10:00:00"),
                "created_at": epoch("2021-03-01T10:00:00"), "updated_at": epoch("2026-01-01T10:00:00"),
                "custom_attributes": attrs, "tags": {"type": "tag.list", "tags": []},
                "segments": {"type": "segment.list", "segments": []}}

    return [
        c("6400a1", "Acme Corp", "https://www.acme.com", "Enterprise", 10000,
          {"renewal_date": epoch("2026-09-30T00:00:00"), "account_owner": "Dana Whitfield"}),
        c("6400a2", "Acme Labs", "acmelabs.dev", None, 0, {}),
        c("6400a3", "Globex", "https://globex.com", "Growth", 1500, {"arr": 18000}),
    ]


def contacts() -> list[dict[str, Any]]:
    def ct(id: str, name: str, email: str, company_ids: list[str]) -> dict[str, Any]:
        return {"type": "contact", "id": id, "workspace_id": APP_ID, "role": "user", "email": email, "name": name,
                "companies": {"type": "list", "data": [{"type": "company", "id": cid, "url": f"/companies/{cid}"} for cid in company_ids],
                              "url": f"/contacts/{id}/companies", "total_count": len(company_ids), "has_more": False}}

    return [
        ct("ct1", "Jo Customer", "jo@acme.com", ["6400a1"]),
        ct("ct2", "Pat Builder", "pat@acme.com", ["6400a2"]),
        ct("ct3", "Lee Buyer", "lee@globex.com", ["6400a3"]),
        ct("ct4", "Kim Other", "kim@acme.company", []),
    ]


def admins() -> dict[str, dict[str, Any]]:
    return {"991": {"type": "admin", "id": "991", "name": "Sam Agent", "email": "sam@example.com"},
            "992": {"type": "admin", "id": "992", "name": "Alex Admin", "email": "alex@example.com"}}


def conversations() -> list[dict[str, Any]]:
    def conv(id: str, contact: str, subject: str, body: str, state: str, priority: bool, created: str, updated: str,
             tags: list[str], parts: list[dict[str, Any]]) -> dict[str, Any]:
        person = next(c for c in contacts() if c["id"] == contact)
        return {
            "type": "conversation", "id": id, "title": None, "created_at": epoch(created), "updated_at": epoch(updated),
            "waiting_since": None, "snoozed_until": None, "open": state != "closed", "state": state, "read": True,
            "priority": "priority" if priority else "not_priority", "admin_assignee_id": 991, "team_assignee_id": None,
            "source": {"type": "conversation", "id": f"src-{id}", "delivered_as": "customer_initiated", "subject": subject,
                       "body": body, "author": {"type": "user", "id": contact, "name": person["name"], "email": person["email"]},
                       "attachments": [], "url": None, "redacted": False},
            "contacts": {"type": "contact.list", "contacts": [{"type": "contact", "id": contact, "external_id": None}]},
            "teammates": None, "tags": {"type": "tag.list", "tags": [{"type": "tag", "id": str(i), "name": t} for i, t in enumerate(tags)]},
            "custom_attributes": {}, "statistics": None, "conversation_rating": None, "linked_objects": {"type": "list", "data": [],
                                                                                                       "total_count": 0, "has_more": False},
            "_parts": parts,
        }

    def part(id: int, part_type: str, author: dict[str, Any], body: str | None, created: str) -> dict[str, Any]:
        return {"type": "conversation_part", "id": str(id), "part_type": part_type, "body": body, "created_at": epoch(created),
                "updated_at": epoch(created), "notified_at": epoch(created), "assigned_to": None, "author": author,
                "attachments": [], "external_id": None, "redacted": False}

    sam = {"type": "admin", "id": "991", "name": "Sam Agent", "email": "sam@example.com"}
    alex = {"type": "admin", "id": "992", "name": "Alex Admin", "email": "alex@example.com"}
    fin = {"type": "bot", "id": "278", "name": "Fin", "email": "operator@example.com"}
    jo = {"type": "user", "id": "ct1", "name": "Jo Customer", "email": "jo@acme.com"}
    return [
        conv("101", "ct1", "", "<p>Our CSV <b>export</b> is missing rows since the last release.</p>", "open", True,
             "2026-01-05T09:00:00", "2026-01-07T12:00:00", ["export"], [
                 part(1, "comment", fin, "<p>Have you tried exporting again?</p>", "2026-01-05T09:01:00"),
                 part(2, "comment", sam, "<p>Thanks, we are looking into it.</p>", "2026-01-05T11:00:00"),
                 part(3, "note", alex, "<p>Reproduced on staging.</p>", "2026-01-06T08:00:00"),
                 part(4, "assignment", sam, None, "2026-01-06T08:05:00"),
                 part(5, "comment", jo, "<p>Any update? Finance needs this by Friday.</p>", "2026-01-07T12:00:00"),
             ]),
        conv("102", "ct3", "Export incomplete", "<p>The export stops at 10k rows.</p>", "snoozed", False,
             "2026-01-06T09:00:00", "2026-01-06T15:00:00", [], []),
        conv("103", "ct1", "SSO login loop", "<p>Users bounce between the IdP and login.</p>", "closed", False,
             "2025-12-01T09:00:00", "2025-12-03T09:00:00", ["sso"], []),
        conv("104", "ct2", "", "<p>Export button greyed out</p>", "open", False,
             "2026-01-02T09:00:00", "2026-01-03T09:00:00", [], []),
    ]


def _plaintext(value: Any) -> Any:
    return re.sub(r"<[^>]+>", "", value) if isinstance(value, str) else value


def _cursor(offset: int) -> str:
    return base64.b64encode(f"[{offset}]".encode()).decode()


def _offset(cursor: Any) -> int | None:
    try:
        return int(base64.b64decode(str(cursor)).decode().strip("[]"))
    except Exception:
        return None


class QueryError(Exception):
    pass


def _value(obj: dict[str, Any], field: str) -> Any:
    if field == "contact_ids":
        return [c["id"] for c in obj["contacts"]["contacts"]]
    value: Any = obj
    for part in field.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _match(flt: dict[str, Any], obj: dict[str, Any], fields: set[str]) -> bool:
    field, op, want = flt.get("field"), flt.get("operator"), flt.get("value")
    if field not in fields:
        raise QueryError(f"{field} is not a valid search field")
    have = _value(obj, field)
    if field == "source.body":  # matched against every word separately
        words = re.findall(r"\w+", _plaintext(have or "").lower())
        if op == "=":
            return str(want).lower() in words
        if op == "~":
            return any(str(want).lower() in w for w in words)
        raise QueryError("source.body accepts = and ~")
    values = have if isinstance(have, list) else [have]
    text = [str(v).lower() for v in values if v is not None]
    if op == "=":
        return str(want).lower() in text
    if op == "!=":
        return str(want).lower() not in text
    if op in ("IN", "NIN"):
        if not isinstance(want, list):
            raise QueryError("IN and NIN need an array value")
        found = any(str(w).lower() in text for w in want)
        return found if op == "IN" else not found
    if op in ("~", "!~"):
        found = any(str(want).lower() in t for t in text)
        return found if op == "~" else not found
    if op == "^":
        return any(t.startswith(str(want).lower()) for t in text)
    if op == "$":
        return any(t.endswith(str(want).lower()) for t in text)
    if op in (">", "<"):
        number = have if isinstance(have, int) else None
        if number is None:
            return False
        return number > int(want) if op == ">" else number < int(want)
    raise QueryError(f"unknown operator {op}")


def evaluate(node: Any, obj: dict[str, Any], fields: set[str], depth: int = 0) -> bool:
    if not isinstance(node, dict):
        raise QueryError("query must be an object")
    if "field" in node:
        return _match(node, obj, fields)
    if node.get("operator") not in ("AND", "OR") or not isinstance(node.get("value"), list):
        raise QueryError("a group needs operator AND|OR and a value array")
    if depth >= 2:
        raise QueryError("max 2 nested filters")
    if len(node["value"]) > 15:
        raise QueryError("max 15 filters per group")
    results = [evaluate(v, obj, fields, depth + 1) for v in node["value"]]
    return all(results) if node["operator"] == "AND" else any(results)


class FakeIntercom(FakeService):
    def __init__(self, *, token: str = TOKEN):
        super().__init__("intercom")
        self.token = token
        self.reset()
        for method, pattern, handler in (
            ("GET", r"/me", self._me),
            ("GET", r"/companies", self._companies),
            ("GET", r"/companies/([^/]+)", self._company),
            ("GET", r"/companies/([^/]+)/contacts", self._company_contacts),
            ("POST", r"/contacts/search", self._contacts_search),
            ("POST", r"/conversations/search", self._conversations_search),
            ("GET", r"/conversations/([^/]+)", self._conversation),
        ):
            self.route(method, pattern)(self._guarded(handler))

    def reset(self) -> None:
        self.reseed(companies=companies(), contacts=contacts(), conversations=conversations())

    def add_conversations(self, count: int, contact: str = "ct1") -> None:
        base = epoch("2025-11-01T08:00:00")
        for i in range(count):
            conv = dict(conversations()[0], id=str(5000 + i), created_at=base + i * 3600, updated_at=base + i * 3600, _parts=[])
            conv["contacts"] = {"type": "contact.list", "contacts": [{"type": "contact", "id": contact, "external_id": None}]}
            self.conversations.append(conv)

    # --- plumbing ------------------------------------------------------------------------------
    def _guarded(self, handler):
        def run(request: Request) -> Reply:
            if request.header("Authorization") != f"Bearer {self.token}":
                return error(401, "unauthorized", "Access Token Invalid")
            version = request.header("Intercom-Version")
            if version is not None and version not in VERSIONS:
                return error(400, "intercom_version_invalid", "The requested version could not be found")
            reply = handler(request)
            reply.headers.update({"X-RateLimit-Limit": "167", "X-RateLimit-Remaining": "160",
                                  "X-RateLimit-Reset": str(int(time.time()) + 10)})
            return reply
        return run

    def _search(self, request: Request, items: list[dict[str, Any]], fields: set[str], key: str, list_type: str,
                default_per_page: int) -> Reply:
        try:
            body = request.json()
        except ValueError:
            return error(400, "parameter_invalid", "Body is not valid JSON")
        if not isinstance(body, dict) or "query" not in body:
            return error(400, "parameter_not_found", "query is required")
        pagination = body.get("pagination") or {}
        per_page = pagination.get("per_page", default_per_page)
        if not isinstance(per_page, int) or not 1 <= per_page <= 150:
            return error(400, "parameter_invalid", "per_page must be between 1 and 150")
        start = 0
        if pagination.get("starting_after") is not None:
            start = _offset(pagination["starting_after"])
            if start is None:
                return error(400, "parameter_invalid", "starting_after is invalid")
        try:
            hits = [i for i in items if evaluate(body["query"], i, fields)]
        except QueryError as exc:
            return error(400, "parameter_invalid", str(exc))
        hits.sort(key=lambda i: i.get("updated_at") or 0, reverse=True)
        chunk = hits[start:start + per_page]
        total_pages = max(1, -(-len(hits) // per_page)) if hits else 0
        pages: dict[str, Any] = {"type": "pages", "page": start // per_page + 1, "per_page": per_page, "total_pages": total_pages}
        if start + per_page < len(hits):
            pages["next"] = {"page": start // per_page + 2, "starting_after": _cursor(start + per_page)}
        return Reply(200, {"type": list_type, key: [self._public(i) for i in chunk], "total_count": len(hits), "pages": pages})

    @staticmethod
    def _public(item: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in item.items() if not k.startswith("_")}

    # --- routes --------------------------------------------------------------------------------
    def _me(self, request: Request) -> Reply:
        return Reply(200, {"type": "admin", "id": "991", "email": "sam@example.com", "name": "Sam Agent", "email_verified": True,
                           "app": {"type": "app", "id_code": APP_ID, "name": "Example", "created_at": epoch("2020-01-01T00:00:00"),
                                   "secure": False, "identity_verification": False, "timezone": "UTC", "region": "US"},
                           "has_inbox_seat": True})

    def _companies(self, request: Request) -> Reply:
        name = request.arg("name")
        if name is None:
            return Reply(200, {"type": "list", "data": self.companies, "total_count": len(self.companies),
                               "pages": {"type": "pages", "next": None, "page": 1, "per_page": 15, "total_pages": 1}})
        found = [c for c in self.companies if c["name"].lower() == name.lower()]
        if not found:
            return error(404, "company_not_found", "Company Not Found")
        return Reply(200, {"type": "list", "data": found, "total_count": 1,
                           "pages": {"type": "pages", "next": None, "page": 1, "per_page": 15, "total_pages": 1}})

    def _company(self, request: Request) -> Reply:
        found = next((c for c in self.companies if c["id"] == request.match.group(1)), None)
        return Reply(200, found) if found else error(404, "company_not_found", "Company Not Found")

    def _company_contacts(self, request: Request) -> Reply:
        cid = request.match.group(1)
        if not any(c["id"] == cid for c in self.companies):
            return error(404, "company_not_found", "Company Not Found")
        data = [c for c in self.contacts if any(ref["id"] == cid for ref in c["companies"]["data"])]
        return Reply(200, {"type": "list", "data": data[:50], "total_count": len(data),
                           "pages": {"type": "pages", "page": 1, "per_page": 50, "total_pages": 1 if data else 0}})

    def _contacts_search(self, request: Request) -> Reply:
        return self._search(request, self.contacts, {"id", "email", "name", "role"}, "data", "list", 50)

    def _conversations_search(self, request: Request) -> Reply:
        fields = {"id", "created_at", "updated_at", "source.body", "source.subject", "source.author.email", "contact_ids",
                  "state", "open", "priority"}
        return self._search(request, self.conversations, fields, "conversations", "conversation.list", 20)

    def _conversation(self, request: Request) -> Reply:
        conv = next((c for c in self.conversations if c["id"] == request.match.group(1)), None)
        if conv is None:
            return error(404, "conversation_not_found", "Conversation not found")
        out = self._public(conv)
        parts = [dict(p) for p in conv["_parts"]]
        if request.arg("display_as") == "plaintext":
            out["source"] = dict(out["source"], body=_plaintext(out["source"]["body"]))
            for p in parts:
                p["body"] = _plaintext(p["body"])
        out["conversation_parts"] = {"type": "conversation_part.list", "conversation_parts": parts, "total_count": len(parts)}
        return Reply(200, out)


def intercom_fake(**kwargs: Any) -> FakeIntercom:
    """An Intercom fake with seeded companies, contacts and conversations (start it with `with`)."""
    return FakeIntercom(**kwargs)
