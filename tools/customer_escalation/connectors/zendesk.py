"""Zendesk Support: related tickets, the communication timeline, and organizations as accounts.

Reading
    Tickets and organizations come from the Search API (GET /api/v2/search.json), newest
    activity first (sort_by=updated_at, sort_order=desc). Search pages hold up to 100 results
    and a query returns at most 1,000; the connector asks for the page after next_page only
    while that stays under the cap, and reports truncation when results were left behind.
    The most recent comments of the top few tickets (GET /api/v2/tickets/{id}/comments.json
    with the comment authors side-loaded) become the ticket's messages, so the brief can say
    who wrote last and how long the customer has waited. A timeline that does not load in
    time leaves the ticket without messages rather than failing the search.
Accounts
    Organizations are found by name (name:"...") or, for a domain, by a phrase search that
    prefers organizations whose domain_names list it. organization_fields may carry the plan,
    ARR, renewal date, owner and SLA tier; the field keys are read from ZENDESK_PLAN_FIELD,
    ZENDESK_ARR_FIELD, ZENDESK_RENEWAL_FIELD, ZENDESK_OWNER_FIELD and ZENDESK_SLA_FIELD when set,
    otherwise from common key names (plan, arr, renewal_date, account_owner, sla_tier ...).
Authentication
    API token: HTTP Basic with `{email}/token` and the token. check() calls
    GET /api/v2/users/me.json, which answers an anonymous user when credentials are missing.

Environment: ZENDESK_BASE_URL (or ZENDESK_SUBDOMAIN -> https://{subdomain}.zendesk.com),
ZENDESK_EMAIL, ZENDESK_API_TOKEN, and the optional organization field keys above.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any, Unpack
from urllib.parse import parse_qs, urlsplit

import httpx2

from ..models import Account, Message, SearchQuery, Ticket
from ..text import terms as text_terms
from . import _fields
from ._fields import mapping
from .base import ConnectorError, HttpConnector, HttpOptions, HttpSettings, HttpSource, Page, parse_time

SYSTEM = "zendesk"
CATEGORY = "support"
ENV_VARS = (
    "ZENDESK_BASE_URL", "ZENDESK_SUBDOMAIN", "ZENDESK_EMAIL", "ZENDESK_API_TOKEN",
    "ZENDESK_PLAN_FIELD", "ZENDESK_ARR_FIELD", "ZENDESK_RENEWAL_FIELD", "ZENDESK_OWNER_FIELD", "ZENDESK_SLA_FIELD",
)

log = logging.getLogger("customer_escalation.connectors.zendesk")

SEARCH_CAP = 1000  # the Search API returns at most this many results per query
MAX_PER_PAGE = 100
MAX_TEXT = 10_000  # characters kept of one description or comment
MAX_MESSAGES = 50  # most recent comments kept per ticket

_SUBDOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$", re.IGNORECASE)
_TERM = re.compile(r"[^\W_][\w.\-]*", re.UNICODE)
_FIELD_KEY = re.compile(r"^[A-Za-z0-9_.\-]{1,100}$")

_STATUS = {"new": "new", "open": "open", "pending": "pending", "hold": "on_hold", "solved": "solved", "closed": "closed"}
_PRIORITY = {"low", "normal", "high", "urgent"}

# organization_fields keys tried, in order, when no ZENDESK_*_FIELD names one
DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "plan": ("plan", "plan_name", "support_plan", "subscription_plan", "tier"),
    "arr": ("arr", "annual_recurring_revenue", "arr_usd"),
    "renewal": ("renewal_date", "renewal", "contract_renewal_date", "renewal_on"),
    "owner": ("account_owner", "owner", "csm", "customer_success_manager", "account_manager"),
    "sla": ("sla_tier", "sla", "support_level", "support_tier"),
}
FIELD_ENV = {"plan": "ZENDESK_PLAN_FIELD", "arr": "ZENDESK_ARR_FIELD", "renewal": "ZENDESK_RENEWAL_FIELD",
             "owner": "ZENDESK_OWNER_FIELD", "sla": "ZENDESK_SLA_FIELD"}


class ZendeskHttp(HttpSource):
    """HttpSource with Zendesk's own error answers mapped to trusted text."""

    def error_for(self, response: httpx2.Response) -> ConnectorError:
        if response.status_code == 422:
            # e.g. a page beyond the Search API's 1,000-result window, or a query it cannot parse
            return ConnectorError(SYSTEM, "invalid_request", "search rejected (HTTP 422): the query or page is outside "
                                  "what the Zendesk Search API accepts", status_code=422)
        error = super().error_for(response)
        if response.status_code == 403:
            return ConnectorError(SYSTEM, "auth_failed", error.message, status_code=403,
                                  fix="use an agent or admin account for ZENDESK_EMAIL whose role can see the "
                                      "tickets and organizations searched")
        if response.status_code == 401:
            return ConnectorError(SYSTEM, "auth_failed", error.message, status_code=401,
                                  fix="check ZENDESK_EMAIL and ZENDESK_API_TOKEN (Admin Center > Apps and "
                                      "integrations > Zendesk API) and that token access is enabled")
        return error


