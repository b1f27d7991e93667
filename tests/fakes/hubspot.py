"""A fake HubSpot CRM API (https://developers.hubspot.com/docs/api-reference/), served on 127.0.0.1.

Documented behaviour it reproduces:
- `Authorization: Bearer <private app token>`; a wrong or missing token gets 401
  {"status": "error", "message": "Authentication credentials not found...", "correlationId": ..., "category": "INVALID_AUTHENTICATION"};
  an endpoint whose scope the token lacks gets 403 with category MISSING_SCOPES;
- POST /crm/v3/objects/{companies|contacts}/search: `filterGroups` (OR of groups, AND of
  filters; at most 5 groups, 6 filters per group, 18 in all), operators EQ NEQ IN NOT_IN
  CONTAINS_TOKEN (with * wildcards) NOT_CONTAINS_TOKEN HAS_PROPERTY NOT_HAS_PROPERTY LT LTE GT GTE,
  `properties` (unknown names are left out; createdate, hs_lastmodifieddate and hs_object_id
  always come back), `limit` (max 200), `after`; answers {"total", "results": [{id, properties,
  createdAt, updatedAt, archived}], "paging": {"next": {"after", "link"}}} while more remain;
  bad input is 400 with category VALIDATION_ERROR;
- GET /crm/v3/objects/companies?limit=: the list endpoint (check);
- GET /crm/v3/owners/{ownerId}: {id, email, firstName, lastName, userId, ...}, 404 when unknown;
- GET /account-info/v3/details: {portalId, uiDomain, dataHostingLocation, timeZone, ...};
- GET /crm/v4/objects/companies/{id}/associations/deals?limit=&after=: the deals associated with a
  company, {"results": [{"toObjectId": <int>, "associationTypes": [{"category": "HUBSPOT_DEFINED",
  "typeId": 342, "label": null}]}], "paging": {"next": {"after", "link"}}} while more remain (limit
  at most 500, default 500; `after` is an opaque cursor); needs the company and deal read scopes;
- POST /crm/v3/objects/deals/batch/read {"properties": [...], "inputs": [{"id"}]} (at most 100
  inputs): {"status": "COMPLETE", "results": [{id, properties, createdAt, updatedAt, archived}],
  "startedAt", "completedAt"}; ids it cannot find make it 207 with "numErrors" and "errors"
  ({"status", "category": "OBJECT_NOT_FOUND", "message", "context": {"ids": [...]}}). Property
  values are strings: amount "85000", closedate "2026-12-15T00:00:00Z", hs_is_closed "false";
  scope crm.objects.deals.read;
- GET /crm/v3/pipelines/deals: {"results": [{id, label, displayOrder, archived, stages: [{id, label,
  displayOrder, archived, metadata: {"isClosed": "true"|"false", "probability": "0.9"}}]}]};
- 429 bodies name the limit: {"status": "error", "errorType": "RATE_LIMIT", "policyName": "TEN_SECONDLY_ROLLING"|"SECONDLY"|"DAILY", ...}.
"""

from __future__ import annotations

import base64
import fnmatch
import re
import uuid
from typing import Any

from .harness import FakeService, Reply, Request

TOKEN = "pat-na1-CANARY-hs-0c9d"
PORTAL_ID = 4412345
ALL_SCOPES = {"crm.objects.companies.read", "crm.objects.contacts.read", "crm.objects.owners.read", "crm.objects.deals.read"}
DEFAULT_PROPERTIES = {"createdate", "hs_lastmodifieddate", "hs_object_id"}


def problem(status: int, category: str, message: str, **extra: Any) -> Reply:
    return Reply(status, {"status": "error", "message": message, "correlationId": str(uuid.uuid4()), "category": category, **extra})


def rate_limit(policy: str = "TEN_SECONDLY_ROLLING", **kwargs: Any) -> Reply:
    return Reply(429, {"status": "error", "message": f"You have reached your {policy.lower()} limit.", "errorType": "RATE_LIMIT",
                       "correlationId": str(uuid.uuid4()), "policyName": policy, "requestId": str(uuid.uuid4())}, **kwargs)


