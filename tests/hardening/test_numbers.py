"""Counts and amounts are bounded: `Infinity`, `1e308` and 4,000-digit numbers are refused, never assessed or printed.

Sent as JSON text over stdio (where `Infinity` and big integers are spelled as a client would spell them), given as
CLI facts, and passed to the core: each is refused with a message naming the argument and its range, repeating
nothing of what was sent.
"""

from __future__ import annotations

import pytest

from customer_escalation import cli
from customer_escalation.models import Facts
from customer_escalation.service import InputError
from tests.helpers import SMALL, small_service
from tests.serving import StdioServer

HUGE = "9" * 4000

OUT_OF_RANGE = {  # argument -> JSON text of the value
    "arr_at_risk": ["Infinity", "-Infinity", "NaN", "1e308", HUGE],
    "pending_deal_value": ["1e308", "Infinity"],
    "customers_affected": [HUGE, "10000001"],
    "users_affected": [HUGE, "1e308"],
}
CASES = [(arg, value) for arg, values in OUT_OF_RANGE.items() for value in values]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with StdioServer(tmp_path_factory.mktemp("numbers"), workspace=SMALL) as s:
        yield s


@pytest.mark.parametrize("arg,value", CASES)
def test_out_of_range_numbers_are_refused_over_stdio(server, arg, value):
    server.send('{"jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": {"name": "assess_impact", '
                f'"arguments": {{"issue": "CSV export is missing rows", "{arg}": {value}}}}}}}')
    reply = server.answer()
    assert reply["id"] == 5
    result = reply.get("result") or {}
    text = " ".join(b.get("text", "") for b in result.get("content", [])) or reply.get("error", {}).get("message", "")
    assert result.get("isError") is True or "error" in reply, text
    assert f"'{arg}'" in text or "could not be read" in text
    assert "99999999" not in text and "inf" not in text.lower().replace("information", "") and "e+308" not in text


def test_plausible_figures_are_still_assessed(server):
    server.send('{"jsonrpc": "2.0", "id": 6, "method": "tools/call", "params": {"name": "assess_impact", "arguments": '
                '{"issue": "CSV export is missing rows", "customers_affected": 40, "arr_at_risk": 250000.5}}}')
    result = server.answer()["result"]
    assert result.get("isError") is not True
    assert result["structuredContent"]["assessment"]["customers_affected"] == 40


@pytest.mark.parametrize("fact", ["arr_at_risk=inf", "arr_at_risk=1e308", f"customers_affected={HUGE}", "pending_deal_value=1e309"])
def test_out_of_range_facts_are_refused_by_the_cli(tmp_path, capsys, fact):
    code = cli.main(["brief", "CSV export is missing rows", "--workspace", SMALL, "--home", str(tmp_path / "h"), "--fact", fact])
    captured = capsys.readouterr()
    assert code == 2, captured.out[-500:]
    assert "out of range" in captured.err and fact.split("=")[0] in captured.err
    assert "ESCALATION" not in captured.out and "99999999" not in captured.err + captured.out


@pytest.mark.anyio
@pytest.mark.parametrize("update", [{"arr_at_risk": float("inf")}, {"pending_deal_value": 1e308},
                                    {"customers_affected": 10**3999}, {"users_affected": 10**10}])
async def test_the_core_refuses_them_whatever_the_surface(tmp_path, update):
    service = small_service(tmp_path)
    facts = Facts().model_copy(update=update)  # as any caller of the core could build them
    with pytest.raises(InputError, match="out of range"):
        await service.assess_impact(issue="CSV export is missing rows", facts=facts)
