"""The MCP conformance suite against `serve --transport http`: every scenario that applies passes (docs/CONFORMANCE.md)."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from tests.external.conftest import ROOT, MODULES
from tests.serving import http_server

SUITE = MODULES / "@modelcontextprotocol/conformance/dist/index.js"


def classified() -> dict[str, bool]:
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (yes|no) \|", (ROOT / "docs/CONFORMANCE.md").read_text(), re.M)
    return {name: applies == "yes" for name, applies in rows}


def listed(node: str) -> set[str]:
    out = subprocess.run([node, str(SUITE), "list", "--server"], capture_output=True, text=True, timeout=120, check=True).stdout
    return set(re.findall(r"^\s+- ([a-z0-9-]+)", out, re.M))


def test_every_scenario_is_classified(node):
    table = classified()
    suite = listed(node)
    assert suite, "the suite listed no server scenarios"
    assert suite == set(table), (f"classify in docs/CONFORMANCE.md: new {sorted(suite - set(table))}, "
                                 f"gone {sorted(set(table) - suite)}")


def test_applicable_scenarios_pass(node, tmp_path):
    applicable = sorted(name for name, applies in classified().items() if applies)
    assert len(applicable) >= 7
    failures: list[str] = []
    with http_server(tmp_path, token=None, workspace="sample") as srv:
        for scenario in applicable:
            out_dir = tmp_path / "results" / scenario
            r = subprocess.run([node, str(SUITE), "server", "--url", srv.url, "--scenario", scenario, "-o", str(out_dir)],
                               capture_output=True, text=True, timeout=300)
            checks = [c for f in out_dir.rglob("checks.json") for c in json.loads(f.read_text())]
            bad = [f"{c['id']}: {c['status']} {c.get('errorMessage', '')}" for c in checks if c["status"] != "SUCCESS"]
            if r.returncode != 0 or bad or not checks:
                failures.append(f"{scenario} (exit {r.returncode}): {bad or r.stdout[-800:]}")
    if failures:
        pytest.fail("conformance scenarios failed:\n" + "\n".join(failures))
