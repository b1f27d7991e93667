"""Small helpers the connectors share for reading vendor values (text, numbers, dates, domains, links),
for turning a query into search terms, and for reading their settings.

Each one takes whatever a vendor's JSON holds (any type, possibly missing) and gives back a
value the models accept, or None (for text: None or "" as the caller asks) when there is none.
base_url and named_settings do the same for the environment, refusing a value of the wrong shape.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import httpx2

from ..models import SearchQuery
from ..settings import is_loopback
from ..text import safe_url
from .base import ConnectorError, parse_time

T = TypeVar("T")
E = TypeVar("E")
log = logging.getLogger("customer_escalation.connectors")

_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$", re.IGNORECASE)
_MONEY = re.compile(r"[\s,$€£]")
_TERM = re.compile(r"[^\W_][\w'-]*", re.UNICODE)


def cut(value: str, limit: int) -> str:
    """`value` kept to `limit` characters, a cut one ending with an ellipsis."""
    return value if len(value) <= limit else value[:limit].rstrip() + "…"


def text(value: Any, limit: int = 200) -> str | None:
    """A scalar as trimmed text of at most `limit` characters; None for None, booleans and blank text."""
    if isinstance(value, bool) or value is None:
        return None
    value = str(value).strip()
    return cut(value, limit) if value else None


def number(value: Any, *, suffixes: bool = False) -> float | None:
    """A non-negative finite amount ("$1,200", 1200, "1 200"); None otherwise.

    With `suffixes`, a trailing k or m (any case) multiplies by a thousand or a million ("120k").
    """
    if isinstance(value, bool) or value in (None, ""):
        return None
    cleaned = _MONEY.sub("", str(value))
    multiplier = 1.0
    if suffixes and cleaned[-1:].lower() in ("k", "m"):
        multiplier = 1_000.0 if cleaned[-1].lower() == "k" else 1_000_000.0
        cleaned = cleaned[:-1]
    try:
        amount = float(cleaned) * multiplier
    except ValueError:
        return None
    return amount if amount >= 0 and amount == amount and amount != float("inf") else None


def day(value: Any, *, epoch_numbers: bool = False) -> date | None:
    """The date in a text value: ISO (its first ten characters), else any timestamp parse_time reads.

    Numbers are taken as epoch seconds or milliseconds only with `epoch_numbers` (a vendor that
    sends dates as numbers); otherwise a non-text value is no date.
    """
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    elif not (epoch_numbers and isinstance(value, (int, float)) and not isinstance(value, bool)):
        return None
    parsed = parse_time(value)
    return parsed.date() if parsed else None


def domain_of(term: str) -> str | None:
    """The bare domain when the term is one (acme.com, https://www.acme.com/, jo@acme.com)."""
    t = term.strip().lower()
    if "@" in t:
        t = t.rsplit("@", 1)[1]
    t = re.sub(r"^[a-z]+://", "", t).split("/", 1)[0].split(":", 1)[0]
    if t.startswith("www."):
        t = t[4:]
    return t if _DOMAIN.match(t) else None


def web_url(value: Any) -> str | None:
    """A link from a vendor answer, kept only when it is one plain http(s) URL of a sane length (text.safe_url)."""
    return safe_url(value)


def base_url(system: str, value: str | None, var: str, *, fix: str, default: str = "") -> str:
    """The configured address (else `default`) without a trailing slash; misconfigured unless it is http(s) with a host.

    Credentials written into the address (https://user:token@host) are removed, with a warning: every link to a record
    starts with this address, so they would reach tool results and the store. Plain http to a host beyond this machine
    is accepted with a warning (a proxy on a private network), since requests and credentials then travel unencrypted.
    """
    url = (value or "").strip() or default
    try:
        parsed = httpx2.URL(url)
    except Exception:
        parsed = None
    if parsed is None or parsed.scheme not in ("http", "https") or not parsed.host:
        raise ConnectorError(system, "misconfigured", f"{var} is not an http(s) URL", fix=fix)
    if parsed.userinfo:
        parts = urlsplit(url)
        url = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
        log.warning("%s holds credentials (user:secret@host); they were removed from the address: set %s's credentials "
                    "in its own variables (see CONNECTORS.md)", var, system)
    if parsed.scheme == "http" and not is_loopback(parsed.host):
        log.warning("%s is plain http to a host beyond this machine: requests and credentials to %s travel unencrypted; "
                    "use https", var, system)
    return url.rstrip("/")


def distinct_terms(words: Iterable[Any], pattern: re.Pattern[str] = _TERM, strip: str = "'-") -> list[str]:
    """The distinct lower-case terms `pattern` finds in `words`, `strip` taken off their ends, two characters or more."""
    found: list[str] = []
    for word in words:
        for term in pattern.findall(str(word).lower()):
            term = term.strip(strip)
            if len(term) >= 2 and term not in found:
                found.append(term)
    return found


def terms(query: SearchQuery, most: int = 8) -> list[str]:
    """Distinct lower-case search words of a query (letters, digits, inner ' and -), at most `most`."""
    return distinct_terms(query.keywords or _TERM.findall(query.text))[:most]


def env_values(env: Mapping[str, str], *variables: str) -> list[str]:
    """The settings `variables` name, trimmed ("" for one not set)."""
    return [(env.get(var) or "").strip() for var in variables]


def required(system: str, var: str, value: str, fix: str) -> str:
    """`value`; misconfigured ("{var} is not set", with `fix`) when it is empty."""
    if not value:
        raise ConnectorError(system, "misconfigured", f"{var} is not set", fix=fix)
    return value


def credential(system: str, label: str, env: Mapping[str, str], variables: Sequence[str], fix: str) -> str | None:
    """The first of `variables` (the credential), None when none of them is set; misconfigured when only the others are."""
    token = (env.get(variables[0]) or "").strip()
    others = [var for var in variables[1:] if (env.get(var) or "").strip()]
    if not token and others:
        raise ConnectorError(system, "misconfigured", f"{label} is set up only in part: {variables[0]} missing ({others[0]} is set)",
                             fix=fix)
    return token or None


def setting(system: str, env: Mapping[str, str], var: str, pattern: re.Pattern[str], default: str, what: str, fix: str) -> str:
    """The setting `var`, else `default`; misconfigured ("{var} is not {what}", with `fix`) unless `pattern` matches it."""
    value = (env.get(var) or "").strip() or default
    if not pattern.match(value):
        raise ConnectorError(system, "misconfigured", f"{var} is not {what}", fix=fix)
    return value


def matching(value: Any, pattern: re.Pattern[str]) -> str | None:
    """`value` when it is text `pattern` matches (an issue key, an identifier); else None."""
    return value if isinstance(value, str) and pattern.match(value) else None


def named_settings(system: str, env: Mapping[str, str], variables: Mapping[str, str], pattern: re.Pattern[str],
                   what: str, fix: str) -> dict[str, str]:
    """The set ones of `variables` ({kind: VARIABLE}, e.g. field or property names) as {kind: value}.

    A value `pattern` does not match is misconfigured: "{VARIABLE} is not {what}", with `fix`
    ({var} standing for the variable).
    """
    found: dict[str, str] = {}
    for kind, var in variables.items():
        value = (env.get(var) or "").strip()
        if value:
            if not pattern.match(value):
                raise ConnectorError(system, "misconfigured", f"{var} is not {what}", fix=fix.format(var=var))
            found[kind] = value
    return found


def atlassian_auth(email: str | None, api_token: str) -> dict[str, Any]:
    """HttpSource keywords for Atlassian: basic auth with the email and an API token (Cloud), else the
    token as a Bearer personal access token (Data Center, no email)."""
    if email:
        return {"auth": (email, api_token)}
    return {"headers": {"Authorization": f"Bearer {api_token}"}}


async def best_effort(system: str, what: str, calls: Sequence[Awaitable[T]], timeout: float) -> list[T | None]:
    """Extras (timelines, owners) fetched together within `timeout`: a failed call gives None, running out of time
    gives None for all. Only the error kind is logged, never remote text."""
    async def one(call: Awaitable[T]) -> T | None:
        try:
            return await call
        except ConnectorError as exc:
            log.info("%s: %s not loaded (%s)", system, what, exc.kind)
            return None

    try:
        return list(await asyncio.wait_for(asyncio.gather(*(one(c) for c in calls)), timeout))
    except TimeoutError:
        log.info("%s: %s not loaded in time", system, what)
        return [None] * len(calls)


async def with_extras(system: str, what: str, items: list[T], count: int, fetch: Callable[[T], Awaitable[E]],
                      attach: Callable[[T, E], T], timeout: float) -> list[T]:
    """`items`, the first `count` of them with what `fetch` brings each attached, within `timeout` (see best_effort);
    an item whose extra fails or does not arrive in time stays as it was."""
    top = items[:count]
    if not top:
        return items
    loaded = await best_effort(system, what, [fetch(item) for item in top], timeout)
    out = list(items)
    for i, extra in enumerate(loaded):
        if extra:
            out[i] = attach(out[i], extra)
    return out


def account_term(name_or_domain: str) -> tuple[str, str | None]:
    """What an account lookup searches for: the term trimmed, and the bare domain when it is one."""
    term = (name_or_domain or "").strip()
    return term, (domain_of(term) if term else None)


def mapping(value: Any) -> dict[str, Any]:
    """A JSON object from an answer, or {} for anything else (a missing or wrongly shaped field)."""
    return value if isinstance(value, dict) else {}
