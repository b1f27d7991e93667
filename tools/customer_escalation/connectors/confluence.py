"""Confluence (Cloud and Data Center): known issues, documented workarounds, how-tos, limitations.

Search is CQL over the REST API (GET /rest/api/content/search), pages only, optionally
restricted to CONFLUENCE_SPACES, newest first, with the storage-format body expanded so the
plain text, the article kind (labels, then title) and a "Workaround" section can be read.
Pagination follows `_links.next` (Cloud: a cursor; Data Center: start/limit): only its query
parameters are used, against the configured base URL, so a link cannot send credentials to
another host. Links to pages are `_links.base` + the page's `_links.webui`.

Authentication: Cloud uses basic auth with CONFLUENCE_EMAIL and an API token; Data Center uses
a personal access token as a Bearer token (leave CONFLUENCE_EMAIL unset).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Unpack
from urllib.parse import parse_qsl, urlsplit

import httpx2

from ..models import KBArticle, SearchQuery
from . import _fields, _kb_text
from ._fields import mapping
from .base import ConnectorError, HttpConnector, HttpOptions, HttpSettings, HttpSource, Page, parse_time

SYSTEM = "confluence"
CATEGORY = "knowledge_base"
ENV_VARS = ("CONFLUENCE_BASE_URL", "CONFLUENCE_EMAIL", "CONFLUENCE_API_TOKEN", "CONFLUENCE_SPACES")

SEARCH_PATH = "rest/api/content/search"
EXPAND = "body.storage,version,metadata.labels"
PAGE_SIZE = 25  # results per request; Confluence caps requests that expand the body

_SPACE_KEY = re.compile(r"^~?[A-Za-z0-9_-]{1,255}$")
_NEXT_PARAMS = {"cql", "cursor", "start", "limit", "expand", "next", "prev", "cqlcontext"}


class ConfluenceHttp(HttpSource):
    """HttpSource with fixes that name the Confluence settings."""

    fixes = {
        401: "check CONFLUENCE_EMAIL and CONFLUENCE_API_TOKEN (Cloud: an API token from id.atlassian.com; "
             "Data Center: a personal access token with CONFLUENCE_EMAIL unset)",
        403: "give the Confluence account read access to the knowledge-base spaces",
        404: "check CONFLUENCE_BASE_URL (Cloud: https://SITE.atlassian.net/wiki) and CONFLUENCE_SPACES",
        400: "a search term Confluence could not parse; CONFLUENCE_SPACES may name a space that does not exist",
    }


def _cql_string(value: str) -> str:
    """A CQL double-quoted string; terms are word characters already, quotes/backslashes escaped anyway."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build_cql(terms: list[str], spaces: tuple[str, ...]) -> str:
    text = " OR ".join(f"text ~ {_cql_string(t)}" for t in terms)
    cql = f"type = page AND ({text})"
    if spaces:
        cql += f" AND space in ({', '.join(_cql_string(s) for s in spaces)})"
    return cql + " ORDER BY lastmodified DESC"


