"""Linear: issues (bugs, feature requests) over the GraphQL API; where escalations are filed.

Reading
    `issues(filter: {or: [title/description containsIgnoreCase term, ...]}, orderBy: updatedAt)`,
    following pageInfo.endCursor. state.type gives the status category (triage/backlog/unstarted
    -> todo, started -> in_progress, completed/canceled -> done); a Bug or Feature label the kind.
Writing (IssueWriter)
    issueCreate(input: {teamId, title, description, priority}) sent once (never retried
    automatically). The team is LINEAR_TEAM or the policy's `linear:KEY`, a team key resolved to
    its id with teams(filter: {key: {eq: KEY}}) (an id is used as it is). The idempotency marker
    is the description's last line, `Escalation-Key: <marker>`; find_by_marker searches
    `issues(filter: {description: {contains: ...}})` for it.

Errors come as {"errors": [{"message", "extensions": {"code"}}]} with HTTP 200 or 400. Only the
code is shown, after validation (^[A-Z_]+$): RATELIMITED -> rate_limited (retried for reads, after
X-RateLimit-Requests-Reset), AUTHENTICATION_ERROR/FORBIDDEN -> auth_failed, others -> error.

Authentication: a personal API key (lin_api_...) is sent as `Authorization: <key>`; an OAuth
access token as `Authorization: Bearer <token>`.

Environment: LINEAR_API_KEY, LINEAR_BASE_URL (default https://api.linear.app; requests go to
{base}/graphql), LINEAR_TEAM (team key or id to file into).
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from typing import Any, Unpack


from ..models import SearchQuery, TrackerItem
from . import _fields, _trackers
from ._fields import mapping
from .base import ConnectorError, CreatedItem, HttpConnector, HttpOptions, HttpSettings, HttpSource, Page, parse_time

SYSTEM = "linear"
CATEGORY = "tracker"
ENV_VARS = ("LINEAR_API_KEY", "LINEAR_BASE_URL", "LINEAR_TEAM")
DEFAULT_BASE_URL = "https://api.linear.app"

PAGE_SIZE = 50
PRIORITY_VALUES = {"critical": 1, "high": 2, "medium": 3}  # Linear: 1 Urgent, 2 High, 3 Medium, 4 Low, 0 none

_CODE = re.compile(r"^[A-Z_]{1,60}$")
_TEAM_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_IDENTIFIER = re.compile(r"^[A-Za-z0-9_]{1,20}-[0-9]{1,9}$")
_STATE = {"triage": "todo", "backlog": "todo", "unstarted": "todo", "started": "in_progress",
          "completed": "done", "canceled": "done", "cancelled": "done"}
_KIND = {"bug": "bug", "defect": "bug", "feature": "feature_request", "feature request": "feature_request",
         "improvement": "feature_request", "incident": "incident"}

ISSUE_FIELDS = """id identifier title description url priorityLabel createdAt updatedAt
      state { name type } team { key name } labels { nodes { name } }"""

SEARCH = """query Search($filter: IssueFilter, $first: Int!, $after: String) {
  issues(filter: $filter, first: $first, after: $after, orderBy: updatedAt) {
    nodes { %s }
    pageInfo { hasNextPage endCursor }
  }
}""" % ISSUE_FIELDS

FIND = """query FindByMarker($filter: IssueFilter) {
  issues(filter: $filter, first: 10) { nodes { id identifier url description } }
}"""

TEAMS = """query Teams($filter: TeamFilter) { teams(filter: $filter, first: 50) { nodes { id key name } } }"""

CREATE = """mutation Create($input: IssueCreateInput!) {
  issueCreate(input: $input) { success issue { id identifier url } }
}"""

VIEWER = "query Viewer { viewer { id } }"


class LinearHttp(HttpSource):
    fixes = {
        401: "check LINEAR_API_KEY (Settings > Security & access > Personal API keys)",
        403: "give the Linear key access to the teams it reads and files into",
        404: "check LINEAR_BASE_URL (default https://api.linear.app)",
    }


def _retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds until Linear's request budget resets (X-RateLimit-Requests-Reset: epoch milliseconds)."""
    value = headers.get("X-RateLimit-Requests-Reset") or headers.get("Retry-After")
    if not value:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    if number > 1e11:  # an epoch in milliseconds
        return max(0.0, number / 1000.0 - time.time())
    return max(0.0, number)


