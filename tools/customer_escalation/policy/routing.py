"""Choosing the target: a pure function of the assessment, context and policy.

Security always bypasses the tier order. Otherwise the kind of ask decides: a code change
goes to engineering, a product decision to product, a business decision (exception,
executive ask, revenue at stake without a technical cause) to leadership, and deeper
investigation to L2. Others are kept informed where the stakes reach them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..models import TARGET_LABELS, Assessment, ChecklistItem, Context, Routing, Severity, Target
from .concepts import SPECIFIC_SYMPTOMS, symptoms
from .model import Policy

# What each target needs in the brief (DOMAIN tier table).
NEEDS: dict[Target, list[str]] = {
    Target.l2_support: ["ticket summary", "steps already tried", "customer context"],
    Target.engineering: ["full reproduction steps", "environment", "logs or error messages", "business impact", "customer timeline"],
    Target.product: ["customer use case", "business impact", "how often it is requested", "competitive pressure (if known)"],
    Target.security: ["what was observed", "who or what may be affected", "containment already done", "urgency"],
    Target.leadership: ["full business context", "revenue at risk", "what was tried", "the decision or action needed", "deadline"],
}


def _has(ids: set[str], *names: str) -> bool:
    return any(n in ids for n in names)


_DIAGNOSIS = {"complexity.beyond_support", "complexity.custom_implementation", "complexity.tried_without_success",
              "complexity.partial_unexplained"}
_ENGINEERING_NOW = {"impact.data_at_risk", "impact.production_down", "technical.confirmed_bug", "technical.known_bug",
                    "complexity.needs_access", "technical.regression",
                    "pattern.repeated", "pattern.recurrence", "impact.multiple_customers"}


def _needs_diagnosis(a: Assessment, ids: set[str]) -> bool:
    """A single customer's unconfirmed problem that frontline could not crack goes to L2 first."""
    if a.confirmed is True or not ids & _DIAGNOSIS:
        return False
    # once the reporter says it was not reproduced, several customers alone do not make it engineering's yet
    blocking = _ENGINEERING_NOW if a.confirmed is None else _ENGINEERING_NOW - {"impact.multiple_customers"}
    return not ids & blocking and (a.confirmed is False or "technical.infrastructure" not in ids)


def _open_bug(ctx: Context, policy: Policy) -> bool:
    """The context holds a failure behind the business decision: an open bug or incident about this problem, or the
    account's own open ticket on it describing a failure ("report card export fails", "lab results still stuck")."""
    if any(t.kind in ("bug", "incident") and t.status_category != "done" and t.match >= policy.related_min_score for t in ctx.tracker_items):
        return True
    own = [t for t in ctx.related_tickets if ctx.account is not None and t.account_id == ctx.account.id
           and t.status not in ("solved", "closed") and t.match >= policy.related_min_score * 0.8]
    return any(symptoms(t.subject) & SPECIFIC_SYMPTOMS or _FAILURE.search(t.subject) for t in own)


_FAILURE = re.compile(r"\b(?:fail(?:s|ed|ing|ure)?|errors?|broken|not working|crash\w*|not (?:reaching|arriving|loading|syncing|sending|saving))\b", re.IGNORECASE)


# Asks only leadership can answer; with a high-value customer at risk or a churn threat, the business stakes.
_LEADERSHIP_ASKS = ("business.policy_exception", "business.executive_request", "business.legal_or_pr")
_BUSINESS = (*_LEADERSHIP_ASKS, "business.high_value_at_risk", "business.churn_threat")


@dataclass
class _Choice:
    """The assessment being routed, and the reasons and the teams to inform as the target is chosen."""

    a: Assessment
    ids: set[str]
    ctx: Context
    policy: Policy
    technical: bool
    top_account: bool
    reasons: list[str] = field(default_factory=list)
    inform: list[Target] = field(default_factory=list)


def choose(assessment: Assessment, ctx: Context, policy: Policy, provided: dict[str, bool] | None = None) -> Routing:
    """The primary target, who else to inform, why, and the checklist for that target.

    `provided` says which brief parts are already known (e.g. {"reproduction steps": True});
    the checklist marks the rest as missing.
    """
    if not assessment.escalate:
        return Routing(target=None, team="", reasons=["handle in support: " + assessment.decision])
    ids = {r.id for r in assessment.fired}
    a = assessment
    top_account = a.arr_at_risk >= policy.top_account_arr
    technical = a.issue_kind == "bug" or _has(ids, "impact.data_at_risk", "impact.production_down", "technical.infrastructure", "technical.confirmed_bug", "technical.known_bug")
    s = _Choice(a, ids, ctx, policy, technical, top_account)
    target = _target(s)
    bypass = bool(a.security)  # security skips the tier order: the first branch of _target

    team = policy.teams[target]
    provided = provided or {}
    checklist = [ChecklistItem(item=item, present=bool(provided.get(item))) for item in NEEDS[target]]
    inform = [t for t in dict.fromkeys(s.inform) if t != target]
    return Routing(
        target=target, team=team.name or TARGET_LABELS[target], also_inform=inform, reasons=s.reasons, security_bypass=bypass,
        tracker=team.tracker, chat_channel=team.chat_channel, checklist=checklist,
    )


