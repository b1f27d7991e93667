"""A fake Jira REST API (Cloud v3 and Data Center v2) on 127.0.0.1.

Documented behaviour it reproduces:
- Cloud (`mode="cloud"`): basic auth email:API token; POST or GET /rest/api/3/search/jql with
  `nextPageToken` paging (`isLast`), only the requested `fields` returned (none asked: id only);
  descriptions in Atlassian Document Format; POST /rest/api/3/issue expects an ADF description;
- Data Center (`mode="dc"`): `Authorization: Bearer <personal access token>`, GET /rest/api/2/search
  with startAt/maxResults/total, plain-text descriptions;
- JQL with AND / OR / NOT and parentheses over text, summary, description, labels, project, key,
  issuetype (=, !=, ~, !~, in) and ORDER BY updated|created|key [ASC|DESC]; `text ~ "a b"`
  matches issues containing every word; an unparsable query is HTTP 400 in the errorMessages form;
- create: project and issue type checked, required fields per project (project OPS requires
  components), labels without spaces, priority names; errors as
  {"errorMessages": [...], "errors": {"field": "text"}} HTTP 400; create metadata at
  GET /rest/api/{v}/issue/createmeta/{key}/issuetypes and .../issuetypes/{id};
- 401 {"errorMessages": ["You are not authenticated. Authentication required to perform this operation."]}
  for missing or wrong credentials; GET /rest/api/{v}/myself.

`drop_after_create = N`: the next N creates store the issue, then drop the connection unanswered.
"""

from __future__ import annotations

import base64
import re
from datetime import datetime, timezone
from typing import Any

from .harness import Reply, Request, TrackerFake, filler_times
from .query import token_pattern, tokens

EMAIL = "agent@acme.example"
API_TOKEN = "ATATT3xFfGF0-fake-jira-token"
PAT = "MzQ1-fake-jira-data-center-pat"

ISSUE_TYPES = [{"id": "10001", "name": "Bug"}, {"id": "10002", "name": "Story"}, {"id": "10003", "name": "Task"},
               {"id": "10004", "name": "Incident"}]
PRIORITIES = ["Highest", "High", "Medium", "Low", "Lowest"]
PROJECTS = {
    "ENG": {"id": "10000", "required": [], "components": ["API", "Exports", "Web app"], "priority": True},
    "OPS": {"id": "10010", "required": ["components"], "components": ["Billing", "Data pipeline", "Support tools"],
            "priority": True},
    "PROD": {"id": "10020", "required": [], "components": [], "priority": False},  # no priority on the create screen
}


def issue(key: str, summary: str, description: str, *, type: str = "Bug", status: str = "To Do", category: str = "new",
          priority: str = "Medium", components: list[str] = (), labels: list[str] = (), created: str, updated: str) -> dict:
    return {"key": key, "summary": summary, "description": description, "type": type, "status": status,
            "category": category, "priority": priority, "components": list(components), "labels": list(labels),
            "created": created, "updated": updated}


SEEDED = [
    issue("ENG-101", "CSV export drops rows over 10k", "Exports larger than 10,000 rows are missing rows at the end.\n"
          "- seen on EU cluster\n- since 3.2", type="Bug", status="In Progress", category="indeterminate",
          priority="High", components=["Exports"], created="2026-11-01T09:00:00.000+0000",
          updated="2026-11-12T10:00:00.000+0000"),
    issue("ENG-102", "Scheduled export API", "Customers want scheduled exports of all rows.", type="Story",
          priority="Medium", created="2026-10-01T09:00:00.000+0000", updated="2026-11-10T08:00:00.000+0000"),
    issue("ENG-103", "Export pipeline outage", "Export workers stalled; rows missing in reports.", type="Incident",
          status="Done", category="done", priority="Highest", components=["API", "Exports"],
          created="2026-09-01T09:00:00.000+0000", updated="2026-11-05T12:00:00.000+0000"),
    issue("ENG-104", "Clean up export code", "Refactor the export module.", type="Task", status="Backlog",
          category="new", priority="Low", created="2026-08-01T09:00:00.000+0000",
          updated="2026-10-01T12:00:00.000+0000"),
    issue("OPS-7", "SSO login loop", "Users loop on the SSO page.", type="Bug", created="2026-07-01T09:00:00.000+0000",
          updated="2026-11-11T12:00:00.000+0000"),
]


