"""`customer-escalation install / uninstall`: files where each client looks, merged configs, idempotent, reversible."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from customer_escalation import adapters
from customer_escalation.cli import main
from customer_escalation.install import SERVER_NAME, package_source, server_command

CLAUDE_JSON = {"numStartups": 12, "theme": "dark", "projects": {"/x": {"allowedTools": []}},
               "mcpServers": {"github": {"type": "stdio", "command": "gh-mcp", "args": [], "env": {"T": "1"}}}}

# client, scope -> (skill dir, command file or None, MCP config), relative to the project (P) or home (H)
LAYOUT = {
    ("claude-code", "project"): ("P/.claude/skills/customer-escalation", None, "P/.mcp.json"),
    ("claude-code", "user"): ("H/.claude/skills/customer-escalation", None, "H/.claude.json"),
    ("cursor", "project"): ("P/.cursor/skills/customer-escalation", "P/.cursor/commands/customer-escalation.md", "P/.cursor/mcp.json"),
    ("cursor", "user"): ("H/.cursor/skills/customer-escalation", "H/.cursor/commands/customer-escalation.md", "H/.cursor/mcp.json"),
    ("windsurf", "project"): ("P/.windsurf/skills/customer-escalation", "P/.windsurf/workflows/customer-escalation.md",
                              "H/.codeium/windsurf/mcp_config.json"),
    ("windsurf", "user"): ("H/.codeium/windsurf/skills/customer-escalation", "H/.codeium/windsurf/global_workflows/customer-escalation.md",
                           "H/.codeium/windsurf/mcp_config.json"),
}


@pytest.fixture
def places(tmp_path, monkeypatch):
    home, project = tmp_path / "home", tmp_path / "project"
    home.mkdir()
    project.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(project)
    return {"H": home, "P": project}


def resolve(places, rel: str | None) -> Path | None:
    return None if rel is None else places[rel[0]] / rel[2:]


def run(*args: str) -> int:
    return main(list(args))


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("client,scope", sorted(LAYOUT))
def test_install_puts_skill_command_and_server_where_the_client_looks(places, client, scope, capsys):
    skill_dir, command, config = (resolve(places, r) for r in LAYOUT[(client, scope)])
    assert run("install", "--client", client, "--scope", scope) == 0
    packaged = adapters.packaged_skill()
    for rel, text in packaged.files().items():
        assert (skill_dir / rel).read_text() == text
    installed = adapters.read_skill(skill_dir)  # links resolve in the installed layout
    assert installed.frontmatter["name"] == skill_dir.name == "customer-escalation"
    if command is not None:
        text = command.read_text()
        assert "gather_context" in text and "render_brief" in text
    else:
        assert not list(places["P"].glob(".cursor")) and not list(places["P"].glob(".windsurf"))
    entry = json.loads(config.read_text())["mcpServers"][SERVER_NAME]
    if config.is_relative_to(places["P"]):  # a config shared with the project: nothing of this machine in it
        assert [entry["command"], *entry["args"]] == ["uvx", "--from", package_source(), "customer-escalation", "serve"]
    else:
        assert entry["command"] == server_command()[0] and Path(entry["command"]).is_absolute()
        assert entry["args"] == ["serve"]
    assert ("type" in entry) == (client == "claude-code")
    assert "Restart" in capsys.readouterr().out


def test_merge_keeps_other_servers_and_settings_backs_up_and_is_idempotent(places, capsys):
    config = places["H"] / ".claude.json"
    config.write_text(json.dumps(CLAUDE_JSON, indent=4))
    original = config.read_bytes()
    assert run("install", "--client", "claude-code", "--scope", "user", "--workspace", "sample") == 0
    merged = json.loads(config.read_text())
    assert merged["mcpServers"]["github"] == CLAUDE_JSON["mcpServers"]["github"]
    assert {k: v for k, v in merged.items() if k != "mcpServers"} == {k: v for k, v in CLAUDE_JSON.items() if k != "mcpServers"}
    assert merged["mcpServers"][SERVER_NAME]["args"] == ["serve", "--workspace", "sample"]
    assert (places["H"] / ".claude.json.customer-escalation.bak").read_bytes() == original
    capsys.readouterr()

    before = snapshot(places["H"])
    assert run("install", "--client", "claude-code", "--scope", "user", "--workspace", "sample") == 0
    assert "Already installed" in capsys.readouterr().out
    assert snapshot(places["H"]) == before


def test_dry_run_changes_nothing_and_says_what_would_change(places, capsys):
    (places["P"] / ".cursor").mkdir()
    (places["P"] / ".cursor/mcp.json").write_text('{"mcpServers": {"other": {"command": "x"}}}')
    before = snapshot(places["P"]), snapshot(places["H"])
    assert run("install", "--client", "cursor", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "Dry run" in out and "create" in out and "mcp.json" in out and "Nothing written" in out
    assert (snapshot(places["P"]), snapshot(places["H"])) == before


@pytest.mark.parametrize("client,scope", sorted(LAYOUT))
def test_uninstall_reverses_exactly_what_install_did(places, client, scope):
    _, _, config = (resolve(places, r) for r in LAYOUT[(client, scope)])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(json.dumps({"mcpServers": {"keep": {"command": "k", "args": ["1"]}}, "other": True}, indent=2))
    before = snapshot(places["P"]), {k: v for k, v in snapshot(places["H"]).items()}
    assert run("install", "--client", client, "--scope", scope, "--enable-writes") == 0
    assert snapshot(places["P"]) != before[0] or snapshot(places["H"]) != before[1]
    assert run("uninstall", "--client", client, "--scope", scope) == 0
    after_p = snapshot(places["P"])
    after_h = {k: v for k, v in snapshot(places["H"]).items() if not k.endswith(".bak")}
    assert json.loads(config.read_text()) == {"mcpServers": {"keep": {"command": "k", "args": ["1"]}}, "other": True}
    assert after_p == {k: v for k, v in before[0].items()}
    assert {k: v for k, v in after_h.items() if "mcp" not in k and "claude.json" not in k} == \
        {k: v for k, v in before[1].items() if "mcp" not in k and "claude.json" not in k}
    # directories install created are gone, none it found are touched
    assert not any(p.name == "customer-escalation" for p in places["P"].rglob("*"))
    assert not any(p.name == "customer-escalation" for p in places["H"].rglob("*") if p.is_dir())


def test_uninstall_when_nothing_installed(places, capsys):
    assert run("uninstall", "--client", "cursor") == 0
    assert "Nothing to uninstall" in capsys.readouterr().out


def test_files_and_entries_the_user_changed_survive_uninstall(places):
    assert run("install", "--client", "claude-code") == 0
    skill_md = places["P"] / ".claude/skills/customer-escalation/SKILL.md"
    skill_md.write_text(skill_md.read_text() + "\nOur team's note.\n")
    mcp = places["P"] / ".mcp.json"
    data = json.loads(mcp.read_text())
    data["mcpServers"][SERVER_NAME]["env"]["ZENDESK_SUBDOMAIN"] = "acme"
    mcp.write_text(json.dumps(data))
    assert run("uninstall", "--client", "claude-code") == 0
    assert "Our team's note." in skill_md.read_text()
    assert json.loads(mcp.read_text())["mcpServers"][SERVER_NAME]["env"] == {"ZENDESK_SUBDOMAIN": "acme"}
    assert not (places["P"] / ".claude/skills/customer-escalation/skill").exists()


def test_an_existing_entry_of_the_same_name_comes_back_on_uninstall(places):
    theirs = {"command": "/opt/old/customer-escalation", "args": ["serve", "--workspace", "/data/ws.db"]}
    (places["P"] / ".mcp.json").write_text(json.dumps({"mcpServers": {SERVER_NAME: theirs}}))
    assert run("install", "--client", "claude-code") == 0
    assert json.loads((places["P"] / ".mcp.json").read_text())["mcpServers"][SERVER_NAME] != theirs
    assert run("install", "--client", "claude-code") == 0  # twice: still remembers what was there first
    assert run("uninstall", "--client", "claude-code") == 0
    assert json.loads((places["P"] / ".mcp.json").read_text())["mcpServers"][SERVER_NAME] == theirs


def test_a_foreign_skill_folder_is_backed_up_and_restored(places):
    foreign = places["P"] / ".claude/skills/customer-escalation/SKILL.md"
    foreign.parent.mkdir(parents=True)
    foreign.write_text("---\nname: customer-escalation\ndescription: an older hand-copied version\n---\nold\n")
    assert run("install", "--client", "claude-code") == 0
    assert foreign.read_text() == adapters.packaged_skill().skill_md
    assert run("uninstall", "--client", "claude-code") == 0
    assert "an older hand-copied version" in foreign.read_text()


def test_broken_config_is_refused_before_anything_is_written(places, capsys):
    (places["P"] / ".mcp.json").write_text("{ not json")
    assert run("install", "--client", "claude-code") == 2
    assert "not valid JSON" in capsys.readouterr().err
    assert not (places["P"] / ".claude").exists()
    assert (places["P"] / ".mcp.json").read_text() == "{ not json"


def test_server_options_and_environment_are_registered(places, tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text("")
    assert run("install", "--client", "cursor", "--workspace", "sample", "--policy", str(policy), "--enable-writes",
               "--env", "ZENDESK_SUBDOMAIN=acme") == 0
    entry = json.loads((places["P"] / ".cursor/mcp.json").read_text())["mcpServers"][SERVER_NAME]
    assert entry["args"][-6:] == ["serve", "--workspace", "sample", "--policy", str(policy), "--enable-writes"]
    assert entry["env"] == {"ZENDESK_SUBDOMAIN": "acme"}


class _Dist:
    def __init__(self, direct_url: dict | None):
        self.text = json.dumps(direct_url) if direct_url is not None else None

    def read_text(self, name: str):
        return self.text if name == "direct_url.json" else None


@pytest.mark.parametrize("direct_url, source", [
    (None, "customer-escalation==0.1.0"),
    ({"url": "https://github.com/acme/customer-escalation.git", "vcs_info": {"vcs": "git", "commit_id": "abc123"}},
     "git+https://github.com/acme/customer-escalation.git@abc123"),
    ({"url": "file:///srv/checkouts/customer%20escalation", "dir_info": {"editable": True}}, "/srv/checkouts/customer escalation"),
    ({"url": "https://example.com/customer_escalation-0.1.0.tar.gz", "archive_info": {}}, "https://example.com/customer_escalation-0.1.0.tar.gz"),
])
def test_the_portable_command_fetches_the_package_from_where_it_came(direct_url, source):
    assert package_source(_Dist(direct_url)) == source


def test_a_throwaway_environment_in_a_package_cache_is_never_registered_by_path(monkeypatch, tmp_path):
    cached = tmp_path / ".cache" / "uv" / "archive-v0" / "Xyz"
    monkeypatch.setattr("sys.prefix", str(cached))
    assert server_command()[:2] == ["uvx", "--from"]


def test_a_config_that_is_not_utf8_is_refused_and_left_untouched(places, capsys):
    config = places["P"] / ".mcp.json"
    original = '{"mcpServers": {}, "note": "café"}'.encode("latin-1")
    config.write_bytes(original)
    assert run("install", "--client", "claude-code") == 2
    err = capsys.readouterr().err
    assert "is not UTF-8" in err and "save it as UTF-8" in err and "nothing was changed" in err and "Traceback" not in err
    assert config.read_bytes() == original and not (places["P"] / ".claude").exists()


def test_install_on_an_empty_default_workspace_says_what_to_do_next(places, capsys):
    assert run("install", "--client", "claude-code") == 0
    out = capsys.readouterr().out
    assert "'default' workspace is empty" in out and "--workspace sample" in out
    assert run("install", "--client", "cursor", "--workspace", "sample") == 0
    assert "is empty" not in capsys.readouterr().out
