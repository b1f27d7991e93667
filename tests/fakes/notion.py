"""A fake Notion API (https://developers.notion.com/reference) on 127.0.0.1, under /v1.

Documented behaviour it reproduces:
- `Authorization: Bearer <integration secret>` and a required `Notion-Version` header
  (missing -> 400 missing_version);
- errors as {"object": "error", "status", "code", "message", "request_id"}: 401 unauthorized,
  400 invalid_json / validation_error, 404 object_not_found (also for pages not shared with the
  integration);
- POST /v1/search: `query` matched against titles (every word), `filter`
  {"property": "object", "value": "page" | "data_source"}, `sort`
  {"direction", "timestamp": "last_edited_time"}, `page_size` (max 100), `start_cursor`; answer
  {"object": "list", "results", "next_cursor", "has_more", "type": "page_or_data_source"};
- GET /v1/blocks/{id}/children: `page_size` (max 100), `start_cursor`; block objects with
  `type`, `has_children` and rich_text carrying `plain_text`;
- GET /v1/users/me: the integration's bot user.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from .harness import FakeService, Reply, Request

TOKEN = "ntn_000000000000fake-notion-integration-secret"


def text_block(kind: str, text: str, children: list[dict] | None = None, **extra: Any) -> dict[str, Any]:
    rich = [{"type": "text", "text": {"content": text, "link": None},
             "annotations": {"bold": False, "italic": False, "strikethrough": False, "underline": False, "code": False,
                             "color": "default"}, "plain_text": text, "href": None}]
    return {"type": kind, kind: {"rich_text": rich, "color": "default", **extra}, "children": children or []}


def nid(n: int) -> str:
    return str(uuid.UUID(int=0x5EED0000_0000_4000_8000_000000000000 + n))


class FakeNotion(FakeService):
    def __init__(self, filler: int = 0):
        super().__init__("notion")
        self.route("POST", r"/v1/search")(self.search)
        self.route("GET", r"/v1/blocks/(?P<id>[^/]+)/children")(self.children)
        self.route("GET", r"/v1/users/me")(self.me)
        self.reset(filler)

    # --- data ----------------------------------------------------------------------------------
    def reset(self, filler: int = 0) -> FakeNotion:
        self.clear()
        self.pages: dict[str, dict[str, Any]] = {}
        self.blocks: dict[str, dict[str, Any]] = {}
        self._n = 0
        self.add_page("Known issue: Export drops rows over 10k", "2026-11-10T09:00:00.000Z", [
            text_block("paragraph", "Exports over 10,000 rows lose the last rows."),
            text_block("heading_2", "Workaround"),
            text_block("paragraph", "Split the export by date range."),
            text_block("bulleted_list_item", "Then merge the CSV files."),
            text_block("heading_2", "Status"),
            text_block("paragraph", "Fix planned for 3.3."),
        ])
        self.add_page("How to export data", "2026-11-01T09:00:00.000Z", [
            text_block("numbered_list_item", "Open Settings > Exports."),
            text_block("numbered_list_item", "Choose CSV and a date range."),
        ], tags=["How-to"], database=True)
        self.add_page("Export limitations", "2026-10-20T09:00:00.000Z", [
            text_block("paragraph", "Exports return at most 10,000 rows per file."),
            text_block("toggle", "Workaround", [text_block("paragraph", "Use the bulk export endpoint with a cursor.")]),
            {"type": "divider", "divider": {}, "children": []},
        ])
        self.add_page("Export troubleshooting FAQ", "2026-10-01T09:00:00.000Z",
                      [text_block("paragraph", f"Question {i}: export rows") for i in range(150)])
        self.add_page("Export secrets (not shared)", "2026-11-15T09:00:00.000Z",
                      [text_block("paragraph", "hidden")], shared=False)
        self.add_page("Quarterly roadmap", "2026-11-14T09:00:00.000Z", [text_block("paragraph", "Plans")])
        for i in range(filler):
            self.add_page(f"Export note {i}", f"2026-05-{1 + i % 28:02d}T00:00:{i % 60:02d}.000Z",
                          [text_block("paragraph", f"note {i}")])
        return self

    def add_page(self, title: str, edited: str, blocks: list[dict], *, tags: list[str] | None = None,
                 database: bool = False, shared: bool = True) -> str:
        self._n += 1
        page_id = nid(self._n)
        title_prop = {"id": "title", "type": "title", "title": [
            {"type": "text", "text": {"content": title, "link": None}, "plain_text": title, "href": None}]}
        if database:
            properties: dict[str, Any] = {
                "Name": title_prop,
                "Tags": {"id": "tg%3A", "type": "multi_select",
                         "multi_select": [{"id": f"opt{i}", "name": t, "color": "blue"} for i, t in enumerate(tags or [])]},
            }
            parent = {"type": "data_source_id", "data_source_id": nid(900), "database_id": nid(901)}
        else:
            properties = {"title": title_prop}
            parent = {"type": "workspace", "workspace": True}
        slug = "-".join(title.split()[:4]).replace(":", "")
        self.pages[page_id] = {
            "object": "page", "id": page_id, "created_time": "2026-01-01T00:00:00.000Z", "last_edited_time": edited,
            "created_by": {"object": "user", "id": nid(800)}, "last_edited_by": {"object": "user", "id": nid(800)},
            "cover": None, "icon": None, "parent": parent, "in_trash": False, "is_locked": False,
            "properties": properties, "url": f"https://www.notion.so/acme/{slug}-{page_id.replace('-', '')}",
            "public_url": None, "_shared": shared,
        }
        self._store_blocks(page_id, blocks)
        return page_id

    def _store_blocks(self, parent_id: str, blocks: list[dict]) -> None:
        ids = []
        for block in blocks:
            self._n += 1
            block_id = nid(10000 + self._n)
            children = block.get("children") or []
            stored = {"object": "block", "id": block_id, "parent": {"type": "page_id", "page_id": parent_id},
                      "created_time": "2026-01-01T00:00:00.000Z", "last_edited_time": "2026-01-01T00:00:00.000Z",
                      "has_children": bool(children), "in_trash": False,
                      **{k: v for k, v in block.items() if k != "children"}}
            self.blocks[block_id] = stored
            ids.append(block_id)
            self._store_blocks(block_id, children)
        self.blocks.setdefault(parent_id, {})["_children"] = ids

    # --- plumbing ------------------------------------------------------------------------------
    @staticmethod
    def error(status: int, code: str, message: str) -> Reply:
        return Reply(status, {"object": "error", "status": status, "code": code, "message": message,
                              "request_id": str(uuid.uuid4())})

    def guard(self, request: Request) -> Reply | None:
        if request.header("Authorization") != f"Bearer {TOKEN}":
            return self.error(401, "unauthorized", "API token is invalid.")
        if not request.header("Notion-Version"):
            return self.error(400, "missing_version",
                              "Notion-Version header failed validation: Notion-Version header should be defined")
        return None

    @staticmethod
    def paginate(items: list[Any], size: Any, cursor: Any, key) -> tuple[list[Any], str | None, Reply | None]:
        try:
            size = int(size if size is not None else 100)
        except (TypeError, ValueError):
            return [], None, FakeNotion.error(400, "validation_error", "page_size should be a number")
        if not 1 <= size <= 100:
            return [], None, FakeNotion.error(400, "validation_error", "page_size should be ≤ 100")
        start = 0
        if cursor is not None:
            ids = [key(i) for i in items]
            if cursor not in ids:
                return [], None, FakeNotion.error(400, "validation_error", "start_cursor should be a valid cursor")
            start = ids.index(cursor)
        chunk = items[start: start + size]
        next_cursor = key(items[start + size]) if start + size < len(items) else None
        return chunk, next_cursor, None

    # --- endpoints -----------------------------------------------------------------------------
    def search(self, request: Request) -> Reply:
        denied = self.guard(request)
        if denied:
            return denied
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return self.error(400, "invalid_json", "Error parsing JSON body.")
        if not isinstance(body, dict):
            return self.error(400, "validation_error", "body should be an object")
        flt = body.get("filter")
        if flt is not None and (flt.get("property") != "object" or flt.get("value") not in ("page", "data_source")):
            return self.error(400, "validation_error", "body.filter.value should be \"page\" or \"data_source\"")
        sort = body.get("sort") or {"direction": "descending", "timestamp": "last_edited_time"}
        if sort.get("timestamp") != "last_edited_time" or sort.get("direction", "descending") not in ("ascending", "descending"):
            return self.error(400, "validation_error", "body.sort should be a last_edited_time sort")
        words = str(body.get("query") or "").lower().split()
        hits = [p for p in self.pages.values()
                if p["_shared"] and all(w in self.title(p).lower() for w in words)
                and (flt is None or flt["value"] == "page")]
        hits.sort(key=lambda p: p["last_edited_time"], reverse=sort.get("direction", "descending") == "descending")
        chunk, next_cursor, err = self.paginate(hits, body.get("page_size"), body.get("start_cursor"), lambda p: p["id"])
        if err:
            return err
        return Reply(200, {"object": "list", "results": [{k: v for k, v in p.items() if k != "_shared"} for p in chunk],
                           "next_cursor": next_cursor, "has_more": next_cursor is not None, "type": "page_or_data_source",
                           "page_or_data_source": {}, "request_id": str(uuid.uuid4())})

    @staticmethod
    def title(page: dict[str, Any]) -> str:
        prop = next(p for p in page["properties"].values() if p["type"] == "title")
        return "".join(t["plain_text"] for t in prop["title"])

    def children(self, request: Request) -> Reply:
        denied = self.guard(request)
        if denied:
            return denied
        block_id = request.match.group("id")
        page = self.pages.get(block_id)
        if block_id not in self.blocks or (page is not None and not page["_shared"]):
            return self.error(404, "object_not_found",
                              f"Could not find block with ID: {block_id}. Make sure the relevant pages and databases "
                              "are shared with your integration.")
        items = [self.blocks[i] for i in self.blocks[block_id].get("_children", [])]
        chunk, next_cursor, err = self.paginate(items, request.arg("page_size"), request.arg("start_cursor"),
                                                lambda b: b["id"])
        if err:
            return err
        results = [{k: v for k, v in b.items() if k != "_children"} for b in chunk]
        return Reply(200, {"object": "list", "results": results, "next_cursor": next_cursor,
                           "has_more": next_cursor is not None, "type": "block", "block": {},
                           "request_id": str(uuid.uuid4())})

    def me(self, request: Request) -> Reply:
        denied = self.guard(request)
        if denied:
            return denied
        return Reply(200, {"object": "user", "id": nid(700), "name": "Escalations", "avatar_url": None, "type": "bot",
                           "bot": {"owner": {"type": "workspace", "workspace": True}, "workspace_name": "Acme",
                                   "workspace_limits": {"max_file_upload_size_in_bytes": 5242880}},
                           "request_id": str(uuid.uuid4())})

    def page_id(self, title: str) -> str:
        return next(p["id"] for p in self.pages.values() if self.title(p) == title)