def record(id: str, props: dict[str, Any]) -> dict[str, Any]:
    stamp = "2026-01-10T10:00:00.000Z"
    return {"id": id, "properties": {"createdate": "2021-03-01T10:00:00.000Z", "hs_lastmodifieddate": stamp,
                                     "hs_object_id": id, **props},
            "createdAt": "2021-03-01T10:00:00.000Z", "updatedAt": stamp, "archived": False}


def companies() -> list[dict[str, Any]]:
    return [
        record("5001", {"name": "Acme Corp", "domain": "acme.com", "website": "https://www.acme.com",
                        "annualrevenue": "5000000000", "industry": "COMPUTER_SOFTWARE", "type": "CUSTOMER",
                        "lifecyclestage": "customer", "hubspot_owner_id": "71", "arr": "120000", "plan": "Enterprise",
                        "renewal_date": "2026-09-30"}),
        record("5002", {"name": "Acme Labs", "domain": "acmelabs.dev", "lifecyclestage": "opportunity",
                        "hubspot_owner_id": "72"}),
        record("5003", {"name": "Globex", "domain": "globex.com", "lifecyclestage": "customer", "arr": "18000",
                        "renewal_date": "1790640000000"}),
    ]


def contacts() -> list[dict[str, Any]]:
    return [
        record("801", {"firstname": "Jo", "lastname": "Customer", "email": "jo@acme.com", "jobtitle": "Head of Finance",
                       "associatedcompanyid": "5001"}),
        record("802", {"firstname": "Ray", "lastname": "Ops", "email": "ray@acme.com", "jobtitle": "IT Admin",
                       "associatedcompanyid": "5001"}),
        record("803", {"firstname": "Lee", "lastname": "Buyer", "email": "lee@globex.com", "associatedcompanyid": "5003"}),
    ]


def owners() -> dict[str, dict[str, Any]]:
    return {
        "71": {"id": "71", "email": "dana@example.com", "firstName": "Dana", "lastName": "Whitfield", "userId": 9001,
               "createdAt": "2020-01-01T00:00:00Z", "updatedAt": "2025-01-01T00:00:00Z", "archived": False},
        "72": {"id": "72", "email": "max@example.com", "firstName": "", "lastName": "", "userId": 9002,
               "createdAt": "2020-01-01T00:00:00Z", "updatedAt": "2025-01-01T00:00:00Z", "archived": False},
    }


def deals() -> list[dict[str, Any]]:
    def deal(id: str, name: str, amount: str | None, stage: str, close: str, pipeline: str = "default",
             closed: bool = False, dealtype: str = "existingbusiness") -> dict[str, Any]:
        return record(id, {"dealname": name, "amount": amount, "deal_currency_code": "USD", "dealstage": stage,
                           "closedate": close, "pipeline": pipeline, "dealtype": dealtype,
                           "hs_is_closed": "true" if closed else "false", "hs_is_closed_won": "true" if stage == "closedwon" else "false"})

    return [
        deal("9001", "Acme Corp - Platform expansion", "85000", "contractsent", "2026-12-15T00:00:00Z"),
        deal("9002", "Acme Corp - 2026 renewal", "120000", "renewal_negotiation", "2027-01-15T00:00:00Z", pipeline="renewals"),
        deal("9003", "Acme Corp - 2025 upsell", "30000", "closedwon", "2025-10-01T00:00:00Z", closed=True),
        deal("9004", "Acme Corp - Data residency add-on", "45000", "closedlost", "2026-09-01T00:00:00Z", closed=True,
             dealtype="newbusiness"),
        deal("9005", "Acme Corp - Renewal (lost)", "20000", "renewal_lost", "2026-08-01T00:00:00Z", pipeline="renewals", closed=True),
    ]


