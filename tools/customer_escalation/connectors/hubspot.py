"""HubSpot CRM: the account (company) with its plan, ARR, renewal date, owner and key contacts.

Reading
    Companies come from POST /crm/v3/objects/companies/search. A name is matched two ways, any
    one counting (two filterGroups): every word of it as a token of `name` (CONTAINS_TOKEN), or
    the whole name (EQ, case-insensitive); a domain (acme.com, jo@acme.com, https://acme.com) is
    matched on `domain` (EQ). Pages are followed with `paging.next.after` up to ten candidates.
    For what comes back:
    - the owner's name from GET /crm/v3/owners/{hubspot_owner_id} (scope crm.objects.owners.read);
    - when exactly one company matched, its first contacts (POST /crm/v3/objects/contacts/search
      on associatedcompanyid) as key contacts (scope crm.objects.contacts.read);
    - the record link from the portal id of GET /account-info/v3/details;
    - when exactly one company matched, its open deals: the deal ids associated with the company
      (GET /crm/v4/objects/companies/{id}/associations/deals, paged with `after`), then those deals
      (POST /crm/v3/objects/deals/batch/read: dealname, amount, deal_currency_code, dealstage,
      closedate, pipeline, dealtype, hs_is_closed) with the stage labels of GET /crm/v3/pipelines/deals
      (scope crm.objects.deals.read). Closed-won and closed-lost deals are left out: `hs_is_closed`
      says so, else the stage's `metadata.isClosed`. A deal whose type, pipeline or name says renewal
      is a renewal deal (its close date stands in for a missing renewal property).
    These extras are best effort, each within its own time: a missing scope or a slow answer leaves that
    field empty (open deals: None, "not read", rather than [] "none open").
Properties
    HubSpot has no standard ARR, plan or renewal property: ARR is read from HUBSPOT_ARR_PROPERTY
    (else `arr` / `annual_recurring_revenue` when the portal has them), the plan from
    HUBSPOT_PLAN_PROPERTY (else `plan`, `subscription_plan`), the renewal date from
    HUBSPOT_RENEWAL_PROPERTY (else `renewal_date`, `contract_renewal_date`) and the SLA tier from
    HUBSPOT_SLA_PROPERTY. `annualrevenue` is the customer's own revenue, not what they pay: it
    is never taken as ARR. Lifecycle stage, type and industry go into the account notes.
Authentication and limits
    `Authorization: Bearer <private app access token>`. check() is GET
    /crm/v3/objects/companies?limit=1 (scope crm.objects.companies.read). A 429 names its policy
    in the body: the ten-second and secondly limits are retried after Retry-After (or a second);
    the daily limit is reported at once, since retrying cannot succeed before the daily reset.

Environment: HUBSPOT_ACCESS_TOKEN, HUBSPOT_BASE_URL (default https://api.hubapi.com), and the
optional property names above.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Mapping
from typing import Any, Unpack

import httpx2

from ..models import Account, Contact, Deal
from ..revenue import soonest_first
from . import _fields
from .base import ConnectorError, HttpConnector, HttpOptions, HttpSettings, HttpSource, answer_json, parse_retry_after

SYSTEM = "hubspot"
CATEGORY = "crm"
PROPERTY_ENV = {"arr": "HUBSPOT_ARR_PROPERTY", "plan": "HUBSPOT_PLAN_PROPERTY", "renewal": "HUBSPOT_RENEWAL_PROPERTY",
                "sla": "HUBSPOT_SLA_PROPERTY"}
ENV_VARS = ("HUBSPOT_ACCESS_TOKEN", "HUBSPOT_BASE_URL", *PROPERTY_ENV.values())
DEFAULT_BASE_URL = "https://api.hubapi.com"
DEFAULT_UI = "app.hubspot.com"

log = logging.getLogger("customer_escalation.connectors.hubspot")

MAX_CANDIDATES = 10
MAX_CONTACTS = 5
MAX_NAME_TOKENS = 5  # HubSpot allows 6 filters per group
MAX_DEAL_IDS = 200  # associated deals read per company (closed ones included); two association pages
ASSOCIATION_PAGE = 100
BATCH_READ = 100  # HubSpot's batch read limit
MAX_DEALS = 25  # open deals kept
DEAL_PROPERTIES = ("dealname", "amount", "deal_currency_code", "dealstage", "closedate", "pipeline", "dealtype", "hs_is_closed")
CLOSED_STAGES = ("closedwon", "closedlost")  # the default pipeline's closed stages, when the stage metadata is not at hand

STANDARD_PROPERTIES = ("name", "domain", "website", "annualrevenue", "industry", "type", "lifecyclestage",
                       "hubspot_owner_id", "hs_lastmodifieddate")
DEFAULT_PROPERTIES: dict[str, tuple[str, ...]] = {
    "arr": ("arr", "annual_recurring_revenue"),
    "plan": ("plan", "subscription_plan"),
    "renewal": ("renewal_date", "contract_renewal_date"),
    "sla": ("sla_tier",),
}

_CATEGORY = re.compile(r"^[A-Z][A-Z_]{1,40}$")
_POLICY = re.compile(r"^[A-Z][A-Z_]{1,40}$")
_PROPERTY = re.compile(r"^[a-z0-9_]{1,100}$")
_HOST = re.compile(r"^[a-z0-9.-]{1,100}\.hubspot\.com$")
_ID = re.compile(r"^\d{1,20}$")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_STAGE = re.compile(r"^[A-Za-z0-9_.:-]{1,100}$")


def _next_after(body: Mapping[str, Any]) -> str | None:
    """The `paging.next.after` cursor of a HubSpot page, when more remain."""
    paging = body.get("paging")
    nxt = paging.get("next") if isinstance(paging, dict) else None
    cursor = nxt.get("after") if isinstance(nxt, dict) else None
    return str(cursor) if cursor not in (None, "") else None


def _body(response: httpx2.Response) -> dict[str, Any]:
    body = answer_json(response)
    return body if isinstance(body, dict) else {}


class HubSpotHttp(HttpSource):
    """HttpSource with HubSpot's error bodies (category, policyName) read safely."""

    def error_for(self, response: httpx2.Response) -> ConnectorError:
        status = response.status_code
        body = _body(response)
        category = body.get("category") if isinstance(body.get("category"), str) and _CATEGORY.match(body["category"]) else None
        if status == 429:
            policy = body.get("policyName") if isinstance(body.get("policyName"), str) and _POLICY.match(body["policyName"]) else None
            if policy == "DAILY":
                # raised here, not returned: the request loop would otherwise retry a limit that lasts until midnight
                raise ConnectorError(SYSTEM, "rate_limited", "the portal's daily API limit is used up (HTTP 429, DAILY)",
                                     status_code=429, fix="wait for the daily reset (midnight in the HubSpot account's time "
                                                          "zone) or raise the limit with the API limit increase")
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if retry_after is None:
                retry_after = 1.0  # the secondly and ten-secondly windows are short
            shown = f", {policy}" if policy else ""
            return ConnectorError(SYSTEM, "rate_limited", f"rate limited (HTTP 429{shown}); retry after {retry_after:g}s",
                                  status_code=429, retry_after=retry_after)
        error = super().error_for(response)
        suffix = f" [{category}]" if category else ""
        fix = error.fix
        if status == 401:
            fix = "check HUBSPOT_ACCESS_TOKEN: a current private app access token for this HubSpot account"
        elif status == 403:
            fix = ("add the scopes crm.objects.companies.read (and crm.objects.contacts.read, crm.objects.owners.read, "
                   "crm.objects.deals.read for contacts, owners and open deals) to the private app, then update "
                   "HUBSPOT_ACCESS_TOKEN")
        return ConnectorError(SYSTEM, error.kind, error.message + suffix, status_code=status,
                              retry_after=error.retry_after, fix=fix)


