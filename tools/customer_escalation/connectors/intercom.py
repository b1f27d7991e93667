"""Intercom: related conversations (as tickets), their timeline, and companies as accounts.

Reading
    Conversations come from POST /conversations/search: each significant word is matched
    against the first message (`source.body`, word by word) and its subject, any one of them
    counting (an OR group). Restricted to an account, the search also requires one of that
    account's contacts (`contact_ids IN [...]`): the company's attached contacts when the
    account came from Intercom, else the contacts whose email ends with one of the account's
    domains (or, failing that, the company of the same name). Pages of up to 150 are followed
    with `pagination.starting_after`; results are ordered newest activity first. The parts of
    the top few conversations (GET /conversations/{id}?display_as=plaintext) become the
    ticket's messages: comments are public, notes internal, bot parts system messages.
Accounts
    A name is looked up with GET /companies?name= (an exact name; "company_not_found" means
    none). A domain (acme.com, someone@acme.com, https://acme.com) finds the companies of the
    contacts whose email is at that domain (POST /contacts/search, email `$` "@acme.com").
    plan.name is the plan; ARR is a custom attribute (INTERCOM_ARR_ATTRIBUTE, else arr /
    annual_recurring_revenue) or twelve times monthly_spend; the renewal date and owner come
    from custom attributes (INTERCOM_RENEWAL_ATTRIBUTE, INTERCOM_OWNER_ATTRIBUTE, else common names).
Authentication and regions
    `Authorization: Bearer <access token>` and an `Intercom-Version` header (default 2.14,
    INTERCOM_API_VERSION to change). A workspace hosted in the EU or Australia answers only on
    its regional host: INTERCOM_BASE_URL=https://api.eu.intercom.io or https://api.au.intercom.io.
    Rate limits answer 429 with X-RateLimit-Reset (a UNIX time); the wait is read from it.

Environment: INTERCOM_ACCESS_TOKEN, INTERCOM_BASE_URL (default https://api.intercom.io),
INTERCOM_API_VERSION, INTERCOM_ARR_ATTRIBUTE, INTERCOM_RENEWAL_ATTRIBUTE, INTERCOM_OWNER_ATTRIBUTE.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import time
from collections.abc import Mapping
from typing import Any, Unpack

import httpx2

from ..models import Account, Message, SearchQuery, Ticket
from ..text import terms as text_terms
from . import _fields
from ._fields import mapping
from .base import ConnectorError, HttpConnector, HttpOptions, HttpSettings, HttpSource, Page, answer_json, parse_retry_after, parse_time

SYSTEM = "intercom"
CATEGORY = "support"
ATTRIBUTE_ENV = {"arr": "INTERCOM_ARR_ATTRIBUTE", "renewal": "INTERCOM_RENEWAL_ATTRIBUTE", "owner": "INTERCOM_OWNER_ATTRIBUTE"}
ENV_VARS = ("INTERCOM_ACCESS_TOKEN", "INTERCOM_BASE_URL", "INTERCOM_API_VERSION", *ATTRIBUTE_ENV.values())
DEFAULT_BASE_URL = "https://api.intercom.io"
API_VERSION = "2.14"
REGION_HOSTS = {"api.intercom.io": "https://app.intercom.com", "api.eu.intercom.io": "https://app.eu.intercom.com",
                "api.au.intercom.io": "https://app.au.intercom.com"}

log = logging.getLogger("customer_escalation.connectors.intercom")

MAX_PER_PAGE = 150  # conversations search
MAX_CONTACTS = 50  # contact ids in one `IN` filter
MAX_TEXT = 10_000
MAX_MESSAGES = 50
MAX_KEYWORDS = 6  # two filters each; Intercom allows 15 per group

_CODE = re.compile(r"^[a-z][a-z0-9_]{0,60}$")
_VERSION = re.compile(r"^(?:\d\.\d{1,2}|Unstable)$")
_TERM = re.compile(r"[^\W_][\w.\-]*", re.UNICODE)
_ATTRIBUTE = re.compile(r"^[\w .\-]{1,100}$")
_TAG = re.compile(r"<[^>]{0,2000}>")
_BREAK = re.compile(r"<\s*(?:br\s*/?|/p|/div|/li)\s*>", re.IGNORECASE)

DEFAULT_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "arr": ("arr", "ARR", "annual_recurring_revenue", "Annual Recurring Revenue"),
    "renewal": ("renewal_date", "Renewal date", "renewal", "contract_renewal_date"),
    "owner": ("account_owner", "Account owner", "owner", "csm", "CSM"),
}

_CUSTOMER_AUTHORS = {"user", "lead", "contact"}
_AGENT_AUTHORS = {"admin", "team"}


def _code(body: Any) -> str | None:
    """The first error code of an Intercom error.list, only if it has the closed-vocabulary shape."""
    if not isinstance(body, dict):
        return None
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        code = errors[0].get("code")
        if isinstance(code, str) and _CODE.match(code):
            return code
    return None


class IntercomHttp(HttpSource):
    """HttpSource with Intercom's error.list bodies and X-RateLimit-Reset read safely."""

    def error_for(self, response: httpx2.Response) -> ConnectorError:
        status = response.status_code
        code = _code(answer_json(response))
        if status == 429:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if retry_after is None:
                reset = response.headers.get("X-RateLimit-Reset", "")
                if reset.strip().isdigit():
                    retry_after = max(0.0, float(reset) - time.time())
            wait = f"; retry after {retry_after:.0f}s" if retry_after is not None else ""
            return ConnectorError(SYSTEM, "rate_limited", f"rate limited (HTTP 429){wait}", status_code=429,
                                  retry_after=retry_after)
        error = super().error_for(response)
        suffix = f" [{code}]" if code else ""
        fix = error.fix
        if status == 401:
            fix = ("check INTERCOM_ACCESS_TOKEN, and that INTERCOM_BASE_URL is the workspace's region "
                   "(US https://api.intercom.io, EU https://api.eu.intercom.io, AU https://api.au.intercom.io)")
        elif status == 403:
            fix = ("give the Intercom app read access to conversations, contacts and companies "
                   "(Developer Hub > your app > Authentication), or check the workspace plan")
        elif status == 400 and code in ("intercom_version_invalid", "intercom_version_missing"):
            fix = "set INTERCOM_API_VERSION to a version Intercom supports, e.g. 2.14"
        return ConnectorError(SYSTEM, error.kind, error.message + suffix, status_code=status,
                              retry_after=error.retry_after, fix=fix)


