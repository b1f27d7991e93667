"""The escalation criteria (shared/DOMAIN.md "escalate"), by group: security and data, technical, complexity, breadth
and pattern, business, time, and the product's gaps. Each rule that fires records its evidence.

They fire in the order `escalation_criteria` calls them, and that order is part of the answer: the decision names the
first criteria fired.
"""

from __future__ import annotations

import re

from .case import Case, hours_text, short_money
from .concepts import BUG_CONCEPTS, SECURITY_CONCEPTS, read_concepts
from .decision import documented_limitation

THIN_WORDS = 8  # an issue this short is read together with the account's own ticket about it
# a wish to set something up ("wants to set up a deduction") may be a how-to: it is no gap on its own
_WISH = re.compile(r"(?:wants?|would|wish)\b", re.IGNORECASE)


def escalation_criteria(c: Case) -> None:
    _read_flags(c)
    _security_and_data(c)
    _technical(c)
    _complexity(c)
    _breadth_and_pattern(c)
    _business(c)
    _time(c)
    if c.sig.has("competing"):
        c.fire("impact.competing_needs", "customers need conflicting things: a product decision to prioritise", f'issue text: "{c.sig.found["competing"][:80]}"')
    if c.tried_already and c.kind in ("bug", "unknown", "configuration"):
        c.fire("complexity.tried_without_success", "support's troubleshooting did not resolve it", f'issue text: "{c.sig.found["tried"]}"')
    _feature_gap(c)


def _read_flags(c: Case) -> None:
    """The yes/no facts the criteria turn on, each from the facts given, else the text (a disagreement is asked)."""
    c.security, c.said["security"] = c.flag("security_concern", "security")
    account = c.ctx.account
    if not c.security and c.facts.security_concern == "unknown" and len(c.text.split()) <= THIN_WORDS and account:
        # a few words ("payout account changed"): the account's own report of it says what happened
        for t in c.ctx.related_tickets:
            if t.same_problem and t.account_id == account.id:
                found = [f for f in read_concepts(f"{t.subject}. {t.excerpt}") if f.concept in SECURITY_CONCEPTS]
                if found:
                    c.security, c.said["security"] = True, f'{t.id} reads: "{found[0].evidence}"'
                    c.sig.concepts.setdefault(found[0].concept, found[0].evidence)
                    break
    c.data_loss, c.said["data_loss"] = c.flag("data_loss", "data_loss")
    c.churn, c.said["churn"] = c.flag("churn_threat", "churn")
    c.executive, c.said["executive"] = c.flag("executive_request", "executive")
    c.exception, c.said["exception"] = c.flag("policy_exception", "policy_exception")
    c.recurrence, c.said["recurrence"] = c.flag("recurrence", "recurrence")
    c.confirmed, c.said["confirmed"] = c.flag("confirmed", "confirmed")


def _security_and_data(c: Case) -> None:
    """Possible exposure or unauthorised access; data lost, corrupted or wrong."""
    if c.security:
        c.fire("impact.security", "possible data exposure, unauthorised access, vulnerability or compliance concern", c.said["security"])
    if c.data_loss:
        c.fire("impact.data_at_risk", "data corruption or loss: data integrity at risk", c.said["data_loss"])
    elif c.sig.has("integrity") and not c.no("data_loss") and c.kind == "bug":
        c.fire("impact.data_integrity", "records or amounts are wrong or duplicated: a bug that needs a code change",
               f'issue text: "{c.sig.found["integrity"]}"')


