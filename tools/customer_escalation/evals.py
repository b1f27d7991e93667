"""The eval runner: scenario cases (YAML) through the same chain as the CLI, scored against expectations.

Case format (evals/README.md): id, prompt, account, workspace (sample | empty | a path relative to
the case file), facts, agent_facts, expect {escalate, severity, target, also_inform, brief_includes},
context_truth.

Two modes: `text` passes only the facts the human gives when asked (`facts`), so the tool's own reading of
the words decides the rest; `agent` also passes `agent_facts`, what an agent passes after reading the
engineer's words. Results are reported per kind of product (the folder a set lives in) and with confusion
tables of expected against actual target and severity.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .models import Facts, Severity, Target

_SEVERITIES = {s.value for s in Severity}
_TARGETS = {t.value for t in Target}


def _as_list(value: Any) -> list[str] | None:
    if value is None:
        return None
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


class Expect(BaseModel):
    model_config = ConfigDict(extra="forbid")
    escalate: bool
    severity: list[str] | None = None
    target: list[str] | None = None
    also_inform: list[str] = Field(default_factory=list)
    brief_includes: list[str] = Field(default_factory=list)

    @field_validator("severity", mode="before")
    @classmethod
    def _severity(cls, v: Any) -> list[str] | None:
        values = _as_list(v)
        bad = [x for x in values or [] if x not in _SEVERITIES]
        if bad:
            raise ValueError(f"unknown severity {bad}; use {sorted(_SEVERITIES)}")
        return values

    @field_validator("target", mode="before")
    @classmethod
    def _target(cls, v: Any) -> list[str] | None:
        values = _as_list(v)
        bad = [x for x in values or [] if x not in _TARGETS]
        if bad:
            raise ValueError(f"unknown target {bad}; use {sorted(_TARGETS)}")
        return values

    @field_validator("also_inform", "brief_includes", mode="before")
    @classmethod
    def _lists(cls, v: Any) -> list[str]:
        return _as_list(v) or []


class ContextTruth(BaseModel):
    """What the case's author says the workspace holds about this problem (for the relevance measure)."""

    model_config = ConfigDict(extra="forbid")
    same_problem_tickets: list[str] = Field(default_factory=list)
    kb_workarounds: list[str] = Field(default_factory=list)
    tracker_items: list[str] = Field(default_factory=list)


MODES = ("text", "agent")
_SPLITS = {"tune", "holdout"}
_CASE_FOLDERS = {"cases", *_SPLITS}