class JQLError(ValueError):
    pass


_TOKEN = token_pattern(r"A-Za-z0-9_.\-")


class JQL:
    """A tiny JQL parser: `matches(issue)` and `order`."""

    FIELDS = {"text", "summary", "description", "labels", "project", "key", "issuetype", "type"}

    def __init__(self, jql: str):
        self.tokens = tokens(jql, _TOKEN, JQLError)
        self.i = 0
        self.order: tuple[str, bool] = ("created", True)
        self.tree = self.expr() if self.peek() and not self.keyword("ORDER") else ("all",)
        if self.keyword("ORDER"):
            self.i += 1
            if not self.keyword("BY"):
                raise JQLError("expected BY")
            self.i += 1
            field = self.take("word").lower()
            desc = True
            if self.keyword("ASC") or self.keyword("DESC"):
                desc = self.take("word").upper() == "DESC"
            self.order = (field, desc)
        if self.peek():
            raise JQLError("trailing tokens")

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def keyword(self, word: str) -> bool:
        t = self.peek()
        return t is not None and t[0] == "word" and t[1].upper() == word

    def take(self, kind: str, value: str | None = None) -> str:
        t = self.peek()
        if t is None or t[0] != kind or (value is not None and t[1] != value):
            raise JQLError(f"expected {value or kind}")
        self.i += 1
        return t[1]

    def expr(self) -> tuple:
        return self.joined("OR", self.term)

    def term(self) -> tuple:
        return self.joined("AND", self.factor)

    def joined(self, word: str, part) -> tuple:
        """`part`s joined by `word` (OR, AND), as nested ("or"|"and", left, right) nodes."""
        node = part()
        while self.keyword(word):
            self.i += 1
            node = (word.lower(), node, part())
        return node

    def factor(self) -> tuple:
        if self.keyword("NOT"):
            self.i += 1
            return ("not", self.factor())
        t = self.peek()
        if t == ("op", "("):
            self.i += 1
            node = self.expr()
            self.take("op", ")")
            return node
        field = self.take("word").lower()
        if field not in self.FIELDS:
            raise JQLError(f"Field '{field}' does not exist or you do not have permission to view it.")
        if self.keyword("IN"):
            self.i += 1
            self.take("op", "(")
            values = [self.value()]
            while self.peek() == ("op", ","):
                self.i += 1
                values.append(self.value())
            self.take("op", ")")
            return ("in", field, values)
        op = self.take("op")
        if op not in ("=", "!=", "~", "!~"):
            raise JQLError("bad operator")
        return ("cmp", field, op, self.value())

    def value(self) -> str:
        t = self.peek()
        if t is None or t[0] not in ("str", "word"):
            raise JQLError("expected a value")
        self.i += 1
        return t[1]

    def matches(self, item: dict, node: tuple | None = None) -> bool:
        node = node or self.tree
        kind = node[0]
        if kind == "all":
            return True
        if kind == "or":
            return self.matches(item, node[1]) or self.matches(item, node[2])
        if kind == "and":
            return self.matches(item, node[1]) and self.matches(item, node[2])
        if kind == "not":
            return not self.matches(item, node[1])
        if kind == "in":
            return any(v.lower() in [x.lower() for x in _values(item, node[1])] for v in node[2])
        _, field, op, value = node
        if op in ("~", "!~"):
            haystack = " ".join(_values(item, field)).lower()
            words = re.findall(r"\w+", value.lower())
            found = bool(words) and all(re.search(rf"\b{re.escape(w)}", haystack) for w in words)
            return found if op == "~" else not found
        equal = value.lower() in [x.lower() for x in _values(item, field)]
        return equal if op == "=" else not equal


def _values(item: dict, field: str) -> list[str]:
    if field == "text":
        description = item["description"]
        return [item["summary"], adf_plain(description) if isinstance(description, dict) else description]
    if field == "labels":
        return item["labels"]
    if field == "project":
        return [item["key"].split("-")[0]]
    if field in ("issuetype", "type"):
        return [item["type"]]
    return [item[field]]


