"""What kind of issue it is (bug, feature gap, configuration, question): the reporter's word, else the text's and the
tracker's reading."""

from __future__ import annotations

import re

from ..models import IssueKind
from .case import Case

STRONG_REQUEST = 0.8
# a request put as a question: "asking whether we can ...", "asks if they can set ..."
_CAN_THEY = re.compile(r"\b(?:asks?|asking|asked|wants? to know|wondering|wonders?)\s+(?:us\s+)?(?:whether|if)\s+(?:we|they|it|the (?:product|platform|app|system))\s+(?:can|could)\b|"
                       r"\b(?:asks?|asking|asked|wants? to know|wondering|wonders?)\s+(?:us\s+)?(?:whether|if)\s+(?:[\w-]+\s+){1,4}?(?:can|could) be (?:required|set|made|configured|limited|restricted|sent|shown|hidden|split|scheduled)\b|"
                       # "Can their shoppers pick a delivery slot at checkout?": a capability asked after, not a chase or a favour
                       r"(?:^|[.!?]\s+)(?:does|do)\s+(?:[\w-]+\s+){1,2}?(?:do|support|offer|have|handle|allow|integrate with)\b[^.!?]{3,120}\?",
                       re.IGNORECASE)  # a question matching an open feature request this closely asks for that feature


def issue_kind(c: Case) -> IssueKind:
    if c.facts.issue_kind != "unknown":
        return c.facts.issue_kind
    s = c.sig
    if s.has("production_down") or s.has("data_loss") or s.has("integrity") or s.concept("stuck", "duplicated", "not_delivered"):
        return "bug"
    if (s.has("feature_gap") or s.has("competing")) and not s.has("outage"):
        return "feature_gap"
    # a question whether they can do something, where the tracker holds a request like it (a looser match: the question
    # words it as an ask, the tracker as a feature)
    requested = next((t for t in c.ctx.tracker_items if t.kind == "feature_request" and t.status_category != "done"
                      and t.match >= c.policy.related_min_score * 0.8), None)
    if s.has("competitive") and not (s.has("outage") or s.has("bug")):
        return "feature_gap"  # "like competing agencies offer": a capability others have and we lack
    documented = any(k.kind == "limitation" and k.applies and k.match >= c.policy.documented_answer_min_score for k in c.ctx.kb_articles)
    if (s.has("question") and requested is not None and requested.match >= STRONG_REQUEST and not (s.has("outage") or s.has("bug"))
            and not documented):
        return "feature_gap"  # "offline mode for the mobile app?": the question names what the tracker holds as a request
    if s.has("question") and requested is not None and re.search(
            r"\b(?:whether|if) (?:\w+ ){0,4}(?:can|could|is able to|are able to)\b|(?:^|[.!?]\s+)(?:can|could|is it possible|is there a way)\b", c.text, re.IGNORECASE):
        return "feature_gap"  # "asks whether they can ..." where the tracker holds that very request
    if (s.has("question") and _CAN_THEY.search(c.text) and not (s.has("outage") or s.has("bug") or s.has("configuration"))
            and not any(k.applies and k.match >= c.policy.related_min_score * 0.6 for k in c.ctx.kb_articles)):
        return "feature_gap"  # "asks whether we can send offers in Spanish", and nothing documents how: a request, not a how-to
    # what the tracker already calls it, when the text itself does not say
    best = max((t for t in c.ctx.tracker_items if t.match >= c.policy.related_min_score), key=lambda t: t.match, default=None)
    if best is not None and not s.has("question") and not s.has("configuration"):
        if best.kind == "feature_request" and not s.has("outage"):
            return "feature_gap"
        if best.kind in ("bug", "incident") and not s.has("churn"):
            return "bug"
    if s.has("question") and not (s.has("outage") or s.has("bug")):
        return "question"
    if s.has("configuration") and not (s.has("outage") or s.has("data_loss")):
        return "configuration"
    if s.has("outage") or s.has("bug") or s.has("degraded") or s.has("intermittent") or s.has("recurrence"):
        return "bug"
    if s.has("question"):
        return "question"
    return "unknown"