def plain(value: Any, limit: int = MAX_TEXT) -> str:
    """Intercom message HTML as plain text (tags dropped, entities decoded, whitespace tidied)."""
    if not isinstance(value, str):
        return ""
    text = html.unescape(_TAG.sub(" ", _BREAK.sub("\n", value)))
    text = "\n".join(re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.splitlines())
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    return _fields.cut(text, limit)


def search_words(query: SearchQuery, limit: int = MAX_KEYWORDS) -> list[str]:
    """The query's distinct words (dots and hyphens kept inside: v2.3, e-mail), at most `limit`."""
    return _fields.distinct_terms(query.keywords or text_terms(query.text), _TERM, ".-")[:limit]


def _group(operator: str, filters: list[dict[str, Any]]) -> dict[str, Any]:
    return filters[0] if len(filters) == 1 else {"operator": operator, "value": filters}


def _next_cursor(body: Mapping[str, Any]) -> str | None:
    pages = body.get("pages")
    nxt = pages.get("next") if isinstance(pages, dict) else None
    cursor = nxt.get("starting_after") if isinstance(nxt, dict) else None
    return cursor if isinstance(cursor, str) and cursor else None


class IntercomConnector(HttpConnector):
    """Intercom as a support platform (conversations, timeline) and an account source (companies)."""

    name = SYSTEM
    category = "support"

    def __init__(self, base_url: str = DEFAULT_BASE_URL, access_token: str = "", *, api_version: str = API_VERSION,
                 attributes: Mapping[str, str] | None = None, page_size: int = MAX_PER_PAGE, timeline_tickets: int = 3,
                 app_url: str | None = None, extras_timeout: float | None = None, **options: Unpack[HttpOptions]):
        if not access_token:
            raise ConnectorError(SYSTEM, "misconfigured", "no Intercom access token given",
                                 fix="set INTERCOM_ACCESS_TOKEN (Developer Hub > your app > Authentication)")
        base_url = base_url.strip().rstrip("/")
        self.app_url = (app_url or REGION_HOSTS.get(httpx2.URL(base_url).host) or base_url).rstrip("/")
        self.page_size = max(1, min(int(page_size), MAX_PER_PAGE))
        self.timeline_tickets = max(0, int(timeline_tickets))
        attributes = attributes or {}
        self.attributes = {k: (attributes[k],) if attributes.get(k) else DEFAULT_ATTRIBUTES[k] for k in DEFAULT_ATTRIBUTES}
        self.connect(IntercomHttp, base_url, options,
                     headers={"Authorization": f"Bearer {access_token}", "Intercom-Version": api_version})
        # timelines, owners and links are extras: they get half the request timeout, so a slow extra
        # cannot push the whole source past the gather deadline
        self.extras_timeout = extras_timeout if extras_timeout is not None else self.http.settings.timeout / 2
        self._app_id: str | None = None

    # --- API calls ------------------------------------------------------------------------------

    def _object(self, body: Any, what: str) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise ConnectorError(SYSTEM, "error", f"unexpected answer shape from {what} (expected a JSON object)",
                                 fix="check that INTERCOM_BASE_URL is the Intercom API address")
        return body

    async def _get(self, path: str, what: str, **kwargs: Any) -> dict[str, Any]:
        return self._object(await self.http.get_json(path, **kwargs), what)

    async def _post(self, path: str, payload: dict[str, Any], what: str) -> dict[str, Any]:
        # searches are reads: safe to retry on 429/5xx
        response = await self.http.request("POST", path, json=payload, retry=True)
        return self._object(self.http.decode(response), what)

    async def check(self) -> None:
        body = await self._get("me", "/me")
        if body.get("type") != "admin" and not body.get("id"):
            raise ConnectorError(SYSTEM, "error", "unexpected answer from /me (no admin)",
                                 fix="check that INTERCOM_BASE_URL is the Intercom API address")
        self._remember_app(body)

    def _remember_app(self, me: Mapping[str, Any]) -> None:
        app = me.get("app")
        code = app.get("id_code") if isinstance(app, dict) else None
        if isinstance(code, str) and re.fullmatch(r"[A-Za-z0-9_-]{1,64}", code):
            self._app_id = code

    async def _app(self) -> str | None:
        """The workspace id for web links (from /me, once); links are left out when it is unknown."""
        if self._app_id is None:
            try:
                self._remember_app(await self._get("me", "/me", retry=False))
            except ConnectorError as exc:
                log.info("intercom: workspace id not loaded (%s)", exc.kind)
        return self._app_id

    # --- accounts -------------------------------------------------------------------------------

    async def find_accounts(self, name_or_domain: str) -> list[Account]:
        term, domain = _fields.account_term(name_or_domain)
        if not term:
            return []
        if domain:
            contacts, _ = await self._contacts_at(domain)
            company_ids: list[str] = []
            for contact in contacts:
                companies = contact.get("companies")
                for ref in (companies.get("data") if isinstance(companies, dict) else None) or []:
                    cid = ref.get("id") if isinstance(ref, dict) else None
                    if isinstance(cid, str) and cid and cid not in company_ids:
                        company_ids.append(cid)
            companies = await asyncio.gather(*(self._company(cid) for cid in company_ids[:10]))
            found = [c for c in companies if c is not None]
        else:
            found = await self._companies_named(term)
        return [a for a in (self._account(c) for c in found) if a is not None]

    async def _companies_named(self, name: str) -> list[dict[str, Any]]:
        response = await self.http.request("GET", "companies", params={"name": name[:250]}, ok_statuses=(404,))
        body = self.http.decode(response)
        if response.status_code == 404:
            if _code(body) == "company_not_found":
                return []
            raise self.http.error_for(response)
        body = self._object(body, "companies")
        if body.get("type") == "company":
            return [body]
        data = body.get("data")
        if not isinstance(data, list):
            raise ConnectorError(SYSTEM, "error", "unexpected answer shape from companies (no data list)")
        return [c for c in data if isinstance(c, dict)]

    async def _company(self, company_id: str) -> dict[str, Any] | None:
        response = await self.http.request("GET", f"companies/{_path_id(company_id)}", ok_statuses=(404,))
        body = self.http.decode(response)
        if response.status_code == 404:
            return None
        return self._object(body, "company")

    async def _contacts_at(self, domain: str) -> tuple[list[dict[str, Any]], bool]:
        """Contacts whose email is at `domain` (first page); and whether more were left."""
        body = await self._post("contacts/search", {
            "query": {"field": "email", "operator": "$", "value": f"@{domain}"},
            "pagination": {"per_page": MAX_CONTACTS},
        }, "contact search")
        data = body.get("data")
        if not isinstance(data, list):
            raise ConnectorError(SYSTEM, "error", "unexpected answer shape from contact search (no data list)")
        return [c for c in data if isinstance(c, dict)], _next_cursor(body) is not None

    async def _company_contacts(self, company_id: str) -> tuple[list[dict[str, Any]], bool]:
        response = await self.http.request("GET", f"companies/{_path_id(company_id)}/contacts", ok_statuses=(404,))
        body = self.http.decode(response)
        if response.status_code == 404:
            return [], False
        body = self._object(body, "company contacts")
        data = body.get("data")
        if not isinstance(data, list):
            raise ConnectorError(SYSTEM, "error", "unexpected answer shape from company contacts (no data list)")
        total = body.get("total_count")
        more = _next_cursor(body) is not None or (isinstance(total, int) and total > len(data))
        return [c for c in data if isinstance(c, dict)], more

    def _attribute(self, attrs: Mapping[str, Any], kind: str) -> Any:
        for key in self.attributes[kind]:
            if attrs.get(key) not in (None, ""):
                return attrs[key]
        return None

    def _account(self, company: Mapping[str, Any]) -> Account | None:
        cid = company.get("id")
        name = plain(company.get("name"), 200)
        if not isinstance(cid, str) or not cid or not name:
            return None
        attrs = mapping(company.get("custom_attributes"))
        plan = company.get("plan")
        plan_name = plain(plan.get("name"), 80) if isinstance(plan, dict) else ""
        arr = _fields.number(self._attribute(attrs, "arr"))
        monthly = _fields.number(company.get("monthly_spend"))
        if arr is None and monthly:
            arr = monthly * 12
        website = company.get("website")
        domain = _fields.domain_of(website) if isinstance(website, str) else None
        owner = self._attribute(attrs, "owner")
        app_id = company.get("app_id") if isinstance(company.get("app_id"), str) else self._app_id
        if app_id and not self._app_id and re.fullmatch(r"[A-Za-z0-9_-]{1,64}", app_id):
            self._app_id = app_id
        return Account(
            id=cid, name=name, domains=[domain] if domain else [], plan=plan_name or None, arr=arr,
            renewal_date=_fields.day(self._attribute(attrs, "renewal"), epoch_numbers=True),
            owner=plain(owner, 120) or None if isinstance(owner, str) else None,
            source=SYSTEM,
            url=f"{self.app_url}/a/apps/{self._app_id}/companies/{cid}" if self._app_id else None,
        )

    # --- conversations --------------------------------------------------------------------------

    async def _scope_contacts(self, account: Account) -> tuple[list[str], bool]:
        """Contact ids standing for the account, and whether the list was cut."""
        contacts: list[dict[str, Any]] = []
        more = False
        if account.source == SYSTEM:
            contacts, more = await self._company_contacts(account.id)
        else:
            for domain in [d for d in (_fields.domain_of(x) for x in account.domains) if d][:3]:
                found, cut = await self._contacts_at(domain)
                contacts += found
                more = more or cut
            if not contacts:
                for company in (await self._companies_named(account.name))[:1]:
                    contacts, more = await self._company_contacts(str(company.get("id")))
        ids: list[str] = []
        for c in contacts:
            cid = c.get("id")
            if isinstance(cid, str) and cid and cid not in ids:
                ids.append(cid)
        return ids[:MAX_CONTACTS], more or len(ids) > MAX_CONTACTS

    async def search_tickets(self, query: SearchQuery) -> Page:
        words = search_words(query)
        filters: list[dict[str, Any]] = []
        if words:
            filters.append(_group("OR", [f for w in words for f in (
                {"field": "source.body", "operator": "=", "value": w},
                {"field": "source.subject", "operator": "~", "value": w},
            )]))
        scope_cut = False
        if query.account is not None:
            contact_ids, scope_cut = await self._scope_contacts(query.account)
            if not contact_ids:
                return Page([], truncated=False)
            filters.append({"field": "contact_ids", "operator": "IN", "value": contact_ids})
        if not filters:
            return Page([], truncated=False)
        search_query = _group("AND", filters)
        per_page = min(self.page_size, max(1, query.limit))
        app = asyncio.create_task(self._app())

        async def fetch(cursor: str | None) -> tuple[list[dict[str, Any]], str | None]:
            pagination: dict[str, Any] = {"per_page": per_page}
            if cursor:
                pagination["starting_after"] = cursor
            body = await self._post("conversations/search", {"query": search_query, "pagination": pagination},
                                    "conversation search")
            conversations = body.get("conversations")
            if not isinstance(conversations, list):
                raise ConnectorError(SYSTEM, "error", "unexpected answer shape from conversation search")
            return [c for c in conversations if isinstance(c, dict)], _next_cursor(body)

        try:
            page = await self.http.paginate(fetch, limit=query.limit)
        except BaseException:
            app.cancel()
            raise
        # web links are a nicety: wait briefly for the workspace id, never for a slow /me
        done, _ = await asyncio.wait({app}, timeout=self.extras_timeout)
        app_id = app.result() if done else None
        if not done:
            app.cancel()
        account_id = query.account.id if query.account is not None else None
        tickets = [t for t in (self._ticket(c, account_id, app_id) for c in page.items) if t is not None]
        tickets.sort(key=lambda t: t.updated_at or t.created_at, reverse=True)
        return Page(await self._with_timelines(tickets), truncated=page.truncated or scope_cut)

    def _ticket(self, conv: Mapping[str, Any], account_id: str | None, app_id: str | None) -> Ticket | None:
        cid = conv.get("id")
        cid = str(cid) if isinstance(cid, (str, int)) and not isinstance(cid, bool) else None
        created = parse_time(conv.get("created_at"))
        if not cid or created is None:
            return None
        source = mapping(conv.get("source"))
        body = plain(source.get("body"))
        subject = plain(conv.get("title"), 300) or plain(source.get("subject"), 300)
        if not subject:
            first = next((line for line in body.splitlines() if line.strip()), "")
            subject = first if len(first) <= 120 else first[:119].rstrip() + "…"
        state = conv.get("state")
        status = {"open": "open", "snoozed": "pending", "closed": "closed"}.get(state if isinstance(state, str) else "")
        if status is None:
            status = "open" if conv.get("open") is not False else "closed"
        author = mapping(source.get("author"))
        requester = None
        if author.get("type") in _CUSTOMER_AUTHORS:
            requester = plain(author.get("name"), 120) or plain(author.get("email"), 120) or None
        tags_obj = conv.get("tags")
        tags = [plain(t.get("name"), 80) for t in ((tags_obj.get("tags") if isinstance(tags_obj, dict) else None) or [])
                if isinstance(t, dict) and isinstance(t.get("name"), str)][:30]
        return Ticket(
            id=cid, account_id=account_id, subject=subject or "(no subject)", description=body,
            status=status,
            priority="high" if conv.get("priority") == "priority" else "normal",
            created_at=created, updated_at=parse_time(conv.get("updated_at")), requester=requester, tags=tags,
            url=f"{self.app_url}/a/inbox/{app_id}/inbox/conversation/{cid}" if app_id else None,
            source=SYSTEM,
        )

    async def _with_timelines(self, tickets: list[Ticket]) -> list[Ticket]:
        return await _fields.with_extras(SYSTEM, "conversation timelines", tickets, self.timeline_tickets, lambda t: self._parts(t.id),
                                         lambda t, messages: t.model_copy(update={"messages": messages}), self.extras_timeout)

    async def _parts(self, conversation_id: str) -> list[Message]:
        body = await self._get(f"conversations/{_path_id(conversation_id)}", "conversation",
                               params={"display_as": "plaintext"})
        messages: list[Message] = []
        source = mapping(body.get("source"))
        first = _message(source.get("author"), source.get("body"), body.get("created_at"), "comment")
        if first:
            messages.append(first)
        parts_obj = body.get("conversation_parts")
        parts = parts_obj.get("conversation_parts") if isinstance(parts_obj, dict) else None
        for part in parts if isinstance(parts, list) else []:
            if isinstance(part, dict):
                message = _message(part.get("author"), part.get("body"), part.get("created_at"), part.get("part_type"))
                if message:
                    messages.append(message)
        messages.sort(key=lambda m: m.created_at)
        return messages[-MAX_MESSAGES:]


