"""Bad input to the CLI: exit status 2 with a message saying what to do, never a traceback."""

from __future__ import annotations

import pytest

from customer_escalation import cli
from tests.helpers import SMALL


def _garbage(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


CASES = {
    "empty issue": lambda t: ["brief", "   ", "--workspace", SMALL],
    "huge issue": lambda t: ["brief", "x" * 50_000, "--workspace", SMALL],
    "unknown account": lambda t: ["brief", "export broken", "--account", "\u202eNobody\x00", "--workspace", SMALL],
    "fact without =": lambda t: ["brief", "export broken", "--fact", "production_down", "--workspace", SMALL],
    "unknown fact": lambda t: ["brief", "export broken", "--fact", "undefined=null", "--workspace", SMALL],
    "bad fact value": lambda t: ["brief", "export broken", "--fact", "customers_affected=-5", "--workspace", SMALL],
    "missing workspace": lambda t: ["brief", "export broken", "--workspace", str(t / "nope.db")],
    "binary workspace file": lambda t: ["brief", "export broken", "--workspace", _garbage(t, "w.json", b"\xff\xfe\x00garbage")],
    "workspace of wrong types": lambda t: ["brief", "export broken", "--workspace",
                                          _garbage(t, "w2.json", b'{"accounts": [{"id": 1, "name": null, "arr": "lots"}]}')],
    "workspace that is a list": lambda t: ["import", _garbage(t, "w3.json", b"[1, 2, 3]")],
    "truncated workspace": lambda t: ["import", _garbage(t, "w4.json", b'{"tickets": [{"id": "T-1", ')],
    "garbage policy": lambda t: ["brief", "export broken", "--workspace", SMALL, "--policy", _garbage(t, "p.toml", b"[[[ nope")],
    "policy of wrong types": lambda t: ["policy", "check", _garbage(t, "p2.toml", b'pattern_threshold = "three"\n')],
    "bad clock": lambda t: ["brief", "export broken", "--workspace", SMALL],
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_cli_input_is_a_clear_error(tmp_path, case, capsys, monkeypatch):
    if case == "bad clock":
        monkeypatch.setenv("CUSTOMER_ESCALATION_NOW", "yesterday-ish")
    code = cli.main(CASES[case](tmp_path))
    out = capsys.readouterr()
    if case in ("unknown account",) and code == 0:
        return  # an unknown account may still give a brief by issue only
    assert code == 2, (case, out.out[-300:], out.err[-500:])
    assert out.err.startswith("customer-escalation: ") and "Traceback" not in out.err, out.err[-800:]
    assert len(out.err) < 4000, "the error must not carry the input back"
