"""A fake Salesforce REST API (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/), on 127.0.0.1.

Documented behaviour it reproduces:
- `Authorization: Bearer <access token>`; a wrong, expired or missing token gets 401
  [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]; errors are
  always a JSON array of {message, errorCode}; answers carry Sforce-Limit-Info: api-usage=n/limit;
- GET /services/data/ lists the versions (no auth); GET /services/data/vXX.X/ lists the
  resources; an unknown version is 404 NOT_FOUND;
- GET /services/data/vXX.X/query?q=<SOQL>: a small but strict SOQL reader for Account and
  Opportunity: SELECT of fields, relationship fields (Owner.Name) and, on Account, a Contacts
  sub-query with ORDER BY and LIMIT; WHERE of `Field LIKE '...'` / `Field = '...'` / `Field = false`
  (true, false and null are the unquoted literals) joined by OR/AND; ORDER BY; LIMIT.
  String literals follow SOQL escaping (\\' \\" \\\\ \\n \\r \\t \\b \\f, and \\% \\_ inside LIKE);
  anything else is 400 MALFORMED_QUERY; an unknown field is 400 INVALID_FIELD; an object the user
  may not read is 400 INVALID_TYPE ("sObject type 'Opportunity' is not supported", see
  `readable`). Results come in batches ({totalSize, done, nextRecordsUrl, records}); the batch
  size is `batch_size` (the API may return fewer records than asked), the rest via GET
  /services/data/vXX.X/query/<locator>;
- Opportunity records: Id, Name, AccountId, Amount (a number or null), StageName, CloseDate
  ("YYYY-MM-DD"), Type, IsClosed, IsWon, Probability, each with its `attributes`;
- the org's daily API limit: 403 REQUEST_LIMIT_EXCEEDED (see `request_limit_exceeded`).
Faults for queries on one object (say Opportunity, while Account queries answer): `fail_queries_on`.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from .harness import FakeService, Reply, Request

TOKEN = "00DCANARY!AQ0AQ.sf-token-x91"
VERSIONS = [f"{v}.0" for v in range(52, 64)]
ACCOUNT_FIELDS = {"Id", "Name", "Website", "Type", "Industry", "AnnualRevenue", "LastModifiedDate", "CreatedDate",
                  "OwnerId", "Owner.Name", "ARR__c", "Plan__c", "Renewal_Date__c", "SLA_Tier__c"}
CONTACT_FIELDS = {"Id", "Name", "Email", "Title", "CreatedDate"}
OPPORTUNITY_FIELDS = {"Id", "Name", "AccountId", "Amount", "StageName", "CloseDate", "Type", "IsClosed", "IsWon", "Probability",
                      "CreatedDate", "LastModifiedDate"}
FIELDS = {"Account": ACCOUNT_FIELDS, "Opportunity": OPPORTUNITY_FIELDS}


def errors(status: int, code: str, message: str) -> Reply:
    return Reply(status, [{"message": message, "errorCode": code}])


def accounts() -> list[dict[str, Any]]:
    def acc(id: str, name: str, website: str | None, owner: str, modified: str, **extra: Any) -> dict[str, Any]:
        return {"Id": id, "Name": name, "Website": website, "Type": extra.pop("Type", "Customer - Direct"),
                "Industry": extra.pop("Industry", None), "AnnualRevenue": extra.pop("AnnualRevenue", None),
                "LastModifiedDate": modified, "CreatedDate": "2021-03-01T10:00:00.000+0000", "OwnerId": "005000000000001AAA",
                "Owner": {"Name": owner}, "ARR__c": None, "Plan__c": None, "Renewal_Date__c": None, "SLA_Tier__c": None,
                **extra}

    return [
        acc("001000000000001AAA", "Acme Corp", "https://www.acme.com", "Dana Whitfield", "2026-01-10T10:00:00.000+0000",
            Industry="Technology", AnnualRevenue=5000000000.0, ARR__c=120000.0, Plan__c="Enterprise",
            Renewal_Date__c="2026-09-30", SLA_Tier__c="Premium"),
        acc("001000000000002AAA", "Acme Labs", "acmelabs.dev", "Max Rep", "2026-01-09T10:00:00.000+0000"),
        acc("001000000000003AAA", "Globex", "http://globex.com", "Dana Whitfield", "2026-01-08T10:00:00.000+0000",
            ARR__c=18000.0),
        acc("001000000000004AAA", "Notacme", "https://notacme.com", "Max Rep", "2026-01-07T10:00:00.000+0000"),
        acc("001000000000005AAA", "O'Brien & Co_50% Ltd", "obrien.ie", "Max Rep", "2026-01-06T10:00:00.000+0000"),
    ]


def contacts() -> list[dict[str, Any]]:
    return [
        {"Id": "003000000000001AAA", "AccountId": "001000000000001AAA", "Name": "Jo Customer", "Email": "jo@acme.com",
         "Title": "Head of Finance", "CreatedDate": "2021-04-01T10:00:00.000+0000"},
        {"Id": "003000000000002AAA", "AccountId": "001000000000001AAA", "Name": "Ray Ops", "Email": "ray@acme.com",
         "Title": "IT Admin", "CreatedDate": "2022-04-01T10:00:00.000+0000"},
    ]


def opportunities() -> list[dict[str, Any]]:
    def opp(id: str, account: str, name: str, amount: float | None, stage: str, close: str, type_: str | None,
            closed: bool = False, won: bool = False, probability: int = 50) -> dict[str, Any]:
        return {"Id": id, "AccountId": account, "Name": name, "Amount": amount, "StageName": stage, "CloseDate": close,
                "Type": type_, "IsClosed": closed, "IsWon": won, "Probability": probability,
                "CreatedDate": "2026-06-01T10:00:00.000+0000", "LastModifiedDate": "2026-11-01T10:00:00.000+0000"}

    acme, globex = "001000000000001AAA", "001000000000003AAA"
    return [
        opp("006000000000001AAA", acme, "Acme Corp - Analytics add-on", 64000.0, "Negotiation/Review", "2026-12-18",
            "Existing Customer - Upgrade", probability=90),
        opp("006000000000002AAA", acme, "Acme Corp - 2025 seats", 40000.0, "Closed Won", "2025-11-30", "Existing Customer - Upgrade",
            closed=True, won=True, probability=100),
        opp("006000000000003AAA", acme, "Acme Corp - EU expansion", 90000.0, "Closed Lost", "2026-10-01", "New Customer",
            closed=True, probability=0),
        opp("006000000000004AAA", globex, "Globex renewal 2027", 18000.0, "Proposal/Price Quote", "2026-12-10", "Renewal",
            probability=75),
        opp("006000000000005AAA", globex, "Globex - support plan", None, "Prospecting", "2027-03-01", None, probability=10),
    ]


class SoqlError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


_ESC = {"'": "'", '"': '"', "\\": "\\", "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}


class Soql:
    """Reads the subset of SOQL the fake answers; raises SoqlError like the API would."""

    def __init__(self, text: str):
        self.text = text
        self.i = 0

    def ws(self) -> None:
        while self.i < len(self.text) and self.text[self.i].isspace():
            self.i += 1

    def keyword(self, word: str, required: bool = True) -> bool:
        self.ws()
        end = self.i + len(word)
        if self.text[self.i:end].upper() == word and (end == len(self.text) or not (self.text[end].isalnum() or self.text[end] == "_")):
            self.i = end
            return True
        if required:
            raise SoqlError("MALFORMED_QUERY", f"expecting {word}")
        return False

    def name(self) -> str:
        return self.token(r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*", "unexpected token")

    def number(self) -> int:
        return int(self.token(r"\d+", "expecting a number"))

    def token(self, pattern: str, expecting: str) -> str:
        self.ws()
        m = re.compile(pattern).match(self.text, self.i)
        if not m:
            raise SoqlError("MALFORMED_QUERY", expecting)
        self.i = m.end()
        return m.group(0)

    def order_and_limit(self) -> tuple[tuple[str, bool] | None, int | None]:
        """[ORDER BY field [ASC|DESC]] [LIMIT n]."""
        order = None
        if self.keyword("ORDER", False):
            self.keyword("BY")
            field = self.name()
            desc = self.keyword("DESC", False)
            if not desc:
                self.keyword("ASC", False)
            order = (field, desc)
        return order, (self.number() if self.keyword("LIMIT", False) else None)

    def literal(self, like: bool) -> str | re.Pattern:
        self.ws()
        if self.i >= len(self.text) or self.text[self.i] != "'":
            raise SoqlError("MALFORMED_QUERY", "expecting a string literal")
        self.i += 1
        parts: list[str] = []  # regex pieces for LIKE, characters otherwise
        while True:
            if self.i >= len(self.text):
                raise SoqlError("MALFORMED_QUERY", "unterminated string literal")
            ch = self.text[self.i]
            self.i += 1
            if ch == "'":
                break
            if ch == "\\":
                if self.i >= len(self.text):
                    raise SoqlError("MALFORMED_QUERY", "bad escape")
                nxt = self.text[self.i]
                self.i += 1
                if like and nxt in "%_":
                    parts.append(re.escape(nxt))
                elif nxt in _ESC:
                    parts.append(re.escape(_ESC[nxt]) if like else _ESC[nxt])
                else:
                    raise SoqlError("MALFORMED_QUERY", "Invalid string literal: illegal escape sequence")
            elif like and ch == "%":
                parts.append(".*")
            elif like and ch == "_":
                parts.append(".")
            else:
                parts.append(re.escape(ch) if like else ch)
        if like:
            return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)
        return "".join(parts)

    def value(self, field: str) -> Any:
        """The right side of `Field = ...`: a string literal, or true, false, null."""
        for word, value in (("TRUE", True), ("FALSE", False), ("NULL", None)):
            if self.keyword(word, False):
                return value
        return self.literal(like=False)

    def select_list(self, known: set[str] | None) -> tuple[list[str], dict[str, Any] | None]:
        fields: list[str] = []
        sub: dict[str, Any] | None = None
        while True:
            self.ws()
            if self.text[self.i:self.i + 1] == "(":
                self.i += 1
                self.keyword("SELECT")
                sub_fields, _ = self.select_list(CONTACT_FIELDS)
                self.keyword("FROM")
                if self.name() != "Contacts":
                    raise SoqlError("INVALID_TYPE", "Didn't understand relationship")
                order, limit = self.order_and_limit()
                self.ws()
                if self.text[self.i:self.i + 1] != ")":
                    raise SoqlError("MALFORMED_QUERY", "expecting )")
                self.i += 1
                sub = {"fields": sub_fields, "order": order, "limit": limit}
            else:
                field = self.name()
                if known is not None and field not in known:
                    raise SoqlError("INVALID_FIELD", f"No such column '{field}' on entity")
                fields.append(field)
            self.ws()
            if self.text[self.i:self.i + 1] == ",":
                self.i += 1
                continue
            return fields, sub

    def parse(self) -> dict[str, Any]:
        self.keyword("SELECT")
        fields, sub = self.select_list(None)  # checked once the object is known
        self.keyword("FROM")
        sobject = self.name()
        if sobject not in FIELDS or (sub is not None and sobject != "Account"):
            raise SoqlError("INVALID_TYPE", f"sObject type '{sobject}' is not supported")
        known = FIELDS[sobject]
        for field in fields:
            if field not in known:
                raise SoqlError("INVALID_FIELD", f"No such column '{field}' on entity '{sobject}'")
        conditions: list[tuple[str, str, Any]] = []
        joiner = None
        if self.keyword("WHERE", False):
            while True:
                field = self.name()
                if field not in known:
                    raise SoqlError("INVALID_FIELD", f"No such column '{field}' on entity '{sobject}'")
                if self.keyword("LIKE", False):
                    conditions.append((field, "LIKE", self.literal(like=True)))
                else:
                    self.ws()
                    if self.text[self.i:self.i + 1] != "=":
                        raise SoqlError("MALFORMED_QUERY", "expecting LIKE or =")
                    self.i += 1
                    conditions.append((field, "=", self.value(field)))
                if self.keyword("OR", False):
                    joiner = joiner or "OR"
                elif self.keyword("AND", False):
                    joiner = joiner or "AND"
                else:
                    break
        order, limit = self.order_and_limit()
        self.ws()
        if self.i != len(self.text):
            raise SoqlError("MALFORMED_QUERY", "unexpected token after the query")
        return {"object": sobject, "fields": fields, "sub": sub, "conditions": conditions, "joiner": joiner or "AND",
                "order": order, "limit": limit}


class FakeSalesforce(FakeService):
    def __init__(self, *, token: str = TOKEN):
        super().__init__("salesforce")
        self.token = token
        self.reset()
        self.route("GET", r"/services/data/?")(self._versions)
        self.route("GET", r"/services/data/v([\d.]+)/?")(self._guarded(self._resources))
        self.route("GET", r"/services/data/v([\d.]+)/query/?")(self._guarded(self._query))
        self.route("GET", r"/services/data/v([\d.]+)/query/([A-Za-z0-9]+-\d+)")(self._guarded(self._more))

    def reset(self) -> None:
        self.reseed(accounts=accounts(), contacts=contacts(), opportunities=opportunities(),
                    readable={"Account", "Opportunity"},  # objects the user may read
                    object_faults={},  # object -> answers to queries on it, before the real ones
                    batch_size=2000, cursors={}, request_limit_exceeded=False, api_calls=0)

    def add_accounts(self, count: int, name: str = "Acme") -> None:
        for i in range(count):
            self.accounts.append({"Id": f"0010000000001{i:02d}AAA", "Name": f"{name} Branch {i}", "Website": None,
                                  "Type": None, "Industry": None, "AnnualRevenue": None, "Owner": {"Name": "Max Rep"},
                                  "LastModifiedDate": f"2025-12-{1 + i % 28:02d}T10:00:00.000+0000",
                                  "CreatedDate": "2021-03-01T10:00:00.000+0000", "OwnerId": "005000000000001AAA",
                                  "ARR__c": None, "Plan__c": None, "Renewal_Date__c": None, "SLA_Tier__c": None})

    def fail_queries_on(self, sobject: str, reply: Reply, times: int = 1) -> None:
        """Answer the next `times` queries FROM `sobject` with `reply` (other queries are answered as usual)."""
        with self._lock:
            self.object_faults.setdefault(sobject, []).extend([reply] * times)

    def add_opportunities(self, count: int, account: str = "001000000000001AAA") -> None:
        for i in range(count):
            self.opportunities.append({"Id": f"0060000000001{i:02d}AAA", "AccountId": account, "Name": f"Add-on {i}",
                                       "Amount": 1000.0, "StageName": "Prospecting", "CloseDate": f"2027-02-{1 + i % 28:02d}",
                                       "Type": None, "IsClosed": False, "IsWon": False, "Probability": 10,
                                       "CreatedDate": "2026-06-01T10:00:00.000+0000",
                                       "LastModifiedDate": "2026-11-01T10:00:00.000+0000"})

    # --- plumbing ------------------------------------------------------------------------------
    def _guarded(self, handler):
        def run(request: Request) -> Reply:
            if request.header("Authorization") != f"Bearer {self.token}":
                return errors(401, "INVALID_SESSION_ID", "Session expired or invalid")
            if request.match.group(1) not in VERSIONS:
                return errors(404, "NOT_FOUND", "The requested resource does not exist")
            if self.request_limit_exceeded:
                return errors(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
            self.api_calls += 1
            reply = handler(request)
            reply.headers["Sforce-Limit-Info"] = f"api-usage={self.api_calls}/15000"
            return reply
        return run

    def _versions(self, request: Request) -> Reply:
        return Reply(200, [{"label": "Winter '25", "url": f"/services/data/v{v}", "version": v} for v in VERSIONS])

    def _resources(self, request: Request) -> Reply:
        v = request.match.group(1)
        return Reply(200, {name: f"/services/data/v{v}/{name}" for name in ("sobjects", "query", "queryAll", "search", "limits")})

    def _record(self, account: dict[str, Any], parsed: dict[str, Any], version: str) -> dict[str, Any]:
        sobject = parsed["object"]
        out: dict[str, Any] = {"attributes": {"type": sobject, "url": f"/services/data/v{version}/sobjects/{sobject}/{account['Id']}"}}
        for field in parsed["fields"]:
            if field == "Owner.Name":
                out["Owner"] = {"attributes": {"type": "User", "url": f"/services/data/v{version}/sobjects/User/{account['OwnerId']}"},
                                "Name": account["Owner"]["Name"]}
            else:
                out[field] = account.get(field)
        sub = parsed["sub"]
        if sub is not None:
            rows = [c for c in self.contacts if c["AccountId"] == account["Id"]]
            if sub["order"]:
                rows.sort(key=lambda c: c.get(sub["order"][0]) or "", reverse=sub["order"][1])
            rows = rows[: sub["limit"]] if sub["limit"] else rows
            out["Contacts"] = None if not rows else {"totalSize": len(rows), "done": True, "records": [
                {"attributes": {"type": "Contact", "url": f"/services/data/v{version}/sobjects/Contact/{c['Id']}"},
                 **{f: c.get(f) for f in sub["fields"]}} for c in rows]}
        return out

    def _batch(self, records: list[dict[str, Any]], version: str, total: int) -> Reply:
        batch, rest = records[: self.batch_size], records[self.batch_size:]
        body: dict[str, Any] = {"totalSize": total, "done": not rest, "records": batch}
        if rest:
            locator = f"01g{uuid.uuid4().hex[:15]}-{total - len(rest)}"
            self.cursors[locator] = rest
            body["nextRecordsUrl"] = f"/services/data/v{version}/query/{locator}"
        return Reply(200, body)

    def _query(self, request: Request) -> Reply:
        version = request.match.group(1)
        q = request.arg("q")
        if not q:
            return errors(400, "MALFORMED_QUERY", "q is required")
        try:
            parsed = Soql(q).parse()
        except SoqlError as exc:
            return errors(400, exc.code, str(exc))

        if self.object_faults.get(parsed["object"]):
            return self.object_faults[parsed["object"]].pop(0)
        if parsed["object"] not in self.readable:
            return errors(400, "INVALID_TYPE", f"sObject type '{parsed['object']}' is not supported. If you are attempting to "
                                               "use a custom object, be sure to append the '__c' after the entity name.")

        def ok(account: dict[str, Any]) -> bool:
            results = []
            for field, op, value in parsed["conditions"]:
                have = account.get(field)
                if op == "LIKE":
                    results.append(bool(value.fullmatch("" if have is None else str(have))))
                else:
                    results.append(have == value if isinstance(value, bool) or value is None else ("" if have is None else str(have)) == value)
            if not results:
                return True
            return any(results) if parsed["joiner"] == "OR" else all(results)

        hits = [a for a in (self.accounts if parsed["object"] == "Account" else self.opportunities) if ok(a)]
        if parsed["order"]:
            field, desc = parsed["order"]
            hits.sort(key=lambda a: str(a.get(field) or ""), reverse=desc)
        if parsed["limit"] is not None:
            hits = hits[: parsed["limit"]]
        records = [self._record(a, parsed, version) for a in hits]
        return self._batch(records, version, len(records))

    def _more(self, request: Request) -> Reply:
        version, locator = request.match.group(1), request.match.group(2)
        rest = self.cursors.pop(locator, None)
        if rest is None:
            return errors(400, "INVALID_QUERY_LOCATOR", "invalid query locator")
        total = int(locator.rsplit("-", 1)[1]) + len(rest)
        return self._batch(rest, version, total)


def salesforce_fake(**kwargs: Any) -> FakeSalesforce:
    """A Salesforce fake with seeded accounts, contacts and opportunities (start it with `with`)."""
    return FakeSalesforce(**kwargs)