class Case(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    prompt: str
    account: str | None = None
    workspace: str = "sample"
    facts: dict[str, Any] = Field(default_factory=dict)
    agent_facts: dict[str, Any] = Field(default_factory=dict)
    expect: Expect
    context_truth: ContextTruth | None = None
    description: str | None = None
    path: Path | None = Field(default=None, exclude=True)

    def facts_for(self, mode: str) -> Facts:
        """The facts passed in a mode; what the human says wins over the agent's reading."""
        return Facts.coerce({**self.agent_facts, **self.facts} if mode == "agent" else self.facts)

    @property
    def kind(self) -> str:
        """The kind of product: the folder the set lives in (above `cases/`, `tune/` or `holdout/`)."""
        if self.path is None:
            return "-"
        folder = self.path.parent
        return (folder.parent if folder.name in _CASE_FOLDERS else folder).name

    @property
    def split(self) -> str:
        return self.path.parent.name if self.path is not None and self.path.parent.name in _SPLITS else "-"

    def workspace_spec(self) -> str:
        if self.workspace in ("sample", "empty"):
            return self.workspace
        base = self.path.parent if self.path else Path.cwd()
        return str((base / self.workspace).resolve())


@dataclass
class CaseResult:
    id: str
    passed: bool
    actual: dict[str, Any]
    failures: list[str] = field(default_factory=list)
    path: str = ""
    mode: str = "text"


def discover(paths: list[str]) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(x for x in p.rglob("*") if x.suffix in (".yaml", ".yml"))
        elif p.exists():
            files.append(p)
        else:
            raise FileNotFoundError(f"{p}: no such file or folder")
    return files


def load_case(path: Path) -> Case:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read YAML: {str(exc).splitlines()[0]}") from None
    if not isinstance(data, dict):
        raise ValueError("a case file is a YAML mapping with id, prompt and expect")
    try:
        case = Case.model_validate(data)
        Facts.coerce(case.facts)
        Facts.coerce(case.agent_facts)
    except ValidationError as exc:
        raise ValueError("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())) from None
    case.path = path
    return case


def _check(case: Case, actual: dict[str, Any], markdown: str) -> list[str]:
    e = case.expect
    failures = []
    if actual["escalate"] != e.escalate:
        failures.append(f"escalate: expected {e.escalate}, got {actual['escalate']}")
    if e.escalate:
        if e.severity and actual["severity"] not in e.severity:
            failures.append(f"severity: expected {'/'.join(e.severity)}, got {actual['severity']}")
        if e.target and actual["target"] not in e.target:
            failures.append(f"target: expected {'/'.join(e.target)}, got {actual['target']}")
        missing = [t for t in e.also_inform if t not in actual["also_inform"] and t != actual["target"]]
        if missing:
            failures.append(f"also_inform: expected {missing} among {actual['also_inform']}")
    for text in e.brief_includes:
        if text.lower() not in markdown.lower():
            failures.append(f"brief does not include {text!r}")
    return failures


async def _run_cases(cases: list[Case], home: Path, mode: str = "text", policy_path: str | None = None) -> list[CaseResult]:
    from .policy import load_policy
    from .service import Service
    from .settings import Settings

    policy = load_policy(Path(policy_path) if policy_path else None)
    services: dict[str, Service] = {}
    results = []
    try:
        for case in cases:
            spec = case.workspace_spec()
            if spec not in services:
                services[spec] = Service(Settings(workspace=spec, home=home / f"ws{len(services)}"), policy=policy, connectors=list)
            service = services[spec]
            try:
                chain = await service.run(case.prompt, case.account or "", case.facts_for(mode))
            except Exception as exc:  # a case that cannot run is a failure of that case, not of the run
                results.append(CaseResult(case.id, False, {"escalate": None, "severity": None, "target": None, "also_inform": []},
                                          [f"error: {type(exc).__name__}: {exc}"], str(case.path or ""), mode))
                continue
            a, r, b = chain.assessment, chain.routing, chain.brief
            assert a is not None and r is not None and b is not None
            actual = {
                "escalate": a.escalate,
                "severity": a.severity.value if a.severity else None,
                "target": r.target.value if r.target else None,
                "also_inform": [t.value for t in r.also_inform],
            }
            failures = _check(case, actual, b.markdown)
            results.append(CaseResult(case.id, not failures, actual, failures, str(case.path or ""), mode))
    finally:
        for service in services.values():
            service.close()
    return results


def summarise(cases: list[Case], results: list[CaseResult]) -> dict[str, Any]:
    by_id = {c.id: c for c in cases}
    esc = [r for r in results if r.actual["escalate"] == by_id[r.id].expect.escalate]
    sev_cases = [r for r in results if by_id[r.id].expect.escalate and by_id[r.id].expect.severity]
    sev_ok = [r for r in sev_cases if r.actual["severity"] in by_id[r.id].expect.severity]  # type: ignore[operator]
    tgt_cases = [r for r in results if by_id[r.id].expect.escalate and by_id[r.id].expect.target]
    tgt_ok = [r for r in tgt_cases if r.actual["target"] in by_id[r.id].expect.target]  # type: ignore[operator]
    sec_cases = [r for r in results if by_id[r.id].expect.escalate and by_id[r.id].expect.target == ["security"]]
    sec_ok = [r for r in sec_cases if r.actual["target"] == "security"]

    def ratio(a: list, b: list) -> float:
        return round(len(a) / len(b), 4) if b else 1.0

    return {
        "cases": len(results), "passed": sum(r.passed for r in results),
        "escalate_accuracy": ratio(esc, results), "severity_accuracy": ratio(sev_ok, sev_cases),
        "target_accuracy": ratio(tgt_ok, tgt_cases), "security_recall": ratio(sec_ok, sec_cases),
        "security_cases": len(sec_cases),
    }


_RELEVANCE = ("same_problem_tickets", "kb_workarounds", "tracker_items")


async def _relevance(cases: list[Case], home: Path, policy_path: str | None = None) -> dict[str, dict[str, dict[str, int]]]:
    """What the chain found against what the case's author says the workspace holds: per kind and per record
    type, true positives, false positives and false negatives (micro-averaged over the cases)."""
    from .policy import load_policy
    from .service import Service
    from .settings import Settings

    policy = load_policy(Path(policy_path) if policy_path else None)
    services: dict[str, Service] = {}
    counts: dict[str, dict[str, dict[str, int]]] = {}
    try:
        for case in cases:
            truth = case.context_truth
            if truth is None or case.workspace == "empty":
                continue
            spec = case.workspace_spec()
            if spec not in services:
                services[spec] = Service(Settings(workspace=spec, home=home / f"rel{len(services)}"), policy=policy, connectors=list)
            service = services[spec]
            chain = await service.gather_context(case.prompt, case.account or "", detail="full")
            chain = await service.assess_impact(draft_id=chain.draft_id, facts=case.facts_for("text"))
            ctx, a = chain.context, chain.assessment
            assert a is not None
            found = {
                "same_problem_tickets": {t.id for t in ctx.related_tickets if t.same_problem},
                "kb_workarounds": set(a.documented_answer),
                "tracker_items": {t.id for t in ctx.tracker_items if t.match >= policy.related_min_score},
            }
            for name in _RELEVANCE:
                want = set(getattr(truth, name))
                for group in (case.kind, "all"):
                    c = counts.setdefault(group, {}).setdefault(name, {"tp": 0, "fp": 0, "fn": 0, "cases": 0})
                    c["tp"] += len(found[name] & want)
                    c["fp"] += len(found[name] - want)
                    c["fn"] += len(want - found[name])
                    c["cases"] += 1
    finally:
        for service in services.values():
            service.close()
    return counts


def relevance(paths: list[str], policy_path: str | None = None) -> dict[str, dict[str, dict[str, float]]]:
    """Precision and recall of the related records (same-problem tickets, KB workarounds, tracker items)."""
    return _relevance_of(load(paths)[0], policy_path)


def _relevance_of(cases: list[Case], policy_path: str | None) -> dict[str, dict[str, dict[str, float]]]:
    with tempfile.TemporaryDirectory(prefix="customer-escalation-relevance-") as tmp:
        counts = asyncio.run(_relevance(cases, Path(tmp), policy_path))
    out: dict[str, dict[str, dict[str, float]]] = {}
    for group, by_name in counts.items():
        for name, c in by_name.items():
            found, want = c["tp"] + c["fp"], c["tp"] + c["fn"]
            out.setdefault(group, {})[name] = {
                "precision": round(c["tp"] / found, 4) if found else 1.0, "recall": round(c["tp"] / want, 4) if want else 1.0,
                "cases": c["cases"], "found": found, "labelled": want,
            }
    return out


def _expected_label(accepted: list[str] | None, actual: str | None, escalate: bool) -> str:
    """The row of a confusion table: the actual answer when it is one of the accepted ones, else the first."""
    if not escalate:
        return "handle"
    if not accepted:
        return "any"
    return actual if actual in accepted else accepted[0]


def confusion(cases: list[Case], results: list[CaseResult]) -> dict[str, dict[str, dict[str, int]]]:
    """Expected (rows) against actual (columns) target and severity; 'handle' means handled in support."""
    by_id = {c.id: c for c in cases}
    tables: dict[str, dict[str, dict[str, int]]] = {"target": {}, "severity": {}}
    for r in results:
        e = by_id[r.id].expect
        for name, accepted in (("target", e.target), ("severity", e.severity)):
            actual = r.actual[name] if r.actual["escalate"] else "handle"
            row = tables[name].setdefault(_expected_label(accepted, actual, e.escalate), {})
            row[actual or "none"] = row.get(actual or "none", 0) + 1
    return tables


def report(cases: list[Case], results: list[CaseResult]) -> dict[str, Any]:
    """Summary per mode, per kind of product and split, and the confusion tables per mode."""
    out: dict[str, Any] = {}
    for mode in dict.fromkeys(r.mode for r in results):
        mine = [r for r in results if r.mode == mode]
        by_id = {c.id: c for c in cases}
        groups: dict[str, list[CaseResult]] = {}
        for r in mine:
            c = by_id[r.id]
            groups.setdefault(c.kind, []).append(r)
            if c.split != "-":
                groups.setdefault(f"{c.kind}/{c.split}", []).append(r)
        out[mode] = {
            "summary": summarise(cases, mine),
            "by_kind": {k: summarise(cases, v) for k, v in sorted(groups.items())},
            "confusion": confusion(cases, mine),
        }
    return out


def load(paths: list[str]) -> tuple[list[Case], list[tuple[str, str]]]:
    """Every case under `paths`, and [(file, problem)] for the malformed ones."""
    cases, broken = [], []
    seen: set[str] = set()
    for path in discover(paths):
        try:
            case = load_case(path)
        except ValueError as exc:
            broken.append((str(path), str(exc)))
            continue
        if case.id in seen:
            broken.append((str(path), f"duplicate case id {case.id!r}"))
            continue
        seen.add(case.id)
        cases.append(case)
    return cases, broken


def run(paths: list[str], modes: tuple[str, ...] = ("text",), policy_path: str | None = None
        ) -> tuple[dict[str, Any], list[CaseResult], list[tuple[str, str]]]:
    """Run every case under `paths` in each mode (with the policy file, if given). Returns (summary of the first
    mode, results, malformed files)."""
    cases, broken = load(paths)
    return _run_loaded(cases, broken, modes, policy_path)


def _run_loaded(cases: list[Case], broken: list[tuple[str, str]], modes: tuple[str, ...], policy_path: str | None
                ) -> tuple[dict[str, Any], list[CaseResult], list[tuple[str, str]]]:
    results: list[CaseResult] = []
    with tempfile.TemporaryDirectory(prefix="customer-escalation-evals-") as tmp:
        for mode in modes:
            results += asyncio.run(_run_cases(cases, Path(tmp) / mode, mode, policy_path))
    first = [r for r in results if r.mode == modes[0]]
    return summarise(cases, first), results, broken


def skill_evals(paths: list[str]) -> dict[str, Any]:
    """The cases in the Agent Skills evals convention (id, prompt, expected_output, assertions)."""
    evals = []
    for path in discover(paths):
        try:
            case = load_case(path)
        except ValueError:
            continue
        e = case.expect
        prompt = f"/customer-escalation {case.prompt}" + (f" {case.account}" if case.account else "")
        if e.escalate:
            expected = (f"An escalation brief with severity {' or '.join(e.severity or ['any'])}, targeted at "
                        f"{' or '.join(e.target or ['the right team'])}"
                        + (f", keeping {', '.join(e.also_inform)} informed" if e.also_inform else "") + ".")
            assertions = ["The response recommends escalating (not handling in support)."]
            if e.severity:
                assertions.append(f"The brief's severity is {' or '.join(s.capitalize() for s in e.severity)}.")
            if e.target:
                assertions.append(f"The brief's target team is {' or '.join(e.target)}.")
            for t in e.also_inform:
                assertions.append(f"The brief says to keep {t} informed.")
        else:
            expected = "A recommendation to handle this in support (no escalation), with the reason and the next support step."
            assertions = ["The response recommends handling in support rather than escalating."]
        assertions += [f"The brief mentions {text!r}." for text in e.brief_includes]
        if case.facts:
            expected += " Facts the user supplies when asked: " + ", ".join(f"{k}={v}" for k, v in case.facts.items()) + "."
        evals.append({"id": case.id, "prompt": prompt, "expected_output": expected, "assertions": assertions,
                      "files": [] if case.workspace in ("sample", "empty") else [case.workspace]})
    return {"skill_name": "customer-escalation", "evals": evals}


def _format_table(name: str, table: dict[str, dict[str, int]]) -> list[str]:
    cols = sorted({c for row in table.values() for c in row})
    width = max([len(name) + 10, *(len(c) for c in cols), *(len(r) for r in table)]) + 1
    corner = f"expected {name} / actual"
    lines = [f"{corner:<{width}}" + "".join(f"{c:>{width}}" for c in cols)]
    for row in sorted(table):
        lines.append(f"{row:<{width}}" + "".join(f"{table[row].get(c, 0):>{width}}" for c in cols))
    return lines


def _line(s: dict[str, Any]) -> str:
    return (f"{s['passed']}/{s['cases']} passed; escalate {s['escalate_accuracy']:.0%}, severity {s['severity_accuracy']:.0%}, "
            f"target {s['target_accuracy']:.0%}, security recall {s['security_recall']:.0%} ({s['security_cases']} cases)")


def run_cli(args: Any) -> int:
    modes = MODES if getattr(args, "mode", "text") == "both" else (getattr(args, "mode", "text") or "text",)
    policy_path = getattr(args, "policy", None)
    try:
        cases, broken = load(args.paths)  # read once: the decisions, the report and the relevance measure share them
    except FileNotFoundError as exc:
        print(f"customer-escalation: {exc}", file=sys.stderr)
        return 2
    summary, results, broken = _run_loaded(cases, broken, modes, policy_path)
    detail = report(cases, results)
    rel = _relevance_of(cases, policy_path) if getattr(args, "relevance", False) else None
    if getattr(args, "export_skill_evals", None):
        Path(args.export_skill_evals).write_text(json.dumps(skill_evals(args.paths), indent=2) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps({
            "summary": summary,
            "modes": detail,
            "cases": [{"id": r.id, "mode": r.mode, "passed": r.passed, "actual": r.actual, "failures": r.failures} for r in results],
            "malformed": [{"file": f, "problem": p} for f, p in broken],
            **({"relevance": rel} if rel is not None else {}),
        }, indent=2))
    else:
        for r in results:
            if not r.passed or not getattr(args, "failures_only", False):
                tag = f"[{r.mode}] " if len(modes) > 1 else ""
                print(("PASS " if r.passed else "FAIL ") + tag + r.id + ("" if r.passed else ": " + "; ".join(r.failures)))
        for f, p in broken:
            print(f"BAD  {f}: {p}")
        for mode, d in detail.items():
            print(f"\n== mode: {mode} ==  {_line(d['summary'])}" + (f"; {len(broken)} malformed file(s)" if broken else ""))
            if len(d["by_kind"]) > 1:
                for kind, s in d["by_kind"].items():
                    print(f"  {kind:<24} {_line(s)}")
            if getattr(args, "confusion", False):
                for name in ("target", "severity"):
                    print()
                    print("\n".join("  " + line for line in _format_table(name, d["confusion"][name])))
        if rel is not None:
            print("\n== related records: precision / recall (cases with labelled context) ==")
            for group, by_name in sorted(rel.items()):
                print(f"  {group:<12} " + "   ".join(f"{name} {v['precision']:.2f} / {v['recall']:.2f} ({v['found']} found, {v['labelled']} labelled)"
                                                    for name, v in by_name.items()))
    return 0 if results and all(r.passed for r in results) and not broken else 1
