"""Salesforce: the account with its owner, key contacts and (configured) ARR, plan and renewal date.

Reading
    One SOQL query on Account (GET /services/data/vXX.X/query?q=...) finds accounts whose Name
    contains the term, or, for a domain (acme.com, jo@acme.com, https://acme.com), whose Website
    does; accounts whose website is exactly that domain are preferred. The same query brings the
    owner (Owner.Name) and the first five contacts (a Contacts sub-query). More batches are
    followed through nextRecordsUrl, up to ten candidates. Every value placed in the query is
    escaped as a SOQL string literal (quotes, backslashes, control characters) and, inside LIKE,
    its % and _ wildcards too, so a name can never change the query.
Open opportunities
    When exactly one account matched, a second query reads its open opportunities: SELECT Id, Name,
    Amount, StageName, CloseDate, Type FROM Opportunity WHERE AccountId = '<id>' AND IsClosed = false,
    soonest to close first, batches followed the same way. An opportunity whose Type or Name says
    renewal is a renewal deal (its close date stands in for a missing renewal field). This is best
    effort within half the request timeout: without read access to Opportunity, or on a failure, the
    account comes back with its open deals not read (None), never an error.
Fields
    Salesforce has no standard ARR, plan, renewal or SLA field; name yours with
    SALESFORCE_ARR_FIELD, SALESFORCE_PLAN_FIELD, SALESFORCE_RENEWAL_FIELD and SALESFORCE_SLA_FIELD
    (API names such as ARR__c, or a lookup like Contract__r.End_Date__c). AnnualRevenue is the
    customer's own revenue: it is noted as such, never taken as ARR. Type and Industry go into
    the account notes.
Errors
    Salesforce answers errors as a JSON array [{"message", "errorCode"}]; only the errorCode is
    shown, and only when it has the shape of one. INVALID_SESSION_ID (an expired or wrong token)
    is auth_failed; REQUEST_LIMIT_EXCEEDED is rate_limited and not retried (the limit is a rolling
    24 hours); INVALID_FIELD on a configured field is a misconfiguration naming the variables.
Authentication
    `Authorization: Bearer <OAuth access token>` against the org's own instance URL (My Domain).
    check() is GET /services/data/vXX.X/ (authenticated, and confirms the API version exists).

Environment: SALESFORCE_INSTANCE_URL, SALESFORCE_ACCESS_TOKEN, SALESFORCE_API_VERSION (default v62.0),
and the optional field names above.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping
from typing import Any, Unpack

import httpx2

from ..models import Account, Contact, Deal
from . import _fields
from .base import ConnectorError, HttpConnector, HttpOptions, HttpSettings, HttpSource, answer_json

SYSTEM = "salesforce"
CATEGORY = "crm"
FIELD_ENV = {"arr": "SALESFORCE_ARR_FIELD", "plan": "SALESFORCE_PLAN_FIELD", "renewal": "SALESFORCE_RENEWAL_FIELD",
             "sla": "SALESFORCE_SLA_FIELD"}
ENV_VARS = ("SALESFORCE_INSTANCE_URL", "SALESFORCE_ACCESS_TOKEN", "SALESFORCE_API_VERSION", *FIELD_ENV.values())
API_VERSION = "v62.0"

log = logging.getLogger("customer_escalation.connectors.salesforce")

MAX_CANDIDATES = 10
MAX_CONTACTS = 5
MAX_TERM = 100
MAX_DEALS = 25
OPPORTUNITY_FIELDS = ("Id", "Name", "Amount", "StageName", "CloseDate", "Type")

STANDARD_FIELDS = ("Id", "Name", "Website", "Type", "Industry", "AnnualRevenue", "Owner.Name")

_CODE = re.compile(r"^[A-Z][A-Z_]{1,60}$")
_FIELD = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,79}(?:\.[A-Za-z][A-Za-z0-9_]{0,79}){0,2}$")
_VERSION = re.compile(r"^v?(\d{2,3})(?:\.0)?$")
_SF_ID = re.compile(r"^[A-Za-z0-9]{15,18}$")
_NEXT = re.compile(r"^/services/data/v\d{2,3}\.\d/query/[A-Za-z0-9-]{1,100}$")
_ESCAPES = {"\\": "\\\\", "'": "\\'", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def soql_string(value: str) -> str:
    """`value` as the inside of a SOQL string literal: quotes, backslashes and control characters escaped."""
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 32 or ord(ch) == 127:
            continue  # other control characters have no escape; drop them
        else:
            out.append(ch)
    return "".join(out)


def soql_like(value: str) -> str:
    """`value` for a LIKE pattern literal: escaped as a string, and its % and _ taken literally."""
    return soql_string(value).replace("%", "\\%").replace("_", "\\_")


def _error_code(response: httpx2.Response) -> str | None:
    """The errorCode of Salesforce's error array, only if it has the shape of one."""
    body = answer_json(response)
    first = body[0] if isinstance(body, list) and body else body
    code = first.get("errorCode") if isinstance(first, dict) else None
    return code if isinstance(code, str) and _CODE.match(code) else None