def text_to_adf(text: str) -> dict:
    """Seeded plain text as ADF: '- ' lines become a bullet list, the rest paragraphs (with a mention)."""
    content: list[dict] = []
    bullets: list[dict] = []
    for line in text.split("\n"):
        if line.startswith("- "):
            bullets.append({"type": "listItem", "content": [{"type": "paragraph",
                                                             "content": [{"type": "text", "text": line[2:]}]}]})
            continue
        if bullets:
            content.append({"type": "bulletList", "content": bullets})
            bullets = []
        content.append({"type": "paragraph", "content": [{"type": "text", "text": line, "marks": [{"type": "strong"}]}]})
    if bullets:
        content.append({"type": "bulletList", "content": bullets})
    return {"type": "doc", "version": 1, "content": content}


def adf_plain(node: Any) -> str:
    if not isinstance(node, dict):
        return ""
    if node.get("type") == "text":
        return node.get("text", "")
    parts = [adf_plain(c) for c in node.get("content") or []]
    sep = "\n" if node.get("type") in ("doc", "bulletList", "orderedList", "listItem", "blockquote") else ""
    return sep.join(parts)


def valid_adf(node: Any, depth: int = 0) -> bool:
    """The structural rules Jira Cloud enforces on a description: doc/version 1, typed nodes, non-empty text, inline
    nodes only in paragraphs and headings, list items starting with a paragraph (nested lists after it)."""
    if not isinstance(node, dict) or depth > 30:
        return False
    if depth == 0 and (node.get("type") != "doc" or node.get("version") != 1 or not isinstance(node.get("content"), list)):
        return False
    kind = node.get("type")
    if kind == "text":
        return isinstance(node.get("text"), str) and node["text"] != "" and all(
            isinstance(m, dict) and m.get("type") in ("strong", "em", "code", "link", "strike", "underline")
            for m in node.get("marks", []))
    if kind not in ("doc", "paragraph", "heading", "bulletList", "orderedList", "listItem", "codeBlock", "blockquote",
                    "rule", "hardBreak"):
        return False
    if kind == "heading" and not (isinstance(node.get("attrs"), dict) and node["attrs"].get("level") in range(1, 7)):
        return False
    children = node.get("content", [])
    if not isinstance(children, list) or not all(isinstance(c, dict) for c in children):
        return False
    types = [c.get("type") for c in children]
    if kind in ("bulletList", "orderedList") and (not types or any(t != "listItem" for t in types)):
        return False
    if kind == "listItem" and (not types or types[0] != "paragraph"
                               or any(t not in ("paragraph", "bulletList", "orderedList", "codeBlock") for t in types)):
        return False
    if kind in ("paragraph", "heading") and any(t not in ("text", "hardBreak") for t in types):
        return False
    if kind in ("doc", "blockquote") and any(t in ("text", "hardBreak", "listItem") for t in types):
        return False
    return isinstance(children, list) and all(valid_adf(c, depth + 1) for c in children)


