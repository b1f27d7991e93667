"""Jira (Cloud and Data Center): bugs, feature requests and incidents; where escalations are filed.

Reading
    Cloud (API version 3): POST /rest/api/3/search/jql with a JQL text search, newest update
    first, following `nextPageToken`. Data Center (JIRA_API_VERSION=2): GET /rest/api/2/search
    with startAt/maxResults. Descriptions are Atlassian Document Format (v3) or plain text (v2).
Writing (IssueWriter)
    create_issue sends POST /rest/api/{v}/issue once (never retried automatically) with the
    Markdown body converted to ADF (v3), the idempotency marker as a label, and the priority
    mapped critical->Highest, high->High, medium->Medium. find_by_marker searches
    `labels = "<marker>"`. A 400 naming required or invalid fields becomes invalid_request with
    the field names and, from the create metadata, the values each field accepts.

Authentication: Cloud uses basic auth JIRA_EMAIL:JIRA_API_TOKEN; Data Center uses a personal
access token as a Bearer token (leave JIRA_EMAIL unset).

Environment: JIRA_BASE_URL, JIRA_EMAIL, JIRA_API_TOKEN, JIRA_PROJECT (default project key for
filing), JIRA_API_VERSION ("3" default, "2" for Data Center), JIRA_ISSUE_TYPE (default "Bug").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any, Unpack

import httpx2

from ..models import SearchQuery, TrackerItem
from . import _fields, _trackers
from ._adf import adf_text, markdown_to_adf
from ._fields import mapping
from .base import ConnectorError, CreatedItem, HttpConnector, HttpOptions, HttpSettings, HttpSource, Page, parse_time

log = logging.getLogger("customer_escalation.connectors")

SYSTEM = "jira"
CATEGORY = "tracker"
ENV_VARS = ("JIRA_BASE_URL", "JIRA_EMAIL", "JIRA_API_TOKEN", "JIRA_PROJECT", "JIRA_API_VERSION", "JIRA_ISSUE_TYPE")

FIELDS = ["summary", "status", "priority", "issuetype", "components", "created", "updated", "description"]
PAGE_SIZE = 50
PRIORITY_NAMES = {"critical": "Highest", "high": "High", "medium": "Medium"}

_PROJECT_KEY = re.compile(r"^[A-Z][A-Z0-9_]{0,254}$")
_ISSUE_KEY = re.compile(r"^[A-Z][A-Z0-9_]*-[0-9]+$")
_KIND = {"bug": "bug", "defect": "bug", "story": "feature_request", "new feature": "feature_request",
         "improvement": "feature_request", "epic": "feature_request", "feature": "feature_request",
         "incident": "incident", "post-incident review": "incident"}
_STATUS_CATEGORY = {"new": "todo", "undefined": "todo", "indeterminate": "in_progress", "done": "done"}


class JiraHttp(HttpSource):
    """HttpSource with fixes that name the Jira settings."""

    fixes = {
        401: "check JIRA_EMAIL and JIRA_API_TOKEN (Cloud: an API token from id.atlassian.com with JIRA_EMAIL; "
             "Data Center: a personal access token with JIRA_EMAIL unset)",
        403: "give the Jira account the Browse projects permission on the projects it searches",
        404: "check JIRA_BASE_URL (Cloud: https://SITE.atlassian.net) and JIRA_API_VERSION (2 for Data Center)",
        400: "a search Jira could not run; check JIRA_API_VERSION (2 for Data Center)",
    }


def _jql_string(value: str) -> str:
    """A JQL double-quoted string: quotes and backslashes escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build_jql(terms: list[str]) -> str:
    """Issues whose text mentions any of the terms, most recently updated first.

    One `text ~` clause per term: a multi-word `text ~ "a b"` is an AND search on some Jira versions
    and would drop issues that mention only some of the words.
    """
    return "(" + " OR ".join(f"text ~ {_jql_string(t)}" for t in terms) + ") ORDER BY updated DESC"


# --- connector ------------------------------------------------------------------------------------


