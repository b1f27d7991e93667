"""Related-ticket search over a generated workspace (default 100,000 tickets) with labelled true duplicates.

Ours, as gather_context runs it: issue text -> keywords -> Store.search("ticket", ..., limit=60), records loaded.
Import: what `customer-escalation import FILE` does (read and validate the file, load the store, index).
Reference, same data, same run: bm25s (BM25, Lucene variant) with its English stop words and the Snowball
stemmer (PyStemmer), indexing the same text (subject, description, messages, tags) from the same file; a query
is tokenized and retrieved one at a time (k=60, one thread), as a request would be.
Precision@5: the share of the top 5 that are true duplicates (same generated problem), averaged over queries.
"""

from __future__ import annotations

import gc
import json
import time
from dataclasses import dataclass
from pathlib import Path

from .common import Results, Row, median, p95
from .workload import Generated, generate

LIMIT = 60  # what gather_context asks the store for


@dataclass
class Measured:
    import_s: float
    times: list[float]
    precision: float


def ours(path: Path, home: Path, generated: Generated) -> Measured:
    from customer_escalation.store import Store, read_workspace_file
    from customer_escalation.text import keywords

    started = time.perf_counter()
    workspace = read_workspace_file(path)
    store = Store(home, "default")
    store.import_workspace(workspace)
    import_s = time.perf_counter() - started
    del workspace
    gc.collect()
    for q in generated.queries[:5]:  # warm-up: page cache, statements
        store.search("ticket", keywords(q.text), limit=LIMIT)
    times, precision = [], []
    for q in generated.queries:
        t = time.perf_counter()
        hits = store.search("ticket", keywords(q.text), limit=LIMIT)
        times.append(time.perf_counter() - t)
        precision.append(sum(1 for h in hits[:5] if h.record.id in q.relevant) / 5)
    store.close()
    return Measured(import_s, times, sum(precision) / max(1, len(precision)))


def bm25s_reference(path: Path, generated: Generated) -> Measured:
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    started = time.perf_counter()
    tickets = json.loads(path.read_text(encoding="utf-8"))["tickets"]
    ids = [t["id"] for t in tickets]
    corpus = [" ".join([t["subject"], t.get("description", ""), *(m["body"] for m in t.get("messages", [])), *t.get("tags", [])])
              for t in tickets]
    retriever = bm25s.BM25()
    retriever.index(bm25s.tokenize(corpus, stopwords="en", stemmer=stemmer, show_progress=False), show_progress=False)
    import_s = time.perf_counter() - started
    del tickets, corpus
    k = min(LIMIT, len(ids))

    def query(text: str) -> list[str]:
        tokens = bm25s.tokenize([text], stopwords="en", stemmer=stemmer, show_progress=False)
        docs, _ = retriever.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        return [ids[i] for i in docs[0]]

    for q in generated.queries[:5]:
        query(q.text)
    times, precision = [], []
    for q in generated.queries:
        t = time.perf_counter()
        top = query(q.text)
        times.append(time.perf_counter() - t)
        precision.append(sum(1 for i in top[:5] if i in q.relevant) / 5)
    return Measured(import_s, times, sum(precision) / max(1, len(precision)))


def run(results: Results, workdir: Path, *, tickets: int = 100_000, queries: int = 200, seed: int = 7) -> Path:
    """Returns the data directory holding the imported workspace (reused by the scale bench)."""
    generated = generate(tickets, seed=seed, n_queries=queries)
    path = generated.write(workdir / f"workspace-{tickets}.json")
    home = workdir / f"home-{tickets}"
    mine = ours(path, home, generated)
    ref = bm25s_reference(path, generated)
    n = f"{tickets:,} tickets"
    q = f"{len(generated.queries)} queries"
    results.add(
        Row("search", f"import {n} (read, validate, store, index)", mine.import_s, "s", "bm25s: read + tokenize + index",
            ref.import_s),
        Row("search", f"related-ticket query, median ({n}, {q})", median(mine.times) * 1000, "ms", "bm25s median",
            median(ref.times) * 1000),
        Row("search", f"related-ticket query, p95 ({n}, {q})", p95(mine.times) * 1000, "ms", "bm25s p95",
            p95(ref.times) * 1000, "< 30 ms", p95(mine.times) < 0.030),
        Row("search", f"precision@5 against labelled duplicates ({q})", mine.precision, "", "bm25s precision@5",
            ref.precision, ">= bm25s", mine.precision >= ref.precision),
    )
    results.notes.append(
        f"Search workload: {tickets:,} generated tickets over {len(set(generated.problems.values())):,} problems "
        f"(area x symptom x condition), seed {seed}; each query's true duplicates are the tickets of its problem "
        f"(median {median([len(q.relevant) for q in generated.queries]):.0f} per query)." if generated.queries else "")
    return home
