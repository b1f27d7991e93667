"""Text handling shared by search, signals and rendering.

- `terms()` turns free text into normalised search terms (lowercase, light stemming, a few
  domain synonyms) — the same function indexes the workspace and reads queries, so they agree.
- `quote()` prepares untrusted text (tickets, chat, KB, anything a customer or a remote system
  wrote) for a language model or a brief: control characters removed, tool-call and prompt
  markup defused, length bounded. Such text is data, never instructions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit

# Bump when terms() changes what it produces: stored search indexes are rebuilt on open.
INDEX_VERSION = 5

_WORD = re.compile(r"[a-z0-9][a-z0-9_.\-/]*[a-z0-9]|[a-z0-9]")

# Words that say nothing about *which* problem it is.
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not now of on once only or other our ours ourselves out over
    own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves hi hello thanks thank please regards
    team support customer customers client clients user users account accounts company issue issues
    problem problems reported reporting report's since week weeks today yesterday
    still getting get got seems seem like just really also us via one two three several multiple many
    affecting affected affect everyone anyone someone people any every ago last this that again says said
    won can't won't don't doesn't didn't isn't aren't wasn't weren't haven't hasn't couldn't shouldn't
    """.split()
)

# Different words customers use for the same thing.
SYNONYMS = {
    "signin": "login", "sign-in": "login", "logon": "login", "log-in": "login", "logins": "login",
    "saml": "sso", "okta": "sso", "idp": "sso",
    "csv": "export", "exports": "export", "exported": "export", "exporting": "export", "download": "export",
    "500s": "500", "5xx": "500", "http500": "500",
    "webhooks": "webhook",
    "invoices": "invoice", "billed": "charge", "charged": "charge", "charges": "charge",
    "dashboards": "dashboard",
    "timezone": "tz", "time-zone": "tz", "timestamps": "time", "timestamp": "time", "times": "time",
}


def stem(word: str) -> str:
    """A light, predictable suffix stripper (enough for matching support text; not linguistics)."""
    if word in SYNONYMS:
        return SYNONYMS[word]
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, repl, min_len in (
        ("ies", "y", 5), ("sses", "ss", 6), ("ing", "", 6), ("ly", "", 7), ("ed", "", 5), ("es", "e", 5), ("s", "", 4),
    ):
        if word.endswith(suffix) and len(word) >= min_len and not (suffix == "s" and word.endswith("ss")):
            if suffix == "es" and word[:-2].endswith(("sh", "ch", "ss", "x", "z")):
                repl = ""  # finishes, matches, processes, fixes: the same stem as finish, match, process, fix
            word = word[: -len(suffix)] + repl
            if suffix in ("ing", "ed") and len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # spinning, stopped: spin, stop
            break
    return SYNONYMS.get(word, word)


# Phrases whose words mean something else apart: "log in" is not an audit "log".
_PHRASES = (
    (re.compile(r"\b(?:log|sign)(?:ged|ging|s)?[\s-]+(?:in|on)\b"), "login"),
    (re.compile(r"\b(?:log|sign)(?:ged|ging|s)?[\s-]+out\b"), "logout"),
)


_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    text = _THOUSANDS.sub("", text)  # "10,000 rows" is one number, not "10" and "000"
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    return _WORD.findall(text)


def terms(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Normalised terms in order (duplicates kept). Stop words dropped unless asked."""
    out = []
    for word in words(text):
        word = word.strip(".-/_")
        if not word:
            continue
        if not keep_stopwords and word in STOPWORDS:
            continue
        out.append(stem(word))
    return out


def keywords(text: str, limit: int = 12, drop: set[str] | None = None) -> list[str]:
    """Distinct significant terms of a query, first occurrence order."""
    seen: dict[str, None] = {}
    for term in terms(text):
        if drop and term in drop:
            continue
        if len(term) < 2:  # single letters and digits ("3 customers") say nothing about the problem
            continue
        seen.setdefault(term, None)
    return list(seen)[:limit]


# --- untrusted text -------------------------------------------------------------------------------

# control, zero-width, bidi and invisible characters, and Unicode tag characters (U+E0000-E007F: invisible text that
# some models still read, used to smuggle instructions)
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\U000e0000-\U000e007f]"
)
# Markup a model might read as structure: tool-call tags, chat-template tokens, system/role tags, also when written with
# escaped angle brackets (a page that renders "&lt;invoke&gt;" shows "<invoke>"); instruction-format tokens; turn markers.
_LT = r"(?:<|&lt;?|&#0*60;?|&#x0*3c;?|\\u003c|\\x3c)"
_GT = r"(?:>|&gt;?|&#0*62;?|&#x0*3e;?|\\u003e|\\x3e)"
_MARKUP = re.compile(
    _LT + r"\s*/?\s*(?:function_calls|invoke|parameter|tool_use|tool_call|tool_result|antml:[a-z_]+|system|assistant|user|"
    r"instructions?|im_start|im_end)\b(?:(?!" + _GT + r").){0,200}?" + _GT
    + r"|" + _LT + r"\|[^|<>]{0,40}\|" + _GT
    + r"|\[/?INST\]|<</?SYS>>|(?:(?<=\n)|^)[ \t>*_-]*(?:Human|Assistant)[ \t]*:",
    re.IGNORECASE | re.MULTILINE,
)


def clean(text: str) -> str:
    """Remove control and bidi characters; normalise Unicode; keep newlines."""
    return _CONTROL.sub("", unicodedata.normalize("NFKC", text or ""))


def defuse(text: str) -> str:
    """Untrusted text cleaned and with markup a model could read as structure replaced; lines and length kept."""
    return _MARKUP.sub("[markup removed]", clean(text))


def quote(text: str, limit: int = 300) -> str:
    """Untrusted text made safe to show a model: cleaned, markup defused, single-spaced, bounded."""
    text = re.sub(r"\s+", " ", defuse(text)).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


# --- links -------------------------------------------------------------------------------------------

# one plain http(s) URL: none of the characters that end a URL in text or break link syntax (whitespace, quotes,
# angle and square brackets, braces, pipes, backslashes, carets, backticks)
_PLAIN_URL = re.compile(r"https?://[^\s<>\"'`\\{}|^\[\]]+", re.IGNORECASE)


def safe_url(value: object, limit: int = 2000) -> str | None:
    """A link kept only when it is one plain http(s) URL with a host, of a sane length; None otherwise."""
    if not isinstance(value, str) or len(value) > limit or not _PLAIN_URL.fullmatch(value) or _CONTROL.search(value):
        return None
    return value if host_of(value) else None


def host_of(url: str) -> str:
    """The lower-case host of a URL ("" when it has none or does not parse)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def on_hosts(url: str, hosts: Iterable[str]) -> bool:
    """The URL's host is one of `hosts` or a subdomain of one."""
    host = host_of(url)
    return bool(host) and any(host == h or host.endswith("." + h) for h in hosts)