class JiraConnector(HttpConnector):
    """Jira REST API v3 (Cloud) or v2 (Data Center): issues as TrackerItems; files escalations."""

    name = SYSTEM
    category = CATEGORY

    def __init__(self, base_url: str, *, api_token: str, email: str | None = None, project: str | None = None,
                 api_version: str = "3", issue_type: str = "Bug", **options: Unpack[HttpOptions]):
        if not api_token:
            raise ConnectorError(SYSTEM, "misconfigured", "no Jira API token given", fix="set JIRA_API_TOKEN")
        if api_version not in ("2", "3"):
            raise ConnectorError(SYSTEM, "misconfigured", "JIRA_API_VERSION must be 2 or 3",
                                 fix="use 3 for Jira Cloud, 2 for Jira Data Center / Server")
        self.project = project.upper() if project else None
        self.api_version = api_version
        self.issue_type = issue_type or "Bug"
        self.connect(JiraHttp, base_url.rstrip("/"), options, **_fields.atlassian_auth(email, api_token))

    def __repr__(self) -> str:
        return f"JiraConnector(base_url={self.base_url!r}, api_version={self.api_version!r})"

    @property
    def api(self) -> str:
        return f"rest/api/{self.api_version}"

    async def check(self) -> None:
        await self.http.get_object(f"{self.api}/myself", shape_error="unexpected answer from /myself (not an object)",
                                   fix="check JIRA_BASE_URL (Cloud: https://SITE.atlassian.net)")

    # --- reading -----------------------------------------------------------------------------------

    async def search_items(self, query: SearchQuery) -> Page:
        """Issues whose text mentions the query's terms, most recently updated first, at most query.limit."""
        terms = _fields.terms(query)
        if not terms:
            return Page([])
        return await self._search(build_jql(terms), limit=query.limit, fields=FIELDS)

    async def _search(self, jql: str, *, limit: int, fields: list[str], max_pages: int | None = None) -> Page:
        size = min(PAGE_SIZE, limit)

        async def fetch_v3(cursor: Any) -> tuple[list[Any], Any]:
            payload: dict[str, Any] = {"jql": jql, "maxResults": size, "fields": fields}
            if cursor:
                payload["nextPageToken"] = cursor
            body = self.http.decode(await self.http.request("POST", f"{self.api}/search/jql", json=payload, retry=True))
            issues = _issues(body)
            token = body.get("nextPageToken")
            more = isinstance(token, str) and token and body.get("isLast") is not True and issues
            return [i for i in (self._item(x) for x in issues) if i is not None], token if more else None

        async def fetch_v2(cursor: Any) -> tuple[list[Any], Any]:
            start = cursor or 0
            body = await self.http.get_json(f"{self.api}/search", params={
                "jql": jql, "startAt": start, "maxResults": size, "fields": ",".join(fields)})
            issues = _issues(body)
            total = body.get("total")
            following = start + len(issues)
            more = bool(issues) and isinstance(total, int) and following < total
            return [i for i in (self._item(x) for x in issues) if i is not None], following if more else None

        return await self.http.paginate(fetch_v3 if self.api_version == "3" else fetch_v2, limit=limit, max_pages=max_pages)

    def _item(self, issue: Any) -> TrackerItem | None:
        if not isinstance(issue, dict):
            return None
        key = _fields.matching(issue.get("key"), _ISSUE_KEY)
        if key is None:
            return None
        fields = mapping(issue.get("fields"))
        summary = _trackers.text(fields.get("summary"), 500) or key
        issuetype = _name(fields.get("issuetype")) or ""
        status = mapping(fields.get("status"))
        category = mapping(status.get("statusCategory"))
        description = fields.get("description")
        components = [c for c in (_name(x) for x in fields.get("components") or [] if isinstance(fields.get("components"), list)) if c]
        return TrackerItem(
            id=key,
            kind=_KIND.get(issuetype.lower(), "task"),
            title=summary,
            description=adf_text(description) if isinstance(description, dict) else _trackers.text(description),
            status=_trackers.text(status.get("name"), 80) or "open",
            status_category=_STATUS_CATEGORY.get(str(category.get("key")), "todo"),
            priority=_trackers.text(_name(fields.get("priority")), 40) or None,
            team=_trackers.text(components[0], 80) if components else None,
            url=f"{self.base_url}/browse/{key}",
            created_at=parse_time(fields.get("created")),
            updated_at=parse_time(fields.get("updated")),
            source=SYSTEM,
        )

    # --- writing -----------------------------------------------------------------------------------

    async def find_by_marker(self, marker: str) -> CreatedItem | None:
        """The issue filed earlier with this marker as a label, if any."""
        marker = _trackers.check_marker(SYSTEM, marker)
        page = await self._search(f"labels = {_jql_string(marker)} ORDER BY created ASC", limit=1, fields=["summary"],
                                  max_pages=1)
        for item in page.items:
            return CreatedItem(id=item.id, url=item.url, system=SYSTEM)
        return None

    async def create_issue(
        self, *, title: str, body_markdown: str, marker: str, project: str | None, labels: list[str], priority: str | None
    ) -> CreatedItem:
        """File one issue (never retried automatically: a lost answer is resolved by find_by_marker)."""
        marker = _trackers.check_marker(SYSTEM, marker)
        key = (project or self.project or "").strip().upper()
        if not key:
            raise ConnectorError(SYSTEM, "misconfigured", "no Jira project to file the issue in",
                                 fix="set JIRA_PROJECT, or name the project in the policy's tracker (jira:KEY)")
        if not _PROJECT_KEY.match(key):
            raise ConnectorError(SYSTEM, "invalid_request", "the Jira project must be a project key like ENG",
                                 fix="use the project key shown in the project's issue keys (ENG-123 -> ENG)")
        fields: dict[str, Any] = {
            "project": {"key": key},
            "summary": " ".join((title or "").split())[:254] or "Customer escalation",
            "issuetype": {"name": self.issue_type},
            "description": markdown_to_adf(body_markdown) if self.api_version == "3" else (body_markdown or ""),
            "labels": _labels(labels, marker),
        }
        if priority:
            if priority not in PRIORITY_NAMES:
                raise ConnectorError(SYSTEM, "invalid_request", "priority must be critical, high or medium",
                                     valid_values={"priority": list(PRIORITY_NAMES)})
            fields["priority"] = {"name": PRIORITY_NAMES[priority]}
        response = await self.http.request("POST", f"{self.api}/issue", json={"fields": fields}, retry=False,
                                           ok_statuses=(400, 403))
        if response.status_code == 400 and "priority" in fields and set(_field_errors(response)) == {"priority"}:
            # the project's create screen has no priority field (or other names): nothing was created, file without it
            log.info("jira: project %s rejected the priority field; filing without it", key)
            del fields["priority"]
            response = await self.http.request("POST", f"{self.api}/issue", json={"fields": fields}, retry=False,
                                               ok_statuses=(400, 403))
        if response.status_code == 403:
            raise ConnectorError(SYSTEM, "auth_failed",
                                 f"Jira refused to create an issue in project {key} (HTTP 403): the account lacks a permission",
                                 status_code=403,
                                 fix=f"grant the Jira account 'Browse projects' and 'Create issues' in project {key}, "
                                     "or file to another project (JIRA_PROJECT or the policy's jira:KEY)")
        if response.status_code == 400:
            raise await self._rejected(response, key)
        body = self.http.decode(response)
        issue_key = body.get("key") if isinstance(body, dict) else None
        if not isinstance(issue_key, str) or not _ISSUE_KEY.match(issue_key):
            raise ConnectorError(SYSTEM, "error", "Jira answered the create without an issue key",
                                 fix="look for the issue before filing again: it may have been created")
        return CreatedItem(id=issue_key, url=f"{self.base_url}/browse/{issue_key}", system=SYSTEM)

    async def _rejected(self, response: httpx2.Response, project: str) -> ConnectorError:
        """invalid_request naming the fields Jira rejected, with the values they accept (from the create metadata)."""
        fields = _field_errors(response)
        valid: dict[str, list[str]] = {}
        names: dict[str, str] = {}
        if fields:
            try:
                names, valid = await self._allowed_values(project, set(fields))
            except ConnectorError as exc:  # the metadata is a help, not a requirement
                log.info("jira: create metadata unavailable (%s)", exc.kind)
        if fields:
            shown = ", ".join(f"{f} ({names[f]})" if names.get(f) and names[f] != f else f for f in fields)
            message = f"Jira rejected the new issue in project {project} (HTTP 400): fields needing a value or a valid one: {shown}"
            fix = ("give these fields a default in the project, make them optional for this issue type, "
                   "or file to another project" + ("; accepted values are listed" if valid else ""))
        else:
            message = f"Jira rejected the new issue in project {project} (HTTP 400)"
            fix = "check the project key, JIRA_ISSUE_TYPE and that the account can create issues there"
        return ConnectorError(SYSTEM, "invalid_request", message, status_code=400, fix=fix, valid_values=valid)

    async def _allowed_values(self, project: str, wanted: set[str]) -> tuple[dict[str, str], dict[str, list[str]]]:
        body = await self.http.get_json(f"{self.api}/issue/createmeta/{project}/issuetypes")
        types = _list(body, "issueTypes", "createMetaIssueType", "values")  # Cloud (or createMetaIssueType), Data Center
        type_names = [n for n in (_trackers.safe_name(t.get("name")) for t in types if isinstance(t, dict)) if n]
        valid: dict[str, list[str]] = {}
        names: dict[str, str] = {}
        if "issuetype" in wanted and type_names:
            valid["issuetype"] = type_names
        chosen = next((t for t in types if isinstance(t, dict) and str(t.get("name", "")).lower() == self.issue_type.lower()), None)
        type_id = _trackers.safe_id(str(chosen.get("id"))) if chosen else None
        if type_id is None:
            return names, valid
        body = await self.http.get_json(f"{self.api}/issue/createmeta/{project}/issuetypes/{type_id}")
        for meta in _list(body, "fields", "results", "values"):  # Cloud (fields, or results), Data Center (values)
            if not isinstance(meta, dict):
                continue
            field_id = meta.get("fieldId") or meta.get("key")
            if field_id not in wanted:
                continue
            name = _trackers.safe_name(meta.get("name"))
            if name:
                names[field_id] = name
            allowed = meta.get("allowedValues")
            if isinstance(allowed, list):
                values = []
                for value in allowed[:100]:
                    if isinstance(value, dict):
                        shown = _trackers.safe_name(value.get("name") or value.get("value") or value.get("key"))
                        if shown and shown not in values:
                            values.append(shown)
                if values:
                    valid[field_id] = values
        return names, valid


