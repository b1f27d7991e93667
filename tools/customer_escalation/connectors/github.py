"""GitHub Issues (github.com and GitHub Enterprise Server): bugs and feature requests; where escalations are filed.

Reading
    GET /search/issues?q=repo:OWNER/NAME is:issue (<terms>)&sort=updated&order=desc, the terms
    joined with OR (GitHub allows five operators, so at most six terms). github.com (and GHE.com)
    get `advanced_search=true`, the issue search syntax that replaced the legacy one there, with
    the terms grouped in parentheses, so that repo: and is:issue hold for every alternative (that
    syntax is boolean: `repo:X a OR b` could match b in any repository). Enterprise Server keeps
    the legacy syntax (no parentheses; there OR joins the words only). Pages follow the Link header's
    rel="next", only when it points at the configured API host and path.
    Labels give the kind (bug -> bug; enhancement/feature -> feature_request) and an
    "in progress" label the status category; closed issues are done.
Writing (IssueWriter)
    POST /repos/OWNER/NAME/issues {title, body, labels} sent once (never retried automatically);
    the body ends with the line `Escalation-Key: <marker>`. find_by_marker searches
    `repo:OWNER/NAME "<marker>" in:body`, then, because the search index lags behind new issues,
    reads the repository's most recent issues (GET /repos/OWNER/NAME/issues?state=all) and checks
    their bodies.

Rate limits: a 403 or 429 with x-ratelimit-remaining: 0 (primary; x-ratelimit-reset gives the
time) or with retry-after (secondary) is rate_limited; any other 403 is auth_failed.

Environment: GITHUB_TOKEN, GITHUB_REPOSITORY (OWNER/NAME), GITHUB_API_URL (default
https://api.github.com; GitHub Enterprise Server: https://HOST/api/v3).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from typing import Any, Unpack

import httpx2

from ..models import SearchQuery, TrackerItem
from . import _fields, _trackers
from ._fields import mapping
from .base import ConnectorError, CreatedItem, HttpConnector, HttpOptions, HttpSettings, HttpSource, Page, parse_retry_after, parse_time

log = logging.getLogger("customer_escalation.connectors")

SYSTEM = "github"
CATEGORY = "tracker"
ENV_VARS = ("GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_API_URL")
DEFAULT_API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"

PAGE_SIZE = 50
MAX_TERMS = 6  # GitHub search allows at most five AND/OR/NOT operators
MARKER_SCAN = 100  # recent issues read by find_by_marker when search has not indexed the issue yet

_REPO = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
_LINK = re.compile(r'<([^<>]+)>\s*;\s*rel="([^"]+)"')
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\[\]]{0,60}$")
_CODE = re.compile(r"^[a-z_]{1,40}$")
_KIND = {"bug": "bug", "type: bug": "bug", "kind/bug": "bug", "defect": "bug", "enhancement": "feature_request",
         "feature": "feature_request", "feature request": "feature_request", "type: feature": "feature_request",
         "kind/feature": "feature_request", "incident": "incident"}
_IN_PROGRESS = {"in progress", "in-progress", "status: in progress", "status/in-progress", "wip", "doing"}
_PRIORITY_LABEL = re.compile(r"^(?:p[0-4]|priority[:/ -]\s*\S.*|sev[0-4]|severity[:/ -]\s*\S.*)$", re.IGNORECASE)


class GitHubHttp(HttpSource):
    """HttpSource that tells GitHub's rate limits (403/429 with rate-limit headers) from permission errors."""

    fixes = {
        401: "check GITHUB_TOKEN (a fine-grained token with Issues read/write on the repository, or a classic token with repo)",
        403: "give the token Issues (read; write to file escalations) permission on GITHUB_REPOSITORY",
        404: "check GITHUB_REPOSITORY (OWNER/NAME) and GITHUB_API_URL (GitHub Enterprise: https://HOST/api/v3); "
             "a private repository the token cannot see also answers 404",
        422: "a search or issue GitHub could not accept",
    }

    def error_for(self, response: httpx2.Response) -> ConnectorError:
        status = response.status_code
        headers = response.headers
        if status in (403, 429):
            retry_after = parse_retry_after(headers.get("retry-after"))
            if headers.get("x-ratelimit-remaining") == "0" or retry_after is not None or status == 429:
                if retry_after is None:
                    try:
                        retry_after = max(0.0, float(headers.get("x-ratelimit-reset", "")) - time.time())
                    except ValueError:
                        retry_after = None
                wait = f"; retry after {retry_after:.0f}s" if retry_after is not None else ""
                return ConnectorError(SYSTEM, "rate_limited", f"rate limited (HTTP {status}){wait}", status_code=status,
                                      retry_after=retry_after,
                                      fix="wait for the GitHub rate limit to reset; a token (not anonymous access) has a higher limit")
        return super().error_for(response)