class FakeJira(TrackerFake):
    def __init__(self, mode: str = "cloud", filler: int = 0):
        super().__init__("jira", mode)
        self.version = "3" if mode == "cloud" else "2"
        api = f"/rest/api/{self.version}"
        meta = api + r"/issue/createmeta/(?P<project>[A-Z0-9_]+)/issuetypes"
        self.add_routes(("POST", api + "/search/jql", self.search_jql), ("GET", api + "/search/jql", self.search_jql),
                        ("GET", api + "/search", self.search_v2), ("POST", api + "/issue", self.create),
                        ("GET", api + "/myself", self.myself), ("GET", meta, self.meta_types),
                        ("GET", meta + r"/(?P<type>\d+)", self.meta_fields))
        self.reset(filler)

    def reset(self, filler: int = 0) -> FakeJira:
        self.restart([dict(i, labels=list(i["labels"])) for i in SEEDED]
                     + [issue(f"ENG-{500 + n}", f"Export follow-up {n}", "missing rows again", type="Task", created=when,
                              updated=when) for n, when in enumerate(filler_times(filler, "%Y-%m-%dT%H:%M:%S.000+0000"))], 1000)
        return self

    # --- helpers -----------------------------------------------------------------------------------
    def authorized(self, request: Request) -> bool:
        header = request.header("Authorization") or ""
        if self.mode == "cloud":
            return header == "Basic " + base64.b64encode(f"{EMAIL}:{API_TOKEN}".encode()).decode()
        return header == f"Bearer {PAT}"

    @staticmethod
    def error(status: int, messages: list[str] = (), errors: dict[str, str] | None = None) -> Reply:
        return Reply(status, {"errorMessages": list(messages), "errors": errors or {}})

    def unauthorized(self) -> Reply:
        return self.error(401, ["You are not authenticated. Authentication required to perform this operation."])

    def render(self, item: dict, fields: list[str]) -> dict:
        project = item["key"].split("-")[0]
        out: dict[str, Any] = {"id": str(item.get("id") or 10000 + abs(hash(item["key"])) % 90000), "key": item["key"],
                               "self": f"{self.url}/rest/api/{self.version}/issue/{item['key']}"}
        full = {
            "summary": item["summary"],
            "description": text_to_adf(item["description"]) if self.version == "3" and isinstance(item["description"], str)
            else item["description"],
            "status": {"name": item["status"], "statusCategory": {"key": item["category"], "name": item["category"]}},
            "priority": {"name": item["priority"], "id": str(PRIORITIES.index(item["priority"]) + 1)},
            "issuetype": {"name": item["type"], "subtask": False},
            "components": [{"name": c} for c in item["components"]],
            "labels": item["labels"],
            "created": item["created"],
            "updated": item["updated"],
            "project": {"key": project},
        }
        if "*all" in fields:
            fields = list(full)
        out["fields"] = {f: full[f] for f in fields if f in full} if fields else {}
        if not fields:
            out = {"id": out["id"]}
        return out

    def query(self, jql: str) -> list[dict]:
        parsed = JQL(jql)
        found = [i for i in self.issues if parsed.matches(i)]
        field, desc = parsed.order
        key = (lambda i: (i["key"].split("-")[0], int(i["key"].split("-")[1]))) if field == "key" else (lambda i: i[field])
        return sorted(found, key=key, reverse=desc)

    # --- routes ------------------------------------------------------------------------------------
    def search_jql(self, request: Request) -> Reply:
        if not self.authorized(request):
            return self.unauthorized()
        if request.method == "POST":
            body = request.json() or {}
            jql, token, size, fields = body.get("jql", ""), body.get("nextPageToken"), body.get("maxResults", 50), body.get("fields") or []
        else:
            jql, token = request.arg("jql", ""), request.arg("nextPageToken")
            size, fields = int(request.arg("maxResults") or 50), [f for f in (request.arg("fields") or "").split(",") if f]
        try:
            found = self.query(jql)
        except JQLError as exc:
            return self.error(400, [f"Error in the JQL Query: {exc}"])
        start = int(base64.b64decode(token).decode().split(":")[1]) if token else 0
        size = max(1, min(int(size), 100))
        chunk = found[start:start + size]
        body: dict[str, Any] = {"issues": [self.render(i, fields) for i in chunk]}
        if start + size < len(found):
            body["nextPageToken"] = base64.b64encode(f"offset:{start + size}".encode()).decode()
            body["isLast"] = False
        else:
            body["isLast"] = True
        return Reply(200, body)

    def search_v2(self, request: Request) -> Reply:
        if self.version != "2":
            return self.error(410, ["The requested API has been removed. Please migrate to the /rest/api/3/search/jql API."])
        if not self.authorized(request):
            return self.unauthorized()
        try:
            found = self.query(request.arg("jql", ""))
        except JQLError as exc:
            return self.error(400, [f"Error in the JQL Query: {exc}"])
        start, size = int(request.arg("startAt") or 0), min(int(request.arg("maxResults") or 50), 50)
        fields = [f for f in (request.arg("fields") or "*all").split(",") if f]
        chunk = found[start:start + size]
        return Reply(200, {"expand": "schema,names", "startAt": start, "maxResults": size, "total": len(found),
                           "issues": [self.render(i, fields) for i in chunk]})

    def myself(self, request: Request) -> Reply:
        if not self.authorized(request):
            return self.unauthorized()
        return Reply(200, {"accountId": "5b10ac8d82e05b22cc7d4ef5", "displayName": "Support Agent", "active": True})

    def meta_types(self, request: Request) -> Reply:
        if not self.authorized(request):
            return self.unauthorized()
        if request.match["project"] not in PROJECTS:
            return self.error(404, ["No project could be found with key."])
        key = "issueTypes" if self.version == "3" else "values"
        return Reply(200, {key: [dict(t, subtask=False) for t in ISSUE_TYPES], "maxResults": 50, "startAt": 0,
                           "total": len(ISSUE_TYPES)})

    def meta_fields(self, request: Request) -> Reply:
        if not self.authorized(request):
            return self.unauthorized()
        project = PROJECTS.get(request.match["project"])
        if project is None:
            return self.error(404, ["No project could be found with key."])
        fields = [
            {"fieldId": "summary", "name": "Summary", "required": True, "operations": ["set"]},
            {"fieldId": "issuetype", "name": "Issue Type", "required": True,
             "allowedValues": [dict(t) for t in ISSUE_TYPES]},
            {"fieldId": "components", "name": "Component/s", "required": "components" in project["required"],
             "allowedValues": [{"id": str(20000 + n), "name": c} for n, c in enumerate(project["components"])]},
            {"fieldId": "labels", "name": "Labels", "required": False},
        ]
        if project["priority"]:
            fields.append({"fieldId": "priority", "name": "Priority", "required": False,
                           "allowedValues": [{"id": str(n + 1), "name": p} for n, p in enumerate(PRIORITIES)]})
        key = "fields" if self.version == "3" else "values"
        return Reply(200, {key: fields, "maxResults": 50, "startAt": 0, "total": len(fields)})

    def create(self, request: Request) -> Reply:
        if not self.authorized(request):
            return self.unauthorized()
        fields = (request.json() or {}).get("fields") or {}
        errors: dict[str, str] = {}
        project_key = (fields.get("project") or {}).get("key")
        project = PROJECTS.get(project_key)
        if project is None:
            return self.error(400, [], {"project": "valid project is required"})
        if not fields.get("summary"):
            errors["summary"] = "You must specify a summary of the issue."
        type_name = (fields.get("issuetype") or {}).get("name")
        if type_name not in [t["name"] for t in ISSUE_TYPES]:
            errors["issuetype"] = "Specify a valid issue type"
        for name in project["required"]:
            if not fields.get(name):
                errors[name] = "Component/s is required." if name == "components" else f"{name} is required."
        description = fields.get("description")
        if description is not None:
            if self.version == "3" and not valid_adf(description):
                errors["description"] = "Operation value must be an Atlassian Document (see the Atlassian Document Format)"
            if self.version == "2" and not isinstance(description, str):
                errors["description"] = "Operation value must be a string"
        labels = fields.get("labels") or []
        if any(not isinstance(label, str) or " " in label for label in labels):
            errors["labels"] = "The label contains spaces which is invalid."
        if "priority" in fields:
            if not project["priority"]:
                errors["priority"] = "Field 'priority' cannot be set. It is not on the appropriate screen, or unknown."
            elif (fields["priority"] or {}).get("name") not in PRIORITIES:
                errors["priority"] = "Specify the Priority (name) in the string format"
        if errors:
            return self.error(400, [], errors)
        number = next(self.counter)
        key = f"{project_key}-{number}"
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000+0000")
        item = {
            "id": str(20000 + number), "key": key, "summary": fields["summary"],
            "description": description if description is not None else "",
            "type": type_name, "status": "To Do", "category": "new",
            "priority": (fields.get("priority") or {}).get("name") or "Medium",
            "components": [c.get("name") for c in fields.get("components") or []], "labels": list(labels),
            "created": now, "updated": now, "raw": fields,
        }
        return self.keep(item) or Reply(201, {"id": str(20000 + number), "key": key, "self": f"{self.url}/rest/api/{self.version}/issue/{20000 + number}"})

