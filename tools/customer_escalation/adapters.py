"""The skill in every shape a client reads, generated from one source: SKILL.md and skill/*.md.

The repository root holds the source: SKILL.md (the project card's top level) and skill/. The root
is the whole repository, so its SKILL.md is marked `metadata.internal: true`: skills installers
(`npx skills add`) then pass it by and find the installable folder instead. One build step,
`customer-escalation build-adapters`, derives everything else from the source:

- the installable skill folder (`skills/customer-escalation/`: SKILL.md and the files it links,
  nothing else), the layout `npx skills add`, `npx skillsauth add <owner/repo> customer-escalation`
  and the Claude Code plugin look for; its SKILL.md is the source without the `internal` mark;
- the package copy (`customer_escalation/skill_files/`, the same files), so a pip-installed package
  can install the skill and serve the reference files as MCP resources without a checkout;
- the Cursor command (`.cursor/commands/customer-escalation.md`), self-contained;
- the Windsurf workflow (`.windsurf/workflows/customer-escalation.md`), under Windsurf's size limit.

Tests regenerate and compare, so no copy drifts from the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

SKILL_NAME = "customer-escalation"
PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGED_SKILL = PACKAGE_DIR / "skill_files"
WINDSURF_LIMIT = 12_000  # Windsurf reads workflows up to about this many characters
RESOURCE_PREFIX = "customer-escalation://reference/"

CURSOR_COMMAND = Path(".cursor/commands/customer-escalation.md")
WINDSURF_WORKFLOW = Path(".windsurf/workflows/customer-escalation.md")
PACKAGE_COPY = Path("tools/customer_escalation/skill_files")
INSTALLABLE = Path("skills") / SKILL_NAME
COPIES = (INSTALLABLE, PACKAGE_COPY)  # folders holding the skill exactly as it is installed
# the one line of the source's frontmatter that keeps installers from taking the whole repository as the skill
_INTERNAL_MARK = re.compile(r"^  internal: true\n", re.M)

GENERATED_NOTE = "<!-- Generated from SKILL.md and skill/ by `customer-escalation build-adapters`. Edit those, not this file. -->"

_LINK = re.compile(r"\[([^\]]+)\]\((skill/[A-Za-z0-9._-]+\.md)\)")


class AdapterError(Exception):
    """The skill source is missing or breaks a client's limit; the message says which."""


@dataclass(frozen=True)
class Skill:
    """The skill as read from a folder holding SKILL.md and skill/*.md."""

    frontmatter: dict
    body: str
    skill_md: str
    references: dict[str, str]  # "skill/<name>.md" -> text

    @property
    def description(self) -> str:
        return " ".join(str(self.frontmatter.get("description", "")).split())

    def files(self) -> dict[str, str]:
        """Every file of the skill folder, by path relative to it."""
        return {"SKILL.md": self.skill_md, **self.references}

    def installed_files(self) -> dict[str, str]:
        """The skill folder as installers lay it out: the source's files, SKILL.md without the `internal` mark."""
        return {**self.files(), "SKILL.md": installable(self.skill_md)}


def installable(skill_md: str) -> str:
    """SKILL.md as installed: the source's `metadata.internal: true` (repository root only) removed."""
    end = skill_md.find("\n---\n", 4)
    return _INTERNAL_MARK.sub("", skill_md[:end + 1], count=1) + skill_md[end + 1:]


def split_frontmatter(text: str) -> tuple[dict, str]:
    if not text.startswith("---\n"):
        raise AdapterError("SKILL.md must start with a YAML frontmatter block ('---')")
    end = text.find("\n---\n", 4)
    if end < 0:
        raise AdapterError("SKILL.md frontmatter is not closed with '---'")
    data = yaml.safe_load(text[4:end]) or {}
    if not isinstance(data, dict):
        raise AdapterError("SKILL.md frontmatter must be a mapping")
    return data, text[end + 5:].lstrip("\n")


def linked_files(body: str) -> list[str]:
    """Relative paths SKILL.md links to, in order of first mention."""
    seen: list[str] = []
    for match in _LINK.finditer(body):
        if match.group(2) not in seen:
            seen.append(match.group(2))
    return seen


