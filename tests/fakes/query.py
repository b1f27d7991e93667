"""What the fakes of Jira's JQL and Confluence's CQL share: a query split into tokens."""

from __future__ import annotations

import re


def token_pattern(word: str) -> re.Pattern[str]:
    """A token after optional spaces: a double-quoted string, an operator, or a word of the `word` characters."""
    return re.compile(r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<op>!=|!~|=|~|\(|\)|,)|(?P<word>[' + word + r"]+))")


def tokens(query: str, pattern: re.Pattern[str], error: type[Exception]) -> list[tuple[str, str]]:
    """(kind, text) pairs: "str" (quotes removed, escapes resolved), "op" or "word"; `error` names a character that
    starts no token."""
    out: list[tuple[str, str]] = []
    query = query.rstrip()
    position = 0
    while position < len(query):
        m = pattern.match(query, position)
        if not m:
            raise error(f"unexpected character at {position}")
        position = m.end()
        if m.group("str") is not None:
            out.append(("str", re.sub(r"\\(.)", r"\1", m.group("str")[1:-1])))
        elif m.group("op"):
            out.append(("op", m.group("op")))
        else:
            out.append(("word", m.group("word")))
    return out