def _technical(c: Case) -> None:
    """A regression, production down, infrastructure, a product fault, a confirmed or known bug."""
    kind, prod_down = c.kind, c.prod_down
    if kind == "bug" and (regression := c.sig.concept("after_change")) and not c.no("data_loss"):
        # a release or a migration broke or lost what worked before: a regression for engineering, whatever workaround exists
        c.fire("technical.regression", "a release or migration broke or lost what worked before", f'issue text: "{regression}"')
    if prod_down:
        c.fire("impact.production_down", "production is down", c.prod_ev)
    generic_failure = re.fullmatch(r"fail\w*|broken|not (?:working|responding)", c.sig.found.get("outage", "").lower())
    if kind == "bug" and ((c.sig.has("outage") and not generic_failure) or prod_down) and not c.sig.has("configuration"):
        c.fire("technical.infrastructure", "an outage or server errors need system-level investigation", f'issue text: "{c.sig.found.get("outage") or c.sig.found.get("production_down")}"')
    fault = (c.sig.concept("error_code", *BUG_CONCEPTS)
             or (c.depth_value == "blocked" and c.sig.found.get("blocked") or c.sig.found.get("outage")))
    fault_ev = f'issue text: "{fault}"' if fault else ""
    if kind == "bug" and not fault:
        # no failure word of its own, yet a misbehaviour: the reporter's reading, or the softer words the text uses
        said = c.sig.found.get("bug") or c.sig.found.get("degraded") or c.sig.found.get("intermittent")
        fault_ev = f'issue text: "{said}"' if said else "reporter says the product misbehaves" if c.facts.issue_kind == "bug" else ""
    if kind == "bug" and fault_ev and not any(r.id == "technical.infrastructure" for r in c.fired):
        # the product fails at its job (an error, a stuck job, wrong records, a blocked task): a fix is needed, unless a
        # documented answer below keeps it in support
        c.fire("technical.product_fault", "the product fails at a task: needs a fix, or a diagnosis first", fault_ev)
    open_bug = c.open_bug = next((t for t in c.ctx.tracker_items if t.kind in ("bug", "incident") and t.status_category != "done" and t.match >= c.policy.related_min_score), None)
    if kind == "bug" and c.confirmed:
        c.fire("technical.confirmed_bug", "a confirmed bug needs a code change", c.said["confirmed"])
    elif kind == "bug" and open_bug:
        c.fire("technical.known_bug", "matches an open bug in the tracker", f"{open_bug.id}: {open_bug.title} ({open_bug.status})")


def _complexity(c: Case) -> None:
    """Access support lacks, a cause only part of it shows, beyond support, a custom implementation."""
    kind = c.kind
    if kind == "bug" and (stuck := c.sig.concept("stuck")) and not c.no("workaround_available"):
        c.fire("complexity.needs_access", "a job stuck in a state support cannot release or cancel: needs access support lacks",
               f'issue text: "{stuck}"')
    scope = c.sig.found.get("partial") or c.sig.found.get("intermittent")
    if (kind in ("bug", "unknown") and scope and not c.confirmed and not c.data_loss and not c.prod_down
            and (c.sig.has("bug") or c.sig.has("degraded") or c.sig.has("tried") or c.sig.concept(*BUG_CONCEPTS))):
        # only some users, sites or times, not reproduced: the pattern has to be found before a fix can be asked for
        c.fire("complexity.partial_unexplained", "only part of it fails and the cause is not known: needs deeper investigation",
               f'issue text: "{scope}"')
    odd = c.sig.concept("unexplained")
    other_fault = c.sig.concept("error_code", *(n for n in BUG_CONCEPTS if n != "unexplained"))
    if (kind in ("bug", "unknown") and odd and not other_fault and not scope and not c.confirmed and not c.data_loss and not c.prod_down
            and not c.open_bug and not c.recurrence):
        # it does one thing instead of another, or acts on its own, and nobody knows why yet: a setting, the data or a
        # defect; the cause has to be found before a fix can be asked for
        c.fire("complexity.partial_unexplained", "it behaves unexpectedly and the cause is not known: needs deeper investigation",
               f'issue text: "{odd}"')
    for name, rid, says in (
        ("beyond_support", "complexity.beyond_support", "beyond what support can diagnose or access"),
        ("custom_implementation", "complexity.custom_implementation", "involves a custom implementation"),
    ):
        if c.sig.has(name):
            c.fire(rid, says, f'issue text: "{c.sig.found[name]}"')


def _breadth_and_pattern(c: Case) -> None:
    """Several customers; the same problem from the pattern threshold or more; a recurrence; rising reports."""
    kind, policy = c.kind, c.policy
    if c.customers >= 2 and kind != "question":
        c.fire("impact.multiple_customers", "several customers are affected", c.breadth.value)
    if c.ctx.customers_reporting >= policy.pattern_threshold:
        c.fire("pattern.repeated", f"the same problem from {policy.pattern_threshold} or more customers",
               f"{c.ctx.customers_reporting} customers have tickets about it")
    elif c.sig.customer_count >= policy.pattern_threshold and kind != "question":
        c.fire("pattern.repeated", f"the same problem from {policy.pattern_threshold} or more customers", f'issue text: "{c.sig.count_evidence}"')
    if c.recurrence and kind in ("bug", "unknown"):
        c.fire("pattern.recurrence", "a recurrence of something said to be fixed", c.said["recurrence"])
    if c.growing and kind == "bug":
        c.fire("pattern.rising", "reports are rising", c.breadth.evidence[-1])