def read_skill(folder: Path) -> Skill:
    """Read SKILL.md and skill/*.md from a skill folder (the repository root or the package copy)."""
    skill_md_path = folder / "SKILL.md"
    if not skill_md_path.is_file():
        raise AdapterError(f"no SKILL.md in {folder}")
    skill_md = skill_md_path.read_text(encoding="utf-8")
    frontmatter, body = split_frontmatter(skill_md)
    references = {
        f"skill/{p.name}": p.read_text(encoding="utf-8") for p in sorted((folder / "skill").glob("*.md"))
    }
    missing = [path for path in linked_files(body) if path not in references]
    if missing:
        raise AdapterError(f"SKILL.md links to files that do not exist: {', '.join(missing)}")
    return Skill(frontmatter, body, skill_md, references)


def packaged_skill() -> Skill:
    """The skill shipped inside the package (works from a wheel as from a checkout)."""
    return read_skill(PACKAGED_SKILL)


def reference_name(path: str) -> str:
    """'skill/tiers-and-severity.md' -> 'tiers-and-severity'."""
    return Path(path).stem


def _title(text: str, fallback: str) -> str:
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    return first.lstrip("# ").strip() or fallback


def with_resource_links(body: str) -> str:
    """Links to reference files become MCP resource URIs (the prompt, the Windsurf workflow)."""
    return _LINK.sub(lambda m: f"{m.group(1)} (`{RESOURCE_PREFIX}{reference_name(m.group(2))}`)", body)


def render_cursor_command(skill: Skill) -> str:
    """A Cursor command: the skill's instructions with every reference file appended, self-contained."""
    anchors = {path: f"Reference: {_title(text, reference_name(path))}" for path, text in skill.references.items()}
    body = _LINK.sub(lambda m: f'{m.group(1)} (see "{anchors[m.group(2)]}" below)', skill.body)
    parts = [
        GENERATED_NOTE,
        "",
        f"Use this command to escalate a customer issue. {skill.description}",
        "",
        "The text typed after the command is the issue description, optionally followed by the customer "
        "name or account.",
        "",
        body.rstrip(),
        "",
    ]
    for path, text in skill.references.items():
        lines = text.strip().splitlines()
        rest = "\n".join(lines[1:]).strip() if lines and lines[0].startswith("# ") else text.strip()
        parts += ["---", "", f"## {anchors[path]}", "", _demote(rest), ""]
    return "\n".join(parts)


def _demote(markdown: str) -> str:
    """Push headings one level down so appended reference files nest under their own heading."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        out.append("#" + line if (not fenced and line.startswith("#")) else line)
    return "\n".join(out)


def render_windsurf_workflow(skill: Skill) -> str:
    """A Windsurf workflow: frontmatter description plus the instructions, within Windsurf's size limit."""
    description = "Escalate a customer issue: gather context, assess impact, pick the target team, render the brief."
    text = "\n".join([
        "---",
        f"description: {description}",
        "---",
        "",
        GENERATED_NOTE,
        "",
        "The text after `/customer-escalation` is the issue description, optionally followed by the customer "
        "name or account. Reference files are MCP resources of the customer-escalation server "
        f"(`{RESOURCE_PREFIX}<name>`) and files in the installed skill folder (`skill/<name>.md`).",
        "",
        with_resource_links(skill.body).rstrip(),
        "",
    ])
    if len(text) > WINDSURF_LIMIT:
        raise AdapterError(
            f"the Windsurf workflow would be {len(text)} characters; Windsurf reads at most {WINDSURF_LIMIT}. "
            "Move detail from SKILL.md into a reference file."
        )
    return text


def build(root: Path) -> dict[Path, str]:
    """Every generated file, by path relative to the repository root."""
    skill = read_skill(root)
    outputs: dict[Path, str] = {
        CURSOR_COMMAND: render_cursor_command(skill),
        WINDSURF_WORKFLOW: render_windsurf_workflow(skill),
    }
    for folder in COPIES:
        for rel, text in skill.installed_files().items():
            outputs[folder / rel] = text
    return outputs


def stale(root: Path) -> list[Path]:
    """Generated files that are missing, differ from the source, or should not exist any more."""
    outputs = build(root)
    wrong = [rel for rel, text in outputs.items() if not (root / rel).is_file()
             or (root / rel).read_text(encoding="utf-8") != text]
    extra = [p.relative_to(root) for folder in COPIES for p in (root / folder).rglob("*")
             if p.is_file() and p.relative_to(root) not in outputs and "__pycache__" not in p.parts]
    return sorted(wrong + extra)


def write(root: Path) -> list[Path]:
    """Regenerate everything; returns the paths that changed."""
    changed = stale(root)
    outputs = build(root)
    for rel in changed:
        target = root / rel
        if rel in outputs:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(outputs[rel], encoding="utf-8")
        else:
            target.unlink()
    return changed
