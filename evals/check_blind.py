"""Check a blind eval set's format: the workspace loads in the import format, and every case file is well formed.

Shows no decision of the tool, so an author writing cases blind can run it. Usage:
python evals/check_blind.py FOLDER   (FOLDER holds workspace.json and cases/)
"""

import sys
from pathlib import Path

import yaml

from customer_escalation.models import Facts
from customer_escalation.store import check_references, read_workspace_file

TARGETS = {"l2_support", "engineering", "product", "security", "leadership"}
SEVERITIES = {"critical", "high", "medium"}
KEYS = {"id", "prompt", "account", "workspace", "facts", "agent_facts", "expect", "context_truth", "description"}
EXPECT_KEYS = {"escalate", "severity", "target", "also_inform", "brief_includes"}
TRUTH_KEYS = {"same_problem_tickets", "kb_workarounds", "tracker_items"}


def as_list(v):
    return v if isinstance(v, list) else [v]


def main(folder: Path) -> int:
    problems: list[str] = []
    ws = None
    wsfile = folder / "workspace.json"
    if wsfile.exists():
        try:
            ws = read_workspace_file(wsfile)
            problems += [f"workspace: {p}" for p in check_references(ws)]
        except Exception as exc:  # noqa: BLE001 - any load failure is a problem to report, with its text
            problems.append(f"workspace: {exc}")
    ids = {}
    names = set()
    if ws is not None:
        names = {a.name for a in ws.accounts}
        ids = {"same_problem_tickets": {t.id for t in ws.tickets}, "kb_workarounds": {k.id for k in ws.kb_articles},
               "tracker_items": {t.id for t in ws.tracker_items}}
    seen = set()
    files = sorted(f for part in ("cases", "tune", "holdout") for f in (folder / part).glob("*.yaml"))
    for f in files:
        try:
            d = yaml.safe_load(f.read_text(encoding="utf-8"))
        except Exception as exc:  # noqa: BLE001
            problems.append(f"{f.name}: not YAML: {exc}")
            continue
        if not isinstance(d, dict):
            problems.append(f"{f.name}: not a mapping")
            continue
        extra = set(d) - KEYS
        if extra:
            problems.append(f"{f.name}: unknown keys {sorted(extra)}")
        for k in ("id", "prompt", "expect", "workspace"):
            if k not in d:
                problems.append(f"{f.name}: missing {k}")
        if d.get("id") != f.stem:
            problems.append(f"{f.name}: id {d.get('id')!r} differs from the file name")
        if d.get("id") in seen:
            problems.append(f"{f.name}: duplicate id")
        seen.add(d.get("id"))
        if d.get("workspace") not in ("empty", "../workspace.json"):
            problems.append(f"{f.name}: workspace must be 'empty' or '../workspace.json'")
        if d.get("workspace") == "../workspace.json" and d.get("account") and d["account"] not in names:
            problems.append(f"{f.name}: account {d['account']!r} is not an account name in the workspace")
        for key in ("facts", "agent_facts"):
            try:
                Facts.coerce(d.get(key) or {})
            except Exception as exc:  # noqa: BLE001
                problems.append(f"{f.name}: {key}: {str(exc).splitlines()[0:3]}")
        e = d.get("expect") or {}
        if set(e) - EXPECT_KEYS:
            problems.append(f"{f.name}: expect has unknown keys {sorted(set(e) - EXPECT_KEYS)}")
        if not isinstance(e.get("escalate"), bool):
            problems.append(f"{f.name}: expect.escalate must be true or false")
        elif e["escalate"]:
            if not e.get("severity") or not set(as_list(e["severity"])) <= SEVERITIES:
                problems.append(f"{f.name}: expect.severity must be among {sorted(SEVERITIES)}")
            if not e.get("target") or not set(as_list(e["target"])) <= TARGETS:
                problems.append(f"{f.name}: expect.target must be among {sorted(TARGETS)}")
            elif len(as_list(e["target"])) > 2:
                problems.append(f"{f.name}: at most two acceptable targets")
        elif e.get("severity") or e.get("target"):
            problems.append(f"{f.name}: no severity or target when escalate is false")
        if not set(as_list(e.get("also_inform") or [])) <= TARGETS:
            problems.append(f"{f.name}: also_inform must be among {sorted(TARGETS)}")
        truth = d.get("context_truth")
        if truth:
            if set(truth) - TRUTH_KEYS:
                problems.append(f"{f.name}: context_truth has unknown keys {sorted(set(truth) - TRUTH_KEYS)}")
            if d.get("workspace") == "empty":
                problems.append(f"{f.name}: context_truth needs the workspace")
            for k, known in ids.items():
                missing = [i for i in truth.get(k) or [] if i not in known]
                if missing:
                    problems.append(f"{f.name}: context_truth.{k}: not in the workspace: {missing}")
    for p in problems:
        print("PROBLEM", p)
    print(f"{len(files)} case files, workspace {'ok' if ws is not None else 'missing or broken'}, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
