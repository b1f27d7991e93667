"""The workspace's reads and its search, written once: each backend supplies the SQL hooks (`_rows`, `_reading`, the
candidate walk) and its own index. SQL here uses `?` placeholders and the table names in `TABLES`."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..models import Account, Workspace
from .common import TITLE_WEIGHT, SEARCHABLE, MODEL, Hit, RecordKind, SearchPlan, candidate_count, log, plan_search, printable, score


class WorkspaceBackend:
    """An attached workspace: accounts, tickets, tracker items, chat, KB and past escalations, with full-text search."""

    TABLES: dict[str, str] = {}  # records, domains, meta: each backend's table names
    NOCASE = "{col} = ? COLLATE NOCASE"  # equality ignoring ASCII case
    BINARY = ""  # the collation that orders names byte by byte

    def __init__(self, name: str, *, read_only: bool, location: Path | str | None):
        self.name = name
        self.read_only = read_only
        self.path = location if isinstance(location, Path) else None  # a file, for messages; None: in memory or a server
        self._where = location or f"the in-memory {name!r} workspace"
        self._lock = threading.RLock()
        self._derived: dict[str, Any] = {}  # values computed from this version of the workspace
        self._derived_version: Any = None

    # --- the backend's hooks ------------------------------------------------------------------------
    def _reading(self) -> AbstractContextManager[None]:
        """Hold the workspace for a few reads that belong together; failures of the database become StoreErrors."""
        raise NotImplementedError

    def _query(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _version(self) -> Any:
        """Changes whenever the workspace does (another process's import included)."""
        raise NotImplementedError

    def _walk(self, kind: RecordKind, plan: SearchPlan, account_id: str | None, count: int) -> list[Any]:
        """Keys of the records holding the plan's walk terms, by summed IDF of those they hold, best first."""
        raise NotImplementedError

    def _texts(self, kind: RecordKind, keys: list[Any]) -> dict[Any, tuple[str, str]]:
        raise NotImplementedError

    def load(self, workspace: Workspace, *, replace: bool = False) -> dict[str, int]:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the backend holds of its own (a shared connection is closed by its owner)."""

    # --- reads --------------------------------------------------------------------------------------
    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        with self._reading():
            return self._query(sql.format(**self.TABLES), tuple(params))

    def meta(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM {meta} WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def clock_reference(self) -> datetime | None:
        """The workspace's own 'now' (sample and exported files carry generated_at)."""
        value = self.meta("generated_at") if self.read_only else None
        if not value:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            log.warning("the workspace's generated_at in %s is damaged; the real clock is used", self._where)
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)

    def is_empty(self) -> bool:
        """No record of any kind (a new default store, before `import`)."""
        return bool(self.derived("empty", lambda: not self._rows("SELECT 1 FROM {records} LIMIT 1")))

    def counts(self) -> dict[str, int]:
        return {kind: int(n) for kind, n in self._rows("SELECT kind, count(*) FROM {records} GROUP BY kind")}

    def _record(self, kind: RecordKind, record_id: str, data: str) -> Any | None:
        """A stored record, or None (logged, naming it) when its stored data is damaged: the other records still read."""
        try:
            return MODEL[kind].model_validate_json(data)
        except ValidationError:
            log.warning("%s record %s in %s is damaged and was left out; import the workspace again to repair it",
                        kind, printable(record_id), self._where)
            return None

    def _records(self, kind: RecordKind, rows: Iterable[tuple[Any, ...]]) -> list[Any]:
        """(id, data) rows as records, damaged ones left out."""
        return [r for r in (self._record(kind, record_id, data) for record_id, data in rows) if r is not None]

    def get(self, kind: RecordKind, record_id: str) -> Any | None:
        found = self._records(kind, self._rows("SELECT id, data FROM {records} WHERE kind = ? AND id = ?", (kind, record_id)))
        return found[0] if found else None

    def all(self, kind: RecordKind) -> list[Any]:
        return self._records(kind, self._rows("SELECT id, data FROM {records} WHERE kind = ?", (kind,)))

    def find_accounts(self, name_or_domain: str) -> list[Account]:
        """Exact id, name or domain first; then names containing every word given."""
        q = name_or_domain.strip()
        if not q:
            return []
        exact = self._rows(
            "SELECT id, data FROM {records} WHERE kind='account' AND (id = ? OR " + self.NOCASE.format(col="name") + ") "
            "UNION SELECT r.id, r.data FROM {domains} d JOIN {records} r ON r.kind='account' AND r.id = d.account_id "
            "WHERE d.domain = ?",
            (q, q, q.lower().removeprefix("www.")),
        )
        if exact:
            return self._records("account", exact)
        tokens = [t for t in q.lower().replace(",", " ").split() if t not in {"inc", "inc.", "ltd", "llc", "corp", "the"}] or [q.lower()]
        clause = " AND ".join("lower(name) LIKE ? ESCAPE '\\'" for _ in tokens)
        like = ["%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for t in tokens]
        rows = self._rows(f"SELECT id, data FROM {{records}} WHERE kind='account' AND {clause} ORDER BY name{self.BINARY} LIMIT 10", like)
        return self._records("account", rows)

    def accounts_where(self, plan: str | None = None) -> list[Account]:
        return [a for a in self.all("account") if plan is None or (a.plan or "").lower() == plan.lower()]

    def records_for_account(self, kind: RecordKind, account_id: str, limit: int = 50) -> list[Any]:
        rows = self._rows("SELECT id, data FROM {records} WHERE kind = ? AND account_id = ? ORDER BY at DESC NULLS LAST LIMIT ?",
                          (kind, account_id, limit))
        return self._records(kind, rows)

    def count_for_account(self, kind: RecordKind, account_id: str) -> int:
        return int(self._rows("SELECT count(*) FROM {records} WHERE kind = ? AND account_id = ?", (kind, account_id))[0][0])

    def derived(self, key: str, compute: Callable[[], Any]) -> Any:
        """`compute()` once per version of the workspace: counts, the account list, normalised names."""
        with self._lock:
            version = self._version()
            if version != self._derived_version:
                self._derived, self._derived_version = {}, version
            if key not in self._derived:
                self._derived[key] = compute()
            return self._derived[key]

    def _total(self, kind: RecordKind) -> int:
        """Records of a kind (counting 100k rows costs milliseconds, so once per workspace version)."""
        return int(self.derived(f"total:{kind}", lambda: self._rows("SELECT count(*) FROM {records} WHERE kind = ?", (kind,))[0][0]))

    def accounts(self) -> list[Account]:
        """Every account, read once per workspace version (callers must not modify the list)."""
        return list(self.derived("accounts", lambda: self.all("account")))

    def search(self, kind: RecordKind, query_terms: list[str], *, limit: int = 20, account_id: str | None = None,
               min_score: float = 0.0) -> list[Hit]:
        """Records of `kind` that talk about the query's terms, best first."""
        if kind not in SEARCHABLE:
            raise ValueError(kind)
        distinct = list(dict.fromkeys(t for t in query_terms if t))
        if not distinct:
            return []
        with self._reading():
            total = self._total(kind)
            if not total:
                return []
            marks = ",".join("?" * len(distinct))
            df = {t: int(n) for t, n in self._rows(f"SELECT term, df FROM {{df}} WHERE kind = ? AND term IN ({marks})", (kind, *distinct))}
            plan = plan_search(distinct, df, total)
            if plan is None:
                return []
            ranked = self._walk(kind, plan, account_id, candidate_count(limit))
            if not ranked:
                return []
            scored = score(plan, ranked, self._texts(kind, ranked), limit=limit, min_score=min_score,
                           title_weight=TITLE_WEIGHT.get(kind, 0.0))
            if not scored:
                return []
            marks = ",".join("?" * len(scored))
            data = {key: (record_id, raw) for key, record_id, raw in self._rows(
                f"SELECT {{key}}, id, data FROM {{records}} WHERE {{key}} IN ({marks})", [s[2] for s in scored])}
        hits = [(self._record(kind, *data[key]), value, matched) for value, _, key, matched in scored if key in data]
        return [Hit(kind, record, round(value, 3), matched) for record, value, matched in hits if record is not None]
