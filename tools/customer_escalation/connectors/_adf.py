"""Atlassian Document Format (Jira Cloud descriptions): read as plain text, and written from the brief's Markdown."""

from __future__ import annotations

import re
from typing import Any

from . import _trackers
from ._fields import mapping


def adf_text(node: Any, limit: int = _trackers.DESCRIPTION_LIMIT) -> str:
    """Plain text of an ADF document: blocks on their own lines, list items prefixed with '- '."""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = "".join(current).strip()
        if line:
            lines.append(line)
        current.clear()

    def walk(n: Any, depth: int = 0) -> None:
        if depth > 40 or not isinstance(n, dict):
            return
        kind = n.get("type")
        attrs = mapping(n.get("attrs"))
        if kind == "text":
            if isinstance(n.get("text"), str):
                current.append(n["text"])
            return
        if kind == "hardBreak":
            flush()
            return
        if kind in ("mention", "emoji", "status", "date"):
            value = attrs.get("text") or attrs.get("shortName")
            if isinstance(value, str):
                current.append(value)
            return
        if kind in ("inlineCard", "blockCard", "embedCard"):
            if isinstance(attrs.get("url"), str):
                current.append(attrs["url"])
            return
        if kind == "listItem":
            flush()
            current.append("- ")
        children = n.get("content")
        if isinstance(children, list):
            for child in children:
                walk(child, depth + 1)
        if kind in ("paragraph", "heading", "codeBlock", "listItem", "blockquote", "panel", "tableCell", "tableHeader",
                    "rule", "mediaSingle"):
            flush()

    walk(node)
    flush()
    return _trackers.text("\n".join(line for line in lines if line != "-"), limit)


_INLINE = re.compile(
    r"(?P<code>`(?P<code_text>[^`\n]+)`)"
    r"|(?P<strong>\*\*(?P<strong_text>.+?)\*\*)"
    r"|(?P<link>\[(?P<link_text>[^\[\]\n]+)\]\((?P<link_href>(?:https?://|mailto:)[^()\s]+)\))"
    r"|(?P<url>(?:https?://)[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"])"
    r"|(?P<em>(?<![\w*])\*(?=\S)(?P<em_text>[^*\n]+?)(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)(?P<em2_text>[^_\n]+?)(?<=\S)_(?!\w))"
)


def _inline(text: str, marks: tuple[dict, ...] = ()) -> list[dict]:
    """ADF text nodes for one line of Markdown: **bold**, *em*/_em_, `code`, [label](url) and bare URLs."""
    nodes: list[dict] = []

    def plain(value: str, extra: tuple[dict, ...] = ()) -> None:
        if value:
            node: dict[str, Any] = {"type": "text", "text": value}
            if marks or extra:
                node["marks"] = [dict(m) for m in (*marks, *extra)]
            nodes.append(node)

    position = 0
    for m in _INLINE.finditer(text):
        plain(text[position:m.start()])
        position = m.end()
        if m.group("code"):
            # code combines only with link marks
            nodes.append({"type": "text", "text": m.group("code_text"), "marks": [{"type": "code"}]})
        elif m.group("strong"):
            nodes.extend(_inline(m.group("strong_text"), (*marks, {"type": "strong"})))
        elif m.group("link"):
            plain(m.group("link_text"), ({"type": "link", "attrs": {"href": m.group("link_href")}},))
        elif m.group("url"):
            plain(m.group("url"), ({"type": "link", "attrs": {"href": m.group("url")}},))
        else:
            nodes.extend(_inline(m.group("em_text") or m.group("em2_text"), (*marks, {"type": "em"})))
    plain(text[position:])
    return nodes


_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^([ \t]*)[-*+][ \t]+(.*)$")
_ORDERED = re.compile(r"^([ \t]*)(\d{1,9})[.)][ \t]+(.*)$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)\s*([\w+-]*)\s*$")
_QUOTE = re.compile(r"^\s{0,3}>\s?(.*)$")
_LIST_DEPTH = 6  # deeper Markdown nesting is kept at this depth


def _indent(spaces: str) -> int:
    return len(spaces.expandtabs(4))


def _list_entry(line: str, in_list: bool) -> tuple[int, str, int, str] | None:
    """(indent, "bulletList"/"orderedList", start number, text) of a list item line, else None.

    A list starts at an indent of at most 3 spaces (more is not a list item in Markdown); inside
    a list, deeper indents nest."""
    bullet, ordered = _BULLET.match(line), _ORDERED.match(line)
    if bullet:
        entry = (_indent(bullet.group(1)), "bulletList", 1, bullet.group(2))
    elif ordered:
        entry = (_indent(ordered.group(1)), "orderedList", int(ordered.group(2)), ordered.group(3))
    else:
        return None
    return entry if in_list or entry[0] <= 3 else None


