"""Text bound for Slack, Jira, Linear or GitHub made inert before it leaves. Pure functions.

Briefs and notices carry text that customers and other systems wrote. Posted as it is, that text
could page a whole channel (`<!channel>`, `@here`), ping people or groups (`<@U123>`,
`<!subteam^S1>`, GitHub `@org/team`), or show one link while pointing at another
(`<http://evil|http://good>`, `[good](http://evil)`). `neutralise` turns all of these into plain,
visible text: a mention becomes `@-name` (no system treats it as a mention, and the reader still
sees who was named), and every labelled link becomes `label (url)` so the real target is shown.

Systems: "slack" (mrkdwn: `&`, `<`, `>` escaped as Slack requires), "github" (Markdown rendered
as HTML: raw tags escaped), "jira" and "linear" (Markdown the connector converts to a structured
document: no HTML is interpreted, so only links and mentions need defusing).
"""

from __future__ import annotations

import re
from typing import Literal

from .text import clean

System = Literal["slack", "github", "jira", "linear"]

# Slack control sequences: <!channel>, <!here|here>, <!subteam^S123|@team>, <@U123|name>, <#C123|name>, <url|label>
_SLACK_SEQUENCE = re.compile(r"<([!@#])([^<>|\s]*)(?:\|([^<>]*))?>")
_SLACK_LINK = re.compile(r"<((?:https?|mailto|ftp)[^<>|\s]*)\|([^<>]*)>", re.IGNORECASE)
# Markdown links and images: [label](url "title"), ![alt](<url>)
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\(\s*(?:<([^<>\n]*)>|([^()\s<>]+(?:\([^()\s]*\))?))(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
# reference-style definitions: [ref]: url "title"
_MD_DEFINITION = re.compile(r"^[ \t]{0,3}\[([^\]]+)\]:[ \t]*<?(\S+?)>?(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?[ \t]*$", re.MULTILINE)
_MD_REFERENCE = re.compile(r"!?\[([^\[\]]+)\]\[([^\[\]]*)\]")
_HTML_ANCHOR = re.compile(r"<a\b[^>]*?\bhref\s*=\s*[\"']?([^\"'\s>]+)[\"']?[^>]*>(.*?)</a\s*>", re.IGNORECASE | re.DOTALL)
# @name, @org/team, @here: not after a word character, so e-mail addresses are left alone
_AT_MENTION = re.compile(r"(?<!\w)@(?=[A-Za-z0-9_])")


def _shown(label: str, url: str) -> str:
    """A link as text that shows where it goes."""
    label = label.strip()
    if not label or label == url or label.rstrip("/") == url.rstrip("/"):
        return url
    return f"{label} ({url})"


def _slack_sequence(match: re.Match) -> str:
    sigil, body, label = match.group(1), match.group(2), (match.group(3) or "").strip()
    if sigil == "#":
        return "#" + (label or body)  # a channel reference notifies nobody; keep its name as text
    if sigil == "!" and body.startswith("subteam^"):
        return "@-" + (label.lstrip("@") or "group")
    if sigil == "!":
        word = body.split("^")[0] or "channel"
        return "@-" + word
    return "@-" + (label.lstrip("@") or body)


def _definitions(text: str) -> tuple[str, dict[str, str]]:
    refs: dict[str, str] = {}

    def take(m: re.Match) -> str:
        refs[m.group(1).strip().lower()] = m.group(2)
        return f"{m.group(1).strip()}: {m.group(2)}"

    return _MD_DEFINITION.sub(take, text), refs


def neutralise(text: str, system: System = "github") -> str:
    """Untrusted text made inert for `system`: no broadcasts, no mentions, no link text hiding its URL."""
    text = clean(text or "")
    text = _HTML_ANCHOR.sub(lambda m: _shown(re.sub(r"<[^>]*>", "", m.group(2)), m.group(1)), text)
    text = _SLACK_LINK.sub(lambda m: _shown(m.group(2), m.group(1)), text)
    text = _SLACK_SEQUENCE.sub(_slack_sequence, text)
    text, refs = _definitions(text)
    text = _MD_REFERENCE.sub(
        lambda m: _shown(m.group(1), refs[(m.group(2) or m.group(1)).strip().lower()])
        if (m.group(2) or m.group(1)).strip().lower() in refs else m.group(0),
        text,
    )
    text = _MD_LINK.sub(lambda m: _shown(m.group(1), m.group(2) if m.group(2) is not None else m.group(3)), text)
    text = text.replace("](", "] (")  # whatever link syntax the patterns missed (nested brackets) no longer parses as a link
    text = _AT_MENTION.sub("@-", text)
    if system == "slack":
        return slack_escape(text)
    if system == "github":
        text = text.replace("<", "&lt;")
    return text


def slack_escape(text: str) -> str:
    """The three characters Slack mrkdwn requires escaped; after this no control sequence remains."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

