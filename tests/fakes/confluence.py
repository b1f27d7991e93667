"""A fake Confluence REST API (v1: /rest/api/content/search, /rest/api/space) on 127.0.0.1.

Documented behaviour it reproduces:
- Cloud (`mode="cloud"`): served under the /wiki context, basic auth email:API token,
  `_links.next` carries an opaque `cursor` (plus next=true, start, limit, expand, cql);
- Data Center (`mode="dc"`): no context path, `Authorization: Bearer <personal access token>`,
  `_links.next` carries start/limit;
- CQL with AND / OR / NOT and parentheses over type, space, title, text, label, id
  (=, !=, ~, !~, in, not in) and ORDER BY lastmodified|created|title [ASC|DESC]; `text ~ "a b"`
  matches content containing every word; an unparsable query is HTTP 400;
- `expand` controls body.storage, version, metadata.labels and space in each result;
  `_links.base` / `_links.context` at the top level, `_links.webui` per result;
- errors as {"statusCode": N, "data": {...}, "message": "..."}; 401 for missing or wrong credentials.
"""

from __future__ import annotations

import base64
import re
from typing import Any
from urllib.parse import quote, urlencode

from .harness import FakeService, Reply, Request
from .query import token_pattern, tokens

EMAIL = "agent@acme.example"
API_TOKEN = "ATATT3xFfGF0-fake-confluence-token"
PAT = "NjQ2-fake-data-center-pat"
PUBLIC_BASE = "https://acme-support.atlassian.net/wiki"


def page(id: str, space: str, title: str, body: str, when: str, labels: list[str] = ()) -> dict[str, Any]:
    return {"id": id, "space": space, "title": title, "body": body, "when": when, "labels": list(labels)}


SEEDED = [
    page("1001", "KB", "Known issue: CSV export missing rows over 10k",
         "<h2>Symptoms</h2><p>Exports of more than 10,000 rows are <strong>missing rows</strong> at the end.</p>"
         "<h2>Workaround</h2><p>Export in date ranges of under 10,000 rows each,</p><ul><li>then merge the files.</li></ul>"
         "<h3>Note</h3><p>Merging keeps the header once.</p>"
         "<h2>Status</h2><p>A fix is planned for 3.3.</p>",
         "2026-11-10T09:00:00.000Z", ["known-issue", "export"]),
    page("1002", "KB", "How to schedule a data export",
         "<p>Open <em>Settings &gt; Exports</em> and pick a schedule.</p>"
         '<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">bash</ac:parameter>'
         "<ac:plain-text-body><![CDATA[curl -X POST /exports --data 'rows=all']]></ac:plain-text-body></ac:structured-macro>",
         "2026-10-01T12:00:00.000Z", ["how-to"]),
    page("1003", "KB", "Export API limitations",
         "<p>The export API returns at most 10,000 rows per call, so large exports look like missing rows.</p>"
         '<ac:structured-macro ac:name="info"><ac:parameter ac:name="title">Workaround</ac:parameter>'
         "<ac:rich-text-body><p>Use the bulk export endpoint with a cursor.</p></ac:rich-text-body></ac:structured-macro>"
         "<p>See also the rate limits page.</p>",
         "2026-09-15T08:30:00.000Z", []),
    page("1004", "KB", "Workaround for the SSO login loop",
         "<p>Clear the IdP session cookie, then sign in from the SSO start page.</p>",
         "2026-08-01T10:00:00.000Z", []),
    page("1005", "ENG", "Release notes 3.2",
         "<p>New export pipeline; pagination rewritten. Known side effect: missing rows in rare cases.</p>",
         "2026-11-12T16:00:00.000Z", []),
    page("1006", "SUP", "Escalation runbook",
         "<p><strong>Workaround:</strong> none</p><p>Escalate export problems with missing rows to Data.</p>",
         "2026-07-01T10:00:00.000Z", []),
]


class CQLError(ValueError):
    pass


_TOKEN = token_pattern(r"A-Za-z0-9_.~\-")


