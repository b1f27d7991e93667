"""The shape docs/ARCHITECTURE.md describes, held: no import cycle, no private SDK member, no wall clock below the
application layer."""

from __future__ import annotations

import ast
from pathlib import Path

import customer_escalation

PACKAGE = Path(customer_escalation.__file__).parent


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ("customer_escalation", *path.relative_to(PACKAGE).with_suffix("").parts)
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every package module `name` imports, at module level or inside a function, type-checking imports included."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            found |= {t for t in (target, *(f"{target}.{a.name}" for a in node.names)) if t in modules}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name in modules}
    return found - {name}


def test_no_import_cycle():
    modules = _modules()
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    # a package importing its own submodules (re-exports) is not a cycle through the rest of the code
    graph = {name: {t for t in targets if not t.startswith(name + ".")} for name, targets in graph.items()}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(name: str) -> None:
        state[name] = 1
        path.append(name)
        for target in sorted(graph[name]):
            assert state.get(target) != 1, "import cycle: " + " -> ".join([*path[path.index(target):], target])
            if target not in state:
                visit(target)
        path.pop()
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)


def test_no_private_sdk_members():
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for private in ("_tool_manager", "_prompt_manager", "_resource_manager"):
            assert private not in text, f"{path.name} uses the SDK's private {private}"


def test_the_store_reads_no_wall_clock():
    for name in ("store.py", "lifecycle/log.py", "lifecycle/rules.py", "lifecycle/messages.py", "lifecycle/operations.py"):
        assert "datetime.now(" not in (PACKAGE / name).read_text(encoding="utf-8"), name
