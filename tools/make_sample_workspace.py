#!/usr/bin/env python3
"""Generate the bundled sample workspace (tools/customer_escalation/data/sample_workspace.json).

A fictional B2B SaaS company, Lumen Data (an analytics and workflow platform with a query API, SAML SSO,
data exports, dashboards, webhooks, warehouse syncs, billing and an activity feed), seen by its support
team on 2026-11-20 12:00 UTC. Everything is fictional. The output is deterministic: a fixed seed, no
clock, stdlib only.

    .venv/bin/python tools/make_sample_workspace.py            # writes the file
    .venv/bin/python tools/make_sample_workspace.py --check    # fails if the file on disk differs

The parts live in tools/sample_workspace/: the company and its accounts (company.py), the underlying problems
written out by hand (problems.py: who reports them) with the tracker items, chat threads, KB articles and past
escalations about them (records.py), the long tail of one-off how-to and configuration tickets drawn from templates
(long_tail.py), and the assembly and labelled relevance set (assemble.py).
tools/customer_escalation/data/README.md lists the problems and the accounts reporting each.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sample_workspace.assemble import build, relevance_cases

OUT = Path(__file__).resolve().parent / "customer_escalation" / "data" / "sample_workspace.json"
RELEVANCE_DIR = Path(__file__).resolve().parent.parent / "evals" / "relevance" / "sample"


def main(argv: list[str]) -> int:
    data = build()
    text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
    labelled = relevance_cases(data)
    if "--check" in argv:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        same_labels = all((RELEVANCE_DIR / f).exists() and (RELEVANCE_DIR / f).read_text(encoding="utf-8") == y for f, y in labelled.items())
        print(f"{OUT}: {'up to date' if same else 'differs from the generator output'}; "
              f"{RELEVANCE_DIR}: {'up to date' if same_labels else 'differs from the generator output'}")
        return 0 if same and same_labels else 1
    RELEVANCE_DIR.mkdir(parents=True, exist_ok=True)
    for name, body in labelled.items():
        (RELEVANCE_DIR / name).write_text(body, encoding="utf-8")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    data = json.loads(text)
    print(f"wrote {OUT}: " + ", ".join(f"{len(data[k])} {k}" for k in
                                        ("accounts", "tickets", "tracker_items", "chat_threads", "kb_articles", "escalations")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