def pipelines() -> list[dict[str, Any]]:
    def stages(*rows: tuple[str, str, bool, str]) -> list[dict[str, Any]]:
        return [{"id": sid, "label": label, "displayOrder": i, "archived": False, "createdAt": "2021-01-01T00:00:00Z",
                 "updatedAt": "2021-01-01T00:00:00Z", "writePermissions": "CRM_PERMISSIONS_ENFORCEMENT",
                 "metadata": {"isClosed": "true" if closed else "false", "probability": probability}}
                for i, (sid, label, closed, probability) in enumerate(rows)]

    return [
        {"id": "default", "label": "Sales Pipeline", "displayOrder": 0, "archived": False, "stages": stages(
            ("appointmentscheduled", "Appointment Scheduled", False, "0.2"), ("contractsent", "Contract Sent", False, "0.9"),
            ("closedwon", "Closed Won", True, "1.0"), ("closedlost", "Closed Lost", True, "0.0"))},
        {"id": "renewals", "label": "Renewals", "displayOrder": 1, "archived": False, "stages": stages(
            ("renewal_negotiation", "Renewal negotiation", False, "0.7"), ("renewal_won", "Renewed", True, "1.0"),
            ("renewal_lost", "Churned", True, "0.0"))},
    ]


OPERATORS = {"EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN", "HAS_PROPERTY", "NOT_HAS_PROPERTY",
             "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"}


def _tokens(value: str) -> set[str]:
    """Words, and whitespace-separated chunks (so "*@acme.com" can match an email)."""
    text = value.lower()
    return set(re.findall(r"[a-z0-9]+", text)) | set(text.split())


def _matches(flt: dict[str, Any], props: dict[str, Any]) -> bool:
    name, op, want = flt.get("propertyName"), flt.get("operator"), flt.get("value")
    have = props.get(name)
    if op == "HAS_PROPERTY":
        return have not in (None, "")
    if op == "NOT_HAS_PROPERTY":
        return have in (None, "")
    if have in (None, ""):
        return op in ("NEQ", "NOT_IN", "NOT_CONTAINS_TOKEN")
    text = str(have).lower()
    if op == "EQ":
        return text == str(want).lower()
    if op == "NEQ":
        return text != str(want).lower()
    if op in ("IN", "NOT_IN"):
        found = text in [str(v).lower() for v in flt.get("values") or []]
        return found if op == "IN" else not found
    if op in ("CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"):
        pattern = str(want).lower()
        found = any(fnmatch.fnmatchcase(t, pattern) for t in _tokens(text))
        return found if op == "CONTAINS_TOKEN" else not found
    try:
        a, b = float(have), float(want)
    except (TypeError, ValueError):
        return False
    return {"LT": a < b, "LTE": a <= b, "GT": a > b, "GTE": a >= b}.get(op, False)