def build_query(repo: str, terms: list[str], advanced: bool = False) -> str:
    """The search for issues of `repo` mentioning any of the terms (advanced syntax: the terms grouped)."""
    any_term = " OR ".join(terms[:MAX_TERMS])
    return f"repo:{repo} is:issue " + (f"({any_term})" if advanced else any_term)


def uses_advanced_search(base_url: str) -> bool:
    """github.com and GHE.com (data residency) hosts serve the advanced issue search; Enterprise Server may not."""
    try:
        host = (httpx2.URL(base_url).host or "").lower()
    except Exception:
        return False
    return host == "api.github.com" or host.endswith(".ghe.com")


class GitHubConnector(HttpConnector):
    """GitHub REST API: a repository's issues as TrackerItems; files escalations."""

    name = SYSTEM
    category = CATEGORY

    def __init__(self, base_url: str = DEFAULT_API_URL, *, token: str, repository: str, advanced_search: bool | None = None,
                 **options: Unpack[HttpOptions]):
        if not token:
            raise ConnectorError(SYSTEM, "misconfigured", "no GitHub token given", fix="set GITHUB_TOKEN")
        if not _REPO.match(repository or ""):
            raise ConnectorError(SYSTEM, "misconfigured", "GITHUB_REPOSITORY must be OWNER/NAME",
                                 fix="set GITHUB_REPOSITORY to the repository issues are searched and filed in, e.g. acme/app")
        self.repository = repository
        self._filed_in: list[str] = [repository]  # repositories find_by_marker looks in
        headers = {"Authorization": f"Bearer {token}", "Accept": "application/vnd.github+json",
                   "X-GitHub-Api-Version": API_VERSION}
        self.connect(GitHubHttp, base_url.rstrip("/"), options, headers=headers)
        # None: by host (github.com and GHE.com yes, Enterprise Server no)
        self.advanced_search = uses_advanced_search(self.base_url) if advanced_search is None else advanced_search

    def __repr__(self) -> str:
        return f"GitHubConnector(base_url={self.base_url!r}, repository={self.repository!r})"

    async def check(self) -> None:
        body = await self.http.get_object(f"repos/{self.repository}",
                                          shape_error="unexpected answer from the repository (not an object)",
                                          fix="check GITHUB_API_URL (GitHub Enterprise: https://HOST/api/v3)")
        if body.get("has_issues") is False:
            raise ConnectorError(SYSTEM, "misconfigured", "issues are disabled on this repository",
                                 fix="enable Issues in the repository settings, or set GITHUB_REPOSITORY to another repository")

    # --- reading -----------------------------------------------------------------------------------

    async def search_items(self, query: SearchQuery) -> Page:
        """Issues of the repository mentioning any of the terms, most recently updated first."""
        terms = _fields.terms(query, MAX_TERMS)
        if not terms:
            return Page([])
        page = await self._search(build_query(self.repository, terms, self.advanced_search), limit=query.limit)
        return Page([item for _raw, item in page.items], truncated=page.truncated)

    async def _search(self, q: str, *, limit: int, max_pages: int | None = None) -> Page:
        """Page of (raw issue, TrackerItem) pairs."""
        first: dict[str, Any] = {"q": q, "sort": "updated", "order": "desc", "per_page": min(PAGE_SIZE, limit)}
        if self.advanced_search:
            first["advanced_search"] = "true"

        async def fetch(cursor: Any) -> tuple[list[Any], Any]:
            response = await self.http.request("GET", cursor or "search/issues", params=None if cursor else first)
            body = self.http.decode(response)
            if not isinstance(body, dict) or not isinstance(body.get("items", []), list):
                raise ConnectorError(SYSTEM, "error", "unexpected answer shape from issue search (no items list)")
            raw = body.get("items") or []
            items = [(i, item) for i, item in ((x, self._item(x)) for x in raw) if item is not None]
            return items, self._next(response) if raw else None

        return await self.http.paginate(fetch, limit=limit, max_pages=max_pages)

    def _next(self, response: httpx2.Response) -> str | None:
        """The Link header's rel="next", only when it stays on the configured API host and path."""
        for url, rel in _LINK.findall(response.headers.get("link", "")):
            if "next" not in rel.split():
                continue
            try:
                link, base = httpx2.URL(url), httpx2.URL(self.base_url + "/")
            except Exception:
                return None
            if (link.scheme, link.host, link.port) != (base.scheme, base.host, base.port) or not link.path.startswith(base.path):
                log.info("github: a next-page link pointed away from the configured host; not followed")
                return None
            return str(link)
        return None

    def _item(self, issue: Any) -> TrackerItem | None:
        if not isinstance(issue, dict) or "pull_request" in issue:
            return None
        number = issue.get("number")
        if not isinstance(number, int) or isinstance(number, bool):
            return None
        labels = [str(label.get("name")).strip() for label in issue.get("labels") or []
                  if isinstance(label, dict) and isinstance(label.get("name"), str)]
        lower = [name.lower() for name in labels]
        issue_type = mapping(issue.get("type"))
        kind = _KIND.get(str(issue_type.get("name", "")).lower()) or next((_KIND[n] for n in lower if n in _KIND), "task")
        state = issue.get("state")
        if state == "closed":
            category, status = "done", "closed"
        elif any(n in _IN_PROGRESS for n in lower):
            category, status = "in_progress", "in progress"
        else:
            category, status = "todo", "open"
        priority = next((n for n in labels if _PRIORITY_LABEL.match(n)), None)
        repo = _repo_of(issue) or self.repository
        return TrackerItem(
            id=f"{repo}#{number}",
            kind=kind,
            title=_trackers.text(issue.get("title"), 500) or f"#{number}",
            description=_trackers.text(issue.get("body")),
            status=status,
            status_category=category,
            priority=_trackers.text(priority, 40) or None,
            url=_fields.web_url(issue.get("html_url")),
            created_at=parse_time(issue.get("created_at")),
            updated_at=parse_time(issue.get("updated_at")),
            source=SYSTEM,
        )

    # --- writing -----------------------------------------------------------------------------------

    async def find_by_marker(self, marker: str) -> CreatedItem | None:
        """The issue filed earlier with this marker as its body's last line: search first, then recent issues."""
        marker = _trackers.check_marker(SYSTEM, marker)
        q = " ".join(f"repo:{r}" for r in self._filed_in) + f' is:issue "{marker}" in:body'
        try:
            page = await self._search(q, limit=10, max_pages=1)
        except ConnectorError as exc:
            if exc.kind not in ("rate_limited", "invalid_request"):  # the listing below answers without search
                raise
            log.info("github: marker search unavailable (%s); reading recent issues", exc.kind)
            page = Page([])
        for raw, item in page.items:
            if _trackers.has_marker(raw.get("body"), marker):
                return CreatedItem(id=item.id, url=item.url, system=SYSTEM)
        for repo in self._filed_in:
            body = await self.http.get_json(f"repos/{repo}/issues", params={
                "state": "all", "sort": "created", "direction": "desc", "per_page": MARKER_SCAN})
            if not isinstance(body, list):
                raise ConnectorError(SYSTEM, "error", "unexpected answer shape from the issue list (not a list)")
            for raw in body:
                if isinstance(raw, dict) and _trackers.has_marker(raw.get("body"), marker):
                    item = self._item(raw)
                    if item is not None:
                        return CreatedItem(id=item.id, url=item.url, system=SYSTEM)
        return None

    async def create_issue(
        self, *, title: str, body_markdown: str, marker: str, project: str | None, labels: list[str], priority: str | None
    ) -> CreatedItem:
        """File one issue (never retried automatically: a lost answer is resolved by find_by_marker).

        GitHub has no priority field: the lifecycle's severity label carries it. `project` may name
        another repository (OWNER/NAME)."""
        marker = _trackers.check_marker(SYSTEM, marker)
        repo = (project or "").strip() or self.repository
        if not _REPO.match(repo):
            raise ConnectorError(SYSTEM, "invalid_request", "the GitHub repository must be OWNER/NAME",
                                 fix="name the repository as OWNER/NAME in the policy's tracker (github:OWNER/NAME)")
        if repo not in self._filed_in:
            self._filed_in.append(repo)
        payload = {
            "title": " ".join((title or "").split())[:256] or "Customer escalation",
            "body": _trackers.with_marker(body_markdown, marker),
            "labels": [label for label in dict.fromkeys(str(x).strip()[:50] for x in labels or []) if label],
        }
        response = await self.http.request("POST", f"repos/{repo}/issues", json=payload, retry=False,
                                           ok_statuses=(403, 404, 410, 422))
        status = response.status_code
        if status == 410:
            raise ConnectorError(SYSTEM, "misconfigured", f"issues are disabled on this repository ({repo})", status_code=410,
                                 fix="enable Issues in the repository settings, or file to another repository")
        if status == 404:
            raise ConnectorError(SYSTEM, "not_found", f"repository {repo} not found, or the token cannot see it (HTTP 404)",
                                 status_code=404,
                                 fix="check GITHUB_REPOSITORY / the policy's github:OWNER/NAME and that the token has access")
        if status == 403:
            error = self.http.error_for(response)
            if error.kind == "rate_limited":
                raise error
            raise ConnectorError(SYSTEM, "auth_failed", f"GitHub refused to create an issue in {repo} (HTTP 403)",
                                 status_code=403,
                                 fix="give the token Issues: write on the repository (classic tokens: the repo scope)")
        if status == 422:
            raise _validation_error(response, repo)
        body = self.http.decode(response)
        number = body.get("number") if isinstance(body, dict) else None
        if not isinstance(number, int) or isinstance(number, bool):
            raise ConnectorError(SYSTEM, "error", "GitHub answered the create without an issue number",
                                 fix="look for the issue before filing again: it may have been created")
        return CreatedItem(id=f"{repo}#{number}", url=_fields.web_url(body.get("html_url")), system=SYSTEM)


