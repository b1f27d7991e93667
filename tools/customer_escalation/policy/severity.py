"""Severity of an escalation (shared/DOMAIN.md): Critical, High or Medium, with the reasons.

Critical: production down, data at risk, data or access exposed, several high-value customers, a whole segment or
many customers blocked. High: major functionality broken, integrity, a key customer, the SLA, churn, an executive ask,
legal or public exposure, a pattern. A workaround brings a High without business stakes down to Medium.
"""

from __future__ import annotations

import re

from ..models import Severity
from .case import Case
from .concepts import EXPOSURE_CONCEPTS

_EXPOSURE = re.compile(
    r"expos|leak|breach|another|other (?:customer|company|tenant)|someone else|somebody else|public|posted|pasted|"
    r"committed|compromis|hack|still (?:has|have|had) access|can still (?:log ?in|sign ?in|access)|unauthori|cross[- ]tenant|without (?:a )?password|"
    r"different (?:customer|company|tenant|workspace|account)|other (?:workspaces?|accounts?|organi[sz]ations?)|stolen|idor|"
    r"changed the (?:\w+ )?id",
    re.IGNORECASE,
)
# what support or the system did for someone posing as the customer: then it is no longer an attempt
_GRANTED = re.compile(r"\b(?:we|support|the agent|an agent|our agent|our team|they|he|she|someone)\s+(?:already\s+|then\s+|had\s+)?"
                      r"(?:changed|reset|switched|updated|removed|disabled|turned off|gave|sent|moved|transferred|added|approved|granted|released|paid)\b|"
                      r"\b(?:got|talked|convinced|persuaded|tricked)\s+(?:\w+\s+){0,3}?(?:to|into)\s+(?:chang|reset|switch|updat|remov|disabl|turn|send|sending|mov|transfer|add|approv|releas|pay)\w*\b|"
                      r"\b(?:was|were|got|has been|have been|had been)\s+(?:changed|reset|switched|updated|removed|disabled|turned off|sent|moved|transferred|paid|redirected)\b",
                      re.IGNORECASE)
_DOUBLED = re.compile(r"\b(?:doubled|tripled|twice|duplicated?|duplicates)\b", re.IGNORECASE)
_DESTROYED = re.compile(r"\b(?:lost|los(?:e|ing)|deleted|wiped|erased|overwritten|corrupt\w*|gone|disappeared|vanished|missing|purged)\b", re.IGNORECASE)


def severity(c: Case) -> tuple[Severity, list[str]]:
    """The severity of an escalated case and why. The reasons are gathered in a fixed order, the first that apply."""
    workaround = c.workaround_known or bool(c.kb_workaround)
    crit: list[str] = []
    high: list[str] = []
    _harm(c, crit, high)
    _spread(c, crit, workaround)
    _function(c, high, workaround)
    _stakes(c, high, workaround)
    return _level(c, crit, high, workaround)


def _harm(c: Case, crit: list[str], high: list[str]) -> None:
    """Production down, data lost or wrong, data or access exposed."""
    if c.prod_down:
        crit.append("production down")
    if c.data_loss:
        destroyed = _DESTROYED.search(c.masked())
        if ((c.sig.concept("duplicated", "wrong_numbers") or _DOUBLED.search(c.masked())) and not destroyed and not c.segment
                and c.customers < c.policy.critical_customers):
            # records written twice or amounts wrong, nothing destroyed, within a few customers: they can be put right;
            # a same-day fix, not an all-hands emergency
            high.append("records or amounts are wrong or duplicated: data integrity")
        else:
            crit.append("data at risk (loss or corruption)")
    exposure = c.sig.concept(*EXPOSURE_CONCEPTS)
    if exposure and {"impersonation", "takeover_request"} & set(c.sig.concepts) and not _GRANTED.search(c.masked()):
        exposure = ""  # someone posed as the customer, and nothing was handed over or changed: an attempt to assess today
    if c.security and exposure:
        crit.append(f'data, money or access exposed: "{exposure}"')
    elif c.security and (_EXPOSURE.search(c.masked()) or c.yes("data_loss")):
        crit.append("possible security breach: data or credentials exposed")
    elif c.security:
        high.append("security concern to assess today")


