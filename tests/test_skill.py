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
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in fm["metadata"].items())
    assert isinstance(fm["allowed-tools"], str)
    # only read-only tools are pre-approved; anything that writes asks the human first
    assert not {"file_escalation", "de_escalate", "record_update"} & {t.rsplit("__", 1)[-1] for t in fm["allowed-tools"].split()}


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


def test_the_skill_folder_copied_alone_still_works(tmp_path):
    """What `npx skills add`, the Claude Code plugin and `install` produce: SKILL.md with skill/ beside it."""
    folder = tmp_path / "customer-escalation"
    folder.mkdir()
    shutil.copy(ROOT / "SKILL.md", folder)
    shutil.copytree(ROOT / "skill", folder / "skill")
    copied = adapters.read_skill(folder)
    assert copied.files() == SKILL.files()


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
    assert plugin["mcpServers"]["customer-escalation"] == {"command": "customer-escalation", "args": ["serve"], "env": {}}
    # Claude Code loads a SKILL.md at the plugin root as the plugin's one skill when there is
    # neither a skills/ folder nor a `skills` key; keep it that way
    assert "skills" not in plugin and not (ROOT / "skills").exists()
    assert market["name"] and market["owner"]["name"]
    (entry,) = market["plugins"]
    assert entry["name"] == plugin["name"] and entry["source"] == "./"
    assert entry["version"] == plugin["version"]