def _issues(body: Any) -> list[Any]:
    if not isinstance(body, dict) or not isinstance(body.get("issues", []), list):
        raise ConnectorError(SYSTEM, "error", "unexpected answer shape from issue search (no issues list)")
    return body.get("issues") or []


def _list(body: Any, *keys: str) -> list[Any]:
    if isinstance(body, dict):
        for key in keys:
            if isinstance(body.get(key), list):
                return body[key]
    return body if isinstance(body, list) else []


def _name(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return value["name"]
    return None


def _field_errors(response: httpx2.Response) -> list[str]:
    """Field ids from Jira's {"errorMessages": [...], "errors": {"field": "text"}} (ids only: the texts are not shown)."""
    try:
        body = response.json()
    except ValueError:
        return []
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, dict):
        return []
    return [f for f in (_trackers.safe_id(k) for k in list(errors)[:20]) if f]


def _labels(labels: list[str], marker: str) -> list[str]:
    """Jira labels cannot contain spaces; the marker is always one of them."""
    out: list[str] = []
    for label in [*(labels or []), marker]:
        label = re.sub(r"\s+", "-", str(label).strip())[:255]
        if label and label not in out:
            out.append(label)
    return out


def from_env(env: Mapping[str, str], settings: HttpSettings) -> JiraConnector | None:
    base, email, token = _fields.env_values(env, "JIRA_BASE_URL", "JIRA_EMAIL", "JIRA_API_TOKEN")
    if not (base or email or token):
        return None
    _fields.required(SYSTEM, "JIRA_API_TOKEN", token,
                     "set JIRA_API_TOKEN (Cloud: an API token with JIRA_EMAIL; Data Center: a personal access token)")
    _fields.required(SYSTEM, "JIRA_BASE_URL", base,
                     "set JIRA_BASE_URL, e.g. https://SITE.atlassian.net (Cloud) or https://jira.example.com")
    version = (env.get("JIRA_API_VERSION") or "3").strip()
    if version not in ("2", "3"):
        raise ConnectorError(SYSTEM, "misconfigured", "JIRA_API_VERSION must be 2 or 3",
                             fix="use 3 for Jira Cloud (the default), 2 for Jira Data Center / Server")
    project = (env.get("JIRA_PROJECT") or "").strip().upper()
    if project and not _PROJECT_KEY.match(project):
        raise ConnectorError(SYSTEM, "misconfigured", "JIRA_PROJECT must be a project key like ENG",
                             fix="use the project key shown in the project's issue keys (ENG-123 -> ENG)")
    issue_type = " ".join((env.get("JIRA_ISSUE_TYPE") or "Bug").split())
    if not _trackers.safe_name(issue_type):
        raise ConnectorError(SYSTEM, "misconfigured", "JIRA_ISSUE_TYPE is not an issue type name",
                             fix="use an issue type name of the project, e.g. Bug or Task")
    url = _trackers.base_url(SYSTEM, base, "JIRA_BASE_URL", example="https://SITE.atlassian.net")
    return JiraConnector(url, api_token=token, email=email or None, project=project or None, api_version=version,
                         issue_type=issue_type, settings=settings)