class _Parser:
    FIELDS = {"type", "space", "title", "text", "label", "id", "content"}

    def __init__(self, cql: str):
        self.toks = tokens(cql, _TOKEN, CQLError)
        self.i = 0

    def peek(self, upper: bool = True) -> str | None:
        if self.i >= len(self.toks):
            return None
        kind, value = self.toks[self.i]
        return value.upper() if upper and kind == "word" else value

    def take(self) -> tuple[str, str]:
        if self.i >= len(self.toks):
            raise CQLError("unexpected end of query")
        self.i += 1
        return self.toks[self.i - 1]

    def parse(self):
        expr = self.expr()
        order = ("lastmodified", True)
        if self.peek() == "ORDER":
            self.take()
            if self.peek() != "BY":
                raise CQLError("expected BY")
            self.take()
            field = self.take()[1].lower()
            if field not in ("lastmodified", "created", "title"):
                raise CQLError("cannot order by that field")
            desc = False
            if self.peek() in ("ASC", "DESC"):
                desc = self.take()[1].upper() == "DESC"
            order = (field, desc)
        if self.i != len(self.toks):
            raise CQLError("unexpected input after the query")
        return expr, order

    def expr(self):
        return self.joined("OR", self.term, any)

    def term(self):
        return self.joined("AND", self.factor, all)

    def joined(self, word: str, part, combine):
        """`part`s joined by `word` (OR, AND): a page matches when `combine` (any, all) of them match."""
        parts = [part()]
        while self.peek() == word:
            self.take()
            parts.append(part())
        return lambda p: combine(f(p) for f in parts)

    def factor(self):
        if self.peek() == "NOT":
            self.take()
            inner = self.factor()
            return lambda p: not inner(p)
        if self.peek() == "(":
            self.take()
            inner = self.expr()
            if self.take()[1] != ")":
                raise CQLError("expected )")
            return inner
        kind, field = self.take()
        field = field.lower()
        if kind != "word" or field not in self.FIELDS:
            raise CQLError("unknown field")
        op = self.take()[1]
        if op.upper() == "NOT" and self.peek() == "IN":
            self.take()
            op = "not in"
        elif op.upper() == "IN":
            op = "in"
        if op in ("in", "not in"):
            if self.take()[1] != "(":
                raise CQLError("expected (")
            values = [self.take()[1]]
            while self.peek() == ",":
                self.take()
                values.append(self.take()[1])
            if self.take()[1] != ")":
                raise CQLError("expected )")
            test = lambda p, vs=values, f=field: any(_equals(p, f, v) for v in vs)  # noqa: E731
            return test if op == "in" else (lambda p: not test(p))
        if op not in ("=", "!=", "~", "!~"):
            raise CQLError("unknown operator")
        value = self.take()[1]
        if op in ("=", "!="):
            eq = lambda p, f=field, v=value: _equals(p, f, v)  # noqa: E731
            return eq if op == "=" else (lambda p: not eq(p))
        if field not in ("text", "title"):
            raise CQLError("~ only applies to text fields")
        contains = lambda p, f=field, v=value: _contains(p, f, v)  # noqa: E731
        return contains if op == "~" else (lambda p: not contains(p))


def _text(p: dict[str, Any]) -> str:
    return re.sub(r"<[^>]+>", " ", p["body"]).replace("&gt;", ">").replace("&amp;", "&")


def _equals(p: dict[str, Any], field: str, value: str) -> bool:
    if field == "type":
        return value == "page"
    if field == "space":
        return p["space"] == value
    if field == "label":
        return value in p["labels"]
    if field in ("id", "content"):
        return p["id"] == value
    if field == "title":
        return p["title"] == value
    return False


def _contains(p: dict[str, Any], field: str, value: str) -> bool:
    haystack = p["title"] if field == "title" else f"{p['title']} {_text(p)} {' '.join(p['labels'])}"
    words = re.findall(r"\w+", haystack.lower())
    return all(any(w.startswith(term) for w in words) for term in re.findall(r"\w+", value.lower()))


