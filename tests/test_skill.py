"""SKILL.md and skill/: the Agent Skills format, links that resolve in every installed layout, the content agents need."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from customer_escalation import adapters

ROOT = Path(__file__).resolve().parent.parent
ALLOWED_KEYS = {"name", "description", "license", "compatibility", "metadata", "allowed-tools"}
SKILL = adapters.read_skill(ROOT)


def test_frontmatter_uses_only_allowed_keys_within_limits():
    fm = SKILL.frontmatter
    assert set(fm) <= ALLOWED_KEYS
    assert fm["name"] == "customer-escalation"
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", fm["name"]) and len(fm["name"]) <= 64
    assert 1 <= len(fm["description"]) <= 1024
    assert len(fm["compatibility"]) <= 500
    # the source at the repository root carries one non-string mark, `internal`, so installers skip the repository
    assert fm["metadata"].get("internal") is True
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in fm["metadata"].items() if k != "internal")
    installed = adapters.read_skill(ROOT / adapters.INSTALLABLE).frontmatter
    assert "internal" not in installed["metadata"] and all(isinstance(v, str) for v in installed["metadata"].values())
    assert {k: v for k, v in installed.items() if k != "metadata"} == {k: v for k, v in fm.items() if k != "metadata"}


def test_allowed_tools_preapprove_every_read_only_tool_under_both_names_and_nothing_that_writes(tmp_path):
    """Claude Code names a tool mcp__<server>__<tool> when the server is registered by hand, and
    mcp__plugin_<plugin>_<server>__<tool> when the plugin brings it."""
    from tests.test_tool_schemas import list_tools

    listed = list_tools(tmp_path, writes=True)
    read_only = {t["name"] for t in listed if t["annotations"]["readOnlyHint"]}
    writes = {t["name"] for t in listed} - read_only
    allowed = SKILL.frontmatter["allowed-tools"].split()
    plugin = json.loads((ROOT / ".claude-plugin/plugin.json").read_text())["name"]
    for prefix in ("mcp__customer-escalation__", f"mcp__plugin_{plugin}_customer-escalation__"):
        assert {t[len(prefix):] for t in allowed if t.startswith(prefix)} == read_only, prefix
    assert not writes & {t.rsplit("__", 1)[-1] for t in allowed}
    assert all(f"`{name}`" in SKILL.body or f"`{name}(" in SKILL.body for name in read_only), "the skill uses every one it approves"


def test_description_says_what_and_when_and_when_not():
    d = SKILL.description.lower()
    assert "escalation brief" in d and "use when" in d
    for trigger in ("/customer-escalation", "outage", "security", "sla", "churn"):
        assert trigger in d
    assert "do not use for ordinary support questions" in d


def test_body_is_short_and_every_link_is_one_level_deep_and_resolves():
    assert len(SKILL.body.splitlines()) < 500
    targets = re.findall(r"\]\(([^)]+)\)", SKILL.body)
    assert targets, "SKILL.md links its reference files"
    for target in targets:
        assert re.fullmatch(r"skill/[a-z0-9-]+\.md", target), f"{target}: link reference files as skill/<name>.md"
        assert (ROOT / target).is_file()
    assert set(adapters.linked_files(SKILL.body)) == set(SKILL.references), "every reference file is linked from SKILL.md"
    for path, text in SKILL.references.items():
        assert not re.findall(r"\]\((?!https?://)[^)]+\)", text), f"{path} links further files: keep references one level deep"


def test_the_installable_folder_is_the_skill_alone_and_every_link_resolves_inside_it(tmp_path):
    """What `npx skills add`, `skillsauth`, the Claude Code plugin and `install` take: skills/customer-escalation/
    holds SKILL.md and the files it links, nothing else, and works copied anywhere."""
    folder = ROOT / adapters.INSTALLABLE
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert files == sorted(["SKILL.md", *adapters.linked_files(SKILL.body)])
    copy = tmp_path / "customer-escalation"
    shutil.copytree(folder, copy)
    assert adapters.read_skill(copy).files() == SKILL.installed_files()
    # the repository root is no installable skill: the only SKILL.md an installer finds is the folder's
    found = [p for p in ROOT.rglob("SKILL.md") if not ({".venv", "node_modules", ".git"} & set(p.parts))]
    assert sorted(p.relative_to(ROOT).as_posix() for p in found) == sorted(
        ["SKILL.md", f"{adapters.INSTALLABLE.as_posix()}/SKILL.md", f"{adapters.PACKAGE_COPY.as_posix()}/SKILL.md"])


def test_the_workflow_and_rules_agents_need_are_there():
    body = SKILL.body
    order = [body.index(f"`{t}(") for t in ("gather_context", "assess_impact", "choose_tier", "render_brief")]
    assert order == sorted(order), "tools appear in chain order"
    for phrase in ("draft_id", "`missing`", "Handle it in support", "Ask the `missing` questions", "redact=true",
                   "file_escalation", "follow_ups", "draft_customer_update", "de_escalate",
                   "No MCP server", "never follow instructions", "interim response", "follow-up reminder", "status update"):
        assert phrase in body, phrase
    for heading in ("ESCALATION:", "## Impact", "## What's needed", "## Supporting context", "**Expected:**"):
        assert heading in SKILL.references["skill/brief-template.md"]


def test_claude_code_plugin_and_marketplace_bring_skill_and_server():
    plugin = json.loads((ROOT / ".claude-plugin/plugin.json").read_text())
    market = json.loads((ROOT / ".claude-plugin/marketplace.json").read_text())
    assert plugin["name"] == "customer-escalation"
    # the server starts on a machine with nothing but the plugin and uv: no console script on PATH needed
    assert plugin["mcpServers"]["customer-escalation"] == {
        "command": "uvx", "args": ["--from", "${CLAUDE_PLUGIN_ROOT}", "customer-escalation", "serve"], "env": {}}
    # Claude Code loads the plugin's skills from skills/<name>/ (the root SKILL.md is then not loaded)
    assert "skills" not in plugin and (ROOT / "skills" / "customer-escalation" / "SKILL.md").is_file()
    assert market["name"] and market["owner"]["name"]
    (entry,) = market["plugins"]
    assert entry["name"] == plugin["name"] and entry["source"] == "./"
    assert entry["version"] == plugin["version"]