def _message(author: Any, body: Any, created: Any, part_type: Any) -> Message | None:
    text = plain(body)
    when = parse_time(created)
    if not text or when is None:
        return None
    author = author if isinstance(author, dict) else {}
    kind = author.get("type")
    public = part_type != "note"
    if kind in _CUSTOMER_AUTHORS:
        role = "customer"
    elif kind in _AGENT_AUTHORS:
        role = "agent" if public else "internal"
    else:
        role = "system"
    name = plain(author.get("name"), 120) or plain(author.get("email"), 120) or ("Intercom" if role == "system" else "unknown")
    return Message(author=name, author_role=role, created_at=when, body=text, public=public)


def _path_id(value: str) -> str:
    """An id as one URL path segment (Intercom ids are alphanumeric; anything else is refused)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", value or ""):
        raise ConnectorError(SYSTEM, "invalid_request", "an Intercom id has an unexpected shape")
    return value


def _base_url(value: str | None) -> str:
    return _fields.base_url(SYSTEM, value, "INTERCOM_BASE_URL", default=DEFAULT_BASE_URL,
                            fix="set INTERCOM_BASE_URL to https://api.intercom.io (US), https://api.eu.intercom.io (EU) "
                                "or https://api.au.intercom.io (AU)")


def from_env(env: Mapping[str, str], settings: HttpSettings) -> IntercomConnector | None:
    token = _fields.credential(SYSTEM, "Intercom", env, ENV_VARS,
                               fix="set INTERCOM_ACCESS_TOKEN (Developer Hub > your app > Authentication)")
    if token is None:
        return None
    version = _fields.setting(SYSTEM, env, "INTERCOM_API_VERSION", _VERSION, API_VERSION, "an Intercom API version",
                              "set INTERCOM_API_VERSION to a version like 2.14, or leave it unset")
    attributes = _fields.named_settings(SYSTEM, env, ATTRIBUTE_ENV, _ATTRIBUTE, "a company attribute name",
                                        "set {var} to the attribute's name as Intercom shows it under company data")
    return IntercomConnector(_base_url(env.get("INTERCOM_BASE_URL")), token, api_version=version, settings=settings,
                             attributes=attributes)