class HubSpotConnector(HttpConnector):
    """HubSpot as a CRM: company search, owner and key contacts."""

    name = SYSTEM
    category = "crm"

    def __init__(self, base_url: str = DEFAULT_BASE_URL, access_token: str = "", *, properties: Mapping[str, str] | None = None,
                 page_size: int = MAX_CANDIDATES, extras_timeout: float | None = None, **options: Unpack[HttpOptions]):
        if not access_token:
            raise ConnectorError(SYSTEM, "misconfigured", "no HubSpot access token given",
                                 fix="set HUBSPOT_ACCESS_TOKEN (a private app access token)")
        self.page_size = max(1, min(int(page_size), 100))
        properties = properties or {}
        self.configured = {k: v for k, v in properties.items() if v}
        self.props = {k: (self.configured[k],) if k in self.configured else DEFAULT_PROPERTIES[k] for k in DEFAULT_PROPERTIES}
        self.connect(HubSpotHttp, base_url.strip().rstrip("/"), options, headers={"Authorization": f"Bearer {access_token}"})
        # timelines, owners and links are extras: they get half the request timeout, so a slow extra
        # cannot push the whole source past the gather deadline
        self.extras_timeout = extras_timeout if extras_timeout is not None else self.http.settings.timeout / 2
        self._portal: tuple[str, str] | None = None  # (ui host, portal id)
        self._owners: dict[str, str | None] = {}
        self._stages: dict[str, tuple[str | None, bool | None]] | None = None  # stage id -> (label, closed)
        self._pipelines: dict[str, str] = {}  # pipeline id -> label

    async def _post(self, path: str, payload: dict[str, Any], what: str) -> dict[str, Any]:
        response = await self.http.request("POST", path, json=payload, retry=True)  # searches are reads
        body = self.http.decode(response)
        if not isinstance(body, dict):
            raise ConnectorError(SYSTEM, "error", f"unexpected answer shape from {what}",
                                 fix="check that HUBSPOT_BASE_URL is the HubSpot API address")
        return body

    async def check(self) -> None:
        body = await self.http.get_json("crm/v3/objects/companies", params={"limit": 1, "archived": "false"})
        if not isinstance(body, dict) or not isinstance(body.get("results"), list):
            raise ConnectorError(SYSTEM, "error", "unexpected answer shape from the companies list",
                                 fix="check that HUBSPOT_BASE_URL is the HubSpot API address")

    # --- company search -------------------------------------------------------------------------

    def _properties(self, extras: bool = True) -> list[str]:
        names = list(STANDARD_PROPERTIES)
        for kind, options in self.props.items():
            if extras or kind in self.configured:
                names += [p for p in options if p not in names]
        return names

    @staticmethod
    def _filter_groups(term: str) -> list[dict[str, Any]] | None:
        domain = _fields.domain_of(term)
        if domain:
            return [{"filters": [{"propertyName": "domain", "operator": "EQ", "value": domain}]}]
        tokens = []
        for token in _TOKEN.findall(term.lower()):
            if token not in tokens:
                tokens.append(token)
        name = " ".join(term.split())[:200]
        if not tokens or not name:
            return None
        return [
            {"filters": [{"propertyName": "name", "operator": "CONTAINS_TOKEN", "value": t} for t in tokens[:MAX_NAME_TOKENS]]},
            {"filters": [{"propertyName": "name", "operator": "EQ", "value": name}]},
        ]

    async def _search_companies(self, groups: list[dict[str, Any]], properties: list[str]) -> list[dict[str, Any]]:
        async def fetch(after: str | None) -> tuple[list[dict[str, Any]], str | None]:
            payload: dict[str, Any] = {"filterGroups": groups, "properties": properties,
                                       "limit": min(self.page_size, MAX_CANDIDATES)}
            if after:
                payload["after"] = after
            body = await self._post("crm/v3/objects/companies/search", payload, "company search")
            results = body.get("results")
            if not isinstance(results, list):
                raise ConnectorError(SYSTEM, "error", "unexpected answer shape from company search (no results list)")
            return [r for r in results if isinstance(r, dict)], _next_after(body)

        page = await self.http.paginate(fetch, limit=MAX_CANDIDATES)
        return page.items

    async def _search_with_fallback(self, groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Search with the optional properties; a portal that refuses them is asked again without."""
        try:
            return await self._search_companies(groups, self._properties())
        except ConnectorError as exc:
            if exc.kind != "invalid_request":
                raise
            error = exc
            if len(self._properties(False)) < len(self._properties()):
                log.info("hubspot: search refused with optional properties; asking with the configured ones only")
                try:
                    return await self._search_companies(groups, self._properties(False))
                except ConnectorError as again:
                    if again.kind != "invalid_request":
                        raise
                    error = again
        if self.configured:
            names = ", ".join(PROPERTY_ENV[k] for k in self.configured)
            raise ConnectorError(SYSTEM, "misconfigured", f"{error.message}: check the property names in {names}",
                                 status_code=error.status_code,
                                 fix=f"set {names} to internal property names (Settings > Properties > Company "
                                     "properties > the property > internal name)")
        raise error

    async def find_accounts(self, name_or_domain: str) -> list[Account]:
        groups = self._filter_groups((name_or_domain or "").strip())
        if groups is None:
            return []
        companies = await self._search_with_fallback(groups)
        companies = [c for c in companies if _ID.match(str(c.get("id", "")))]
        if not companies:
            return []
        owner_ids = {str(p.get("hubspot_owner_id")) for c in companies
                     if isinstance(p := c.get("properties"), dict) and _ID.match(str(p.get("hubspot_owner_id") or ""))}
        single = str(companies[0]["id"]) if len(companies) == 1 else None
        calls: list[Awaitable[Any]] = [self._portal_info()] + [self._owner(o) for o in sorted(owner_ids)[:MAX_CANDIDATES]]
        if single:
            calls += [self._contacts(single), self._deals(single)]
        results = await asyncio.gather(*(self._in_time(call) for call in calls))
        contacts, deals = (results[-2] or [], results[-1]) if single else ([], None)
        if deals is not None and self._portal is not None:
            ui, portal = self._portal
            deals = [d.model_copy(update={"url": f"https://{ui}/contacts/{portal}/record/0-3/{d.id}"}) for d in deals]
        return [a for a in (self._account(c, contacts, deals) for c in companies) if a is not None]

    async def _in_time(self, call: Awaitable[Any]) -> Any:
        """An extra within its own time: a slow one is left out (None) without holding back the others."""
        try:
            return await asyncio.wait_for(call, self.extras_timeout)
        except (asyncio.TimeoutError, TimeoutError):
            log.info("hubspot: an owner, the contacts, the open deals or the portal details were not loaded in time")
            return None

    # --- best-effort extras ---------------------------------------------------------------------

    async def _portal_info(self) -> None:
        if self._portal is not None:
            return
        try:
            body = await self.http.get_json("account-info/v3/details", retry=False)
        except ConnectorError as exc:
            log.info("hubspot: portal details not loaded (%s)", exc.kind)
            return
        if isinstance(body, dict) and _ID.match(str(body.get("portalId", ""))):
            ui = body.get("uiDomain")
            self._portal = (ui if isinstance(ui, str) and _HOST.match(ui) else DEFAULT_UI, str(body["portalId"]))

    async def _owner(self, owner_id: str) -> None:
        if owner_id in self._owners:
            return
        try:
            body = await self.http.get_json(f"crm/v3/owners/{owner_id}", retry=False)
        except ConnectorError as exc:
            log.info("hubspot: an owner was not loaded (%s)", exc.kind)
            self._owners[owner_id] = None
            return
        if not isinstance(body, dict):
            self._owners[owner_id] = None
            return
        full = " ".join(p for p in (_fields.text(body.get("firstName"), 60), _fields.text(body.get("lastName"), 60)) if p)
        self._owners[owner_id] = full or _fields.text(body.get("email"), 120)

    async def _contacts(self, company_id: str) -> list[Contact]:
        try:
            body = await self._post("crm/v3/objects/contacts/search", {
                "filterGroups": [{"filters": [{"propertyName": "associatedcompanyid", "operator": "EQ", "value": company_id}]}],
                "properties": ["firstname", "lastname", "email", "jobtitle"],
                "limit": MAX_CONTACTS,
            }, "contact search")
        except ConnectorError as exc:
            log.info("hubspot: key contacts not loaded (%s)", exc.kind)
            return []
        out: list[Contact] = []
        for r in body.get("results") or []:
            p = r.get("properties") if isinstance(r, dict) else None
            if not isinstance(p, dict):
                continue
            name = " ".join(x for x in (_fields.text(p.get("firstname"), 60), _fields.text(p.get("lastname"), 60)) if x)
            email = _fields.text(p.get("email"), 120)
            if name or email:
                out.append(Contact(name=name or email or "", email=email, role=_fields.text(p.get("jobtitle"), 80)))
        return out[:MAX_CONTACTS]

    async def _deals(self, company_id: str) -> list[Deal] | None:
        """The company's open deals, soonest to close first; None when they could not be read."""
        try:
            ids = await self._deal_ids(company_id)
            if not ids:
                return []
            batches = [ids[i:i + BATCH_READ] for i in range(0, len(ids), BATCH_READ)]
            *records, _ = await asyncio.gather(*(self._read_deals(b) for b in batches), self._deal_stages())
        except ConnectorError as exc:
            log.info("hubspot: open deals not loaded (%s)", exc.kind)
            return None
        deals = [d for batch in records for r in batch if (d := self._deal(r)) is not None]
        return soonest_first(deals)[:MAX_DEALS]

    async def _deal_ids(self, company_id: str) -> list[str]:
        async def fetch(after: str | None) -> tuple[list[str], str | None]:
            params: dict[str, Any] = {"limit": ASSOCIATION_PAGE}
            if after:
                params["after"] = after
            body = await self.http.get_json(f"crm/v4/objects/companies/{company_id}/associations/deals", params=params)
            if not isinstance(body, dict) or not isinstance(body.get("results"), list):
                raise ConnectorError(SYSTEM, "error", "unexpected answer shape from the deal associations (no results list)")
            ids = [str(r["toObjectId"]) for r in body["results"] if isinstance(r, dict) and _ID.match(str(r.get("toObjectId", "")))]
            return ids, _next_after(body)

        page = await self.http.paginate(fetch, limit=MAX_DEAL_IDS)
        if page.truncated:
            log.info("hubspot: more than %d deals are associated with a company; the first %d were read", MAX_DEAL_IDS, MAX_DEAL_IDS)
        return list(dict.fromkeys(page.items))

    async def _read_deals(self, ids: list[str]) -> list[dict[str, Any]]:
        body = await self._post("crm/v3/objects/deals/batch/read",
                                {"properties": list(DEAL_PROPERTIES), "inputs": [{"id": i} for i in ids]}, "deal batch read")
        results = body.get("results")
        if not isinstance(results, list):
            raise ConnectorError(SYSTEM, "error", "unexpected answer shape from the deal batch read (no results list)")
        return [r for r in results if isinstance(r, dict)]

    async def _deal_stages(self) -> None:
        """Stage labels and whether each stage is closed, from the deal pipelines (once; best effort)."""
        if self._stages is not None:
            return
        try:
            body = await self.http.get_json("crm/v3/pipelines/deals")
        except ConnectorError as exc:
            log.info("hubspot: deal pipelines not loaded (%s)", exc.kind)
            return
        stages: dict[str, tuple[str | None, bool | None]] = {}
        for pipeline in (body.get("results") if isinstance(body, dict) else None) or []:
            if not isinstance(pipeline, dict):
                continue
            if _STAGE.match(str(pipeline.get("id", ""))):
                self._pipelines[str(pipeline["id"])] = _fields.text(pipeline.get("label"), 80) or ""
            for stage in pipeline.get("stages") or []:
                if isinstance(stage, dict) and _STAGE.match(str(stage.get("id", ""))):
                    meta = stage.get("metadata") if isinstance(stage.get("metadata"), dict) else {}
                    closed = {"true": True, "false": False}.get(str(meta.get("isClosed", "")).lower())
                    stages[str(stage["id"])] = (_fields.text(stage.get("label"), 80), closed)
        self._stages = stages

    def _deal(self, record: Mapping[str, Any]) -> Deal | None:
        """An open deal; None for a closed one (hs_is_closed, else its stage's metadata) or a record of the wrong shape."""
        did, props = str(record.get("id", "")), record.get("properties")
        if not _ID.match(did) or not isinstance(props, dict) or record.get("archived") is True:
            return None
        stage_id = str(props.get("dealstage") or "")
        label, stage_closed = (self._stages or {}).get(stage_id, (None, None))
        is_closed = str(props.get("hs_is_closed", "")).lower()
        if is_closed == "true" or (is_closed != "false" and (stage_closed or (stage_closed is None and stage_id in CLOSED_STAGES))):
            return None
        name = _fields.text(props.get("dealname"), 200) or f"deal {did}"
        currency = str(props.get("deal_currency_code") or "").strip().upper()
        kind = " ".join((str(props.get("dealtype") or ""), self._pipelines.get(str(props.get("pipeline") or ""), ""), name)).lower()
        return Deal(id=did, name=name, amount=_fields.number(props.get("amount")),
                    currency=currency if _CURRENCY.match(currency) else None,
                    stage=label or (_fields.text(stage_id, 60) if _STAGE.match(stage_id) else None),
                    close_date=_fields.day(props.get("closedate"), epoch_numbers=True), renewal="renew" in kind, source=SYSTEM)

    # --- mapping --------------------------------------------------------------------------------

    def _prop(self, props: Mapping[str, Any], kind: str) -> Any:
        for name in self.props[kind]:
            if props.get(name) not in (None, ""):
                return props[name]
        return None

    def _account(self, company: Mapping[str, Any], contacts: list[Contact], deals: list[Deal] | None) -> Account | None:
        cid = str(company.get("id"))
        props = company.get("properties") if isinstance(company.get("properties"), dict) else {}
        name = _fields.text(props.get("name"))
        if not name:
            return None
        domains: list[str] = []
        for value in (props.get("domain"), props.get("website")):
            d = _fields.domain_of(value) if isinstance(value, str) else None
            if d and d not in domains:
                domains.append(d)
        notes = "; ".join(f"{label}: {v}" for label, v in (
            ("lifecycle stage", _fields.text(props.get("lifecyclestage"), 60)), ("type", _fields.text(props.get("type"), 60)),
            ("industry", _fields.text(props.get("industry"), 80))) if v) or None
        owner_id = str(props.get("hubspot_owner_id") or "")
        url = None
        if self._portal is not None:
            ui, portal = self._portal
            url = f"https://{ui}/contacts/{portal}/record/0-2/{cid}"
        return Account(
            id=cid, name=name, domains=domains,
            plan=_fields.text(self._prop(props, "plan"), 80), arr=_fields.number(self._prop(props, "arr")),
            renewal_date=_fields.day(self._prop(props, "renewal")), sla_tier=_fields.text(self._prop(props, "sla"), 80),
            owner=self._owners.get(owner_id), key_contacts=contacts, notes=notes, open_deals=deals, source=SYSTEM, url=url,
        )


def _base_url(value: str | None) -> str:
    return _fields.base_url(SYSTEM, value, "HUBSPOT_BASE_URL", default=DEFAULT_BASE_URL,
                            fix=f"set HUBSPOT_BASE_URL to the API address, e.g. {DEFAULT_BASE_URL}, or leave it unset")


def from_env(env: Mapping[str, str], settings: HttpSettings) -> HubSpotConnector | None:
    token = _fields.credential(SYSTEM, "HubSpot", env, ENV_VARS,
                               fix="set HUBSPOT_ACCESS_TOKEN (Settings > Integrations > Private apps > your app > Access token)")
    if token is None:
        return None
    properties = _fields.named_settings(SYSTEM, env, PROPERTY_ENV, _PROPERTY, "a HubSpot internal property name",
                                        "set {var} to the property's internal name (lowercase, digits and _)")
    return HubSpotConnector(_base_url(env.get("HUBSPOT_BASE_URL")), token, settings=settings, properties=properties)
