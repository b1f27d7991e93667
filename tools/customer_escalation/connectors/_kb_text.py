"""Knowledge-base text helpers shared by the Confluence and Notion connectors.

Both systems hand back a page as a sequence of blocks (XHTML elements or Notion blocks).
They are reduced here to `Block`s - headings and text - from which the plain body, the
article kind and the documented workaround are read the same way for every system.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Literal

Kind = Literal["known_issue", "workaround", "how_to", "doc", "limitation"]

BODY_LIMIT = 6000  # characters of body kept per article
WORKAROUND_LIMIT = 1500

_WORKAROUND = re.compile(r"\bwork[\s-]?arounds?\b", re.IGNORECASE)
_WORKAROUND_LEAD = re.compile(r"^\s*(?:temporary\s+|known\s+)?work[\s-]?arounds?\s*[:\-\u2013\u2014]\s*", re.IGNORECASE)
_NO_WORKAROUND = re.compile(r"\b(?:no|without|none)\b", re.IGNORECASE)
_NONE = re.compile(r"(?:none|n/?a|no|none (?:yet|known)|not yet|tbd)\.?", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


@dataclass
class Block:
    """One unit of page text: a heading (level 1-6; 7 for a titled panel) or a text block.

    `end` closes the innermost titled panel (a Confluence macro with a title) so that a
    "Workaround" panel's section stops at the panel's end.
    """

    kind: Literal["heading", "text", "end"]
    text: str = ""
    level: int = 0


def clean(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def plain_text(blocks: Sequence[Block], limit: int = BODY_LIMIT) -> str:
    lines = [b.text for b in blocks if b.kind != "end" and b.text]
    return _cut("\n".join(lines), limit)


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit * 0.8 else cut).rstrip() + "…"


def _norm(value: str) -> str:
    return " " + re.sub(r"[\W_]+", " ", value.lower()).strip() + " "


def detect_kind(title: str, labels: Iterable[str] = ()) -> Kind:
    """Labels first, then the title: known issue, workaround, how-to, limitation, else doc."""
    for source in [" ".join(_norm(label) for label in labels), _norm(title)]:
        if " known issue" in source or " known bug" in source:
            return "known_issue"
        if " workaround" in source or " work around" in source:
            return "workaround"
        if " how to " in source or " howto " in source:
            return "how_to"
        if " limitation" in source:
            return "limitation"
    return "doc"


def workaround(blocks: Sequence[Block], kind: Kind = "doc", limit: int = WORKAROUND_LIMIT) -> str | None:
    """The documented workaround: a "Workaround" heading's (or titled panel's) section, or a
    "Workaround: ..." paragraph. A workaround article without either is its own workaround."""
    for i, block in enumerate(blocks):
        if block.kind == "heading" and _WORKAROUND.search(block.text) and not _NO_WORKAROUND.search(block.text):
            section: list[str] = []
            if block.level == 7:  # a titled panel: its content, up to the panel's end
                depth = 0
                for later in blocks[i + 1:]:
                    if later.kind == "end":
                        if depth == 0:
                            break
                        depth -= 1
                        continue
                    if later.kind == "heading" and later.level == 7:
                        depth += 1
                    section.append(later.text)
            else:  # a heading: up to the next heading of the same or a higher level
                for later in blocks[i + 1:]:
                    if later.kind == "heading" and later.level <= block.level:
                        break
                    if later.kind != "end":
                        section.append(later.text)
            text = "\n".join(t for t in section if t).strip()
            if text:
                return _cut(text, limit)
        if block.kind == "text":
            lead = _WORKAROUND_LEAD.match(block.text)
            if lead:
                rest = block.text[lead.end():].strip()
                if not rest:
                    rest = next((b.text for b in blocks[i + 1:] if b.kind == "text" and b.text), "")
                if rest and not _NONE.fullmatch(rest):
                    return _cut(rest, limit)
    if kind == "workaround":
        body = plain_text([b for b in blocks if b.kind == "text"], limit)
        return body or None
    return None


# --- Confluence storage format (XHTML with ac:/ri: elements) ----------------------------------

_BLOCK_TAGS = {
    "p", "div", "li", "td", "th", "tr", "pre", "blockquote", "dt", "dd", "caption", "ac:task-body",
    "ac:plain-text-body", "ac:rich-text-body", "table", "ul", "ol", "section", "article",
}
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SKIP = {"script", "style", "ac:image", "ri:attachment", "ac:emoticon", "time", "ac:placeholder"}


class _StorageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._buf: list[str] = []
        self._heading: int | None = None
        self._skip = 0
        self._param: str | None = None  # name of the ac:parameter being read
        self._param_buf: list[str] = []
        self._macros: list[bool] = []  # per open macro: did it open a titled section?

    # text collection
    def _flush(self) -> None:
        text = clean("".join(self._buf))
        self._buf = []
        if not text:
            return
        if self._heading is not None:
            self.blocks.append(Block("heading", text, self._heading))
        else:
            self.blocks.append(Block("text", text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skip += 1
            return
        if tag == "ac:parameter":
            self._param = dict(attrs).get("ac:name") or ""
            self._param_buf = []
            return
        if tag == "ac:structured-macro":
            self._flush()
            self._macros.append(False)
            return
        if tag in _HEADINGS:
            self._flush()
            self._heading = _HEADINGS[tag]
        elif tag in _BLOCK_TAGS:
            self._flush()
        elif tag == "br":
            self._buf.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._buf.append(" ")
        elif tag == "ri:page" and not self._skip and self._param is None:
            title = dict(attrs).get("ri:content-title")
            if title:
                self._buf.append(f" {title} ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skip = max(0, self._skip - 1)
            return
        if tag == "ac:parameter":
            if self._param == "title" and self._macros:
                title = clean("".join(self._param_buf))
                if title:
                    self._flush()
                    self.blocks.append(Block("heading", title, 7))
                    self._macros[-1] = True
            self._param = None
            return
        if tag == "ac:structured-macro":
            self._flush()
            if self._macros and self._macros.pop():
                self.blocks.append(Block("end"))
            return
        if tag in _HEADINGS:
            self._flush()
            self._heading = None
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._param is not None:
            self._param_buf.append(data)
            return
        self._buf.append(data)

    def unknown_decl(self, data: str) -> None:
        if data.startswith("CDATA[") and not self._skip and self._param is None:
            self._buf.append(data[len("CDATA["):])

    def close(self) -> None:
        super().close()
        self._flush()


def storage_blocks(xhtml: str) -> list[Block]:
    """Blocks of a Confluence storage-format (or view-format) body."""
    parser = _StorageParser()
    try:
        parser.feed(xhtml or "")
        parser.close()
    except Exception:  # a malformed body yields what was read so far, never an exception
        parser._flush()
    return parser.blocks


# --- Notion blocks -----------------------------------------------------------------------------

NOTION_TEXT_TYPES = {
    "paragraph", "bulleted_list_item", "numbered_list_item", "to_do", "toggle", "quote", "callout", "code",
    "template", "synced_block",
}
NOTION_HEADINGS = {"heading_1": 1, "heading_2": 2, "heading_3": 3, "heading_4": 4}


def rich_text(items: object) -> str:
    if not isinstance(items, list):
        return ""
    return "".join(str(item.get("plain_text") or "") for item in items if isinstance(item, dict))


def notion_block(block: dict) -> Block | None:
    """One Notion block object as a Block (None for blocks without text)."""
    kind = block.get("type")
    if not isinstance(kind, str):
        return None
    content = block.get(kind)
    if not isinstance(content, dict):
        return None
    if kind in NOTION_HEADINGS:
        text = clean(rich_text(content.get("rich_text")))
        return Block("heading", text, NOTION_HEADINGS[kind]) if text else None
    if kind == "table_row":
        cells = content.get("cells")
        text = clean(" | ".join(rich_text(c) for c in cells)) if isinstance(cells, list) else ""
        return Block("text", text) if text else None
    if kind in ("child_page", "child_database"):
        title = clean(str(content.get("title") or ""))
        return Block("text", title) if title else None
    if kind in NOTION_TEXT_TYPES or "rich_text" in content:
        text = clean(rich_text(content.get("rich_text")))
        return Block("text", text) if text else None
    return None
