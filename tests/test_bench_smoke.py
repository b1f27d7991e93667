"""The benchmarks still run (tiny sizes, a few seconds): so `python -m bench` does not rot between runs.

Figures at these sizes mean nothing; the assertions check that each bench measures what it says it does.
The references (bm25s, tiktoken) come with the `bench` extra, which the test install includes.
"""

from __future__ import annotations

import asyncio
import json

from bench import drafts, e2e, fanout, report, scale, search
from bench.common import ROOT, PYTHON, Results, bench_env, p95, spawn_and_list
from bench.workload import generate


def test_generated_workspace_is_deterministic_and_labelled():
    a, b = generate(300, seed=3, n_queries=10), generate(300, seed=3, n_queries=10)
    assert json.dumps(a.workspace) == json.dumps(b.workspace)
    assert len(a.workspace["tickets"]) == 300 and len(a.queries) == 10
    for q in a.queries:
        assert len(q.relevant) >= 5 and all(a.problems[t] == q.problem for t in q.relevant)
    assert p95([1.0] * 19 + [9.0]) == 1.0 and p95([1.0] * 18 + [9.0, 9.0]) == 9.0


def test_store_search_finds_labelled_duplicates(tmp_path):
    generated = generate(400, seed=5, n_queries=10)
    measured = search.ours(generated.write(tmp_path / "w.json"), tmp_path / "home", generated)
    assert measured.import_s > 0 and len(measured.times) == 10
    assert measured.precision > 0.3  # far above chance (one problem among dozens)


def test_search_reference_runs(tmp_path):
    generated = generate(300, seed=5, n_queries=5)
    measured = search.bm25s_reference(generated.write(tmp_path / "w.json"), generated)
    assert len(measured.times) == 5 and 0 <= measured.precision <= 1


def test_floor_server_answers_tools_list_over_stdio(tmp_path):
    got = spawn_and_list([PYTHON, str(ROOT / "bench" / "floor_server.py")], bench_env(tmp_path))
    assert [t["name"] for t in got.tools] == ["ping"]
    assert 0 < got.seconds_to_list < 30 and got.max_rss_kb > 0


def test_fan_out_over_loopback_sources_and_a_hung_one():
    results = Results()
    fanout.run(results, runs=1, hung_runs=1, deadline=0.6, latencies_ms=[10, 30])
    total, hung = results.rows
    assert total.ok is not None and total.ref_value and total.value > 0
    assert hung.value < 600 + 500 and "timed_out" in hung.note


def test_end_to_end_brief(tmp_path):
    results = Results()
    e2e.run(results, runs=1)
    wall, rss = results.rows
    assert wall.value > 0 and rss.value > 0 and rss.ref_value


def test_scale_gathers_at_each_size(tmp_path):
    results = Results()
    scale.run(results, tmp_path, sizes=(200, 400), queries=3)
    assert [r.figure.split(" at ")[1].split(" ")[0] for r in results.rows] == ["200", "200", "400", "400"]
    assert all(r.value > 0 for r in results.rows)


def test_drafts_past_the_retention_are_deleted(tmp_path):
    kept_size, kept = drafts.size_after(tmp_path / "kept", days=3, per_day=2, draft_days=1.5)
    all_size, every = drafts.size_after(tmp_path / "all", days=3, per_day=2, draft_days=10)
    assert every == 6 and kept == 4  # the first day's two drafts were two days old when the third day's were saved
    assert 0 < kept_size <= all_size


def test_answer_tokens(tmp_path):
    from bench import tokens

    counts = asyncio.run(tokens._answers("sample", tmp_path))
    assert set(counts) >= {"gather_context", "assess_impact", "render_brief"}
    assert all(100 < n < 20_000 for n in counts.values())


def test_report_keeps_the_text_around_the_results(tmp_path):
    results = Results()
    results.add(report.Row("b", "fig", 12.5, "ms", "ref", 10.0, "<= 1.5x", True))
    doc = tmp_path / "BENCHMARKS.md"
    doc.write_text(f"# Benchmarks\n\nkept above\n\n{report.START}\nold\n{report.END}\n\nkept below\n")
    m = {"cpu": "cpu", "cores": "2", "python": "3", "sqlite": "3", "os": "os", "load": "0"}
    report.write(doc, report.block(results, "python -m bench", m, m, 1.0))
    text = doc.read_text()
    assert "kept above" in text and "kept below" in text and "old" not in text
    assert "| b | fig | 12.5 ms | ref: 10 ms | 1.25x | <= 1.5x | yes |" in text
