"""The product where users meet it, from a clean checkout, on a machine with only system tools and the one installer:

- the Claude Code plugin's server starts with nothing but uv on PATH (no console script, no venv);
- Claude Code itself (`claude plugin install`, `claude mcp add`) reports the server Connected;
- `npx skills add` takes the skill alone: SKILL.md and the files it links, every link resolving.

The checkout is every file git would ship (tracked, or new and not ignored), copied from this working tree.
uv resolves the package's dependencies from the package index, as it does on a user's machine.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench.common import spawn_and_list
from customer_escalation import adapters
from tests.external.conftest import BIN, ROOT, js

PLUGIN = "customer-escalation"
SERVER = "customer-escalation"
QUIET_CLAUDE = {"DISABLE_AUTOUPDATER": "1", "DISABLE_TELEMETRY": "1", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1"}


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           capture_output=True, check=True).stdout.decode().split("\0")
    dest = tmp_path_factory.mktemp("clean") / "customer-escalation"
    for rel in filter(None, files):
        if (ROOT / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)
    return dest


@pytest.fixture(scope="module")
def machine(tmp_path_factory) -> dict[str, str]:
    """A user's environment: a fresh home, system tools, uv and Claude Code on PATH, and nothing of this project's."""
    root = tmp_path_factory.mktemp("machine")
    tools = root / "bin"
    tools.mkdir()
    for name, target in (("uv", Path(sys.executable).parent / "uv"), ("uvx", Path(sys.executable).parent / "uvx"),
                         ("claude", BIN / "claude")):
        if target.exists():
            (tools / name).symlink_to(target.resolve())
    env = {"HOME": str(root / "home"), "PATH": f"{tools}:/usr/bin:/bin", "UV_CACHE_DIR": str(root / "uv-cache"),
           "LANG": "C.UTF-8", **QUIET_CLAUDE}
    # the machine's trust store settings (a proxy's certificate authority), as a user's shell would have them
    env.update({k: v for k, v in os.environ.items() if k in ("SSL_CERT_FILE", "SSL_CERT_DIR")})
    (root / "home").mkdir()
    assert shutil.which("customer-escalation", path=env["PATH"]) is None
    if shutil.which("uvx", path=env["PATH"]) is None:
        pytest.fail("uv is part of the test extra: pip install -e '.[test]'")
    return env


def plugin_command(checkout: Path) -> list[str]:
    entry = json.loads((checkout / ".claude-plugin/plugin.json").read_text())["mcpServers"][SERVER]
    return [entry["command"], *(a.replace("${CLAUDE_PLUGIN_ROOT}", str(checkout)) for a in entry["args"])]


def test_plugin_server_starts_with_only_uv_on_path(checkout, machine, tmp_path):
    command = plugin_command(checkout)
    program = shutil.which(command[0], path=machine["PATH"])
    assert program, f"{command[0]} is not on a user's PATH"
    # `timeout` ends a hung first start (a dependency download) instead of hanging the suite
    spawned = spawn_and_list(["timeout", "600", program, *command[1:]], machine, stderr_path=tmp_path / "stderr", timeout=620)
    names = {t["name"] for t in spawned.tools}
    assert {"gather_context", "assess_impact", "choose_tier", "render_brief"} <= names, spawned.stderr[-2000:]


def claude(machine: dict[str, str], cwd: Path, *args: str) -> str:
    r = subprocess.run([shutil.which("claude", path=machine["PATH"]) or "claude", *args], cwd=cwd, env=machine,
                       capture_output=True, text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, f"claude {' '.join(args)}: {r.stdout}{r.stderr}"
    return r.stdout + r.stderr


def test_claude_code_installs_the_plugin_and_connects_to_its_server(node, checkout, machine, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    claude(machine, project, "plugin", "marketplace", "add", str(checkout))
    claude(machine, project, "plugin", "install", f"{PLUGIN}@{PLUGIN}")
    listed = claude(machine, project, "mcp", "list")
    line = next((ln for ln in listed.splitlines() if ln.startswith(f"plugin:{PLUGIN}:{SERVER}:")), "")
    assert "Connected" in line, listed


def test_claude_mcp_add_as_the_readme_says_connects(node, checkout, machine, tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    readme = (checkout / "README.md").read_text()
    command = re.search(r"^claude mcp add (customer-escalation) -- uvx --from (\S+) customer-escalation serve$", readme, re.M)
    assert command, "the README gives the `claude mcp add ... -- uvx --from ...` command"
    claude(machine, project, "mcp", "add", command.group(1), "--", "uvx", "--from", str(checkout), "customer-escalation", "serve")
    listed = claude(machine, project, "mcp", "list")
    line = next((ln for ln in listed.splitlines() if ln.startswith(f"{SERVER}:")), "")
    assert "Connected" in line, listed


@pytest.mark.parametrize("where", ["", "skills/customer-escalation"], ids=["the repository", "the skill's folder"])
def test_skills_installer_takes_the_skill_alone_with_every_link_resolving(node, checkout, machine, tmp_path, where):
    project = tmp_path / "project"
    project.mkdir()
    r = subprocess.run([node, str(js("skills")), "add", str(checkout / where), "-a", "claude-code", "-a", "cursor", "-y"],
                       cwd=project, env={**machine, "DO_NOT_TRACK": "1"}, capture_output=True, text=True, timeout=300,
                       stdin=subprocess.DEVNULL)
    assert r.returncode == 0, r.stdout + r.stderr
    skill = adapters.read_skill(checkout)
    for folder in (project / ".agents/skills/customer-escalation", project / ".claude/skills/customer-escalation"):
        files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
        assert files == sorted(["SKILL.md", *adapters.linked_files(skill.body)]), folder
        installed = adapters.read_skill(folder)  # refuses a SKILL.md whose links do not resolve
        assert installed.files() == skill.installed_files()