def _graphql_error(errors: Any, status: int, headers: Mapping[str, str]) -> ConnectorError:
    codes: list[str] = []
    for error in errors if isinstance(errors, list) else []:
        extensions = error.get("extensions") if isinstance(error, dict) else None
        code = extensions.get("code") if isinstance(extensions, dict) else None
        if isinstance(code, str) and _CODE.match(code) and code not in codes:
            codes.append(code)
    shown = ", ".join(codes[:3]) or "no code"
    if "RATELIMITED" in codes:
        wait = _retry_after(headers)
        return ConnectorError(SYSTEM, "rate_limited", "rate limited (RATELIMITED)" + (f"; retry after {wait:.0f}s" if wait else ""),
                              status_code=status, retry_after=wait, fix="wait for Linear's hourly request budget to reset")
    if "AUTHENTICATION_ERROR" in codes:
        return ConnectorError(SYSTEM, "auth_failed", "credentials were rejected (AUTHENTICATION_ERROR)", status_code=status,
                              fix="check LINEAR_API_KEY (a personal API key lin_api_... or an OAuth access token)")
    if "FORBIDDEN" in codes:
        return ConnectorError(SYSTEM, "auth_failed", "access denied (FORBIDDEN)", status_code=status,
                              fix="give the Linear key access to the team (a member of the team, or a key with write access)")
    if any(c in codes for c in ("INVALID_INPUT", "BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED")):
        return ConnectorError(SYSTEM, "invalid_request", f"Linear rejected the request ({shown})", status_code=status,
                              fix="check LINEAR_TEAM and the issue fields")
    return ConnectorError(SYSTEM, "error", f"Linear answered with an error ({shown})", status_code=status)


