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


def _write_case(folder: Path, case_id: str, prompt: str, expect: str, agent_facts: str = "{}") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{case_id}.yaml").write_text(
        f'id: {case_id}\nprompt: "{prompt}"\nworkspace: empty\nfacts: {{}}\nagent_facts: {agent_facts}\nexpect: {expect}\n')


def test_agent_facts_are_a_mode_of_their_own_and_results_group_by_kind(tmp_path):
    # words the text reading cannot place, and the facts an agent reading them would pass
    _write_case(tmp_path / "acme" / "holdout", "vague-one", "customer is upset about the thing from yesterday",
                "{escalate: true, severity: critical, target: security}",
                "{security_concern: yes, data_loss: yes, issue_kind: bug}")
    _write_case(tmp_path / "acme" / "tune", "howto", "How do I change the logo on the invoice template?", "{escalate: false}")
    _write_case(tmp_path / "other" / "cases", "howto2", "How do I export a report to PDF?", "{escalate: false}")
    summary, results, broken = run([str(tmp_path)], modes=("text", "agent"))
    assert not broken
    by_mode = {(r.mode, r.id): r for r in results}
    assert not by_mode[("text", "vague-one")].passed
    assert by_mode[("agent", "vague-one")].passed
    assert by_mode[("agent", "vague-one")].actual["target"] == "security"
    assert summary["security_recall"] == 0.0  # the summary is the first mode's

    from customer_escalation.evals import load, report
    cases, _ = load([str(tmp_path)])
    detail = report(cases, results)
    assert detail["agent"]["summary"]["security_recall"] == 1.0
    assert set(detail["text"]["by_kind"]) == {"acme", "acme/holdout", "acme/tune", "other"}
    assert detail["text"]["by_kind"]["acme/holdout"]["cases"] == 1
    # confusion: the critical security case handled in support (text) vs routed to security (agent)
    assert detail["text"]["confusion"]["target"]["security"] == {"handle": 1}
    assert detail["agent"]["confusion"]["target"]["security"] == {"security": 1}
    assert detail["agent"]["confusion"]["severity"]["handle"] == {"handle": 2}


def test_an_agent_fact_with_a_name_the_tool_does_not_know_is_a_malformed_case(tmp_path):
    _write_case(tmp_path, "bad", "anything", "{escalate: false}", "{securty_concern: yes}")
    _, results, broken = run([str(tmp_path)])
    assert not results and broken and "securty_concern" in broken[0][1]


def test_cli_reports_both_modes_with_confusion_tables(tmp_path, capsys):
    from customer_escalation.cli import main

    _write_case(tmp_path / "k" / "cases", "howto", "How do I export a report to PDF?", "{escalate: false}")
    assert main(["eval", str(tmp_path), "--mode", "both", "--confusion"]) == 0
    out = capsys.readouterr().out
    assert "== mode: text ==" in out and "== mode: agent ==" in out
    assert "expected target / actual" in out


BLIND = CASES.parent / "blind"


def test_blind_sets_are_well_formed_split_and_labelled():
    kinds = sorted(p.name for p in BLIND.iterdir() if p.is_dir())
    assert len(kinds) >= 6
    total = 0
    for kind in kinds:
        tune, holdout = list((BLIND / kind / "tune").glob("*.yaml")), list((BLIND / kind / "holdout").glob("*.yaml"))
        assert tune and holdout, kind
        total += len(tune) + len(holdout)
    assert total >= 300
    from customer_escalation.evals import load
    cases, broken = load([str(BLIND)])
    assert not broken, broken[:3]
    assert sum(1 for c in cases if c.agent_facts) >= 200
    assert sum(1 for c in cases if c.context_truth) >= 150


def test_the_blind_tuning_parts_hold_their_level():
    """A regression guard on the parts the team tunes on (the held-out parts are measured, never asserted)."""
    summary, results, broken = run([str(p) for p in sorted(BLIND.glob("*/tune"))], modes=("text", "agent"))
    assert not broken
    from customer_escalation.evals import load, report
    cases, _ = load([str(p) for p in sorted(BLIND.glob("*/tune"))])
    detail = report(cases, results)
    text, agent = detail["text"]["summary"], detail["agent"]["summary"]
    assert text["escalate_accuracy"] >= 0.90 and text["target_accuracy"] >= 0.85 and text["severity_accuracy"] >= 0.80, text
    assert agent["escalate_accuracy"] >= 0.90 and agent["target_accuracy"] >= 0.85 and agent["severity_accuracy"] >= 0.85, agent
    assert text["security_recall"] == 1.0 and agent["security_recall"] == 1.0


@pytest.mark.parametrize("round_name", ["blind-round3", "blind-round4"])
def test_the_later_rounds_are_well_formed_and_split(round_name):
    """The later blind rounds are measured before and after a round of work: only their format is checked here."""
    sealed = CASES.parent / round_name
    kinds = sorted(p.name for p in sealed.iterdir() if p.is_dir())
    assert len(kinds) >= 5
    from customer_escalation.evals import load
    cases, broken = load([str(sealed)])
    assert not broken, broken[:3]
    assert len(cases) >= 200 and sum(1 for c in cases if c.agent_facts) >= 150
    for kind in kinds:
        assert list((sealed / kind / "tune").glob("*.yaml")) and list((sealed / kind / "holdout").glob("*.yaml")), kind
