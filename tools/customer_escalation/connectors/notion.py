"""Notion: knowledge-base pages shared with an internal integration.

Search is POST /v1/search (title search) filtered to pages, newest edit first, following
`has_more` / `next_cursor`. Notion matches the query against titles, so when all terms
together match nothing the search is repeated with the leading terms alone. The content of the
top few results is read from GET /v1/blocks/{id}/children (paginated); a toggle, callout or
toggleable heading titled "Workaround" is opened to read the workaround inside it. Kind comes
from select / multi-select / status property values (like labels), then the title.

Every request carries `Notion-Version: 2026-03-11`. Errors are Notion's error object
({"object": "error", "status", "code", "message"}); only the `code`, a closed vocabulary, is shown.

Environment: NOTION_TOKEN (an internal integration secret), NOTION_BASE_URL
(default https://api.notion.com/v1).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping
from typing import Any, Unpack

import httpx2

from ..models import KBArticle, SearchQuery
from . import _fields, _kb_text
from ._fields import mapping
from .base import ConnectorError, HttpConnector, HttpOptions, HttpSettings, HttpSource, Page, answer_json, parse_time

SYSTEM = "notion"
CATEGORY = "knowledge_base"
ENV_VARS = ("NOTION_TOKEN", "NOTION_BASE_URL")
DEFAULT_BASE_URL = "https://api.notion.com/v1"
NOTION_VERSION = "2026-03-11"

log = logging.getLogger("customer_escalation.connectors.notion")

_ID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$")
_WORKAROUND = re.compile(r"\bwork[\s-]?arounds?\b", re.IGNORECASE)

_CODES = {
    "invalid_json", "invalid_request_url", "invalid_request", "invalid_grant", "validation_error", "missing_version",
    "unauthorized", "restricted_resource", "object_not_found", "conflict_error", "rate_limited",
    "internal_server_error", "bad_gateway", "service_unavailable", "database_connection_unavailable", "gateway_timeout",
}
_FIXES = {
    "unauthorized": "check NOTION_TOKEN: the internal integration secret from the integration's settings",
    "restricted_resource": "give the integration the 'Read content' capability in its settings",
    "object_not_found": "share the knowledge-base pages with the integration (page menu > Connections)",
    "missing_version": "a request went out without the Notion-Version header; report it",
}


class NotionHttp(HttpSource):
    """HttpSource that reads Notion's error object (the `code` only) for a precise reason and fix."""

    def error_for(self, response: httpx2.Response) -> ConnectorError:
        error = super().error_for(response)
        body = answer_json(response)
        code = body.get("code") if isinstance(body, dict) and body.get("object") == "error" else None
        code = code if isinstance(code, str) and code in _CODES else None
        fix = _FIXES.get(code or "") or {
            401: _FIXES["unauthorized"], 403: _FIXES["restricted_resource"], 404: _FIXES["object_not_found"],
        }.get(response.status_code, error.fix)
        message = f"{error.message}: {code}" if code else error.message
        return ConnectorError(error.source, error.kind, message, status_code=error.status_code,
                              retry_after=error.retry_after, fix=fix)


def _title(page: Mapping[str, Any]) -> str:
    properties = mapping(page.get("properties"))
    for prop in properties.values():
        if isinstance(prop, dict) and prop.get("type") == "title":
            return _kb_text.clean(_kb_text.rich_text(prop.get("title")))
    return ""


def _labels(page: Mapping[str, Any]) -> list[str]:
    """Values of select, multi-select and status properties: how KB databases tag article types."""
    properties = mapping(page.get("properties"))
    labels: list[str] = []
    for prop in properties.values():
        if not isinstance(prop, dict):
            continue
        kind = prop.get("type")
        value = prop.get(kind) if isinstance(kind, str) else None
        options = value if kind == "multi_select" and isinstance(value, list) else [value]
        for option in options:
            if kind in ("select", "multi_select", "status") and isinstance(option, dict) and isinstance(option.get("name"), str):
                labels.append(option["name"])
    return labels