class SalesforceHttp(HttpSource):
    """HttpSource with Salesforce's error arrays mapped to trusted errors."""

    configured_fields: tuple[str, ...] = ()  # the SALESFORCE_*_FIELD variables in use, for INVALID_FIELD

    def error_for(self, response: httpx2.Response) -> ConnectorError:
        status = response.status_code
        code = _error_code(response)
        shown = f" ({code})" if code else ""
        if code == "INVALID_SESSION_ID" or status == 401:
            return ConnectorError(SYSTEM, "auth_failed", f"the access token was rejected (HTTP {status}){shown}",
                                  status_code=status,
                                  fix="get a fresh access token (they expire) for SALESFORCE_ACCESS_TOKEN, and check that "
                                      "SALESFORCE_INSTANCE_URL is your org's own URL (https://yourdomain.my.salesforce.com)")
        if code == "REQUEST_LIMIT_EXCEEDED":
            return ConnectorError(SYSTEM, "rate_limited", f"the org's API request limit is used up (HTTP {status}){shown}",
                                  status_code=status,
                                  fix="wait for the rolling 24-hour API limit to recover, or raise it in Salesforce")
        if code in ("INVALID_FIELD", "INVALID_TYPE", "INVALID_FIELD_FOR_INSERT_UPDATE") and self.configured_fields:
            names = ", ".join(self.configured_fields)
            return ConnectorError(SYSTEM, "misconfigured", f"Salesforce refused a field in the query{shown}",
                                  status_code=status,
                                  fix=f"check the API names in {names} (Setup > Object Manager > Account > Fields), and "
                                      "that the user can read them")
        if status == 404:
            return ConnectorError(SYSTEM, "not_found", f"not found (HTTP 404){shown}", status_code=status,
                                  fix="check SALESFORCE_INSTANCE_URL and SALESFORCE_API_VERSION (e.g. v62.0)")
        error = super().error_for(response)
        fix = error.fix
        if status == 403:
            fix = "give the Salesforce user API access (API Enabled) and read access to Account, Contact, User and Opportunity"
        return ConnectorError(SYSTEM, error.kind, error.message + shown, status_code=status,
                              retry_after=error.retry_after, fix=fix)


def _path(record: Mapping[str, Any], field: str) -> Any:
    value: Any = record
    for part in field.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _money(value: float) -> str:
    for size, unit in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if value >= size:
            return f"{value / size:.1f}{unit}"
    return f"{value:.0f}"


