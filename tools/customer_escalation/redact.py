"""Masking personal data and secrets in text bound for broad audiences (a #support channel, a tracker).

Pure functions, no I/O. What is masked:
- email addresses: the mailbox is masked, the domain kept (it names the customer, which the
  brief needs): `[email]@acme.example`;
- phone numbers: international (+44 20 7946 0958), North American ((415) 555-0134,
  415.555.0134), and digit runs after words such as "phone", "tel", "mobile";
- payment card numbers: 13-19 digits, optionally grouped by spaces or dashes, starting with a
  card network's digit (2-6) and passing the Luhn check (so most order numbers and ids are left alone);
- API keys and tokens: the documented prefixes of the systems this product connects to and
  common others (Slack xox*-, GitHub ghp_/github_pat_, Linear lin_api_, Notion secret_/ntn_,
  HubSpot pat-, OpenAI/Stripe sk-/sk_live_, AWS AKIA, Google AIza, GitLab glpat-, JWTs), bearer
  and basic authorization values, and the value in `token=`/`api_key:`/`password=` pairs.

What is deliberately not masked: dates, times, money, version numbers, ticket and tracker ids,
IP addresses, commit hashes; it is a safety net for briefs, not a data-loss-prevention system.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

EMAIL = "[email]"
PHONE = "[phone]"
CARD = "[card number]"
SECRET = "[secret]"


@dataclass(frozen=True)
class Finding:
    kind: str  # email | phone | card | secret
    start: int
    end: int


_EMAIL = re.compile(r"(?<![\w.+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63})@((?:[A-Za-z0-9-]{1,63}\.)+[A-Za-z]{2,24})\b")

_TOKEN_PATTERNS = [
    r"xox[abposr]-[A-Za-z0-9-]{10,}",  # Slack bot/user/app tokens
    r"xapp-\d-[A-Za-z0-9-]{10,}",
    r"gh[pousr]_[A-Za-z0-9]{20,}",  # GitHub
    r"github_pat_[A-Za-z0-9_]{22,}",
    r"glpat-[A-Za-z0-9_-]{20,}",  # GitLab
    r"lin_(?:api|oauth)_[A-Za-z0-9]{20,}",  # Linear
    r"(?:secret|ntn)_[A-Za-z0-9]{30,}",  # Notion
    r"pat-[a-z]{2,4}\d?-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",  # HubSpot private app
    r"(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}",  # Stripe
    r"sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}",  # OpenAI, Anthropic and similar
    r"AKIA[0-9A-Z]{16}",  # AWS access key id
    r"AIza[0-9A-Za-z_-]{35}",  # Google API key
    r"ATATT[A-Za-z0-9_=-]{20,}",  # Atlassian API token
    r"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",  # JWT
    r"00D[A-Za-z0-9]{12,15}![A-Za-z0-9_.]{20,}",  # Salesforce session id
]
_TOKEN = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(_TOKEN_PATTERNS) + r")(?![A-Za-z0-9])")
# "Authorization: Bearer abc", "Basic dXNlcjpwYXNz"
_AUTH = re.compile(r"\b(Bearer|Basic|Token)\s+([A-Za-z0-9._~+/=-]{12,})", re.IGNORECASE)
# key=value / key: value for secret-looking keys (also inside URLs: ?access_token=...)
_PAIR = re.compile(
    r"\b((?:[A-Za-z]+[_-])?(?:api[_-]?key|apikey|token|secret|password|passwd|pwd|client[_-]?secret|auth)"
    r")(\s*[:=]\s*|\"\s*:\s*\")([^\s&\"'<>,;)\]]{6,})",
    re.IGNORECASE,
)

# a run of 13-19 digits, optionally grouped by single spaces or dashes
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")

_PHONE_INTL = re.compile(r"(?<![\w+])\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d{2,5}){1,4}(?!\d)")
_PHONE_NANP = re.compile(r"(?<![\w(-])(?:\(\d{3}\)\s?|\d{3}[.-])\d{3}[.-]\d{4}(?![\w-])")
_PHONE_LABELLED = re.compile(
    r"\b(?:phone|tel|telephone|mobile|cell|call(?: me)?(?: at| on)?|whatsapp|sms|text me at)\b[:.]?\s*(\+?\d[\d\s().-]{6,18}\d)",
    re.IGNORECASE,
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = ord(ch) - 48
        if i % 2:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def find(text: str) -> list[Finding]:
    """Every span to mask, non-overlapping, in order. Earlier kinds win overlaps: secret, email, card, phone."""
    spans: list[Finding] = []

    def add(kind: str, start: int, end: int) -> None:
        if any(s.start < end and start < s.end for s in spans):
            return
        spans.append(Finding(kind, start, end))

    for m in _TOKEN.finditer(text):
        add("secret", m.start(), m.end())
    for m in _AUTH.finditer(text):
        add("secret", m.start(2), m.end(2))
    for m in _PAIR.finditer(text):
        add("secret", m.start(3), m.end(3))
    for m in _EMAIL.finditer(text):
        add("email", m.start(1), m.end(1))
    for m in _CARD.finditer(text):
        digits = _digits(m.group())
        if 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn_valid(digits) and len(set(digits)) > 1:
            add("card", m.start(), m.end())
    for m in _PHONE_LABELLED.finditer(text):
        if 7 <= len(_digits(m.group(1))) <= 15:
            add("phone", m.start(1), m.end(1))
    for rx in (_PHONE_INTL, _PHONE_NANP):
        for m in rx.finditer(text):
            if 9 <= len(_digits(m.group())) <= 15:
                add("phone", m.start(), m.end())
    return sorted(spans, key=lambda s: s.start)


_MASK = {"email": EMAIL, "phone": PHONE, "card": CARD, "secret": SECRET}


def redact(text: str) -> str:
    """`text` with personal data and secrets masked."""
    out, last = [], 0
    for f in find(text):
        out.append(text[last:f.start])
        out.append(_MASK[f.kind])
        last = f.end
    out.append(text[last:])
    return "".join(out)


def summary(text: str) -> dict[str, int]:
    """How many of each kind `redact` would mask (for telling the user what was hidden)."""
    return dict(Counter(f.kind for f in find(text)))
