"""The local store: one SQLite state database, with the workspace attached as schema `ws`.

- state.db (in the data directory): drafts of the tool chain, and the escalation log.
- the workspace (accounts, tickets, tracker items, chat, KB, past escalations) is attached:
  `default` is workspace.db in the data directory (written by `import`); `sample` and `empty`
  and a `.json` file are loaded into memory, read-only; any other path is a SQLite file.

Full-text search uses FTS5 over text normalised by `text.terms`, so queries and documents
agree on stemming and synonyms. Related-record scoring is an IDF-weighted share of the
query's terms found in the record, which reads as "how much of this issue does that
record talk about" and gives a stable threshold for "same problem".
"""

from __future__ import annotations

import json
import logging
import math
import os
import secrets
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from .errors import UserError
from .models import Account, ChatThread, KBArticle, PastEscalation, Ticket, TrackerItem, Workspace
from .text import INDEX_VERSION, terms

RecordKind = Literal["account", "ticket", "tracker", "chat", "kb", "escalation"]
SEARCHABLE: tuple[RecordKind, ...] = ("ticket", "tracker", "chat", "kb")
MODEL: dict[str, type[BaseModel]] = {
    "account": Account, "ticket": Ticket, "tracker": TrackerItem, "chat": ChatThread, "kb": KBArticle,
    "escalation": PastEscalation,
}
WORKSPACE_FIELDS: dict[str, RecordKind] = {
    "accounts": "account", "tickets": "ticket", "tracker_items": "tracker", "chat_threads": "chat",
    "kb_articles": "kb", "escalations": "escalation",
}
log = logging.getLogger("customer_escalation.store")

COMMON_TERM_SHARE = 0.25  # terms in more than this share of records carry little signal
POSTINGS_BUDGET = 20_000  # postings one search walks for candidates, at most (past the two rarest terms)


WORKSPACE_DB = "workspace.db"  # the default workspace, in the data directory
EMPTY_WORKSPACE = (
    "the {name!r} workspace is empty and no system is connected, so there is no context to gather. Next: "
    "`customer-escalation import FILE` loads your accounts and tickets (format: `customer-escalation schema`), "
    "or connect a support platform, CRM, tracker, chat or knowledge base (CONNECTORS.md; `customer-escalation "
    "connectors` checks them), or try the bundled sample with `--workspace sample`"
)


class StoreError(UserError):
    """A store problem with a message a user can act on."""


class ImportError_(StoreError):
    """A workspace file that cannot be imported; nothing was changed."""


BUSY_TIMEOUT = 10.0  # seconds a write waits for another process's transaction before reporting the lock
_ENVIRONMENTAL = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_FULL", "SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_READONLY",
                  "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_PERM")


def _owner_only(path: Path) -> None:
    """Create a database file readable and writable by its owner only (SQLite gives its journal and WAL files the same
    mode); an existing file is left as it is."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError:
        pass  # it exists, or cannot be created: opening it says so, naming the file


def _text(value: bytes) -> str:
    """TEXT as stored. Bytes that are not UTF-8 (a damaged page) are kept as surrogates, which `loads` and the models
    refuse, so the damaged row is named and the others still read."""
    return value.decode("utf-8", "surrogateescape")


def loads(text: str) -> Any:
    """JSON stored by this package; None when it is damaged (not UTF-8, not JSON)."""
    try:
        return json.loads(text.encode("utf-8"))
    except (UnicodeEncodeError, ValueError, RecursionError):
        return None


def printable(value: Any, limit: int = 60) -> str:
    """A stored id as safe text for a message, even when the row holding it is damaged."""
    return str(value).encode("utf-8", "replace").decode("utf-8")[:limit]


def database_error(exc: sqlite3.Error, path: Path | str) -> StoreError | None:
    """A failure of the database file itself (locked, full, damaged, read-only, unreadable) as a StoreError that
    names the file and what to do; None for anything else (a bug, to be raised as it is)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if not name.startswith(_ENVIRONMENTAL):
        return None
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreError(f"{path} is locked: another process has held a write on it for over {BUSY_TIMEOUT:g}s. Retry in a "
                          "moment; if it persists, stop the other customer-escalation process using this data directory")
    if name.startswith("SQLITE_FULL"):
        return StoreError(f"no space left to write {path}; nothing from this change was saved. Free disk space there, "
                          "or set CUSTOMER_ESCALATION_HOME to a directory on a disk with space")
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return StoreError(f"{path} is damaged ({exc}). Move it aside (a new empty one is created on the next start) "
                          "or restore it from a backup")
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM")):
        return StoreError(f"{path} cannot be written ({exc}): give this user write access to it and its directory, or set "
                          "CUSTOMER_ESCALATION_HOME to a writable directory")
    return StoreError(f"{path} cannot be read or written ({exc}): check the disk and the file's permissions, or set "
                      "CUSTOMER_ESCALATION_HOME to another directory")