class SalesforceConnector(HttpConnector):
    """Salesforce as a CRM: Account lookup by name or website domain."""

    name = SYSTEM
    category = "crm"
    http: SalesforceHttp

    def __init__(self, instance_url: str, access_token: str, *, api_version: str = API_VERSION,
                 fields: Mapping[str, str] | None = None, extras_timeout: float | None = None, **options: Unpack[HttpOptions]):
        if not instance_url or not access_token:
            raise ConnectorError(SYSTEM, "misconfigured", "Salesforce needs an instance URL and an access token",
                                 fix="set SALESFORCE_INSTANCE_URL and SALESFORCE_ACCESS_TOKEN")
        match = _VERSION.match(api_version.strip())
        if not match:
            raise ConnectorError(SYSTEM, "misconfigured", "the Salesforce API version is not like v62.0",
                                 fix="set SALESFORCE_API_VERSION to a version such as v62.0, or leave it unset")
        self.api_version = f"v{match.group(1)}.0"
        self.fields = {k: v for k, v in (fields or {}).items() if v}
        for kind, field in self.fields.items():
            if kind not in FIELD_ENV or not _FIELD.match(field):
                raise ConnectorError(SYSTEM, "misconfigured", f"{FIELD_ENV.get(kind, kind)} is not a Salesforce field API name",
                                     fix="use an API name such as ARR__c or Contract__r.End_Date__c")
        self.connect(SalesforceHttp, instance_url.strip().rstrip("/"), options, headers={"Authorization": f"Bearer {access_token}"})
        self.http.configured_fields = tuple(FIELD_ENV[k] for k in self.fields)
        # the opportunities are an extra: half the request timeout, so they cannot push the source past the deadline
        self.extras_timeout = extras_timeout if extras_timeout is not None else self.http.settings.timeout / 2

    @property
    def _data(self) -> str:
        return f"services/data/{self.api_version}"

    async def check(self) -> None:
        body = await self.http.get_json(f"{self._data}/")
        if not isinstance(body, dict) or "query" not in body:
            raise ConnectorError(SYSTEM, "error", "unexpected answer from the REST API root (no query resource)",
                                 fix="check that SALESFORCE_INSTANCE_URL is your org's URL")

    def soql(self, name_or_domain: str) -> str | None:
        """The Account query for a name or a domain (None when there is nothing to look for)."""
        term = " ".join(name_or_domain.split())[:MAX_TERM]
        if not term:
            return None
        domain = _fields.domain_of(term)
        where = f"Website LIKE '%{soql_like(domain)}%'" if domain else f"Name LIKE '%{soql_like(term)}%'"
        fields = list(STANDARD_FIELDS) + [f for f in self.fields.values() if f not in STANDARD_FIELDS]
        contacts = f"(SELECT Name, Email, Title FROM Contacts ORDER BY CreatedDate ASC LIMIT {MAX_CONTACTS})"
        return (f"SELECT {', '.join(fields)}, {contacts} FROM Account WHERE {where} "
                f"ORDER BY LastModifiedDate DESC LIMIT {MAX_CANDIDATES}")

    async def _query(self, soql: str, limit: int) -> list[dict[str, Any]]:
        """The records of a SOQL query, batches followed through nextRecordsUrl up to `limit`."""
        async def fetch(next_url: str | None) -> tuple[list[dict[str, Any]], str | None]:
            if next_url:
                body = await self.http.get_json(next_url.lstrip("/"))
            else:
                body = await self.http.get_json(f"{self._data}/query", params={"q": soql})
            if not isinstance(body, dict) or not isinstance(body.get("records"), list):
                raise ConnectorError(SYSTEM, "error", "unexpected answer shape from the query (no records list)",
                                     fix="check that SALESFORCE_INSTANCE_URL is your org's URL")
            nxt = body.get("nextRecordsUrl")
            # follow only a locator on this instance's query resource, never another host
            following = nxt if (body.get("done") is False and isinstance(nxt, str) and _NEXT.match(nxt)) else None
            return [r for r in body["records"] if isinstance(r, dict)], following

        return (await self.http.paginate(fetch, limit=limit)).items

    async def find_accounts(self, name_or_domain: str) -> list[Account]:
        query = self.soql(name_or_domain or "")
        if query is None:
            return []
        accounts = [a for a in (self._account(r) for r in await self._query(query, MAX_CANDIDATES)) if a is not None]
        domain = _fields.domain_of(name_or_domain)
        if domain:
            exact = [a for a in accounts if domain in a.domains]
            accounts = exact or accounts
        if len(accounts) == 1:
            accounts[0] = accounts[0].model_copy(update={"open_deals": await self._open_opportunities(accounts[0].id)})
        return accounts

    @staticmethod
    def opportunity_soql(account_id: str) -> str:
        return (f"SELECT {', '.join(OPPORTUNITY_FIELDS)} FROM Opportunity WHERE AccountId = '{soql_string(account_id)}' "
                f"AND IsClosed = false ORDER BY CloseDate ASC LIMIT {MAX_DEALS}")

    async def _open_opportunities(self, account_id: str) -> list[Deal] | None:
        """The account's open opportunities, soonest to close first; None when they could not be read in time."""
        try:
            records = await asyncio.wait_for(self._query(self.opportunity_soql(account_id), MAX_DEALS), self.extras_timeout)
        except ConnectorError as exc:
            # a user without read access to Opportunity gets INVALID_TYPE (HTTP 400): the status says which it was
            log.info("salesforce: open opportunities not loaded (%s, HTTP %s)", exc.kind, exc.status_code)
            return None
        except TimeoutError:  # asyncio.TimeoutError is TimeoutError
            log.info("salesforce: open opportunities not loaded in time")
            return None
        return [d for d in (self._opportunity(r) for r in records) if d is not None]

    def _opportunity(self, record: Mapping[str, Any]) -> Deal | None:
        rid = record.get("Id")
        if not isinstance(rid, str) or not _SF_ID.match(rid) or record.get("IsClosed") is True:
            return None
        name = _fields.text(record.get("Name"), 200) or f"opportunity {rid}"
        kind = f"{record.get('Type') or ''} {name}".lower()
        return Deal(id=rid, name=name, amount=_fields.number(record.get("Amount")), stage=_fields.text(record.get("StageName"), 80),
                    close_date=_fields.day(record.get("CloseDate")), renewal="renew" in kind, source=SYSTEM,
                    url=f"{self.base_url}/lightning/r/Opportunity/{rid}/view")

    def _account(self, record: Mapping[str, Any]) -> Account | None:
        rid = record.get("Id")
        name = _fields.text(record.get("Name"))
        if not isinstance(rid, str) or not _SF_ID.match(rid) or not name:
            return None
        website = record.get("Website")
        domain = _fields.domain_of(website) if isinstance(website, str) else None
        contacts: list[Contact] = []
        related = record.get("Contacts")
        for c in (related.get("records") if isinstance(related, dict) else None) or []:
            if not isinstance(c, dict):
                continue
            cname, email = _fields.text(c.get("Name"), 120), _fields.text(c.get("Email"), 120)
            if cname or email:
                contacts.append(Contact(name=cname or email or "", email=email, role=_fields.text(c.get("Title"), 80)))
        revenue = _fields.number(record.get("AnnualRevenue"))
        notes = "; ".join(f"{label}: {v}" for label, v in (
            ("type", _fields.text(record.get("Type"), 60)), ("industry", _fields.text(record.get("Industry"), 80)),
            ("their own annual revenue", _money(revenue) if revenue else None)) if v) or None
        field = self.fields.get
        return Account(
            id=rid, name=name, domains=[domain] if domain else [],
            plan=_fields.text(_path(record, field("plan")), 80) if field("plan") else None,
            arr=_fields.number(_path(record, field("arr"))) if field("arr") else None,
            renewal_date=_fields.day(_path(record, field("renewal"))) if field("renewal") else None,
            sla_tier=_fields.text(_path(record, field("sla")), 80) if field("sla") else None,
            owner=_fields.text(_path(record, "Owner.Name"), 120), key_contacts=contacts[:MAX_CONTACTS], notes=notes,
            source=SYSTEM, url=f"{self.base_url}/lightning/r/Account/{rid}/view",
        )


