"""Workspace files (JSON): read, validate, and name the record and field of each problem."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..models import Workspace
from .common import WORKSPACE_FIELDS, ImportError_


def load_sample() -> Workspace:
    data = resources.files("customer_escalation").joinpath("data/sample_workspace.json").read_text(encoding="utf-8")
    return Workspace.model_validate_json(data)


def describe_validation_error(exc: ValidationError, data: Any = None) -> str:
    """Name the record (by list, index and id) and the field for each problem."""
    lines = []
    for err in exc.errors()[:10]:
        loc = list(err["loc"])
        where = []
        if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(data, dict):
            try:
                rid = data[loc[0]][loc[1]].get("id")
            except (KeyError, IndexError, TypeError, AttributeError):
                rid = None
            where.append(f"{loc[0]}[{loc[1]}]" + (f" (id {rid!r})" if rid is not None else ""))
            rest = loc[2:]
        else:
            rest = loc
        if rest:
            where.append("field " + ".".join(str(p) for p in rest))
        lines.append(f"- {', '.join(where) or 'top level'}: {err['msg']}")
    more = len(exc.errors()) - 10
    if more > 0:
        lines.append(f"- … and {more} more problems")
    return "\n".join(lines)


def read_workspace_file(path: Path) -> Workspace:
    """Parse and validate a workspace file, with errors that name the record and field."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ImportError_(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportError_(f"{path}: cannot be read as UTF-8 text ({type(exc).__name__})") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImportError_(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(data, dict):
        raise ImportError_(f"{path}: a workspace file is a JSON object with lists such as 'accounts' and 'tickets'")
    try:
        workspace = Workspace.model_validate(data)
    except ValidationError as exc:
        raise ImportError_(f"{path}: the workspace file has problems; nothing was imported:\n{describe_validation_error(exc, data)}") from None
    problems = check_references(workspace)
    if problems:
        raise ImportError_(f"{path}: the workspace file has problems; nothing was imported:\n" + "\n".join(problems))
    return workspace


def check_references(workspace: Workspace) -> list[str]:
    """Duplicate ids and references to accounts that are not in the file or the store."""
    problems = []
    for field_name in WORKSPACE_FIELDS:
        seen: set[str] = set()
        for i, record in enumerate(getattr(workspace, field_name)):
            if record.id in seen:
                problems.append(f"- {field_name}[{i}] (id {record.id!r}): duplicate id")
            seen.add(record.id)
    return problems[:20]
