"""The Cursor command, Windsurf workflow and package copy are generated from SKILL.md and skill/ and never drift."""

from __future__ import annotations

import shutil
from pathlib import Path

from customer_escalation import adapters
from customer_escalation.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_generated_files_match_the_source():
    stale = adapters.stale(ROOT)
    assert not stale, f"regenerate with `customer-escalation build-adapters` and commit: {[str(p) for p in stale]}"


def test_package_copy_and_installable_folder_are_the_skill_as_installed():
    assert adapters.packaged_skill().files() == adapters.read_skill(ROOT).installed_files()
    assert adapters.read_skill(ROOT / adapters.INSTALLABLE).files() == adapters.read_skill(ROOT).installed_files()


def test_windsurf_workflow_fits_and_points_to_resources():
    text = (ROOT / adapters.WINDSURF_WORKFLOW).read_text()
    assert len(text) <= adapters.WINDSURF_LIMIT
    assert text.startswith("---\ndescription: ")
    assert "](skill/" not in text and "customer-escalation://reference/escalation-criteria" in text


def test_cursor_command_is_self_contained():
    text = (ROOT / adapters.CURSOR_COMMAND).read_text()
    assert "](skill/" not in text
    for path, ref in adapters.read_skill(ROOT).references.items():
        assert ref.strip().splitlines()[-1].strip() in text, f"{path} is appended to the command"


def test_build_adapters_check_and_rebuild(tmp_path, capsys):
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copy(ROOT / "SKILL.md", repo)
    shutil.copytree(ROOT / "skill", repo / "skill")
    assert main(["build-adapters", "--root", str(repo), "--check"]) == 1
    assert main(["build-adapters", "--root", str(repo)]) == 0
    assert main(["build-adapters", "--root", str(repo), "--check"]) == 0
    (repo / "skill/reproduction-steps.md").write_text("# Reproduction steps\n\nChanged.\n")
    (repo / adapters.PACKAGE_COPY / "skill/stray.md").write_text("not in the source")
    assert main(["build-adapters", "--root", str(repo), "--check"]) == 1
    out = capsys.readouterr().out
    assert "reproduction-steps.md" in out and "stray.md" in out and "customer-escalation.md" in out
    assert main(["build-adapters", "--root", str(repo)]) == 0
    assert not (repo / adapters.PACKAGE_COPY / "skill/stray.md").exists()
    assert "Changed." in (repo / adapters.CURSOR_COMMAND).read_text()


def test_a_broken_link_or_an_oversized_workflow_is_refused(tmp_path):
    import pytest

    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "skill", repo / "skill")
    text = (ROOT / "SKILL.md").read_text()
    (repo / "SKILL.md").write_text(text + "\nSee [missing](skill/missing.md).\n")
    with pytest.raises(adapters.AdapterError, match="skill/missing.md"):
        adapters.build(repo)
    (repo / "SKILL.md").write_text(text + "\n" + "padding " * 2000)
    with pytest.raises(adapters.AdapterError, match="Windsurf"):
        adapters.build(repo)


def test_package_data_ships_the_skill_files():
    """pip-installed packages carry the skill (install and the MCP resources read the package copy)."""
    import fnmatch
    import tomllib

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["customer_escalation"]
    package = ROOT / "tools/customer_escalation"
    for path in (package / "skill_files").rglob("*.md"):
        rel = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(rel, p) for p in patterns), f"{rel} is not package data"
