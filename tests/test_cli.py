"""The command line, run as a user runs it (in-process via main(), and one real subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from customer_escalation.cli import main
from tests.helpers import SMALL


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_brief_prints_a_complete_brief(capsys):
    code, out, _ = run(capsys, "brief", "Data export is missing rows - 3 customers reported this week", "--workspace", SMALL,
                       "--reported-by", "Sam (Support)")
    assert code == 0
    assert out.startswith("# ESCALATION: Data export is missing rows")
    assert "**Severity:** Critical" in out and "**Target team:** Engineering" in out and "Sam (Support)" in out


def test_brief_with_facts_and_json(capsys):
    code, out, _ = run(capsys, "brief", "Customer threatening to churn over missing audit log feature", "--workspace", SMALL,
                       "--account", "Gamma Health", "--fact", "churn_threat=yes", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["routing"]["target"] == "product" and "leadership" in data["routing"]["also_inform"]
    assert data["assessment"]["revenue"]["value"] == "$300,000 ARR at risk (ARR of the affected account, Gamma Health)"


def test_brief_that_support_should_handle(capsys):
    code, out, _ = run(capsys, "brief", "How do I configure SAML SSO with Okta?", "--workspace", SMALL)
    assert code == 0 and out.startswith("# NOT ESCALATING")


@pytest.mark.parametrize("argv, says", [
    (["brief", "x", "--workspace", SMALL, "--fact", "churn"], "--fact takes name=value"),
    (["brief", "x", "--workspace", SMALL, "--fact", "colour=red"], "unknown fact 'colour'"),
    (["brief", "x", "--workspace", SMALL, "--fact", "sla_status=late"], "bad --fact value"),
    (["brief", "x", "--workspace", SMALL, "--account", "Nobody Ltd"], "unknown account: no account"),
    (["brief", "", "--workspace", SMALL], "issue is empty"),
    (["brief", "x", "--workspace", "/nope/none.db"], "not found"),
])
def test_bad_input_exits_2_with_a_message(capsys, argv, says):
    code, _, err = run(capsys, *argv)
    assert code == 2 and says in err and "Traceback" not in err


def test_import_into_default_workspace_then_brief(capsys, tmp_path):
    code, out, _ = run(capsys, "import", SMALL)
    assert code == 0 and "5 tickets" in out
    code, out, _ = run(capsys, "brief", "CSV export missing rows", "--account", "acme.example")
    assert code == 0 and "Acme Corp" in out


def test_import_broken_file(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"accounts": [{"id": "a"}]}))
    code, _, err = run(capsys, "import", str(bad))
    assert code == 2 and "accounts[0] (id 'a')" in err and "field name" in err


def test_policy_show_and_check(capsys, tmp_path):
    code, out, _ = run(capsys, "policy", "show")
    assert code == 0 and "pattern_threshold = 3" in out and "[teams.security]" in out
    bad = tmp_path / "p.toml"
    bad.write_text("pattern_threshold = 1\n")
    code, _, err = run(capsys, "policy", "check", str(bad))
    assert code == 2 and "pattern_threshold" in err


def test_serve_refuses_a_malformed_policy(capsys, tmp_path):
    bad = tmp_path / "p.toml"
    bad.write_text("[teams.security\n")
    code, _, err = run(capsys, "serve", "--policy", str(bad))
    assert code == 2 and "refusing to start" in err


def test_schema_matches_checked_in_copy(capsys):
    code, out, _ = run(capsys, "schema")
    assert code == 0
    checked_in = (Path(__file__).parent.parent / "docs" / "workspace.schema.json").read_text()
    assert json.loads(out) == json.loads(checked_in), "regenerate with: customer-escalation schema --output docs/workspace.schema.json"


def test_eval_reports_malformed_case_and_runs_the_others(capsys, tmp_path):
    (tmp_path / "good.yaml").write_text(
        f'id: export\nprompt: "Data export is missing rows - 3 customers reported this week"\nworkspace: {SMALL}\n'
        "expect:\n  escalate: true\n  severity: critical\n  target: engineering\n  brief_includes: [ENG-101]\n")
    (tmp_path / "wrong.yaml").write_text(
        f'id: wrong\nprompt: "How do I configure SSO?"\nworkspace: {SMALL}\nexpect:\n  escalate: true\n  target: security\n')
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n")
    code, out, _ = run(capsys, "eval", str(tmp_path), "--json")
    data = json.loads(out)
    assert code == 1
    assert data["summary"]["cases"] == 2 and data["summary"]["passed"] == 1
    by_id = {c["id"]: c for c in data["cases"]}
    assert by_id["export"]["passed"] and not by_id["wrong"]["passed"]
    assert by_id["wrong"]["failures"] == ["escalate: expected True, got False", "target: expected security, got None"]
    assert data["malformed"][0]["file"].endswith("broken.yaml")


def test_console_script_runs_in_a_subprocess(tmp_path):
    env = {**os.environ, "CUSTOMER_ESCALATION_HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "customer_escalation.cli", "brief", "SSO login loop affecting all Enterprise customers",
                           "--workspace", SMALL], capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "# ESCALATION: SSO login loop" in proc.stdout and "**Severity:** Critical" in proc.stdout


# --- the brief where users paste it ---------------------------------------------------------------------------

DATA_LOSS = "Data export is missing rows - 3 customers reported this week"


def test_brief_shows_the_questions_for_the_reporter_as_a_section(capsys):
    code, out, _ = run(capsys, "brief", DATA_LOSS, "--workspace", SMALL)
    assert code == 0 and "<!--" not in out
    questions = out.split("## Questions for the reporter\n\n", 1)[1]
    assert questions.startswith("- ") and "?" in questions


def test_brief_details_from_options_and_a_file_fill_the_brief(capsys, tmp_path):
    code, out, _ = run(capsys, "brief", DATA_LOSS, "--workspace", SMALL, "--json")
    before = set(json.loads(out)["brief"]["needs_input"])
    details = tmp_path / "details.yaml"
    details.write_text("description: CSV exports from the Reports page drop rows past 10,000.\n"
                       "tried: |\n  1. Re-ran the export -> same 10,000 rows\n  2. Smaller date range -> complete\n"
                       "repro_steps:\n  - Log in as an admin on an Enterprise account\n  - Open Reports > Export, pick 2024-01-01..2024-03-31\n"
                       "expected: all 12,431 rows\nactual: 10,000 rows, no error\n")
    code, out, _ = run(capsys, "brief", DATA_LOSS, "--workspace", SMALL, "--details", str(details), "--environment", "Chrome 126, macOS",
                       "--last-customer-update", "2024-05-02: told them we are investigating", "--customer-expectation", "a fix by Friday",
                       "--ask", "Investigate root cause", "--deadline", "Friday", "--reported-by", "Sam", "--json")
    brief = json.loads(out)["brief"]
    assert len(brief["needs_input"]) < len(before) - 5, brief["needs_input"]
    for text in ("drop rows past 10,000", "1. Re-ran the export -> same 10,000 rows", "Chrome 126, macOS", "**Expected:** all 12,431 rows"):
        assert text in brief["markdown"], text


def test_brief_details_file_with_an_unknown_field_is_refused(capsys, tmp_path):
    details = tmp_path / "details.json"
    details.write_text('{"expected": "ok", "colour": "red"}')
    code, _, err = run(capsys, "brief", DATA_LOSS, "--workspace", SMALL, "--details", str(details))
    assert code == 2 and "unknown field(s) in --details: colour" in err and "expected" in err


def test_brief_in_slack_jira_and_github_formats_uses_the_filing_renderers(capsys):
    code, slack, _ = run(capsys, "brief", DATA_LOSS, "--workspace", SMALL, "--format", "slack")
    assert code == 0 and "*Severity:* Critical" in slack and "**" not in slack and "\n#" not in slack
    assert "*Questions for the reporter*" in slack
    code, github, _ = run(capsys, "brief", DATA_LOSS, "--workspace", SMALL, "--format", "github")
    title, body = github.split("\n\n", 1)
    assert title.startswith("[Critical] Data export is missing rows") and body.startswith("# ESCALATION:")
    assert "filed by customer-escalation" in body
    code, jira, _ = run(capsys, "brief", DATA_LOSS, "--workspace", SMALL, "--format", "jira")
    assert code == 0 and jira.startswith("[Critical] ")


def test_brief_on_an_empty_default_workspace_says_what_to_do(capsys):
    code, out, err = run(capsys, "brief", DATA_LOSS)
    assert code == 0 and out.startswith("# ESCALATION")
    assert "'default' workspace is empty" in err and "customer-escalation import FILE" in err and "--workspace sample" in err
    code, _, err = run(capsys, "brief", DATA_LOSS, "--workspace", SMALL)
    assert "is empty" not in err


def test_progress_goes_to_a_terminal_only(capsys):
    from customer_escalation.cli import _progress_line

    assert _progress_line() is None  # stderr is captured here, not a terminal


def test_policy_show_loads_back_to_the_same_policy_with_awkward_plan_names(capsys, tmp_path):
    from customer_escalation.policy import load_policy

    custom = tmp_path / "custom.toml"
    custom.write_text('key_account_plans = ["Enterprise Plus", "Pro \\"Max\\"", "Ünïcode Tier"]\n'
                      '[sla."enterprise plus"]\nfirst_response_hours = 1.0\nresolution_hours = 8.0\n')
    first = load_policy(custom)
    code, out, _ = run(capsys, "policy", "show", "--policy", str(custom))
    assert code == 0
    shown = tmp_path / "shown.toml"
    shown.write_text(out, encoding="utf-8")
    assert load_policy(shown) == first
    assert run(capsys, "policy", "check", str(shown))[0] == 0
