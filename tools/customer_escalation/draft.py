"""The brief chain's draft, typed: what each step has stored so far. A tool call loads it once and saves it once
(service.py); the escalation log reads a rendered one to file it."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from .brief import Brief, BriefInput
from .models import Assessment, Context, Facts, Routing


class Draft(BaseModel):
    """One draft: the issue and its context (gather), then the facts and assessment (assess), the routing (choose), what
    the human added and the brief (render). A part no step has reached yet is None and is not stored."""

    model_config = ConfigDict(extra="allow")  # anything else a draft holds is kept as it is

    issue: str
    account: str = ""
    context: Context
    facts: Facts | None = None
    assessment: Assessment | None = None
    routing: Routing | None = None
    brief_input: BriefInput | None = None
    brief: Brief | None = None

    def stored(self) -> dict[str, Any]:
        """The draft as the store keeps it (JSON values), without the parts not reached yet."""
        return {key: value for key, value in self.model_dump(mode="json").items() if value is not None}