def _list_nodes(entries: list[tuple[int, str, int, str]]) -> list[dict]:
    """ADF lists from list item lines: an item indented under another is a list nested in that item."""
    nodes: list[dict] = []
    position = 0

    def build(depth: int) -> dict:
        nonlocal position
        indent, kind, start, _ = entries[position]
        node: dict[str, Any] = {"type": kind, "content": []}
        if kind == "orderedList":
            node["attrs"] = {"order": start}
        while position < len(entries):
            item_indent, item_kind, _, text = entries[position]
            if item_indent < indent or item_kind != kind:
                break
            if item_indent > indent and node["content"] and depth < _LIST_DEPTH:
                node["content"][-1]["content"].append(build(depth + 1))
                continue
            node["content"].append({"type": "listItem", "content": [_paragraph([text])]})
            position += 1
            # items indented deeper than this one belong to it
            while position < len(entries) and entries[position][0] > item_indent and depth < _LIST_DEPTH:
                node["content"][-1]["content"].append(build(depth + 1))
        return node

    while position < len(entries):
        nodes.append(build(1))
    return nodes


def _paragraph(block: list[str]) -> dict:
    inline: list[dict] = []
    for i, line in enumerate(block):
        if i:
            inline.append({"type": "hardBreak"})
        inline.extend(_inline(line.strip()))
    return {"type": "paragraph", "content": inline}


def markdown_to_adf(markdown: str) -> dict:
    """A small, strict Markdown -> ADF conversion: headings, paragraphs, bullet and ordered lists (nested by
    indentation), block quotes, fenced code, rules; inline bold, emphasis, code and links. Anything else stays
    literal text."""
    content: list[dict] = []
    lines = (markdown or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    paragraph: list[str] = []
    entries: list[tuple[int, str, int, str]] = []

    def flush_paragraph() -> None:
        if paragraph:
            content.append(_paragraph(paragraph))
            paragraph.clear()

    def flush_list() -> None:
        content.extend(_list_nodes(entries))
        entries.clear()

    def flush() -> None:
        flush_paragraph()
        flush_list()

    def next_line(i: int) -> str | None:
        while i < len(lines) and not lines[i].strip():
            i += 1
        return lines[i] if i < len(lines) else None

    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence:
            flush()
            node, i = _code_block(lines, i, fence)
            content.append(node)
            continue
        i += 1
        if not line.strip():
            flush_paragraph()
            if entries:  # a blank line between two items keeps one (loose) list
                following = next_line(i)
                if following is None or _list_entry(following, True) is None:
                    flush_list()
            continue
        heading = _HEADING.match(line)
        if heading:
            flush()
            content.append({"type": "heading", "attrs": {"level": len(heading.group(1))}, "content": _inline(heading.group(2))})
            continue
        if _RULE.match(line):
            flush()
            content.append({"type": "rule"})
            continue
        entry = _list_entry(line, bool(entries))
        if entry:
            flush_paragraph()
            entries.append(entry)
            continue
        quote = _QUOTE.match(line)
        if quote:
            flush()
            _quote_line(content, quote.group(1).strip())
            continue
        if entries and line.startswith((" ", "\t")):  # a list item's continuation line
            indent, kind, start, text = entries[-1]
            entries[-1] = (indent, kind, start, text + " " + line.strip())
            continue
        flush_list()
        paragraph.append(line)
    flush()
    return {"type": "doc", "version": 1, "content": content}


def _code_block(lines: list[str], i: int, fence: re.Match[str]) -> tuple[dict[str, Any], int]:
    """The fenced code block opening at line i, and the line after its closing fence."""
    code: list[str] = []
    i += 1
    while i < len(lines) and not lines[i].strip().startswith(fence.group(1)):
        code.append(lines[i])
        i += 1
    node: dict[str, Any] = {"type": "codeBlock", "content": [{"type": "text", "text": "\n".join(code)}] if any(code) else []}
    if fence.group(2):
        node["attrs"] = {"language": fence.group(2)}
    return node, i + 1


def _quote_line(content: list[dict], text: str) -> None:
    """A block-quote line: continues the quote just before it, or starts one."""
    if content and content[-1]["type"] == "blockquote" and text:
        block = content[-1]["content"][-1]
        block["content"].extend([{"type": "hardBreak"}, *_inline(text)])
    elif text:
        content.append({"type": "blockquote", "content": [_paragraph([text])]})