def _business(c: Case) -> None:
    """A high-value customer at risk or a churn threat, a key customer blocked, the SLA, an executive ask, a policy
    exception, PR or legal risk."""
    account, sla_status = c.ctx.account, c.sla_status
    if c.churn:
        if c.key_account or c.arr >= c.policy.high_value_arr:
            c.fire("business.high_value_at_risk", "a high-value customer is at risk", f"{c.said['churn']}; {c.revenue.value}")
        else:
            c.fire("business.churn_threat", "a customer threatens to leave", c.said["churn"])
    elif c.key_account and c.blocked and c.kind == "bug":
        c.fire("business.key_customer_blocked", "a key customer is blocked", f"{account.name} ({account.plan}, {c.revenue.value})")  # type: ignore[union-attr]
    if sla_status == "breached" and (c.facts.sla_status == "breached" or c.sig.has("sla_breach")):
        # the reporter says so: a business criterion a documented answer does not cancel
        c.fire("business.sla_breach_reported", "SLA breached", "; ".join(c.sla_ev))
    elif sla_status == "breached":
        # read off the workspace's clocks: the reply owed is support's own, so a documented answer still keeps it there
        c.fire("business.sla_breached", "SLA breached", "; ".join(c.sla_ev))
    elif sla_status == "at_risk":
        c.fire("business.sla_at_risk", "SLA breach imminent", "; ".join(c.sla_ev))
    if c.executive:
        c.fire("business.executive_request", "the customer asks for executive involvement", c.said["executive"])
    if c.exception:
        c.fire("business.policy_exception", "needs a policy exception (refund, waiver, extension)", c.said["exception"])
    if c.legal or c.public:
        c.fire("business.legal_or_pr", "PR or legal risk", c.legal_ev or c.public_ev)


def _time(c: Case) -> None:
    """The customer has waited unreasonably long: the text says so, or the wait and the ticket's age show normal
    channels are stuck. (An SLA clock past its target fires with the contractual dimension.)"""
    waiting = c.ctx.timeline.customer_waiting_hours
    open_days = (c.hours_open or 0) / 24
    if c.sig.has("long_wait"):
        c.fire("time.long_wait", "the customer has waited unreasonably long", f'issue text: "{c.sig.found["long_wait"]}"')
    elif waiting and waiting >= c.policy.long_wait_hours and open_days >= c.policy.stuck_ticket_days:
        c.fire("time.long_wait", "the customer has waited unreasonably long and normal channels are stuck",
               f"waiting {hours_text(waiting)}, open {open_days:.0f} days")


def _feature_gap(c: Case) -> None:
    """A feature gap hurting customers (breadth, churn, deals, competition, repeated asks, costs), or a need the product
    does not meet with no documented alternative (a documented limitation, which the decision reads too)."""
    kind, policy, text = c.kind, c.policy, c.text
    requests = max((t.linked_tickets for t in c.ctx.tracker_items if t.kind == "feature_request" and t.match >= policy.related_min_score), default=0)
    competitive = c.sig.found.get("competitive", "")
    repeated_ask = re.search(r"\b(?:again|keeps? asking|asked (?:several|many|\d+) times|repeatedly)\b", text, re.IGNORECASE)
    compliance = re.search(r"\b(?:auditors?|audit finding|compliance|regulat\w+|hipaa|soc ?2|pci|gdpr|iso ?27001|assessment)\b", c.masked(), re.IGNORECASE)
    costs = c.sig.arr_mentioned or compliance or re.search(r"\$\s?\d[\d,]*(?:\.\d+)?\s*(?:k|m)?\s*(?:a|per|each|every) (?:month|week|year|day)\b", text, re.IGNORECASE)
    limitation = c.limitation = documented_limitation(c)
    customers, deals = c.customers, c.deals
    if kind == "feature_gap" and (customers >= 2 or c.churn or deals or (c.key_account and c.blocked) or c.ctx.customers_reporting >= 2
                                  or competitive or requests >= 2 or repeated_ask or costs):
        c.fire("impact.feature_gap", "a feature gap is hurting customers", "; ".join(filter(None, [
            c.breadth.value if customers >= 2 else "", c.said["churn"], f"pending deals {short_money(deals)}" if deals else "",
            f'competitive pressure: "{competitive}"' if competitive else "",
            f"{requests} tickets linked to the tracker's request" if requests >= 2 else ""])))
    elif kind == "feature_gap" and not limitation and (c.facts.issue_kind == "feature_gap" or not (
            _WISH.match(c.sig.found.get("feature_gap", "")) and c.sig.has("configuration"))):
        # a need the product does not meet and no documented alternative: product hears of it, at the lowest severity
        c.fire("impact.feature_gap", "the customer needs what the product does not do, with no documented alternative",
               f'issue text: "{c.sig.found.get("feature_gap") or c.sig.found.get("question") or text[:80]}"')
