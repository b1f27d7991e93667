"""Over stdio, every request gets an answer: lines the SDK cannot parse get a JSON-RPC error with their id.

A lone surrogate escape, nesting deeper than the JSON parser goes, or an integer too large for it used to get no
reply at all: the client waited forever. The server runs here as a client starts it (`customer-escalation serve`),
and each answer is awaited with a generous bound that only stops a hang from stalling the suite.
"""

from __future__ import annotations

import json

import pytest

from customer_escalation.stdio import request_id
from tests.serving import StdioServer


def call(request_id: int, arguments: str, tool: str = "assess_impact") -> str:
    """A tools/call line with `arguments` spliced in as raw JSON text."""
    return ('{"jsonrpc": "2.0", "id": %d, "method": "tools/call", "params": {"name": "%s", "arguments": %s}}'
            % (request_id, tool, arguments))


UNREADABLE = {
    "lone surrogate": call(11, '{"issue": "export broken \\ud800 for Acme"}', "gather_context"),
    "deep nesting": call(12, '{"issue": "x", "segment": ' + "[" * 50_000 + "]" * 50_000 + "}"),
    "huge integer": call(13, '{"issue": "x", "customers_affected": ' + "9" * 5000 + "}"),
    "id after deep params": ('{"jsonrpc": "2.0", "method": "tools/call", "params": {"name": "x", "arguments": {"a": '
                             + "[" * 50_000 + "]" * 50_000 + '}}, "id": "late-id"}'),
}
EXPECTED_ID = {"lone surrogate": 11, "deep nesting": 12, "huge integer": 13, "id after deep params": "late-id"}


@pytest.fixture
def server(tmp_path):
    with StdioServer(tmp_path) as s:
        yield s


@pytest.mark.parametrize("case", list(UNREADABLE))
def test_an_unreadable_request_gets_a_parse_error_with_its_id(server, case):
    server.send(UNREADABLE[case])
    reply = server.answer()
    assert reply["id"] == EXPECTED_ID[case]
    assert reply["error"]["code"] == -32700
    message = reply["error"]["message"]
    assert "nothing was done" in message and len(message) < 300  # composed here, nothing of the line repeated
    assert "9999" not in message and "[[[" not in message and "Acme" not in message
    # and the server reads on: the next request is answered normally
    server.send(json.dumps({"jsonrpc": "2.0", "id": 99, "method": "tools/list"}))
    follow = server.answer()
    assert follow["id"] == 99 and follow["result"]["tools"]


def test_a_line_that_is_not_json_at_all_is_answered_without_an_id(server):
    server.send("this is not json {")
    reply = server.answer()
    assert reply["id"] is None and reply["error"]["code"] == -32700


@pytest.mark.parametrize("raw,expected", [
    ('{"jsonrpc":"2.0","id":5,"method":"ping"}', 5),
    ('{"method":"x","params":{"id":"inner","deep":{"id":3}},"id":"outer-1"}', "outer-1"),  # only the top level counts
    ('{"params":{"text":"a \\"id\\": 4 inside a string"},"id":6}', 6),
    ('{"jsonrpc":"2.0","method":"notifications/x"}', None),
    ('{"id": "has spaces and \\u00e9"}', None),  # ids we would not repeat safely are left out
    ('{"id": ' + "1" * 40 + "}", None),
    ("[" * 10_000, None),
])
def test_request_ids_are_found_without_parsing(raw, expected):
    assert request_id(raw) == expected