class LinearConnector(HttpConnector):
    """Linear GraphQL API: issues as TrackerItems; files escalations."""

    name = SYSTEM
    category = CATEGORY

    def __init__(self, base_url: str = DEFAULT_BASE_URL, *, api_key: str, team: str | None = None,
                 **options: Unpack[HttpOptions]):
        if not api_key:
            raise ConnectorError(SYSTEM, "misconfigured", "no Linear API key given", fix="set LINEAR_API_KEY")
        self.team = team or None
        self._team_ids: dict[str, str] = {}
        authorization = api_key if api_key.startswith("lin_api_") else f"Bearer {api_key}"
        self.connect(LinearHttp, base_url.rstrip("/"), options, headers={"Authorization": authorization})

    async def _graphql(self, query: str, variables: Mapping[str, Any] | None = None, *, read: bool = True) -> dict:
        """One GraphQL call; reads are retried on RATELIMITED and 429/5xx, writes never."""
        attempts = 1 + (self.http.settings.max_retries if read else 0)
        for attempt in range(attempts):
            response = await self.http.request("POST", "graphql", json={"query": query, "variables": dict(variables or {})},
                                               retry=read, ok_statuses=(400,))
            try:
                body = response.json()
            except ValueError:
                if response.status_code == 400:
                    raise ConnectorError(SYSTEM, "invalid_request", "request rejected (HTTP 400)", status_code=400) from None
                raise ConnectorError(SYSTEM, "error", f"malformed JSON in the answer (HTTP {response.status_code})") from None
            if not isinstance(body, dict):
                raise ConnectorError(SYSTEM, "error", "unexpected answer shape (not a GraphQL response)")
            if body.get("errors"):
                error = _graphql_error(body["errors"], response.status_code, response.headers)
                if error.kind == "rate_limited" and attempt + 1 < attempts:
                    await self.http.sleep(self.http._backoff(attempt, error.retry_after))
                    continue
                raise error
            if response.status_code == 400:
                raise ConnectorError(SYSTEM, "invalid_request", "request rejected (HTTP 400)", status_code=400)
            data = body.get("data")
            if not isinstance(data, dict):
                raise ConnectorError(SYSTEM, "error", "unexpected answer shape (no data)")
            return data
        raise AssertionError("unreachable")

    async def check(self) -> None:
        data = await self._graphql(VIEWER)
        if not isinstance(data.get("viewer"), dict):
            raise ConnectorError(SYSTEM, "error", "unexpected answer from viewer (no user)", fix="check LINEAR_BASE_URL")

    # --- reading -----------------------------------------------------------------------------------

    async def search_items(self, query: SearchQuery) -> Page:
        """Issues whose title or description mentions any of the terms, most recently updated first."""
        terms = _fields.terms(query)
        if not terms:
            return Page([])
        clauses: list[dict] = []
        for term in terms:
            clauses += [{"title": {"containsIgnoreCase": term}}, {"description": {"containsIgnoreCase": term}}]
        size = min(PAGE_SIZE, query.limit)

        async def fetch(cursor: Any) -> tuple[list[TrackerItem], Any]:
            data = await self._graphql(SEARCH, {"filter": {"or": clauses}, "first": size, "after": cursor})
            nodes, page_info = _connection(data.get("issues"))
            items = [i for i in (_item(n) for n in nodes) if i is not None]
            end = page_info.get("endCursor")
            more = page_info.get("hasNextPage") is True and isinstance(end, str) and end and nodes
            return items, end if more else None

        return await self.http.paginate(fetch, limit=query.limit)

    # --- writing -----------------------------------------------------------------------------------

    async def find_by_marker(self, marker: str) -> CreatedItem | None:
        """The issue filed earlier with this marker as its description's last line, if any."""
        marker = _trackers.check_marker(SYSTEM, marker)
        line = f"{_trackers.MARKER_LINE}: {marker}"
        data = await self._graphql(FIND, {"filter": {"description": {"contains": line}}})
        nodes, _ = _connection(data.get("issues"))
        for node in nodes:
            if isinstance(node, dict) and _trackers.has_marker(node.get("description"), marker):
                created = _created(node)
                if created:
                    return created
        return None

    async def create_issue(
        self, *, title: str, body_markdown: str, marker: str, project: str | None, labels: list[str], priority: str | None
    ) -> CreatedItem:
        """File one issue (never retried automatically: a lost answer is resolved by find_by_marker).

        Linear labels are ids chosen per workspace, so `labels` are not sent; the marker is in the description."""
        marker = _trackers.check_marker(SYSTEM, marker)
        team_id = await self._team_id((project or self.team or "").strip())
        payload: dict[str, Any] = {
            "teamId": team_id,
            "title": " ".join((title or "").split())[:255] or "Customer escalation",
            "description": _trackers.with_marker(body_markdown, marker),
        }
        if priority:
            if priority not in PRIORITY_VALUES:
                raise ConnectorError(SYSTEM, "invalid_request", "priority must be critical, high or medium",
                                     valid_values={"priority": list(PRIORITY_VALUES)})
            payload["priority"] = PRIORITY_VALUES[priority]
        data = await self._graphql(CREATE, {"input": payload}, read=False)
        result = mapping(data.get("issueCreate"))
        created = _created(result.get("issue")) if result.get("success") is True else None
        if created is None:
            raise ConnectorError(SYSTEM, "error", "Linear answered the create without an issue",
                                 fix="look for the issue before filing again: it may have been created")
        return created

    async def _team_id(self, team: str) -> str:
        if not team:
            raise ConnectorError(SYSTEM, "misconfigured", "no Linear team to file the issue in",
                                 fix="set LINEAR_TEAM (a team key like ENG), or name it in the policy's tracker (linear:ENG)")
        if _UUID.match(team):
            return team
        if not _TEAM_KEY.match(team):
            raise ConnectorError(SYSTEM, "invalid_request", "the Linear team must be a team key like ENG or a team id",
                                 fix="use the team key shown in the team's issue identifiers (ENG-123 -> ENG)")
        key = team.upper()
        if key not in self._team_ids:
            data = await self._graphql(TEAMS, {"filter": {"key": {"eq": key}}})
            nodes, _ = _connection(data.get("teams"))
            found = next((n for n in nodes if isinstance(n, dict) and str(n.get("key", "")).upper() == key
                          and isinstance(n.get("id"), str) and _trackers.safe_id(n["id"])), None)
            if found is None:
                data = await self._graphql(TEAMS, {})
                nodes, _ = _connection(data.get("teams"))
                keys = [k for k in (_trackers.safe_id(n.get("key")) for n in nodes if isinstance(n, dict)) if k]
                raise ConnectorError(SYSTEM, "invalid_request", f"no Linear team with key {key} is visible to the API key",
                                     fix="set LINEAR_TEAM (or the policy's linear:KEY) to one of the listed team keys",
                                     valid_values={"team": keys} if keys else None)
            self._team_ids[key] = found["id"]
        return self._team_ids[key]


