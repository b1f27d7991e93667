"""The escalation commands: list, show, follow-ups, and the local and remote writes with their settings."""

from __future__ import annotations

import json

import pytest

from customer_escalation.cli import main
from tests.helpers import SMALL

WS = ["--workspace", SMALL]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def draft(capsys, monkeypatch) -> str:
    monkeypatch.setenv("CUSTOMER_ESCALATION_NOW", "2026-11-20T12:00:00Z")
    code, out, _ = run(capsys, "brief", "CSV export is missing rows", "--account", "Acme Corp", "--json", *WS)
    assert code == 0
    return json.loads(out)["draft_id"]


def test_file_to_the_log_then_list_show_follow_up_and_de_escalate(capsys, draft):
    code, out, _ = run(capsys, "escalation", "file", draft, *WS)
    assert code == 0 and out.startswith("(preview: add --confirm") and "Nothing was written" in out
    assert run(capsys, "escalations", *WS)[1].strip() == "no escalations match"

    code, out, _ = run(capsys, "escalation", "file", draft, "--only", "log", "--confirm", "--by", "sam", *WS)
    assert code == 0 and "Filed CE-0001: recorded in the local log" in out

    code, out, _ = run(capsys, "escalations", "--account", "Acme Corp", "--status", "open", *WS)
    assert code == 0 and out.startswith("CE-0001  open         critical") and "Acme Corp, Gamma Health, Beta Labs" in out
    assert "no escalations match" in run(capsys, "escalations", "--severity", "medium", *WS)[1]

    code, out, _ = run(capsys, "follow-ups", *WS)
    assert code == 0 and "CE-0001  critical internal due in 2h00m" in out and "customer due in 4h00m" in out

    code, out, _ = run(capsys, "escalation", "update", "CE-0001", "--kind", "internal", "--note", "fix in review", "--by", "sam", *WS)
    assert code == 0 and "internal check-in: fix in review" in out

    code, out, _ = run(capsys, "escalation", "customer-update", "CE-0001", "--progress", "A fix is being tested", *WS)
    assert code == 0 and out.startswith("Subject: Update on") and "A fix is being tested." in out and "$" not in out

    code, out, _ = run(capsys, "escalation", "de-escalate", "CE-0001", "--reason", "workaround", "--workaround",
                       "Export one week at a time", "--note", "page limit", "--by", "sam", *WS)
    assert code == 0 and "de-escalated" in out and "Checklist:" in out and "[ ] Tell the customer" in out
    assert "Export one week at a time" in out

    code, out, _ = run(capsys, "escalation", "show", "ce-0001", *WS)
    assert code == 0
    history = out.split("History:")[1].split("# ESCALATION")[0]
    assert [line.split()[4] for line in history.strip().splitlines()] == ["filed", "internal_update", "de_escalated"]
    assert "sam" in history and "# ESCALATION: " in out

    code, out, _ = run(capsys, "escalations", "--status", "de_escalated", "--json", *WS)
    assert [e["id"] for e in json.loads(out)] == ["CE-0001"]
    assert "nothing overdue" in run(capsys, "follow-ups", "--within", "100", *WS)[1]


def test_sending_needs_the_write_setting_and_refusals_say_what_to_do(capsys, draft):
    assert run(capsys, "escalation", "file", draft, "--only", "log", "--confirm", *WS)[0] == 0
    code, _, err = run(capsys, "escalation", "resolve", "CE-0001", "--resolution", "fixed in 4.12", "--notify", "--confirm", *WS)
    assert code == 2 and "CUSTOMER_ESCALATION_ENABLE_WRITES" in err and "--enable-writes" in err
    code, out, _ = run(capsys, "escalation", "resolve", "CE-0001", "--resolution", "fixed in 4.12", "--notify", *WS)
    assert code == 0 and out.startswith("Preview:") and "#eng-escalations" in out
    code, _, err = run(capsys, "escalation", "de-escalate", "CE-0001", "--reason", "went_away", *WS)
    assert code == 2 and "root cause" in err
    code, _, err = run(capsys, "escalation", "show", "CE-0042", *WS)
    assert code == 2 and "escalations" in err


def test_severity_and_duplicates_from_the_command_line(capsys, draft):
    assert run(capsys, "escalation", "file", draft, "--only", "log", "--confirm", *WS)[0] == 0
    code, out, _ = run(capsys, "escalation", "severity", "CE-0001", "high", "--reason", "workaround for most", *WS)
    assert code == 0 and "severity lowered from critical to high" in out
    code, out, _ = run(capsys, "brief", "CSV export missing rows after 10,000", "--account", "Epsilon Bank", "--json", *WS)
    other = json.loads(out)["draft_id"]
    code, out, _ = run(capsys, "escalation", "duplicates", other, *WS)
    assert code == 0 and out.startswith("escalation CE-0001") and "tracker    ENG-101" in out
    code, out, _ = run(capsys, "escalation", "attach", "CE-0001", other, *WS)
    assert code == 0 and "Epsilon Bank attached: 4 customers" in out
