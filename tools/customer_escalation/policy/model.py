"""The escalation policy: thresholds, teams, SLA targets and cadence. Defaults encode DOMAIN rules.

An organisation overrides any part from a TOML file (see docs/POLICY.md). A malformed or
contradictory file is refused whole, with the key and the problem named.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..models import Severity, Target


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SlaTarget(_Strict):
    first_response_hours: float = Field(gt=0)
    resolution_hours: float = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> SlaTarget:
        if self.resolution_hours < self.first_response_hours:
            raise ValueError("resolution_hours must not be shorter than first_response_hours")
        return self


class Team(_Strict):
    name: str = Field(min_length=1, description="how the brief names the team")
    tracker: str = Field(default="", description="where issues are filed: 'jira:ENG', 'linear:ENG', 'github' or ''")
    chat_channel: str = Field(default="", description="Slack channel id or name for notices, '' for none")


class Cadence(_Strict):
    internal_hours: float = Field(gt=0, description="internal follow-up interval")
    customer_hours: float = Field(default=0, ge=0, description="customer update interval in hours (0: use business days)")
    customer_business_days: float = Field(default=0, ge=0, description="customer update interval in business days")

    @model_validator(mode="after")
    def _one_customer_clock(self) -> Cadence:
        if not self.customer_hours and not self.customer_business_days:
            raise ValueError("set customer_hours or customer_business_days")
        if self.customer_hours and self.customer_business_days:
            raise ValueError("set only one of customer_hours and customer_business_days")
        return self


class Calendar(_Strict):
    business_days: list[int] = Field(default=[0, 1, 2, 3, 4], description="weekdays, Monday = 0")
    holidays: list[date] = Field(default_factory=list)

    @model_validator(mode="after")
    def _valid_days(self) -> Calendar:
        if not self.business_days or any(d < 0 or d > 6 for d in self.business_days):
            raise ValueError("business_days must list weekdays from 0 (Monday) to 6 (Sunday)")
        return self


def _default_teams() -> dict[Target, Team]:
    return {
        Target.l2_support: Team(name="L2 Support", tracker="", chat_channel="#support-l2"),
        Target.engineering: Team(name="Engineering", tracker="jira:ENG", chat_channel="#eng-escalations"),
        Target.product: Team(name="Product Management", tracker="jira:PROD", chat_channel="#product-feedback"),
        Target.security: Team(name="Security", tracker="jira:SEC", chat_channel="#security-incidents"),
        Target.leadership: Team(name="Support Leadership", tracker="", chat_channel="#support-leadership"),
    }


def _default_sla() -> dict[str, SlaTarget]:
    # keyed by plan or SLA tier name, lower case; an account's own SLA fields win over these
    return {
        "enterprise": SlaTarget(first_response_hours=1, resolution_hours=8),
        "premium": SlaTarget(first_response_hours=1, resolution_hours=8),
        "business": SlaTarget(first_response_hours=4, resolution_hours=24),
        "growth": SlaTarget(first_response_hours=8, resolution_hours=48),
        "starter": SlaTarget(first_response_hours=24, resolution_hours=72),
    }


def _default_cadence() -> dict[Severity, Cadence]:
    return {
        Severity.critical: Cadence(internal_hours=2, customer_hours=4),
        Severity.high: Cadence(internal_hours=4, customer_hours=8),
        Severity.medium: Cadence(internal_hours=24, customer_business_days=2),
    }


class Policy(_Strict):
    """Everything the judgement depends on besides the facts of the case."""

    high_value_arr: float = Field(default=100_000, ge=0, description="ARR (USD) from which an account is high-value")
    top_account_arr: float = Field(default=500_000, ge=0, description="ARR (USD) from which leadership leads churn cases")
    key_account_plans: list[str] = Field(default=["Enterprise"], description="plans whose accounts are key accounts")
    key_accounts: list[str] = Field(default_factory=list, description="account names or ids that are always key")
    pattern_threshold: int = Field(default=3, ge=2, description="distinct customers reporting the same problem")
    critical_customers: int = Field(default=10, ge=2, description="customers blocked by one fault that make it critical")
    pattern_window_days: int = Field(default=30, ge=1, description="how far back tickets count towards a pattern")
    renewal_window_days: int = Field(default=90, ge=0, description="renewals within this many days are flagged")
    long_wait_hours: float = Field(default=72, gt=0, description="a customer wait this long is unreasonable")
    sla_at_risk_share: float = Field(default=0.75, gt=0, lt=1, description="share of the SLA elapsed that counts as at risk")
    related_min_score: float = Field(default=0.5, gt=0, le=1, description="how closely a ticket must match to be the same problem")
    workaround_min_score: float = Field(default=0.55, gt=0, le=1, description="how closely a KB article must match before its workaround keeps an issue in support")
    documented_answer_min_score: float = Field(
        default=0.75, gt=0, le=1,
        description="how closely a KB article (how-to or limitation) must match to stand as the documented answer whatever the issue reads as")
    stuck_ticket_days: float = Field(default=7, gt=0, description="an open ticket this old, with the customer waiting past long_wait_hours, means normal channels are stuck")
    teams: dict[Target, Team] = Field(default_factory=_default_teams)
    sla: dict[str, SlaTarget] = Field(default_factory=_default_sla)
    cadence: dict[Severity, Cadence] = Field(default_factory=_default_cadence)
    calendar: Calendar = Field(default_factory=Calendar)
    keywords: dict[str, list[str]] = Field(
        default_factory=dict, description="extra phrases per signal, e.g. security = ['pen test finding']"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Policy:
        if self.top_account_arr < self.high_value_arr:
            raise ValueError("top_account_arr must be at least high_value_arr (a top account is also high-value)")
        missing = [t.value for t in Target if t not in self.teams]
        if missing:
            raise ValueError(f"teams is missing {', '.join(missing)}")
        missing = [s.value for s in Severity if s not in self.cadence]
        if missing:
            raise ValueError(f"cadence is missing {', '.join(missing)}")
        order = [self.cadence[s].internal_hours for s in (Severity.critical, Severity.high, Severity.medium)]
        if order != sorted(order):
            raise ValueError("cadence.*.internal_hours must not be longer for a more severe level")
        from .signals import SIGNAL_NAMES

        unknown = sorted(set(self.keywords) - set(SIGNAL_NAMES))
        if unknown:
            raise ValueError(f"keywords has unknown signal(s) {', '.join(unknown)}; known: {', '.join(SIGNAL_NAMES)}")
        self.sla = {k.lower(): v for k, v in self.sla.items()}
        return self

    def is_key_account(self, name: str | None, account_id: str | None, plan: str | None, arr: float | None) -> bool:
        names = {n.lower() for n in self.key_accounts}
        return bool(
            (name and name.lower() in names)
            or (account_id and account_id.lower() in names)
            or (plan and plan.lower() in {p.lower() for p in self.key_account_plans})
            or (arr is not None and arr >= self.high_value_arr)
        )


class PolicyError(Exception):
    """A policy file that cannot be used; the message names the key and the problem."""


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def load_policy(path: Path | None) -> Policy:
    """The default policy, overridden by the TOML file at `path` if given."""
    if path is None:
        return Policy()
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise PolicyError(f"{path}: cannot read the policy file ({exc.strerror or type(exc).__name__})") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{path}: not valid TOML ({exc})") from None
    base = Policy().model_dump(mode="json")
    try:
        return Policy.model_validate(_merge(base, data))
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            key = ".".join(str(p) for p in err["loc"]) or "(top level)"
            problems.append(f"- {key}: {err['msg']}")
        raise PolicyError(f"{path}: the policy file has problems; nothing from it is used:\n" + "\n".join(problems)) from None