def _connection(value: Any) -> tuple[list[Any], dict]:
    if not isinstance(value, dict) or not isinstance(value.get("nodes"), list):
        raise ConnectorError(SYSTEM, "error", "unexpected answer shape (no nodes list)")
    page_info = mapping(value.get("pageInfo"))
    return value["nodes"], page_info


def _identifier(node: Any) -> str | None:
    """An issue's identifier (ENG-12) when the node is an issue with one."""
    return _fields.matching(node.get("identifier"), _IDENTIFIER) if isinstance(node, dict) else None


def _created(node: Any) -> CreatedItem | None:
    identifier = _identifier(node)
    return CreatedItem(id=identifier, url=_fields.web_url(node.get("url")), system=SYSTEM) if identifier else None


def _item(node: Any) -> TrackerItem | None:
    identifier = _identifier(node)
    if identifier is None:
        return None
    state = mapping(node.get("state"))
    team = mapping(node.get("team"))
    labels = mapping(node.get("labels"))
    names = [str(label.get("name", "")).strip().lower() for label in labels.get("nodes") or [] if isinstance(label, dict)]
    kind = next((_KIND[n] for n in names if n in _KIND), "task")
    priority = node.get("priorityLabel")
    return TrackerItem(
        id=identifier,
        kind=kind,
        title=_trackers.text(node.get("title"), 500) or identifier,
        description=_trackers.text(node.get("description")),
        status=_trackers.text(state.get("name"), 80) or "open",
        status_category=_STATE.get(str(state.get("type")), "todo"),
        priority=_trackers.text(priority, 40) if priority and priority != "No priority" else None,
        team=_trackers.text(team.get("name") or team.get("key"), 80) or None,
        url=_fields.web_url(node.get("url")),
        created_at=parse_time(node.get("createdAt")),
        updated_at=parse_time(node.get("updatedAt")),
        source=SYSTEM,
    )


def from_env(env: Mapping[str, str], settings: HttpSettings) -> LinearConnector | None:
    key = (env.get("LINEAR_API_KEY") or "").strip()
    base = (env.get("LINEAR_BASE_URL") or "").strip()
    team = (env.get("LINEAR_TEAM") or "").strip()
    if not key:
        if base or team:
            raise ConnectorError(SYSTEM, "misconfigured", "LINEAR_API_KEY is not set",
                                 fix="set LINEAR_API_KEY (Settings > Security & access > Personal API keys)")
        return None
    if team and not (_UUID.match(team) or _TEAM_KEY.match(team)):
        raise ConnectorError(SYSTEM, "misconfigured", "LINEAR_TEAM must be a team key like ENG or a team id",
                             fix="use the team key shown in the team's issue identifiers (ENG-123 -> ENG)")
    url = _trackers.base_url(SYSTEM, base, "LINEAR_BASE_URL", DEFAULT_BASE_URL)
    return LinearConnector(url, api_key=key, team=team or None, settings=settings)