class NotionConnector(HttpConnector):
    """Notion API: pages shared with the integration, as KBArticles."""

    name = SYSTEM
    category = CATEGORY
    block_pages: int = 2  # pages of 100 blocks read per article
    max_expansions: int = 2  # "Workaround" toggles/callouts opened per article

    def __init__(self, base_url: str = DEFAULT_BASE_URL, *, token: str, body_pages: int = 3, **options: Unpack[HttpOptions]):
        if not token:
            raise ConnectorError(SYSTEM, "misconfigured", "no Notion token given", fix="set NOTION_TOKEN")
        self.body_pages = body_pages
        self.connect(NotionHttp, base_url.rstrip("/"), options,
                     headers={"Authorization": f"Bearer {token}", "Notion-Version": NOTION_VERSION})

    async def check(self) -> None:
        body = await self.http.get_json("users/me")
        if not isinstance(body, dict) or body.get("object") != "user":
            raise ConnectorError(SYSTEM, "error", "unexpected answer from users/me (not a user object)",
                                 fix="check NOTION_BASE_URL (default https://api.notion.com/v1)")

    async def search_articles(self, query: SearchQuery) -> Page:
        """Pages whose titles match, newest edit first, at most query.limit; bodies for the top few."""
        terms = _fields.terms(query, 6)
        if not terms:
            return Page([])
        attempts = [" ".join(terms[:3])] + [t for t in terms[:2] if len(terms) > 1]
        page = Page([])
        for text in dict.fromkeys(attempts):
            page = await self._search(text, query.limit)
            if page.items:
                break
        raws = page.items
        bodies = await asyncio.gather(*(self._blocks(raw["id"]) for raw in raws[: self.body_pages]),
                                      return_exceptions=True)
        articles: list[KBArticle] = []
        for i, raw in enumerate(raws):
            blocks: list[_kb_text.Block] = []
            if i < len(bodies):
                result = bodies[i]
                if isinstance(result, ConnectorError):  # the title still helps; the body is best effort
                    log.warning("notion page content unavailable: %s", result.kind)
                elif isinstance(result, BaseException):
                    raise result
                else:
                    blocks = result
            kind = _kb_text.detect_kind(raw["title"], raw["labels"])
            articles.append(KBArticle(
                id=raw["id"], title=raw["title"] or "Untitled", body=_kb_text.plain_text(blocks), kind=kind,
                workaround=_kb_text.workaround(blocks, kind) if blocks else None,
                url=raw["url"], updated_at=raw["updated_at"], source=SYSTEM,
            ))
        return Page(articles, truncated=page.truncated)

    async def _search(self, text: str, limit: int) -> Page:
        async def fetch(cursor: Any) -> tuple[list[dict[str, Any]], Any]:
            payload: dict[str, Any] = {
                "query": text,
                "filter": {"property": "object", "value": "page"},
                "sort": {"direction": "descending", "timestamp": "last_edited_time"},
                "page_size": min(100, limit),
            }
            if cursor:
                payload["start_cursor"] = cursor
            body = self.http.decode(await self.http.request("POST", "search", json=payload, retry=True))
            if not isinstance(body, dict) or not isinstance(body.get("results"), list):
                raise ConnectorError(SYSTEM, "error", "unexpected answer shape from search (no results list)")
            items = [raw for raw in (self._raw(r) for r in body["results"]) if raw is not None]
            cursor = body.get("next_cursor")
            more = body.get("has_more") is True and isinstance(cursor, str) and bool(cursor)
            return items, cursor if more else None

        return await self.http.paginate(fetch, limit=limit)

    @staticmethod
    def _raw(result: Any) -> dict[str, Any] | None:
        if not isinstance(result, dict) or result.get("object") != "page":
            return None
        page_id = result.get("id")
        if not isinstance(page_id, str) or not _ID.match(page_id) or result.get("in_trash") or result.get("archived"):
            return None
        return {
            "id": page_id,
            "title": _title(result),
            "labels": _labels(result),
            "url": _fields.web_url(result.get("url")) or _fields.web_url(result.get("public_url")),
            "updated_at": parse_time(result.get("last_edited_time")),
        }

    async def _children(self, block_id: str, pages: int) -> tuple[list[dict[str, Any]], bool]:
        if not _ID.match(block_id):
            return [], False
        out: list[dict[str, Any]] = []
        cursor: str | None = None
        for _ in range(pages):
            params: dict[str, Any] = {"page_size": 100}
            if cursor:
                params["start_cursor"] = cursor
            body = await self.http.get_json(f"blocks/{block_id}/children", params=params)
            if not isinstance(body, dict) or not isinstance(body.get("results"), list):
                raise ConnectorError(SYSTEM, "error", "unexpected answer shape from block children (no results list)")
            out.extend(b for b in body["results"] if isinstance(b, dict))
            cursor = body.get("next_cursor") if body.get("has_more") is True else None
            if not isinstance(cursor, str) or not cursor:
                return out, False
        return out, True

    async def _blocks(self, page_id: str) -> list[_kb_text.Block]:
        raw_blocks, _more = await self._children(page_id, self.block_pages)
        blocks: list[_kb_text.Block] = []
        expansions = 0
        for raw in raw_blocks:
            block = _kb_text.notion_block(raw)
            if block is None:
                continue
            if (raw.get("has_children") is True and expansions < self.max_expansions
                    and _WORKAROUND.search(block.text) and isinstance(raw.get("id"), str)):
                expansions += 1
                children, _ = await self._children(raw["id"], 1)
                blocks.append(_kb_text.Block("heading", block.text, 7))
                blocks.extend(b for b in (_kb_text.notion_block(c) for c in children) if b is not None)
                blocks.append(_kb_text.Block("end"))
                continue
            blocks.append(block)
        return blocks


def from_env(env: Mapping[str, str], settings: HttpSettings) -> NotionConnector | None:
    token = (env.get("NOTION_TOKEN") or "").strip()
    base = (env.get("NOTION_BASE_URL") or "").strip()
    if not token:
        if base:
            raise ConnectorError(SYSTEM, "misconfigured", "NOTION_BASE_URL is set but NOTION_TOKEN is missing",
                                 fix="set NOTION_TOKEN to the internal integration secret")
        return None
    url = _fields.base_url(SYSTEM, base, "NOTION_BASE_URL", default=DEFAULT_BASE_URL,
                           fix=f"set NOTION_BASE_URL to the API address, e.g. {DEFAULT_BASE_URL}")
    return NotionConnector(url, token=token, settings=settings)
