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
    assert data["assessment"]["revenue"]["value"].startswith("$300k")


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