class FakeConfluence(FakeService):
    def __init__(self, mode: str = "cloud", filler: int = 0):
        super().__init__("confluence")
        self.mode = mode
        self.context = "/wiki" if mode == "cloud" else ""
        ctx = re.escape(self.context)
        self.route("GET", ctx + r"/rest/api/content/search")(self.search)
        self.route("GET", ctx + r"/rest/api/space")(self.spaces)
        self.route("GET", ctx + r"/rest/api/user/current")(self.current_user)
        self.reset(filler)

    def reset(self, filler: int = 0) -> FakeConfluence:
        self.clear()
        self.pages = [dict(p) for p in SEEDED]
        for i in range(filler):
            self.pages.append(page(str(2000 + i), "KB", f"Export FAQ part {i}", f"<p>Export question {i}: missing rows?</p>",
                                   f"2026-06-{1 + i % 28:02d}T00:00:{i % 60:02d}.000Z"))
        return self

    @property
    def base(self) -> str:
        return self.url + self.context

    @staticmethod
    def error(status: int, message: str) -> Reply:
        return Reply(status, {"statusCode": status, "data": {"authorized": status not in (401, 403), "valid": status != 400,
                                                             "errors": [], "successful": False}, "message": message})

    def authorized(self, request: Request) -> bool:
        header = request.header("Authorization") or ""
        if self.mode == "cloud":
            expected = "Basic " + base64.b64encode(f"{EMAIL}:{API_TOKEN}".encode()).decode()
        else:
            expected = f"Bearer {PAT}"
        return header == expected

    def search(self, request: Request) -> Reply:
        if not self.authorized(request):
            return self.error(401, "Current user not permitted to use Confluence")
        cql = request.arg("cql")
        if not cql:
            return self.error(400, "CQL query parameter is required")
        try:
            matcher, (field, desc) = _Parser(cql).parse()
        except CQLError as exc:
            return self.error(400, f"Could not parse cql : {cql} ({exc})")
        expand = set(filter(None, (request.arg("expand") or "").split(",")))
        try:
            limit = max(1, min(50 if any(e.startswith("body") for e in expand) else 200, int(request.arg("limit") or 25)))
            start = int(request.arg("start") or 0)
            if request.arg("cursor"):
                start = int(base64.urlsafe_b64decode(request.arg("cursor")).decode().split(":")[1])
        except (ValueError, IndexError):
            return self.error(400, "invalid paging parameters")
        hits = [p for p in self.pages if matcher(p)]
        key = {"lastmodified": lambda p: p["when"], "created": lambda p: p["id"], "title": lambda p: p["title"]}[field]
        hits.sort(key=key, reverse=desc)
        chunk = hits[start: start + limit]
        results = [self.content(p, expand) for p in chunk]
        links: dict[str, Any] = {"base": PUBLIC_BASE if self.mode == "cloud" else self.url, "context": self.context,
                                 "self": f"{self.base}/rest/api/content/search?cql={quote(cql)}"}
        if start + limit < len(hits):
            params: dict[str, Any] = {"cql": cql, "limit": limit, "start": start + limit}
            if expand:
                params["expand"] = ",".join(sorted(expand))
            if self.mode == "cloud":
                cursor = base64.urlsafe_b64encode(f"_sa_:{start + limit}".encode()).decode()
                params = {"next": "true", "cursor": cursor, **params}
            links["next"] = "/rest/api/content/search?" + urlencode(params)
        if start > 0:
            links["prev"] = "/rest/api/content/search?" + urlencode({"cql": cql, "limit": limit, "start": max(0, start - limit)})
        body = {"results": results, "start": start, "limit": limit, "size": len(results), "cqlQuery": cql,
                "searchDuration": 7, "_links": links}
        if self.mode == "cloud":
            body["totalSize"] = len(hits)
        return Reply(200, body)

    def content(self, p: dict[str, Any], expand: set[str]) -> dict[str, Any]:
        slug = quote(p["title"].replace(" ", "+"), safe="+")
        webui = f"/spaces/{p['space']}/pages/{p['id']}/{slug}" if self.mode == "cloud" else f"/display/{p['space']}/{slug}"
        item: dict[str, Any] = {
            "id": p["id"], "type": "page", "status": "current", "title": p["title"],
            "_links": {"webui": webui, "self": f"{self.base}/rest/api/content/{p['id']}", "tinyui": f"/x/{p['id']}"},
            "_expandable": {"children": "", "history": f"/rest/api/content/{p['id']}/history", "ancestors": ""},
        }
        if "body.storage" in expand:
            item["body"] = {"storage": {"value": p["body"], "representation": "storage", "_expandable": {"content": ""}},
                            "_expandable": {"view": "", "export_view": ""}}
        if "version" in expand:
            item["version"] = {"when": p["when"], "number": 3, "minorEdit": False,
                               "by": {"type": "known", "displayName": "Dana Eng"}}
        if "metadata.labels" in expand:
            item["metadata"] = {"labels": {"results": [{"prefix": "global", "name": n, "id": str(9000 + i), "label": n}
                                                       for i, n in enumerate(p["labels"])],
                                           "start": 0, "limit": 200, "size": len(p["labels"])}}
        if "space" in expand:
            item["space"] = {"key": p["space"], "name": p["space"], "type": "global"}
        return item

    def spaces(self, request: Request) -> Reply:
        if not self.authorized(request):
            return self.error(401, "Current user not permitted to use Confluence")
        keys = sorted({p["space"] for p in self.pages})
        limit = int(request.arg("limit") or 25)
        results = [{"id": i, "key": k, "name": k, "type": "global", "_links": {"webui": f"/spaces/{k}"}}
                   for i, k in enumerate(keys[:limit])]
        return Reply(200, {"results": results, "start": 0, "limit": limit, "size": len(results),
                           "_links": {"base": PUBLIC_BASE, "context": self.context}})

    def current_user(self, request: Request) -> Reply:
        if not self.authorized(request):
            return self.error(401, "Current user not permitted to use Confluence")
        return Reply(200, {"type": "known", "accountId": "5b10ac8d82e05b22cc7d4ef5", "displayName": "Support Agent"})