class FakeHubSpot(FakeService):
    def __init__(self, *, token: str = TOKEN):
        super().__init__("hubspot")
        self.token = token
        self.reset()
        for method, pattern, handler, scope in (
            ("POST", r"/crm/v3/objects/companies/search", self._company_search, "crm.objects.companies.read"),
            ("GET", r"/crm/v3/objects/companies", self._company_list, "crm.objects.companies.read"),
            ("POST", r"/crm/v3/objects/contacts/search", self._contact_search, "crm.objects.contacts.read"),
            ("GET", r"/crm/v3/owners/([^/]+)", self._owner, "crm.objects.owners.read"),
            ("GET", r"/account-info/v3/details", self._details, None),
            ("GET", r"/crm/v4/objects/companies/([^/]+)/associations/deals", self._deal_associations, "crm.objects.deals.read"),
            ("POST", r"/crm/v3/objects/deals/batch/read", self._deal_batch_read, "crm.objects.deals.read"),
            ("GET", r"/crm/v3/pipelines/deals", self._deal_pipelines, "crm.objects.deals.read"),
        ):
            self.route(method, pattern)(self._guarded(handler, scope))

    def reset(self) -> None:
        self.reseed(companies=companies(), contacts=contacts(), owners=owners(), deals=deals(), pipelines=pipelines(),
                    # company -> associated deal ids (closed ones too: the association outlives the deal)
                    associations={"5001": ["9001", "9002", "9003", "9004", "9005"]}, scopes=set(ALL_SCOPES),
                    strict_properties=False)  # strict: a portal that refuses property names it does not have

    def add_companies(self, count: int, name: str = "Acme") -> None:
        for i in range(count):
            self.companies.append(record(str(6000 + i), {"name": f"{name} Subsidiary {i}", "domain": f"acme{i}.example"}))

    def add_deals(self, count: int, company: str = "5001", *, closed: bool = False) -> None:
        for i in range(count):
            did = str(20000 + len(self.deals))
            self.deals.append(record(did, {"dealname": f"Seat add-on {i}", "amount": "1000", "dealstage": "closedwon" if closed
                                           else "appointmentscheduled", "closedate": "2027-02-01T00:00:00Z", "pipeline": "default",
                                           "hs_is_closed": "true" if closed else "false"}))
            self.associations.setdefault(company, []).append(did)

    # --- plumbing ------------------------------------------------------------------------------
    def _guarded(self, handler, scope: str | None):
        def run(request: Request) -> Reply:
            if request.header("Authorization") != f"Bearer {self.token}":
                return problem(401, "INVALID_AUTHENTICATION",
                               "Authentication credentials not found. This API supports OAuth 2.0 authentication and you "
                               "can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview")
            if scope and scope not in self.scopes:
                return problem(403, "MISSING_SCOPES", "This app hasn't been granted all required scopes to make this call.",
                               errors=[{"message": "One or more of the following scopes are required.",
                                        "context": {"requiredGranularScopes": [scope]}}],
                               links={"scopes": "https://developers.hubspot.com/scopes"})
            return handler(request)
        return run

    def _search(self, request: Request, items: list[dict[str, Any]], known: set[str], path: str) -> Reply:
        try:
            body = request.json()
        except ValueError:
            return problem(400, "VALIDATION_ERROR", "Invalid input JSON on line 1")
        groups = body.get("filterGroups") or []
        if len(groups) > 5 or any(len(g.get("filters") or []) > 6 for g in groups) or \
                sum(len(g.get("filters") or []) for g in groups) > 18:
            return problem(400, "VALIDATION_ERROR", "There was a problem with the request: too many filters")
        for g in groups:
            for f in g.get("filters") or []:
                if f.get("operator") not in OPERATORS:
                    return problem(400, "VALIDATION_ERROR", f"Unknown operator {f.get('operator')}")
        limit = body.get("limit", 10)
        if not isinstance(limit, int) or not 1 <= limit <= 200:
            return problem(400, "VALIDATION_ERROR", "limit must be between 1 and 200")
        wanted = body.get("properties") or []
        if self.strict_properties and any(p not in known for p in wanted):
            return problem(400, "VALIDATION_ERROR", "Property values were not valid: unknown property")
        hits = [i for i in items if not groups or any(all(_matches(f, i["properties"]) for f in g.get("filters") or [])
                                                      for g in groups)]
        start = int(body.get("after") or 0)
        chunk = hits[start:start + limit]
        results = [dict(i, properties={k: v for k, v in i["properties"].items() if k in set(wanted) | DEFAULT_PROPERTIES})
                   for i in chunk]
        out: dict[str, Any] = {"total": len(hits), "results": results}
        if start + limit < len(hits):
            after = str(start + limit)
            out["paging"] = {"next": {"after": after, "link": f"https://api.hubapi.com{path}?after={after}"}}
        return Reply(200, out)

    # --- routes --------------------------------------------------------------------------------
    def _company_search(self, request: Request) -> Reply:
        known = {k for c in self.companies for k in c["properties"]} | {"name", "domain", "website", "annualrevenue", "industry",
                                                                         "type", "lifecyclestage", "hubspot_owner_id"}
        return self._search(request, self.companies, known, "/crm/v3/objects/companies/search")

    def _contact_search(self, request: Request) -> Reply:
        known = {"firstname", "lastname", "email", "jobtitle", "associatedcompanyid"}
        return self._search(request, self.contacts, known, "/crm/v3/objects/contacts/search")

    def _company_list(self, request: Request) -> Reply:
        limit = int(request.arg("limit", "10"))
        return Reply(200, {"results": [dict(c, properties={k: v for k, v in c["properties"].items() if k in DEFAULT_PROPERTIES})
                                       for c in self.companies[:limit]],
                           "paging": {"next": {"after": str(limit), "link": "?after=%d" % limit}}})

    def _owner(self, request: Request) -> Reply:
        owner = self.owners.get(request.match.group(1))
        return Reply(200, owner) if owner else problem(404, "OBJECT_NOT_FOUND", "Owner not found")

    def _deal_associations(self, request: Request) -> Reply:
        company = request.match.group(1)
        if not any(c["id"] == company for c in self.companies):
            return problem(404, "OBJECT_NOT_FOUND", "resource not found")
        try:
            limit = int(request.arg("limit", "500"))
            start = int(base64.urlsafe_b64decode(request.arg("after", "") or "MA==").decode()) if request.arg("after") else 0
        except ValueError:
            return problem(400, "VALIDATION_ERROR", "Invalid limit or after")
        if not 1 <= limit <= 500:
            return problem(400, "VALIDATION_ERROR", "limit must be between 1 and 500")
        ids = self.associations.get(company, [])
        chunk = ids[start:start + limit]
        out: dict[str, Any] = {"results": [{"toObjectId": int(i), "associationTypes": [
            {"category": "HUBSPOT_DEFINED", "typeId": 342, "label": None}]} for i in chunk]}
        if start + limit < len(ids):
            after = base64.urlsafe_b64encode(str(start + limit).encode()).decode()
            out["paging"] = {"next": {"after": after, "link": f"https://api.hubapi.com/crm/v4/objects/companies/{company}"
                                                               f"/associations/deals?after={after}"}}
        return Reply(200, out)

    def _deal_batch_read(self, request: Request) -> Reply:
        try:
            body = request.json()
        except ValueError:
            return problem(400, "VALIDATION_ERROR", "Invalid input JSON on line 1")
        inputs = body.get("inputs") if isinstance(body, dict) else None
        if not isinstance(inputs, list) or not inputs or len(inputs) > 100 or not all(isinstance(i, dict) and "id" in i for i in inputs):
            return problem(400, "VALIDATION_ERROR", "inputs must hold 1 to 100 objects with an id")
        wanted = set(body.get("properties") or []) | DEFAULT_PROPERTIES
        by_id = {d["id"]: d for d in self.deals}
        found = [by_id[str(i["id"])] for i in inputs if str(i["id"]) in by_id]
        missing = [str(i["id"]) for i in inputs if str(i["id"]) not in by_id]
        out: dict[str, Any] = {"status": "COMPLETE", "results": [
            dict(d, properties={k: v for k, v in d["properties"].items() if k in wanted}) for d in found],
            "startedAt": "2026-11-20T12:00:00.000Z", "completedAt": "2026-11-20T12:00:00.050Z"}
        if missing:
            out.update(numErrors=1, errors=[{"status": "error", "category": "OBJECT_NOT_FOUND", "message": "Could not get some DEAL objects",
                                             "context": {"ids": missing}}])
            return Reply(207, out)
        return Reply(200, out)

    def _deal_pipelines(self, request: Request) -> Reply:
        return Reply(200, {"results": self.pipelines})

    def _details(self, request: Request) -> Reply:
        return Reply(200, {"portalId": PORTAL_ID, "accountType": "STANDARD", "timeZone": "US/Eastern", "companyCurrency": "USD",
                           "additionalCurrencies": [], "utcOffset": "-05:00", "utcOffsetMilliseconds": -18000000,
                           "uiDomain": "app.hubspot.com", "dataHostingLocation": "na1"})


def hubspot_fake(**kwargs: Any) -> FakeHubSpot:
    """A HubSpot fake with seeded companies, contacts, owners and deals (start it with `with`)."""
    return FakeHubSpot(**kwargs)
