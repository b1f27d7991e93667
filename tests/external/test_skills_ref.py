"""`skills-ref validate` (the Agent Skills reference validator) on the skill folder as each installer lays it out."""

from __future__ import annotations

import shutil
import subprocess

from customer_escalation.cli import main
from tests.external.conftest import ROOT, js


def validate(node: str, folder) -> subprocess.CompletedProcess:
    return subprocess.run([node, str(js("skills-ref")), "validate", str(folder)], capture_output=True, text=True, timeout=120)


def test_repository_skill_copied_into_a_folder_named_after_it(node, tmp_path):
    folder = tmp_path / "customer-escalation"
    folder.mkdir()
    shutil.copy(ROOT / "SKILL.md", folder)
    shutil.copytree(ROOT / "skill", folder / "skill")
    r = validate(node, folder)
    assert r.returncode == 0, r.stdout + r.stderr


def test_skill_as_installed_for_each_client(node, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for client, where in (("claude-code", ".claude/skills"), ("cursor", ".cursor/skills"), ("windsurf", ".windsurf/skills")):
        assert main(["install", "--client", client, "--project-dir", str(tmp_path / "p")]) == 0
        r = validate(node, tmp_path / "p" / where / "customer-escalation")
        assert r.returncode == 0, f"{client}: {r.stdout}{r.stderr}"


def test_validator_rejects_what_it_should(node, tmp_path):
    """The check has teeth: a folder whose name differs from the skill name fails."""
    folder = tmp_path / "escalation"
    folder.mkdir()
    shutil.copy(ROOT / "SKILL.md", folder)
    assert validate(node, folder).returncode != 0
