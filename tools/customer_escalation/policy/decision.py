"""Handle in support or escalate: the documented answers (a workaround, a known limitation), the handle-in-support
rules (shared/DOMAIN.md), the decision between them and the escalation criteria, the repeat-escalation signal recorded
after it, and the decision in one sentence."""

from __future__ import annotations

from datetime import timedelta

from ..models import KBMatch, Severity
from .case import Case
from .concepts import SPECIFIC_SYMPTOMS, symptoms

# Rules strong enough that a workaround or a how-to reading does not cancel the escalation.
STRONG = {
    "impact.security", "impact.data_at_risk", "impact.production_down", "business.sla_breach_reported",
    "business.executive_request", "business.legal_or_pr", "business.high_value_at_risk", "business.policy_exception",
    "pattern.recurrence", "technical.confirmed_bug", "business.churn_threat", "impact.feature_gap", "impact.competing_needs",
    "complexity.beyond_support", "time.long_wait", "technical.regression",
}
# Read off the workspace's clocks rather than told: the reply owed is support's own, so on their own these
# do not take an issue out of support (they stay in the assessment as evidence and as a reason to reply now).
CLOCK_ONLY = {"business.sla_breached", "business.sla_at_risk", "time.open_past_sla"}
REPEAT_WINDOW_DAYS = 90  # earlier escalations of the same account this recent count as a repeat


def documented_workaround(c: Case) -> KBMatch | None:
    """An article that documents the fix or a workaround for this issue.

    A workaround can keep an issue in support, so it needs a closer match than "related", and a how-to is no fix for a
    failure: it is possibly related, never offered as the workaround. An article on exactly this (the same quoted
    message or code) documents the answer even without a workaround field, and then even a how-to is the fix (an
    article explaining the design is no answer to a feature gap or a bug: only a workaround or an alternative is).
    """
    kind, exact = c.kind, c.policy.documented_answer_min_score
    failure = symptoms(c.text) & SPECIFIC_SYMPTOMS
    return next((k for k in c.ctx.kb_articles if (k.workaround or (k.match >= exact and not (k.kind == "doc" and kind in ("feature_gap", "bug"))))
                 and k.applies and k.kind != "limitation"
                 # a how-to answers a failure when it is written about that very behaviour ("Duplicate transactions after
                 # reconnecting a bank feed" for transactions shown twice after a reconnect), not about the feature at large
                 and (k.kind != "how_to" or kind in ("question", "configuration", "unknown") or k.match >= exact
                      or bool(k.workaround and failure & symptoms(k.title)))
                 and k.match >= c.policy.workaround_min_score), None)


def documented_limitation(c: Case) -> KBMatch | None:
    """An article documenting this as a known limitation with an alternative: on exactly this, or related to a gap,
    a question or an issue of unknown kind."""
    kind, policy = c.kind, c.policy
    exact = policy.documented_answer_min_score
    failure = symptoms(c.text) & SPECIFIC_SYMPTOMS
    # a limitation written about this very behaviour ("duplicate events" for a webhook that came twice) answers a bug too
    return next((k for k in c.ctx.kb_articles if k.kind == "limitation" and k.applies and (
        k.match >= exact or (k.match >= policy.related_min_score and (kind in ("feature_gap", "unknown", "question") or bool(failure & symptoms(k.title)))))), None)


def handle_in_support(c: Case) -> None:
    """A documented fix or workaround, a configuration problem, guidance, a known limitation, solved before."""
    kind, kb_workaround, ctx = c.kind, c.kb_workaround, c.ctx
    if c.workaround_known and kind in ("question", "configuration"):
        c.fire("handle.documented_workaround", "a known workaround exists", "reporter says a workaround is available")
    elif c.workaround_known and not kb_workaround:
        pass  # the customer's stopgap keeps them going; the problem behind it still needs its fix or diagnosis (severity medium)
    elif kb_workaround and c.tried_already:
        c.conflicts.append(f"{kb_workaround.id} documents a workaround, but the text says fixes were already tried: "
                           f'"{c.sig.found["tried"]}" — confirm whether it was this one')
    elif kb_workaround and not c.no("workaround_available"):
        c.fire("handle.documented_workaround", "a documented fix or known workaround exists", f"{kb_workaround.id}: {kb_workaround.title}")
    elif kb_workaround and c.no("workaround_available"):
        c.conflicts.append(f"the reporter says there is no workaround, but {kb_workaround.id} documents one: check whether it applies")
    if kind == "configuration":
        c.fire("handle.configuration", "a configuration or setup problem support can fix", f'issue text: "{c.sig.found.get("configuration", "configuration")}"')
    if kind == "question":
        c.fire("handle.guidance", "the customer needs guidance or training, not a fix", f'issue text: "{c.sig.found.get("question", "a how-to question")}"')
    if c.limitation:
        c.fire("handle.known_limitation", "a known limitation with a documented alternative", f"{c.limitation.id}: {c.limitation.title}")
    solved = [t for t in ctx.related_tickets if t.same_problem and t.status in ("solved", "closed")]
    open_same = [t for t in ctx.related_tickets if t.same_problem and t.status not in ("solved", "closed")]
    if kind in ("question", "configuration", "unknown") and len(solved) >= 2 and len(solved) > len(open_same) and not c.open_bug:
        c.fire("handle.solved_before", "similar past tickets were solved by support", f"{len(solved)} similar tickets solved, e.g. {solved[0].id}")


def decide(c: Case) -> bool:
    """Escalate on a strong criterion (or infrastructure for a key account or several customers, with no workaround);
    else a handle-in-support rule keeps it in support; else any criterion not read off the clocks alone escalates."""
    # a custom implementation is beyond a configuration fix, unless an article documents the fix for exactly this
    custom_strong = not (c.kb_workaround and c.kb_workaround.match >= c.policy.documented_answer_min_score)
    strong = [r for r in c.fired if r.id in STRONG or (r.id == "complexity.custom_implementation" and custom_strong)]
    infra_key = any(r.id == "technical.infrastructure" for r in c.fired) and (c.key_account or c.customers >= 2) and not c.workaround_known
    if strong or infra_key:
        return True
    if c.handle:
        return False
    return any(r.id not in CLOCK_ONLY for r in c.fired)


def repeat_escalations(c: Case) -> None:
    """Earlier escalations of this account (gather's past_escalations: the workspace and the escalation log) are a
    repeat signal for whoever receives it; recorded after the decision, so on its own it never escalates."""
    ctx = c.ctx
    repeats = [e for e in ctx.past_escalations if ctx.account and e.created_at >= c.now - timedelta(days=REPEAT_WINDOW_DAYS)]
    if repeats:
        c.fire("pattern.repeat_escalation", f"the account was escalated before (within {REPEAT_WINDOW_DAYS} days)",
               "; ".join(f"{e.id} {e.created_at.date().isoformat()} ({e.status})" for e in repeats[:3]))


def decision_text(c: Case, severity: Severity | None) -> str:
    if c.escalate:
        top = ", ".join(r.id for r in c.fired[:4])
        return f"Escalate ({severity.value if severity else 'severity unknown'}): {top}."
    if c.handle:
        fired = f"; escalation criteria also seen: {', '.join(r.id for r in c.fired)}" if c.fired else ""
        return f"Handle in support: {', '.join(r.id for r in c.handle)}{fired}."
    return "Handle in support for now: no escalation criterion fired. Answer the open questions; a new fact can change this."
