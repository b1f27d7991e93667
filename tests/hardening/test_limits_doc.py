"""docs/LIMITS.md and the tool schemas agree on every documented size limit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from customer_escalation.server import build_server
from tests.helpers import small_service

pytestmark = pytest.mark.anyio

DOC = Path(__file__).resolve().parents[2] / "docs" / "LIMITS.md"
ROW = re.compile(r"^\| ((?:`\w+`(?:, )?)+) \| ((?:`\w+`(?:, )?)+) \| (\d+) characters", re.M)


def documented() -> dict[tuple[str, str], int]:
    out = {}
    for tools, args, limit in ROW.findall(DOC.read_text(encoding="utf-8")):
        for tool in re.findall(r"`(\w+)`", tools):
            for arg in re.findall(r"`(\w+)`", args):
                out[(tool, arg)] = int(limit)
    return out


async def test_every_documented_limit_is_the_schema_limit_and_every_limit_is_documented(tmp_path):
    app = build_server(small_service(tmp_path, enable_writes=True))  # every tool registered
    schemas = {t.name: t.input_schema for t in await app.declared_tools()}
    doc = documented()
    assert doc, "no limits found in docs/LIMITS.md"
    for (tool, arg), limit in doc.items():
        assert schemas[tool]["properties"][arg].get("maxLength") == limit, (tool, arg)
    for tool in schemas:
        for arg, prop in schemas[tool]["properties"].items():
            if "maxLength" in prop:
                assert (tool, arg) in doc, f"{tool}.{arg} (maxLength {prop['maxLength']}) is not in docs/LIMITS.md"