def _repo_of(issue: Mapping[str, Any]) -> str | None:
    url = issue.get("repository_url")
    if isinstance(url, str):
        parts = url.rstrip("/").split("/")
        if len(parts) >= 2 and _REPO.match(f"{parts[-2]}/{parts[-1]}"):
            return f"{parts[-2]}/{parts[-1]}"
    return None


def _validation_error(response: httpx2.Response, repo: str) -> ConnectorError:
    """invalid_request naming the fields (and their error codes) from GitHub's {"errors": [{"field", "code"}]}."""
    try:
        body = response.json()
    except ValueError:
        body = None
    shown: list[str] = []
    listed = body.get("errors") if isinstance(body, dict) else None
    for error in (listed if isinstance(listed, list) else [])[:10]:
        if not isinstance(error, dict):
            continue
        field, code = error.get("field"), error.get("code")
        if isinstance(field, str) and _FIELD.match(field):
            entry = field + (f" ({code})" if isinstance(code, str) and _CODE.match(code) else "")
            if entry not in shown:
                shown.append(entry)
    message = f"GitHub rejected the new issue in {repo} (HTTP 422)" + (f": {', '.join(shown)}" if shown else "")
    return ConnectorError(SYSTEM, "invalid_request", message, status_code=422,
                          fix="check the title and labels; labels can be set only by tokens with push access")


def from_env(env: Mapping[str, str], settings: HttpSettings) -> GitHubConnector | None:
    token, repo, api = _fields.env_values(env, "GITHUB_TOKEN", "GITHUB_REPOSITORY", "GITHUB_API_URL")
    if not token and not repo:
        return None
    _fields.required(SYSTEM, "GITHUB_TOKEN", token, "set GITHUB_TOKEN (a fine-grained token with Issues read/write on GITHUB_REPOSITORY)")
    _fields.required(SYSTEM, "GITHUB_REPOSITORY", repo,
                     "set GITHUB_REPOSITORY to OWNER/NAME, the repository issues are searched and filed in")
    if not _REPO.match(repo):
        raise ConnectorError(SYSTEM, "misconfigured", "GITHUB_REPOSITORY must be OWNER/NAME",
                             fix="set GITHUB_REPOSITORY to OWNER/NAME, e.g. acme/app")
    url = _trackers.base_url(SYSTEM, api, "GITHUB_API_URL", DEFAULT_API_URL,
                             example="https://api.github.com (GitHub Enterprise: https://HOST/api/v3)")
    return GitHubConnector(url, token=token, repository=repo, settings=settings)
