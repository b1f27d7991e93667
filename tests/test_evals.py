"""The eval suite: the scenario cases through the same chain as the CLI, held to the accuracy bars."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from customer_escalation.evals import run, skill_evals

CASES = Path(__file__).parent.parent / "evals" / "cases"


@pytest.fixture(scope="module")
def outcome():
    return run([str(CASES)])


def test_suite_is_broad(outcome):
    summary, results, broken = outcome
    assert not broken, broken
    assert summary["cases"] >= 40


def test_accuracy_bars(outcome):
    summary, results, _ = outcome
    failing = [f"{r.id}: {'; '.join(r.failures)}" for r in results if not r.passed]
    assert summary["escalate_accuracy"] >= 0.95, failing
    assert summary["target_accuracy"] >= 0.90, failing
    assert summary["severity_accuracy"] >= 0.85, failing
    assert summary["security_recall"] == 1.0, failing


def test_skill_evals_file_is_generated_from_the_cases():
    checked_in = json.loads((CASES.parent / "evals.json").read_text())
    assert checked_in == skill_evals([str(CASES)]), (
        "regenerate with: customer-escalation eval evals/cases --export-skill-evals evals/evals.json")
    assert {"id", "prompt", "expected_output", "assertions"} <= set(checked_in["evals"][0])