def _instance_url(value: str) -> str:
    return _fields.base_url(SYSTEM, value, "SALESFORCE_INSTANCE_URL",
                            fix="set SALESFORCE_INSTANCE_URL to your org's URL, e.g. https://yourdomain.my.salesforce.com")


def from_env(env: Mapping[str, str], settings: HttpSettings) -> SalesforceConnector | None:
    instance = (env.get("SALESFORCE_INSTANCE_URL") or "").strip()
    token = (env.get("SALESFORCE_ACCESS_TOKEN") or "").strip()
    if not instance and not token:
        others = [v for v in ENV_VARS[2:] if (env.get(v) or "").strip()]
        if others:
            raise ConnectorError(SYSTEM, "misconfigured",
                                 f"Salesforce is set up only in part: SALESFORCE_INSTANCE_URL and SALESFORCE_ACCESS_TOKEN "
                                 f"missing ({others[0]} is set)",
                                 fix="set SALESFORCE_INSTANCE_URL and SALESFORCE_ACCESS_TOKEN")
        return None
    missing = [name for name, value in (("SALESFORCE_INSTANCE_URL", instance), ("SALESFORCE_ACCESS_TOKEN", token)) if not value]
    if missing:
        raise ConnectorError(SYSTEM, "misconfigured", f"Salesforce is set up only in part: {missing[0]} missing",
                             fix=f"set {missing[0]} (the org's URL and an OAuth access token for it)")
    version = _fields.setting(SYSTEM, env, "SALESFORCE_API_VERSION", _VERSION, API_VERSION, "like v62.0",
                              "set SALESFORCE_API_VERSION to a version such as v62.0, or leave it unset")
    fields = _fields.named_settings(SYSTEM, env, FIELD_ENV, _FIELD, "a Salesforce field API name",
                                    "set {var} to an API name such as ARR__c (Setup > Object Manager > Account > Fields)")
    return SalesforceConnector(_instance_url(instance), token, api_version=version, settings=settings, fields=fields)