def searchable_text(kind: str, record: BaseModel) -> tuple[str, str]:
    """(title, body) of a record as indexed for search."""
    if isinstance(record, Ticket):
        body = " ".join([record.description, *(m.body for m in record.messages), " ".join(record.tags)])
        return record.subject, body
    if isinstance(record, TrackerItem):
        return record.title, f"{record.description} {record.team or ''}"
    if isinstance(record, ChatThread):
        return record.topic, " ".join(m.text for m in record.messages)
    if isinstance(record, KBArticle):
        return record.title, f"{record.body} {record.workaround or ''}"
    raise TypeError(kind)


def record_time(record: BaseModel) -> str | None:
    for attr in ("updated_at", "created_at"):
        value = getattr(record, attr, None)
        if value is not None:
            return value.astimezone(timezone.utc).isoformat()
    if isinstance(record, ChatThread) and record.messages:
        return max(m.created_at for m in record.messages).astimezone(timezone.utc).isoformat()
    return None


@dataclass
class Hit:
    kind: RecordKind
    record: Any
    score: float  # 0..1: IDF-weighted share of the query's terms found in the record
    matched: list[str]


_STATE_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, created_at TEXT NOT NULL, data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS drafts_by_age ON drafts (created_at);
"""

_WS_SCHEMA = """
CREATE TABLE IF NOT EXISTS ws.meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS ws.records (
    rowid INTEGER PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL, account_id TEXT,
    name TEXT, at TEXT, status TEXT, data TEXT NOT NULL, UNIQUE (kind, id)
);
CREATE INDEX IF NOT EXISTS ws.records_account ON records (kind, account_id, at);
CREATE INDEX IF NOT EXISTS ws.records_name ON records (kind, name COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS ws.df (kind TEXT NOT NULL, term TEXT NOT NULL, df INTEGER NOT NULL, PRIMARY KEY (kind, term));
CREATE TABLE IF NOT EXISTS ws.domains (domain TEXT NOT NULL, account_id TEXT NOT NULL, PRIMARY KEY (domain, account_id));
"""


class Store:
    """Thread-safe access to the state database and the attached workspace."""

    def __init__(self, home: Path, workspace: str = "default", *, clock: Callable[[], datetime] | None = None,
                 draft_days: float = 30.0):
        self.home = home
        # the caller's "now" for a draft's last use (its retention counts from it); the store never reads the wall clock
        self.clock = clock
        self.workspace_name = workspace
        self.draft_retention = timedelta(days=draft_days)
        home.mkdir(parents=True, exist_ok=True, mode=0o700)  # customer data: the owner's alone (under any umask)
        _owner_only(home / "state.db")
        self._lock = threading.RLock()
        self._derived: dict[str, Any] = {}  # values computed from this version of the workspace
        self._derived_version = -1
        self.state_path = home / "state.db"
        self.workspace_path: Path | None = None  # None: in memory
        try:
            self._db = sqlite3.connect(home / "state.db", check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT)
            self._db.text_factory = _text  # damaged bytes in one row must not fail the whole query: each row is checked
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
            self._db.executescript(_STATE_SCHEMA)
        except sqlite3.DatabaseError as exc:
            error = database_error(exc, self.state_path)
            if error is not None and "locked" in str(error):
                raise error from None
            raise StoreError(
                f"the state database {home / 'state.db'} cannot be opened ({exc}); move it aside or set "
                "CUSTOMER_ESCALATION_HOME to another directory"
            ) from None
        self.read_only, source = self._attach(workspace)
        if source is not None:
            self._load(source)

    # --- workspace ---------------------------------------------------------------------------
    def _attach(self, workspace: str) -> tuple[bool, Workspace | None]:
        if workspace in ("sample", "empty") or workspace.endswith(".json"):
            self._db.execute("ATTACH DATABASE ':memory:' AS ws")
            self._ws_schema()
            if workspace == "empty":
                return True, None
            if workspace == "sample":
                return True, load_sample()
            return True, read_workspace_file(Path(workspace))
        path = self.home / WORKSPACE_DB if workspace == "default" else Path(workspace).expanduser()
        if workspace != "default" and not path.exists():
            raise StoreError(
                f"workspace {workspace!r} not found: use 'sample', 'empty', 'default', a .json workspace file "
                "or an existing .db file"
            )
        if workspace == "default":
            _owner_only(path)
        try:
            self._db.execute("ATTACH DATABASE ? AS ws", (str(path),))
            tables = {r[0] for r in self._db.execute("SELECT name FROM ws.sqlite_master WHERE type = 'table'")}
            if tables and not {"meta", "records"} <= tables:  # someone else's database: add nothing to it
                self._db.execute("DETACH DATABASE ws")
                raise StoreError(f"{path} is a SQLite database but not a customer-escalation workspace; nothing was changed "
                                 "in it. Pass a workspace written by `customer-escalation import` (the 'default' one), or "
                                 "a .json workspace file")
            self._ws_schema()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"the workspace database {path} cannot be used ({exc}); move it aside and import the workspace "
                             "again, or pass --workspace with another file") from None
        self.workspace_path = path
        self._reindex_if_stale()
        return False, None

    def _reindex_if_stale(self) -> None:
        """Rebuild the search index of a stored workspace written with another version of the text normalisation."""
        with self._guard(self.workspace_path):
            row = self._db.execute("SELECT value FROM ws.meta WHERE key = 'index_version'").fetchone()
            if row and row[0] == str(INDEX_VERSION):
                return
            if not self._db.execute("SELECT 1 FROM ws.records LIMIT 1").fetchone():
                self._db.execute("INSERT OR REPLACE INTO ws.meta VALUES ('index_version', ?)", (str(INDEX_VERSION),))
                return
        with self.transaction(self.workspace_path) as db:
            for kind in SEARCHABLE:
                db.execute(f"DELETE FROM ws.fts_{kind}")
                for rowid, record_id, data in db.execute("SELECT rowid, id, data FROM ws.records WHERE kind = ?", (kind,)).fetchall():
                    record = self._record(kind, record_id, data)
                    if record is None:
                        continue
                    title, body = searchable_text(kind, record)
                    db.execute(f"INSERT INTO ws.fts_{kind} (rowid, title, body) VALUES (?, ?, ?)",
                               (rowid, " ".join(terms(title)), " ".join(terms(body))))
            self._refresh_statistics(db)

    def _ws_schema(self) -> None:
        self._db.executescript(_WS_SCHEMA)
        for kind in SEARCHABLE:
            self._db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS ws.fts_{kind} USING fts5(title, body, tokenize='unicode61')")
            self._db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS ws.vocab_{kind} USING fts5vocab(fts_{kind}, 'row')")

    @contextmanager
    def _guard(self, path: Path | str | None = None) -> Iterator[None]:
        """Hold the lock; report a failing database file (locked, full, damaged) as a StoreError naming it."""
        with self._lock:
            try:
                yield
            except sqlite3.DatabaseError as exc:
                error = database_error(exc, path or self.state_path)
                if error is None:
                    raise
                raise error from None

    def _ws_file(self) -> Path | str:
        return self.workspace_path or f"the in-memory {self.workspace_name!r} workspace"

    @contextmanager
    def transaction(self, path: Path | None = None) -> Iterator[sqlite3.Connection]:
        """All or nothing: a failure anywhere, the COMMIT included, rolls the whole change back."""
        with self._guard(path):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise

    def import_workspace(self, workspace: Workspace, *, replace: bool = False) -> dict[str, int]:
        """Load records (upsert by kind and id). All or nothing."""
        if self.read_only:
            raise StoreError(f"the {self.workspace_name!r} workspace is read-only; import into 'default' or a .db file")
        return self._load(workspace, replace=replace)

    def _load(self, workspace: Workspace, *, replace: bool = False) -> dict[str, int]:
        counts: dict[str, int] = {}
        self._derived_version = -1  # this connection's own writes leave data_version as it was
        with self.transaction(self.workspace_path) as db:
            if replace:
                db.execute("DELETE FROM ws.records")
                db.execute("DELETE FROM ws.domains")
                for kind in SEARCHABLE:
                    db.execute(f"DELETE FROM ws.fts_{kind}")
            for meta_key in ("company", "generated_at"):
                value = getattr(workspace, meta_key)
                if value is not None:
                    db.execute(
                        "INSERT OR REPLACE INTO ws.meta VALUES (?, ?)",
                        (meta_key, value.isoformat() if isinstance(value, datetime) else value),
                    )
            for field_name, kind in WORKSPACE_FIELDS.items():
                records = getattr(workspace, field_name)
                counts[field_name] = len(records)
                for record in records:
                    self._upsert(db, kind, record)
            self._refresh_statistics(db)
        return counts

    @staticmethod
    def _refresh_statistics(db: sqlite3.Connection) -> None:
        """Term document frequencies for scoring, and the normalisation version the index was built with."""
        for kind in SEARCHABLE:
            db.execute("DELETE FROM ws.df WHERE kind = ?", (kind,))
            db.execute(f"INSERT INTO ws.df SELECT ?, term, doc FROM ws.vocab_{kind}", (kind,))
        db.execute("INSERT OR REPLACE INTO ws.meta VALUES ('index_version', ?)", (str(INDEX_VERSION),))

    def _upsert(self, db: sqlite3.Connection, kind: RecordKind, record: Any) -> None:
        old = db.execute("SELECT rowid FROM ws.records WHERE kind = ? AND id = ?", (kind, record.id)).fetchone()
        if old and kind in SEARCHABLE:
            db.execute(f"DELETE FROM ws.fts_{kind} WHERE rowid = ?", (old[0],))
        account_id = record.id if kind == "account" else getattr(record, "account_id", None)
        name = getattr(record, "name", None)
        status = getattr(record, "status", None)
        data = record.model_dump_json()
        if old:
            rowid = old[0]
            db.execute(
                "UPDATE ws.records SET account_id=?, name=?, at=?, status=?, data=? WHERE rowid=?",
                (account_id, name, record_time(record), status, data, rowid),
            )
        else:
            rowid = db.execute(
                "INSERT INTO ws.records (kind, id, account_id, name, at, status, data) VALUES (?,?,?,?,?,?,?)",
                (kind, record.id, account_id, name, record_time(record), status, data),
            ).lastrowid
        if kind == "account":
            db.execute("DELETE FROM ws.domains WHERE account_id = ?", (record.id,))
            for domain in record.domains:
                db.execute("INSERT OR IGNORE INTO ws.domains VALUES (?, ?)", (domain.lower(), record.id))
        if kind in SEARCHABLE:
            title, body = searchable_text(kind, record)
            db.execute(
                f"INSERT INTO ws.fts_{kind} (rowid, title, body) VALUES (?, ?, ?)",
                (rowid, " ".join(terms(title)), " ".join(terms(body))),
            )

    def meta(self, key: str) -> str | None:
        with self._guard(self._ws_file()):
            row = self._db.execute("SELECT value FROM ws.meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def clock_reference(self) -> datetime | None:
        """The workspace's own 'now' (sample and exported files carry generated_at)."""
        value = self.meta("generated_at") if self.read_only else None
        if not value:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            log.warning("the workspace's generated_at in %s is damaged; the real clock is used", self._ws_file())
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)

    def is_empty(self) -> bool:
        """No record of any kind (a new default store, before `import`)."""
        return self.derived("empty", lambda: self._db.execute("SELECT 1 FROM ws.records LIMIT 1").fetchone() is None)

    def counts(self) -> dict[str, int]:
        with self._guard(self._ws_file()):
            return dict(self._db.execute("SELECT kind, count(*) FROM ws.records GROUP BY kind").fetchall())

    # --- reads -------------------------------------------------------------------------------
    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        with self._guard(self._ws_file()):
            return self._db.execute(sql, tuple(params)).fetchall()

    def _record(self, kind: RecordKind, record_id: str, data: str) -> Any | None:
        """A stored record, or None (logged, naming it) when its stored data is damaged: the other records still read."""
        try:
            return MODEL[kind].model_validate_json(data)
        except ValidationError:
            log.warning("%s record %s in %s is damaged and was left out; import the workspace again to repair it",
                        kind, printable(record_id), self._ws_file())
            return None

    def _records(self, kind: RecordKind, rows: Iterable[tuple]) -> list[Any]:
        """(id, data) rows as records, damaged ones left out."""
        return [r for r in (self._record(kind, record_id, data) for record_id, data in rows) if r is not None]

    def get(self, kind: RecordKind, record_id: str) -> Any | None:
        found = self._records(kind, self._rows("SELECT id, data FROM ws.records WHERE kind = ? AND id = ?", (kind, record_id)))
        return found[0] if found else None

    def all(self, kind: RecordKind) -> list[Any]:
        return self._records(kind, self._rows("SELECT id, data FROM ws.records WHERE kind = ?", (kind,)))

    def find_accounts(self, name_or_domain: str) -> list[Account]:
        """Exact id, name or domain first; then names containing every word given."""
        q = name_or_domain.strip()
        if not q:
            return []
        exact = self._rows(
            "SELECT id, data FROM ws.records WHERE kind='account' AND (id = ? OR name = ? COLLATE NOCASE) "
            "UNION SELECT r.id, r.data FROM ws.domains d JOIN ws.records r ON r.kind='account' AND r.id = d.account_id "
            "WHERE d.domain = ?",
            (q, q, q.lower().removeprefix("www.")),
        )
        if exact:
            return self._records("account", exact)
        tokens = [t for t in q.lower().replace(",", " ").split() if t not in {"inc", "inc.", "ltd", "llc", "corp", "the"}] or [q.lower()]
        clause = " AND ".join("lower(name) LIKE ? ESCAPE '\\'" for _ in tokens)
        like = ["%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for t in tokens]
        rows = self._rows(f"SELECT id, data FROM ws.records WHERE kind='account' AND {clause} ORDER BY name LIMIT 10", like)
        return self._records("account", rows)

    def accounts_where(self, plan: str | None = None) -> list[Account]:
        accounts = self.all("account")
        return [a for a in accounts if plan is None or (a.plan or "").lower() == plan.lower()]

    def records_for_account(self, kind: RecordKind, account_id: str, limit: int = 50) -> list[Any]:
        rows = self._rows(
            "SELECT id, data FROM ws.records WHERE kind = ? AND account_id = ? ORDER BY at DESC LIMIT ?",
            (kind, account_id, limit),
        )
        return self._records(kind, rows)

    def count_for_account(self, kind: RecordKind, account_id: str) -> int:
        return self._rows("SELECT count(*) FROM ws.records WHERE kind = ? AND account_id = ?", (kind, account_id))[0][0]

    def derived(self, key: str, compute: Callable[[], Any]) -> Any:
        """`compute()` once per version of the workspace: counts, the account list, normalised names."""
        with self._lock:
            version = self._db.execute("PRAGMA ws.data_version").fetchone()[0]
            if version != self._derived_version:
                self._derived, self._derived_version = {}, version
            if key not in self._derived:
                self._derived[key] = compute()
            return self._derived[key]

    def _total(self, kind: RecordKind) -> int:
        """Records of a kind (counting 100k rows costs milliseconds, so once per workspace version)."""
        return self.derived(f"total:{kind}", lambda: self._db.execute(
            "SELECT count(*) FROM ws.records WHERE kind = ?", (kind,)).fetchone()[0])

    def accounts(self) -> list[Account]:
        """Every account, read once per workspace version (callers must not modify the list)."""
        return self.derived("accounts", lambda: self.all("account"))

    def search(
        self, kind: RecordKind, query_terms: list[str], *, limit: int = 20, account_id: str | None = None,
        min_score: float = 0.0,
    ) -> list[Hit]:
        """Records of `kind` that talk about the query's terms, best first."""
        if kind not in SEARCHABLE:
            raise ValueError(kind)
        distinct = list(dict.fromkeys(t for t in query_terms if t))
        if not distinct:
            return []
        with self._guard(self._ws_file()):
            total = self._total(kind)
            if not total:
                return []
            marks = ",".join("?" * len(distinct))
            df = dict(self._db.execute(f"SELECT term, df FROM ws.df WHERE kind = ? AND term IN ({marks})", (kind, *distinct)).fetchall())
            present = [t for t in distinct if df.get(t)]
            if not present:
                return []
            idf = {t: math.log(1 + (total - df[t] + 0.5) / (df[t] + 0.5)) for t in present}
            # a term no record contains cannot tell records apart, but the issue is still partly about
            # it: it counts against every record at half weight, so a query's common words alone never match
            absent_weight = 0.5 * math.log(1 + (total + 0.5) / 0.5)
            weight_total = sum(idf.values()) + absent_weight * (len(distinct) - len(present))
            # common terms count towards the score but are not worth a posting-list walk
            selective = [t for t in present if total < 50 or df[t] / total <= COMMON_TERM_SHARE] or sorted(present, key=df.__getitem__)[:2]
            # and in a large workspace, the rarest of them up to a posting budget: the rest still count in the score
            walk: list[str] = []
            for t in sorted(selective, key=df.__getitem__):
                if len(walk) >= 2 and sum(df[w] for w in walk) + df[t] > POSTINGS_BUDGET:
                    break
                walk.append(t)
            # candidates: records holding a selective term, ranked by the summed IDF of those they hold (the score
            # itself, less the common terms); summing posting lists costs half of ranking their union with bm25()
            walks = " UNION ALL ".join(f"SELECT rowid AS r, ? AS w FROM ws.fts_{kind} WHERE fts_{kind} MATCH ?" for _ in walk)
            params: list[Any] = [v for t in walk for v in (idf[t], '"' + t.replace('"', '""') + '"')]
            sql = f"SELECT r, sum(w) AS s FROM ({walks}) GROUP BY r"
            if account_id is not None:
                sql = f"SELECT p.r, p.s FROM ({sql}) p JOIN ws.records rec ON rec.rowid = p.r AND rec.account_id = ?"
                params.append(account_id)
            params.append(max(limit * 2, 40))  # ranked by the score less common terms: twice the limit leaves room for them
            ranked = [r for r, _ in self._db.execute(sql + " ORDER BY s DESC, r DESC LIMIT ?", params)]
            if not ranked:
                return []
            texts = dict((r, (title, body)) for r, title, body in self._db.execute(
                f"SELECT rowid, title, body FROM ws.fts_{kind} WHERE rowid IN ({','.join('?' * len(ranked))})", ranked))
            scored = []
            for rowid in ranked:
                title, body = texts[rowid]
                words = title.split() + body.split()
                doc_terms = set(words)
                matched = [t for t in present if t in doc_terms]
                score = sum(idf[t] for t in matched) / weight_total
                if len(matched) < 2 <= len(distinct) - 1:
                    score *= 0.5  # one shared word is not the same problem
                if score >= min_score:
                    scored.append((score, len(words), rowid, matched))
            scored.sort(key=lambda s: (-s[0], s[1]))  # equal scores: the shorter record is more about the issue
            scored = scored[:limit]
            if not scored:
                return []
            data = {rowid: (record_id, raw) for rowid, record_id, raw in self._db.execute(
                f"SELECT rowid, id, data FROM ws.records WHERE rowid IN ({','.join('?' * len(scored))})", [s[2] for s in scored]
            ).fetchall()}
        hits = [(self._record(kind, *data[rowid]), score, matched) for score, _, rowid, matched in scored if rowid in data]
        return [Hit(kind, record, round(score, 3), matched) for record, score, matched in hits if record is not None]

    # --- drafts --------------------------------------------------------------------------------
    def save_draft(self, kind: str, data: dict[str, Any], draft_id: str | None = None) -> str:
        """Save a draft (`created_at` is its last use, by the caller's clock). A new one first deletes the drafts unused for
        `draft_days`, so the database stops growing with every brief; a filed escalation keeps its brief in the log, not
        in its draft. A store given no clock (tools, benchmarks) stamps no time and deletes nothing."""
        now = self.clock() if self.clock else None
        new = draft_id is None
        draft_id = draft_id or f"esc_{secrets.token_hex(6)}"
        with self.transaction() as db:
            if new and now is not None:
                db.execute("DELETE FROM drafts WHERE created_at < ?", ((now - self.draft_retention).isoformat(),))
            db.execute("INSERT OR REPLACE INTO drafts VALUES (?, ?, ?, ?)",
                       (draft_id, kind, now.isoformat() if now else "", json.dumps(data, default=str)))
        return draft_id

    def load_draft(self, draft_id: str) -> dict[str, Any] | None:
        rows = self._rows_state("SELECT data FROM drafts WHERE id = ?", (draft_id,))
        if not rows:
            return None
        data = loads(rows[0][0])
        if not isinstance(data, dict):
            raise self.damaged(f"draft {printable(draft_id)}", "call gather_context again to start a new draft")
        return data

    def damaged(self, what: str, fix: str) -> StoreError:
        """The error for one damaged record of the state database: names it, the file, and what to do."""
        return StoreError(f"{what} in {self.state_path} is damaged (its stored data is not valid) and cannot be read; {fix}, "
                          "or restore the file from a backup")

    def _rows_state(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        with self._guard():
            return self._db.execute(sql, tuple(params)).fetchall()

    @property
    def connection(self) -> sqlite3.Connection:
        """For modules that keep their own tables in the state database (use with `transaction`)."""
        return self._db

    def close(self) -> None:
        with self._lock:
            self._db.close()


# --- workspace files ---------------------------------------------------------------------------


def load_sample() -> Workspace:
    data = resources.files("customer_escalation").joinpath("data/sample_workspace.json").read_text(encoding="utf-8")
    return Workspace.model_validate_json(data)


def describe_validation_error(exc: ValidationError, data: Any = None) -> str:
    """Name the record (by list, index and id) and the field for each problem."""
    lines = []
    for err in exc.errors()[:10]:
        loc = list(err["loc"])
        where = []
        if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(data, dict):
            try:
                rid = data[loc[0]][loc[1]].get("id")
            except (KeyError, IndexError, TypeError, AttributeError):
                rid = None
            where.append(f"{loc[0]}[{loc[1]}]" + (f" (id {rid!r})" if rid is not None else ""))
            rest = loc[2:]
        else:
            rest = loc
        if rest:
            where.append("field " + ".".join(str(p) for p in rest))
        lines.append(f"- {', '.join(where) or 'top level'}: {err['msg']}")
    more = len(exc.errors()) - 10
    if more > 0:
        lines.append(f"- … and {more} more problems")
    return "\n".join(lines)


def read_workspace_file(path: Path) -> Workspace:
    """Parse and validate a workspace file, with errors that name the record and field."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ImportError_(f"{path}: file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ImportError_(f"{path}: cannot be read as UTF-8 text ({type(exc).__name__})") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ImportError_(f"{path}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    if not isinstance(data, dict):
        raise ImportError_(f"{path}: a workspace file is a JSON object with lists such as 'accounts' and 'tickets'")
    try:
        workspace = Workspace.model_validate(data)
    except ValidationError as exc:
        raise ImportError_(f"{path}: the workspace file has problems; nothing was imported:\n{describe_validation_error(exc, data)}") from None
    problems = check_references(workspace)
    if problems:
        raise ImportError_(f"{path}: the workspace file has problems; nothing was imported:\n" + "\n".join(problems))
    return workspace


def check_references(workspace: Workspace) -> list[str]:
    """Duplicate ids and references to accounts that are not in the file or the store."""
    problems = []
    for field_name in WORKSPACE_FIELDS:
        seen: set[str] = set()
        for i, record in enumerate(getattr(workspace, field_name)):
            if record.id in seen:
                problems.append(f"- {field_name}[{i}] (id {record.id!r}): duplicate id")
            seen.add(record.id)
    return problems[:20]