class ConfluenceConnector(HttpConnector):
    """Confluence REST API (v1 content search): pages as KBArticles."""

    name = SYSTEM
    category = CATEGORY

    def __init__(self, base_url: str, *, api_token: str, email: str | None = None, spaces: tuple[str, ...] | list[str] = (),
                 **options: Unpack[HttpOptions]):
        if not api_token:
            raise ConnectorError(SYSTEM, "misconfigured", "no Confluence API token given", fix="set CONFLUENCE_API_TOKEN")
        self.spaces = tuple(spaces)
        self.connect(ConfluenceHttp, base_url.rstrip("/"), options, **_fields.atlassian_auth(email, api_token))

    async def check(self) -> None:
        await self.http.get_object("rest/api/space", params={"limit": 1},
                                   shape_error="unexpected answer from the space list (not an object)",
                                   fix="check CONFLUENCE_BASE_URL (Cloud: https://SITE.atlassian.net/wiki)")

    async def search_articles(self, query: SearchQuery) -> Page:
        """Pages matching any of the query's terms, newest first, at most query.limit."""
        terms = _fields.terms(query, 8)
        if not terms:
            return Page([])
        first = {"cql": build_cql(terms, self.spaces), "limit": min(PAGE_SIZE, query.limit), "expand": EXPAND}
        web_base: list[str] = []

        async def fetch(cursor: Any) -> tuple[list[KBArticle], Any]:
            body = await self.http.get_json(SEARCH_PATH, params=cursor or first)
            if not isinstance(body, dict) or not isinstance(body.get("results", []), list):
                raise ConnectorError(SYSTEM, "error", "unexpected answer shape from content search (no results list)")
            links = mapping(body.get("_links"))
            if not web_base:
                base = links.get("base")
                web_base.append(base.rstrip("/") if isinstance(base, str) and base.startswith(("https://", "http://"))
                                else self.base_url)
            items = [a for a in (self._article(r, web_base[0]) for r in body.get("results") or []) if a is not None]
            return items, _next_params(links.get("next"), body, first)

        return await self.http.paginate(fetch, limit=query.limit)

    @staticmethod
    def _article(result: Any, web_base: str) -> KBArticle | None:
        if not isinstance(result, dict):
            return None
        page_id, title = result.get("id"), result.get("title")
        if not isinstance(page_id, (str, int)) or not isinstance(title, str):
            return None
        body = mapping(result.get("body"))
        xhtml = ""
        for representation in ("storage", "view"):
            value = body.get(representation)
            if isinstance(value, dict) and isinstance(value.get("value"), str):
                xhtml = value["value"]
                break
        blocks = _kb_text.storage_blocks(xhtml)
        labels = _labels(result)
        kind = _kb_text.detect_kind(title, labels)
        links = mapping(result.get("_links"))
        webui = links.get("webui")
        url = f"{web_base}{webui}" if isinstance(webui, str) and webui.startswith("/") else None
        version = mapping(result.get("version"))
        history = mapping(result.get("history"))
        last = mapping(history.get("lastUpdated"))
        return KBArticle(
            id=str(page_id),
            title=_kb_text.clean(title) or f"page {page_id}",
            body=_kb_text.plain_text(blocks),
            kind=kind,
            workaround=_kb_text.workaround(blocks, kind),
            url=url,
            updated_at=parse_time(version.get("when")) or parse_time(last.get("when")),
            source=SYSTEM,
        )


def _labels(result: Mapping[str, Any]) -> list[str]:
    metadata = mapping(result.get("metadata"))
    labels = mapping(metadata.get("labels"))
    names = []
    for label in labels.get("results") or []:
        if isinstance(label, dict) and isinstance(label.get("name"), str):
            names.append(label["name"])
    return names


def _next_params(link: Any, body: Mapping[str, Any], first: Mapping[str, Any]) -> dict[str, str] | None:
    """The next request's query parameters, read from `_links.next` (path ignored; same endpoint)."""
    if not isinstance(link, str) or not link:
        return None
    try:
        pairs = parse_qsl(urlsplit(link).query, keep_blank_values=True)
    except ValueError:
        return None
    params = {k: v for k, v in pairs if k in _NEXT_PARAMS}
    if not params.get("cursor") and not params.get("start"):
        return None  # a link without a position would repeat the same page
    params.setdefault("cql", str(first["cql"]))
    params.setdefault("expand", str(first["expand"]))
    params.setdefault("limit", str(first["limit"]))
    return params


def _base_url(value: str) -> str:
    url = _fields.base_url(SYSTEM, value, "CONFLUENCE_BASE_URL",
                           fix="set CONFLUENCE_BASE_URL, e.g. https://SITE.atlassian.net/wiki (Cloud) "
                               "or https://confluence.example.com (Data Center)")
    parsed = httpx2.URL(url)
    if parsed.host.endswith(".atlassian.net") and parsed.path in ("", "/"):
        url += "/wiki"  # Cloud serves Confluence under /wiki
    return url


def from_env(env: Mapping[str, str], settings: HttpSettings) -> ConfluenceConnector | None:
    base, email, token = _fields.env_values(env, "CONFLUENCE_BASE_URL", "CONFLUENCE_EMAIL", "CONFLUENCE_API_TOKEN")
    if not (base or email or token):
        return None
    _fields.required(SYSTEM, "CONFLUENCE_API_TOKEN", token, "set CONFLUENCE_API_TOKEN (Cloud: an API token with "
                     "CONFLUENCE_EMAIL; Data Center: a personal access token)")
    _fields.required(SYSTEM, "CONFLUENCE_BASE_URL", base, "set CONFLUENCE_BASE_URL, e.g. https://SITE.atlassian.net/wiki")
    spaces = tuple(s.strip() for s in (env.get("CONFLUENCE_SPACES") or "").split(",") if s.strip())
    if any(not _SPACE_KEY.match(s) for s in spaces):
        raise ConnectorError(SYSTEM, "misconfigured", "CONFLUENCE_SPACES must list space keys (like KB, SUPPORT)",
                             fix="use comma-separated space keys, as shown in the space's URL")
    return ConfluenceConnector(_base_url(base), api_token=token, email=email or None, spaces=spaces, settings=settings)
