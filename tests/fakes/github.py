"""A fake GitHub REST API (github.com or GitHub Enterprise Server under /api/v3) on 127.0.0.1.

Documented behaviour it reproduces:
- `Authorization: Bearer <token>` (or `token <token>`); no or a wrong token is
  401 {"message": "Bad credentials", "documentation_url": ..., "status": "401"};
  an X-GitHub-Api-Version other than 2022-11-28 is 400;
- GET /search/issues: q with repo:, is:issue, is:pr, in:title/in:body qualifiers, words (all
  required) or words joined by OR, and "quoted phrases"; with advanced_search=true (github.com
  only) the boolean syntax: AND/OR and parentheses, implicit AND binding tighter than OR, so
  `repo:a/b x OR y` matches y anywhere; sort=updated|created, order, per_page
  (max 100), page; Link header with rel="next"/"last"; items carry repository_url and html_url.
  Issues created here are not in the search index until `index()` is called (GitHub's search
  lags behind writes), unless `search_lag = False`;
- GET /repos/{o}/{r}/issues (state, sort, direction, per_page, page; includes pull requests);
- POST /repos/{o}/{r}/issues {title, body, labels}: 201 with number/html_url; a missing title is
  422 {"message": "Validation Failed", "errors": [{"resource": "Issue", "code": "missing_field",
  "field": "title"}]}; issues disabled is 410;
- GET /repos/{o}/{r} with has_issues.

`drop_after_create = N`: the next N creates store the issue, then drop the connection unanswered.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from urllib.parse import urlencode

from .harness import Reply, Request, TrackerFake, filler_times

TOKEN = "ghp_FAKE000000000000000000000000000000000"
REPO = "acme/app"
DOCS = "https://docs.github.com/rest"


def issue(number: int, title: str, body: str, *, state: str = "open", labels: list[str] = (), created: str,
          updated: str, pull_request: bool = False, repo: str = REPO) -> dict:
    return {"number": number, "title": title, "body": body, "state": state, "labels": list(labels), "created": created,
            "updated": updated, "pull_request": pull_request, "repo": repo, "indexed": True}


SEEDED = [
    issue(41, "CSV export drops rows", "Exports over 10k rows are missing rows.", labels=["bug", "in progress", "P1"],
          created="2026-11-01T09:00:00Z", updated="2026-11-12T10:00:00Z"),
    issue(40, "Scheduled exports", "Customers want scheduled exports of missing rows.", labels=["enhancement"],
          created="2026-10-01T09:00:00Z", updated="2026-11-10T08:00:00Z"),
    issue(39, "Export worker crash", "Rows missing after crash.", state="closed", labels=["bug"],
          created="2026-09-01T09:00:00Z", updated="2026-11-05T12:00:00Z"),
    issue(38, "Export docs", "Document the export limits.", created="2026-08-01T09:00:00Z", updated="2026-10-01T12:00:00Z"),
    issue(37, "Fix export rows", "PR fixing missing rows in export.", pull_request=True,
          created="2026-11-02T09:00:00Z", updated="2026-11-13T12:00:00Z"),
    issue(12, "Export rows elsewhere", "missing rows", repo="acme/other", created="2026-11-02T09:00:00Z",
          updated="2026-11-13T12:00:00Z"),
]


class FakeGitHub(TrackerFake):
    def __init__(self, mode: str = "dotcom", filler: int = 0):
        super().__init__("github", mode)
        self.prefix = "" if mode == "dotcom" else "/api/v3"
        repo = rf"{self.prefix}/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)"
        self.add_routes(("GET", rf"{self.prefix}/search/issues", self.search), ("GET", repo, self.repository),
                        ("GET", repo + "/issues", self.list_issues), ("POST", repo + "/issues", self.create))
        self.reset(filler)

    @property
    def api(self) -> str:
        return self.url + self.prefix

    @property
    def web(self) -> str:
        return "https://github.com" if self.mode == "dotcom" else self.url

    def reset(self, filler: int = 0) -> FakeGitHub:
        self.has_issues = True
        self.search_lag = True
        self.restart([dict(i, labels=list(i["labels"])) for i in SEEDED]
                     + [issue(100 + n, f"Export follow-up {n}", "missing rows again", created=when, updated=when)
                        for n, when in enumerate(filler_times(filler, "%Y-%m-%dT%H:%M:%SZ"))], 500)
        return self

    def index(self) -> None:
        for i in self.issues:
            i["indexed"] = True

    # --- helpers -----------------------------------------------------------------------------------
    def check(self, request: Request) -> Reply | None:
        if (request.header("Authorization") or "") not in (f"Bearer {TOKEN}", f"token {TOKEN}"):
            message = "Requires authentication" if not request.header("Authorization") else "Bad credentials"
            return Reply(401, {"message": message, "documentation_url": DOCS, "status": "401"})
        version = request.header("X-GitHub-Api-Version")
        if version not in (None, "2022-11-28"):
            return Reply(400, {"message": f"Unsupported 'X-GitHub-Api-Version' header. Requested version: {version}",
                               "documentation_url": DOCS, "status": "400"})
        return None

    def known_repository(self, request: Request) -> str | Reply:
        """The repository a request names (OWNER/NAME), or the refusal: bad credentials, or no such repository."""
        if (denied := self.check(request)) is not None:
            return denied
        full = f"{request.match['owner']}/{request.match['name']}"
        if full not in {i["repo"] for i in SEEDED}:
            return Reply(404, {"message": "Not Found", "documentation_url": DOCS, "status": "404"})
        return full

    def render(self, item: dict) -> dict:
        repo, number = item["repo"], item["number"]
        out = {
            "url": f"{self.api}/repos/{repo}/issues/{number}", "repository_url": f"{self.api}/repos/{repo}",
            "html_url": f"{self.web}/{repo}/{'pull' if item['pull_request'] else 'issues'}/{number}",
            "id": 900000 + number, "node_id": f"I_kw{number}", "number": number, "title": item["title"],
            "user": {"login": "octocat"}, "labels": [{"id": 7000 + n, "name": name, "color": "d73a4a"}
                                                    for n, name in enumerate(item["labels"])],
            "state": item["state"], "locked": False, "comments": 0, "created_at": item["created"],
            "updated_at": item["updated"], "closed_at": item["updated"] if item["state"] == "closed" else None,
            "body": item["body"], "author_association": "MEMBER",
        }
        if item["pull_request"]:
            out["pull_request"] = {"url": f"{self.api}/repos/{repo}/pulls/{number}"}
        return out

    def paged(self, request: Request, found: list[dict], path: str, per_page_max: int = 100) -> tuple[list[dict], dict]:
        per_page = min(int(request.arg("per_page") or 30), per_page_max)
        page = int(request.arg("page") or 1)
        chunk = found[(page - 1) * per_page:page * per_page]
        last = max(1, -(-len(found) // per_page))
        links = []
        params = {k: v[0] for k, v in request.query.items()}
        if page < last:
            links.append(f'<{self.url}{path}?{urlencode({**params, "page": page + 1})}>; rel="next"')
            links.append(f'<{self.url}{path}?{urlencode({**params, "page": last})}>; rel="last"')
        return chunk, ({"Link": ", ".join(links)} if links else {})

    # --- routes ------------------------------------------------------------------------------------
    def search(self, request: Request) -> Reply:
        if (denied := self.check(request)) is not None:
            return denied
        if self.mode == "dotcom" and request.arg("advanced_search") == "true":
            return self.advanced_search(request)
        q = request.arg("q") or ""
        tokens = re.findall(r'"[^"]*"|\S+', q)
        repos, kinds, where, words, any_of = [], [], [], [], False
        for t in tokens:
            if t.startswith("repo:"):
                repos.append(t[5:])
            elif t.startswith("is:"):
                kinds.append(t[3:])
            elif t.startswith("in:"):
                where.extend(t[3:].split(","))
            elif t == "OR":
                any_of = True
            elif ":" in t and not t.startswith('"'):
                return Reply(422, {"message": "Validation Failed", "errors": [{"message": "unknown qualifier",
                                                                               "resource": "Search", "field": "q",
                                                                               "code": "invalid"}], "documentation_url": DOCS})
            else:
                words.append(t.strip('"').lower())
        if not repos:
            return Reply(422, {"message": "Validation Failed", "errors": [{"resource": "Search", "field": "q", "code": "invalid"}]})

        def hit(i: dict) -> bool:
            if not i["indexed"] or i["repo"] not in repos:
                return False
            if "issue" in kinds and i["pull_request"] or "pr" in kinds and not i["pull_request"]:
                return False
            text = " ".join(([i["title"]] if not where or "title" in where else [])
                            + ([i["body"] or ""] if not where or "body" in where else [])).lower()
            found = [w in text for w in words]
            return (any(found) if any_of else all(found)) if words else True

        return self.results(request, [i for i in self.issues if hit(i)])

    def results(self, request: Request, found: list[dict]) -> Reply:
        field = "updated" if request.arg("sort") == "updated" else "created"
        found.sort(key=lambda i: i[field], reverse=request.arg("order", "desc") == "desc")
        chunk, headers = self.paged(request, found, request.path)
        return Reply(200, {"total_count": len(found), "incomplete_results": False,
                           "items": [self.render(i) for i in chunk]}, headers=headers)

    def advanced_search(self, request: Request) -> Reply:
        """The boolean issue search: expr := and (OR and)*; and := atom (AND? atom)*; atom := ( expr ) | term."""
        tokens = re.findall(r'"[^"]*"|[()]|[^\s()]+', request.arg("q") or "")
        where = [w for t in tokens if t.startswith("in:") for w in t[3:].split(",")]
        position = 0

        def invalid() -> Reply:
            return Reply(422, {"message": "Validation Failed", "errors": [{"resource": "Search", "field": "q",
                                                                           "code": "invalid"}], "documentation_url": DOCS})

        def term(t: str):
            if t.startswith("repo:"):
                return lambda i: i["repo"] == t[5:]
            if t in ("is:issue", "type:issue"):
                return lambda i: not i["pull_request"]
            if t in ("is:pr", "type:pr"):
                return lambda i: i["pull_request"]
            if t.startswith("in:"):
                return lambda i: True
            if ":" in t and not t.startswith('"'):
                raise ValueError(t)
            word = t.strip('"').lower()

            def has(i: dict) -> bool:
                text = " ".join(([i["title"]] if not where or "title" in where else [])
                                + ([i["body"] or ""] if not where or "body" in where else [])).lower()
                return word in text
            return has

        def expr():
            nonlocal position
            alternatives = [conjunction()]
            while position < len(tokens) and tokens[position] == "OR":
                position += 1
                alternatives.append(conjunction())
            return lambda i: any(a(i) for a in alternatives)

        def conjunction():
            nonlocal position
            parts = []
            while position < len(tokens) and tokens[position] not in ("OR", ")"):
                if tokens[position] == "AND":
                    position += 1
                    continue
                parts.append(atom())
            if not parts:
                raise ValueError("empty")
            return lambda i: all(p(i) for p in parts)

        def atom():
            nonlocal position
            t = tokens[position]
            position += 1
            if t == "(":
                inner = expr()
                if position >= len(tokens) or tokens[position] != ")":
                    raise ValueError("unbalanced")
                position += 1
                return inner
            return term(t)

        try:
            predicate = expr()
            if position != len(tokens):
                raise ValueError("trailing")
        except (ValueError, IndexError):
            return invalid()
        return self.results(request, [i for i in self.issues if i["indexed"] and predicate(i)])

    def repository(self, request: Request) -> Reply:
        full = self.known_repository(request)
        if isinstance(full, Reply):
            return full
        return Reply(200, {"id": 1296269, "full_name": full, "private": True, "has_issues": self.has_issues,
                           "html_url": f"{self.web}/{full}"})

    def list_issues(self, request: Request) -> Reply:
        if (denied := self.check(request)) is not None:
            return denied
        full = f"{request.match['owner']}/{request.match['name']}"
        state = request.arg("state", "open")
        found = [i for i in self.issues if i["repo"] == full and (state == "all" or i["state"] == state)]
        field = "updated" if request.arg("sort") == "updated" else "created"
        found.sort(key=lambda i: (i[field], i["number"]), reverse=request.arg("direction", "desc") == "desc")
        chunk, headers = self.paged(request, found, request.path)
        return Reply(200, [self.render(i) for i in chunk], headers=headers)

    def create(self, request: Request) -> Reply:
        full = self.known_repository(request)
        if isinstance(full, Reply):
            return full
        if not self.has_issues:
            return Reply(410, {"message": "Issues are disabled for this repo", "documentation_url": DOCS, "status": "410"})
        payload = request.json() or {}
        if not payload.get("title"):
            return Reply(422, {"message": "Validation Failed", "errors": [
                {"resource": "Issue", "code": "missing_field", "field": "title"}], "documentation_url": DOCS, "status": "422"})
        labels = payload.get("labels") or []
        if not isinstance(labels, list) or any(not isinstance(x, str) or len(x) > 50 for x in labels):
            return Reply(422, {"message": "Validation Failed", "errors": [
                {"resource": "Label", "code": "invalid", "field": "labels"}], "documentation_url": DOCS, "status": "422"})
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        item = issue(next(self.counter), payload["title"], payload.get("body") or "", labels=labels, created=now,
                     updated=now, repo=full)
        item["indexed"] = not self.search_lag
        item["raw"] = payload
        return self.keep(item) or Reply(201, self.render(item))