def _spread(c: Case, crit: list[str], workaround: bool) -> None:
    """Several high-value customers, a whole segment, or many customers blocked by a bug."""
    blocked, kind, segment, customers, high_value = c.blocked, c.kind, c.segment, c.customers, c.high_value
    outage = c.sig.has("outage") and not c.sig.has("intermittent")
    # "several high-value customers": a pattern of them blocked, or two or more hit by an outage
    if kind == "bug" and ((len(high_value) >= c.policy.pattern_threshold and blocked) or (len(high_value) >= 2 and outage)):
        crit.append(f"{len(high_value)} high-value customers affected")
    elif segment and blocked and kind == "bug" and (customers >= c.policy.pattern_threshold or not c.ctx.plan_counts.get(segment)):
        crit.append(f"a whole segment ({segment if segment != '*' else 'all customers'}) is blocked")
    elif blocked and kind == "bug" and customers >= c.policy.critical_customers and not workaround:
        crit.append(f"{customers} customers blocked")


def _function(c: Case, high: list[str], workaround: bool) -> None:
    """Wrong records, major functionality broken, a key customer blocked or hit by a bug."""
    blocked, kind, key_account = c.blocked, c.kind, c.key_account
    small_one = (c.ctx.account is not None and not key_account and c.customers <= 1 and not c.segment
                 and (c.ctx.account.arr or 0) < c.policy.high_value_arr and not c.sig.concept("stuck"))
    if c.sig.has("integrity") and kind == "bug":
        high.append("records or amounts are wrong: data integrity")
    if blocked and kind == "bug" and small_one:
        pass  # one small account blocked on one function, nothing down or lost: significant, not same-day (medium)
    elif blocked and kind == "bug":
        high.append("major functionality broken: the customer is blocked")
    if key_account and blocked:
        high.append("a key customer is blocked")
    elif key_account and kind == "bug" and not workaround and depth_known(c):
        high.append("a key customer is affected by a bug")


def _stakes(c: Case, high: list[str], workaround: bool) -> None:
    """The SLA, churn, an executive ask, legal or public exposure, several customers, a recurrence."""
    blocked, kind, key_account, sla = c.blocked, c.kind, c.key_account, c.sla_status
    told = c.facts.sla_status in ("at_risk", "breached") or c.sig.has("sla_breach") or c.sig.has("sla_risk")
    # a reply support owes on a request is support's own debt: it does not make the gap urgent
    stuck = any(r.id == "time.long_wait" for r in c.fired) and (kind not in ("feature_gap", "question") or c.sig.has("long_wait"))
    partly = workaround or c.facts.workflow_impact in ("degraded", "inconvenienced") or (
        c.facts.workflow_impact == "unknown" and (c.sig.has("degraded") or c.sig.has("intermittent") or c.sig.has("partial")))
    if sla in ("at_risk", "breached") and (told or (stuck or blocked or key_account and kind == "bug") and not partly):
        # read off the clocks alone, on a routine matter, the SLA is a reason to reply now, not to raise severity
        high.append(f"SLA {'breached' if sla == 'breached' else 'at risk'}")
    if c.churn and (key_account or c.arr >= c.policy.high_value_arr):
        high.append("a high-value customer threatens to churn")
    if c.executive:
        high.append("executive involvement requested")
    if c.legal:
        high.append("legal or PR exposure")
    elif c.yes("public_exposure") or (c.sig.has("public") and not c.no("public_exposure")):
        high.append("already public, or about to be (a post, a review, the press)")
    if c.customers >= c.policy.pattern_threshold and kind == "bug" and not workaround:
        high.append(f"{c.customers} customers affected")
    if any(r.id == "pattern.recurrence" for r in c.fired) and blocked:
        high.append("a recurrence of a fixed problem")


def _level(c: Case, crit: list[str], high: list[str], workaround: bool) -> tuple[Severity, list[str]]:
    if crit:
        return Severity.critical, crit
    if workaround and high and not any(h.startswith(("SLA", "a high-value", "executive", "legal", "security", "a key customer is blocked")) for h in high):
        return Severity.medium, ["a workaround exists: " + "; ".join(high)]
    if high:
        return Severity.high, high
    reasons = ["significant but not urgent"]
    if workaround:
        reasons = ["a workaround exists"]
    elif c.kind == "feature_gap":
        reasons = ["a feature gap: important, not an outage"]
    elif c.sig.has("intermittent") or c.sig.has("degraded"):
        reasons = ["degraded, not blocked"]
    return Severity.medium, reasons


def depth_known(c: Case) -> bool:
    return c.facts.workflow_impact in ("blocked", "degraded") or (
        c.facts.workflow_impact == "unknown" and any(c.sig.has(n) for n in ("bug", "outage", "degraded", "intermittent")))
