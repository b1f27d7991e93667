"""Two writers on one escalation: neither update is lost."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from customer_escalation.lifecycle import ConcurrentChange, EscalationLog, Lifecycle
from customer_escalation.models import Severity
from tests.helpers import small_service

pytestmark = pytest.mark.anyio
NOW = datetime(2026, 11, 20, 12, tzinfo=timezone.utc)


async def _escalation(tmp_path, store_url):
    service = small_service(tmp_path, enable_writes=True, store=store_url)
    chain = await service.render_brief(issue="Data export is missing rows - 3 customers reported this week")
    life = Lifecycle.for_service(service)
    outcome = await life.file(chain.draft_id, NOW, only="log", confirmed=True)
    return service, life, outcome.escalation


async def test_a_save_from_a_stale_read_is_refused_not_lost(tmp_path, store_url):
    service, life, e = await _escalation(tmp_path, store_url)
    log = EscalationLog(service.store)
    first, second = log.require(e.id), log.require(e.id)
    first.outcome = "first writer"
    log.save(first)
    second.severity = Severity.medium
    with pytest.raises(ConcurrentChange):
        log.save(second)
    stored = log.require(e.id)
    assert stored.outcome == "first writer" and stored.severity == e.severity


async def test_interleaved_operations_both_land(tmp_path, monkeypatch, store_url):
    service, life, e = await _escalation(tmp_path, store_url)
    log = life.log
    original_require = log.require
    calls = {"n": 0}

    def require_then_someone_else_writes(escalation_id):
        current = original_require(escalation_id)
        calls["n"] += 1
        if calls["n"] == 1:  # another process records a check-in between this read and this save
            other = original_require(escalation_id)
            other.outcome = "noted by another process"
            log.save(other)
        return current

    monkeypatch.setattr(log, "require", require_then_someone_else_writes)
    assert e.severity == Severity.critical
    await life.change_severity(e.id, Severity.high, "a workaround unblocks most customers", NOW)
    stored = original_require(e.id)
    assert stored.severity == Severity.high and stored.outcome == "noted by another process"
    assert calls["n"] == 2  # the first attempt was refused and re-run from a fresh read