def _target(s: _Choice) -> Target:
    """The first that applies: security; a leadership ask; competing needs; a feature gap; a technical problem (L2 first
    when it needs diagnosis, else engineering); a cause still unknown; business stakes; else L2."""
    a, ids, technical = s.a, s.ids, s.technical
    if a.security:
        return _security(s)
    if _has(ids, *_LEADERSHIP_ASKS):
        return _leadership_ask(s)
    if _has(ids, "impact.competing_needs"):
        s.reasons.append("competing customer needs: product decides the priority")
        if a.key_account or a.churn_threat:
            s.inform.append(Target.leadership)
        return Target.product
    if a.issue_kind == "feature_gap" and not technical:
        return _feature_gap(s)
    if technical and _needs_diagnosis(a, ids):
        s.reasons.append("not reproduced and beyond frontline troubleshooting: L2 investigates before engineering takes it ("
                         + ", ".join(sorted(ids & _DIAGNOSIS)) + ")")
        return Target.l2_support
    if technical:
        return _engineering(s)
    if not technical and ids & _DIAGNOSIS and not _has(ids, *_BUSINESS):
        # the cause is not known yet: L2 finds it; a long wait on a key account keeps leadership informed
        s.reasons.append("needs deeper investigation before anyone can fix or decide: " + ", ".join(sorted(ids & _DIAGNOSIS)))
        if _has(ids, "business.sla_breach_reported", "time.long_wait") and a.key_account:
            s.inform.append(Target.leadership)
        return Target.l2_support
    if _has(ids, *_BUSINESS) or (
        # a breach the reporter tells of, or a stuck ticket, on a key account; one read off the clocks alone is a reply owed
        _has(ids, "business.sla_breach_reported", "time.long_wait") and a.key_account
    ):
        return _business(s)
    s.reasons.append("needs deeper investigation or specialist knowledge before anyone else: " + ", ".join(sorted(ids)))
    if a.sla_status == "breached" or _has(ids, "time.long_wait"):
        s.inform.append(Target.leadership)
    return Target.l2_support


def _security(s: _Choice) -> Target:
    a = s.a
    s.reasons.append("security concern: goes straight to the security team, whoever raises it")
    if s.technical:
        s.inform.append(Target.engineering)
    if a.severity == Severity.critical and (a.key_account or s.top_account or a.churn_threat) or _has(s.ids, "business.legal_or_pr"):
        s.inform.append(Target.leadership)
    return Target.security


def _leadership_ask(s: _Choice) -> Target:
    asks = {"business.policy_exception": "a policy exception (refund, waiver, credit, extension)",
            "business.executive_request": "the customer asks for executive involvement",
            "business.legal_or_pr": "PR or legal risk"}
    s.reasons.append("a leadership decision: " + "; ".join(v for k, v in asks.items() if k in s.ids))
    if s.technical or _open_bug(s.ctx, s.policy):
        s.inform.append(Target.engineering)
        s.reasons.append("the technical problem behind it: engineering informed")
    if s.a.issue_kind == "feature_gap":
        s.inform.append(Target.product)
    return Target.leadership


def _feature_gap(s: _Choice) -> Target:
    a = s.a
    if a.churn_threat and s.top_account:
        s.inform.append(Target.product)
        s.reasons.append("a top account threatens to churn over a missing feature: leadership decides, product informed")
        return Target.leadership
    s.reasons.append("a feature gap hurting customers needs a product decision")
    if a.churn_threat or a.key_account or _has(s.ids, "business.high_value_at_risk"):
        s.inform.append(Target.leadership)
        s.reasons.append("revenue is at stake: leadership kept informed")
    return Target.product


def _engineering(s: _Choice) -> Target:
    a, ids = s.a, s.ids
    why = sorted(ids & {
        "impact.data_at_risk", "impact.production_down", "technical.infrastructure", "technical.confirmed_bug",
        "technical.known_bug", "pattern.recurrence", "pattern.repeated"})
    s.reasons.append("a bug or system problem needs engineering" + (": " + ", ".join(why) if why else ""))
    if (a.severity == Severity.critical and (a.key_account or s.top_account or a.customers_affected >= s.policy.pattern_threshold)) or _has(
        ids, "business.high_value_at_risk", "business.executive_request", "business.legal_or_pr", "business.policy_exception", "business.churn_threat"
    ) or (_has(ids, "business.sla_breach_reported", "time.long_wait") and a.key_account):
        s.inform.append(Target.leadership)
        s.reasons.append("business stakes (critical for key accounts, churn, SLA breach, executive or legal exposure): leadership informed")
    return Target.engineering


def _business(s: _Choice) -> Target:
    if s.a.issue_kind not in ("feature_gap", "question") and _open_bug(s.ctx, s.policy):
        s.inform.append(Target.engineering)
        s.reasons.append("an open bug behind it: engineering informed")
    s.reasons.append("a business decision or a key relationship at risk: " + ", ".join(sorted(s.ids & {
        "business.policy_exception", "business.executive_request", "business.legal_or_pr", "business.high_value_at_risk",
        "business.churn_threat", "business.sla_breached", "business.sla_breach_reported"})))
    return Target.leadership