def _text(value: Any, limit: int = MAX_TEXT) -> str:
    """Text trimmed and bounded; "" for anything that is not text."""
    return _fields.cut(value.strip(), limit) if isinstance(value, str) else ""


def _id(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.isdigit():
        return value
    return None


def _phrase(value: str) -> str:
    """A value safe inside a double-quoted Zendesk search phrase (no quotes, no control characters)."""
    cleaned = re.sub(r"[\"\\\x00-\x1f\x7f]+", " ", value)
    return re.sub(r"\s+", " ", cleaned).strip()[:200]


def search_terms(query: SearchQuery, limit: int = 3) -> list[str]:
    """Free-text terms for the Search API: plain words only, so nothing reads as a search keyword or operator.

    Zendesk matches every term given, so only the most significant few are sent. Keywords are
    stems (export, miss, row), so alphabetic ones end with Zendesk's `*` wildcard to match the
    words they stand for (exported, missing, rows).
    """
    out = _fields.distinct_terms(query.keywords or text_terms(query.text), _TERM, ".-")[:limit]
    return [f"{t}*" if t.isalpha() and len(t) >= 3 else t for t in out]


def _short(value: Any, limit: int = 200) -> str | None:
    """A short field value: text or a number as trimmed text; None for anything else (lists, objects)."""
    return _fields.text(value, limit) if isinstance(value, (str, int, float)) else None


class ZendeskConnector(HttpConnector):
    """Zendesk Support as a support platform (tickets, timeline) and an account source (organizations)."""

    name = SYSTEM
    category = "support"

    def __init__(self, base_url: str, email: str, api_token: str, *, organization_fields: Mapping[str, str] | None = None,
                 page_size: int = MAX_PER_PAGE, timeline_tickets: int = 3, extras_timeout: float | None = None,
                 **options: Unpack[HttpOptions]):
        if not base_url or not email or not api_token:
            raise ConnectorError(SYSTEM, "misconfigured", "Zendesk needs a base URL, an email and an API token",
                                 fix="set ZENDESK_SUBDOMAIN (or ZENDESK_BASE_URL), ZENDESK_EMAIL and ZENDESK_API_TOKEN")
        self.page_size = max(1, min(int(page_size), MAX_PER_PAGE))
        self.timeline_tickets = max(0, int(timeline_tickets))
        self.fields: dict[str, tuple[Any, ...]] = {k: ((organization_fields or {}).get(k),) if (organization_fields or {}).get(k) else DEFAULT_FIELDS[k]
                       for k in DEFAULT_FIELDS}
        self.connect(ZendeskHttp, _site_url(base_url), options, auth=(f"{email}/token", api_token))
        # timelines, owners and links are extras: they get half the request timeout, so a slow extra
        # cannot push the whole source past the gather deadline
        self.extras_timeout = extras_timeout if extras_timeout is not None else self.http.settings.timeout / 2

    # --- API calls ------------------------------------------------------------------------------

    async def _json(self, path: str, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
        body = await self.http.get_json(path, params=params)
        if not isinstance(body, dict):
            raise ConnectorError(SYSTEM, "error", "unexpected answer shape (expected a JSON object)",
                                 fix="check that ZENDESK_BASE_URL points at the Zendesk site itself")
        return body

    async def check(self) -> None:
        body = await self._json("api/v2/users/me.json")
        user = body.get("user")
        if not isinstance(user, dict):
            raise ConnectorError(SYSTEM, "error", "unexpected answer shape from users/me",
                                 fix="check that ZENDESK_BASE_URL points at the Zendesk site itself")
        if user.get("id") is None:
            # Zendesk answers an anonymous user (HTTP 200) when no credentials were accepted
            raise ConnectorError(SYSTEM, "auth_failed", "credentials were not accepted (signed in as anonymous)",
                                 fix="check ZENDESK_EMAIL and ZENDESK_API_TOKEN, and that token access is enabled")
        if user.get("role") == "end-user":
            raise ConnectorError(SYSTEM, "auth_failed", "ZENDESK_EMAIL belongs to an end user, not an agent",
                                 fix="use the email of an agent or admin; searching tickets needs an agent role")

    async def _search(self, query: str, *, limit: int) -> tuple[list[dict[str, Any]], bool]:
        """One Search API query, pages followed up to `limit`, max_pages and the 1,000-result window."""
        per_page = min(self.page_size, max(1, limit))
        capped = False

        async def fetch(page_number: int | None) -> tuple[list[dict[str, Any]], int | None]:
            nonlocal capped
            number = page_number or 1
            params = {"query": query, "sort_by": "updated_at", "sort_order": "desc", "per_page": per_page}
            if number > 1:
                params["page"] = number
            body = await self._json("api/v2/search.json", params=params)
            results = body.get("results")
            if not isinstance(results, list):
                raise ConnectorError(SYSTEM, "error", "unexpected answer shape from search (no results list)")
            following = _next_page_number(body.get("next_page"))
            if following is not None and (following - 1) * per_page >= SEARCH_CAP:
                capped, following = True, None
            return [r for r in results if isinstance(r, dict)], following

        page = await self.http.paginate(fetch, limit=limit)
        return page.items, page.truncated or capped

    # --- accounts -------------------------------------------------------------------------------

    async def find_accounts(self, name_or_domain: str) -> list[Account]:
        term, domain = _fields.account_term(name_or_domain)
        if not term:
            return []
        if domain:
            query = f'type:organization "{_phrase(domain)}"'
        else:
            phrase = _phrase(term)
            if not phrase:
                return []
            query = f'type:organization name:"{phrase}"'
        results, _ = await self._search(query, limit=10)
        orgs = [r for r in results if r.get("result_type", "organization") == "organization"]
        if domain:
            exact = [o for o in orgs if domain in {str(d).lower() for d in (o.get("domain_names") or []) if isinstance(d, str)}]
            orgs = exact or orgs
        accounts = [a for a in (self._account(o) for o in orgs) if a is not None]
        return accounts

    def _field(self, fields: Mapping[str, Any], kind: str) -> Any:
        for key in self.fields[kind]:
            if key in fields and fields[key] not in (None, ""):
                return fields[key]
        return None

    def _account(self, org: Mapping[str, Any]) -> Account | None:
        org_id = _id(org.get("id"))
        name = _text(org.get("name"), 200)
        if not org_id or not name:
            return None
        fields = mapping(org.get("organization_fields"))
        domains = [d.strip().lower() for d in (org.get("domain_names") or []) if isinstance(d, str) and d.strip()][:20]
        tags = [t for t in (org.get("tags") or []) if isinstance(t, str)]
        reference = fields.get("reference_customer") is True or "reference_customer" in tags
        notes = "\n".join(p for p in (_text(org.get("details"), 1000), _text(org.get("notes"), 2000)) if p) or None
        return Account(
            id=org_id, name=name, domains=domains,
            plan=_short(self._field(fields, "plan"), 80),
            arr=_fields.number(self._field(fields, "arr"), suffixes=True),
            renewal_date=_fields.day(self._field(fields, "renewal")),
            owner=_short(self._field(fields, "owner"), 120),
            sla_tier=_short(self._field(fields, "sla"), 80),
            reference_customer=reference, notes=notes, source=SYSTEM,
            url=f"{self.base_url}/agent/organizations/{org_id}",
        )

    # --- tickets --------------------------------------------------------------------------------

    def _scope(self, account: Account | None) -> str | None:
        """The search restriction for an account: its id when it came from Zendesk, else its name."""
        if account is None:
            return None
        if account.source == SYSTEM and _id(account.id):
            return f"organization:{account.id}"
        name = _phrase(account.name)
        return f'organization:"{name}"' if name else None

    async def search_tickets(self, query: SearchQuery) -> Page:
        scope = self._scope(query.account)
        terms = search_terms(query)
        attempts = [terms] + ([terms[:1]] if len(terms) > 1 else [])
        results: list[dict[str, Any]] = []
        truncated = False
        for attempt in attempts:
            q = " ".join(["type:ticket"] + ([scope] if scope else []) + attempt)
            if not attempt and not scope:
                return Page([], truncated=False)
            results, truncated = await self._search(q, limit=query.limit)
            if results:
                break
        account_id = query.account.id if (query.account is not None and scope) else None
        tickets = [t for t in (self._ticket(r, account_id) for r in results if r.get("result_type", "ticket") == "ticket")
                   if t is not None]
        tickets.sort(key=lambda t: t.updated_at or t.created_at, reverse=True)
        return Page(await self._with_timelines(tickets), truncated=truncated)

    def _ticket(self, raw: Mapping[str, Any], account_id: str | None) -> Ticket | None:
        ticket_id = _id(raw.get("id"))
        created = parse_time(raw.get("created_at"))
        if not ticket_id or created is None:
            return None
        priority = raw.get("priority")
        return Ticket(
            id=ticket_id,
            account_id=account_id or _id(raw.get("organization_id")),
            subject=_text(raw.get("subject") or raw.get("raw_subject"), 300) or "(no subject)",
            description=_text(raw.get("description")),
            status=_STATUS.get(str(raw.get("status")), "open"),
            priority=priority if priority in _PRIORITY else "normal",
            created_at=created,
            updated_at=parse_time(raw.get("updated_at")),
            tags=[t for t in (raw.get("tags") or []) if isinstance(t, str)][:30],
            url=f"{self.base_url}/agent/tickets/{ticket_id}",
            source=SYSTEM,
        )

    async def _with_timelines(self, tickets: list[Ticket]) -> list[Ticket]:
        """Attach the comments of the first few tickets; whatever does not arrive in time is left out."""
        return await _fields.with_extras(
            SYSTEM, "ticket timelines", tickets, self.timeline_tickets, lambda t: self._comments(t.id),
            lambda t, found: t.model_copy(update={"messages": found[0], "requester": found[1] or t.requester}), self.extras_timeout)

    async def _comments(self, ticket_id: str) -> tuple[list[Message], str | None]:
        body = await self._json(f"api/v2/tickets/{ticket_id}/comments.json",
                                params={"include": "users", "sort_order": "desc", "per_page": MAX_MESSAGES})
        comments = body.get("comments")
        if not isinstance(comments, list):
            raise ConnectorError(SYSTEM, "error", "unexpected answer shape from ticket comments")
        users = {_id(u.get("id")): u for u in (body.get("users") or []) if isinstance(u, dict)}
        messages: list[Message] = []
        for c in comments:
            if not isinstance(c, dict):
                continue
            created = parse_time(c.get("created_at"))
            if created is None:
                continue
            public = c.get("public") is not False
            user = users.get(_id(c.get("author_id")))
            role = user.get("role") if user else None
            if user is None:
                author_role = "system"
            elif role == "end-user":
                author_role = "customer"
            else:
                author_role = "agent" if public else "internal"
            author = _text(user.get("name"), 120) if user else ""
            body_text = _text(c.get("plain_body") if isinstance(c.get("plain_body"), str) else c.get("body"))
            messages.append(Message(author=author or ("Zendesk" if user is None else "unknown"), author_role=author_role,
                                    created_at=created, body=body_text, public=public))
        messages.sort(key=lambda m: m.created_at)
        first_customer = next((m.author for m in messages if m.author_role == "customer"), None)
        return messages[-MAX_MESSAGES:], first_customer


def _next_page_number(value: Any) -> int | None:
    """The page number in a next_page URL; the URL itself is never followed (it could name another host)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        page = parse_qs(urlsplit(value).query).get("page", [None])[0]
    except ValueError:
        return None
    return int(page) if page and page.isdigit() and int(page) > 1 else None


def _site_url(value: str) -> str:
    """The site root (scheme and host, plus any proxy path) without a trailing /api/v2."""
    url = value.strip().rstrip("/")
    if url.endswith("/api/v2"):
        url = url[: -len("/api/v2")]
    return url


def _base_url(value: str) -> str:
    return _fields.base_url(SYSTEM, _site_url(value), "ZENDESK_BASE_URL",
                            fix="set ZENDESK_BASE_URL to your Zendesk address, e.g. https://yourcompany.zendesk.com, "
                                "or set ZENDESK_SUBDOMAIN instead")


def from_env(env: Mapping[str, str], settings: HttpSettings) -> ZendeskConnector | None:
    base = (env.get("ZENDESK_BASE_URL") or "").strip()
    subdomain = (env.get("ZENDESK_SUBDOMAIN") or "").strip()
    email = (env.get("ZENDESK_EMAIL") or "").strip()
    token = (env.get("ZENDESK_API_TOKEN") or "").strip()
    if not (base or subdomain or email or token):
        return None
    missing = [name for name, value in (("ZENDESK_SUBDOMAIN or ZENDESK_BASE_URL", base or subdomain),
                                        ("ZENDESK_EMAIL", email), ("ZENDESK_API_TOKEN", token)) if not value]
    if missing:
        raise ConnectorError(SYSTEM, "misconfigured", f"Zendesk is set up only in part: {', '.join(missing)} missing",
                             fix=f"set {' and '.join(missing)} (API token auth: the agent's email and a Zendesk API token)")
    if base:
        url = _base_url(base)
    else:
        if subdomain.lower().endswith(".zendesk.com"):
            subdomain = subdomain[: -len(".zendesk.com")]
        if not _SUBDOMAIN.match(subdomain):
            raise ConnectorError(SYSTEM, "misconfigured", "ZENDESK_SUBDOMAIN is not a Zendesk subdomain",
                                 fix="set ZENDESK_SUBDOMAIN to the first part of your address (yourcompany for "
                                     "yourcompany.zendesk.com), or set ZENDESK_BASE_URL")
        url = f"https://{subdomain.lower()}.zendesk.com"
    fields = _fields.named_settings(SYSTEM, env, FIELD_ENV, _FIELD_KEY, "an organization field key",
                                    "set {var} to the field key shown in Admin Center > Objects and rules > "
                                    "Organization fields")
    return ZendeskConnector(url, email, token, settings=settings, organization_fields=fields)
