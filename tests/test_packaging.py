"""The package as the MCP ecosystem expects it: one version everywhere, `python -m`, help on every option, metadata."""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

from customer_escalation import __version__, adapters
from customer_escalation.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent


def test_one_version_everywhere():
    from importlib.metadata import version

    assert version("customer-escalation") == __version__
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" in pyproject["project"]["dynamic"] and "version" not in pyproject["project"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "customer_escalation.__version__"}
    plugin = json.loads((ROOT / ".claude-plugin/plugin.json").read_text())
    market = json.loads((ROOT / ".claude-plugin/marketplace.json").read_text())
    server = json.loads((ROOT / "server.json").read_text())
    assert plugin["version"] == market["plugins"][0]["version"] == server["version"] == __version__
    assert [p["version"] for p in server["packages"]] == [__version__]
    assert adapters.read_skill(ROOT).frontmatter["metadata"]["version"] == __version__
    assert re.search(rf"^## {re.escape(__version__)}\b", (ROOT / "CHANGELOG.md").read_text(), re.M)


def test_server_json_describes_the_package_for_the_mcp_registry():
    server = json.loads((ROOT / "server.json").read_text())
    assert server["$schema"].startswith("https://static.modelcontextprotocol.io/schemas/")
    (package,) = server["packages"]
    assert package["registryType"] == "pypi" and package["identifier"] == "customer-escalation"
    assert package["transport"] == {"type": "stdio"} and package["packageArguments"][0]["value"] == "serve"
    assert len(server["description"]) <= 100


def test_python_dash_m_runs_the_cli():
    r = subprocess.run([sys.executable, "-m", "customer_escalation", "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.strip() == f"customer-escalation {__version__}"


def _parsers(parser: argparse.ArgumentParser, path: str = "customer-escalation"):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, f"{path} {name}")


def test_every_option_and_argument_has_help_text():
    missing = [f"{path}: {action.dest}" for path, parser in _parsers(build_parser("escalation"))
               for action in parser._actions
               if not isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)) and not action.help]
    assert not missing, missing


def test_package_ships_its_type_marker():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["customer_escalation"]
    assert "py.typed" in patterns and (ROOT / "tools/customer_escalation/py.typed").is_file()


def test_env_file_sets_connector_settings_and_refuses_bad_lines_without_echoing_them(tmp_path, capsys, monkeypatch):
    for name in ("LINEAR_API_KEY", "LINEAR_BASE_URL"):  # recorded, so what the file sets is undone after the test
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    env = tmp_path / "team.env"
    env.write_text("# connectors\nexport LINEAR_API_KEY='lin_api_secret0123456789'\nLINEAR_BASE_URL=http://127.0.0.1:9\n")
    assert main(["connectors", "--json", "--env-file", str(env)]) in (0, 1)
    out = capsys.readouterr().out
    assert "linear" in out and "lin_api_secret" not in out
    env.write_text("LINEAR_API_KEY lin_api_secret0123456789\n")
    assert main(["connectors", "--env-file", str(env)]) == 2
    err = capsys.readouterr().err
    assert "line 1" in err and "NAME=VALUE" in err and "lin_api_secret" not in err
    assert main(["connectors", "--env-file", str(tmp_path / "missing.env")]) == 2
    assert "cannot read --env-file" in capsys.readouterr().err
