"""The embedded default store: one SQLite state database (drafts, the escalation log) in the data directory, with the
workspace attached as schema `ws`. `default` is workspace.db in the data directory (written by `import`); `sample`,
`empty` and a `.json` file are loaded into memory, read-only; any other path is a SQLite file. Search uses FTS5 over
text normalised by `text.terms`, so queries and documents agree on stemming and synonyms."""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime
from pathlib import Path
from typing import Any

from ..models import Workspace
from ..text import INDEX_VERSION
from .common import SEARCHABLE, WORKSPACE_DB, WORKSPACE_FIELDS, RecordKind, SearchPlan, StoreError, indexed_terms, record_columns
from .files import load_sample, read_workspace_file
from .workspace import WorkspaceBackend

BUSY_TIMEOUT = 10.0  # seconds a write waits for another process's transaction before reporting the lock
_ENVIRONMENTAL = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_FULL", "SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_READONLY",
                  "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_PERM")

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


def owner_only(path: Path) -> None:
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


class SqliteDatabase:
    """One SQLite connection shared by the threads of a process, behind a lock; a failing file becomes a StoreError."""

    dialect = "sqlite"

    def __init__(self, path: Path | str, *, memory: bool = False):
        self.location: Path | str = path
        self.lock = threading.RLock()
        self._writers = threading.Lock()  # this process's writers queue here, not holding the connection's lock
        self._write_lock_file: int | None = None
        if memory:  # the state lives elsewhere: this connection only carries an in-memory workspace
            self.db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            return
        try:
            self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=BUSY_TIMEOUT)
            self.db.text_factory = _text  # damaged bytes in one row must not fail the whole query: each row is checked
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
            self.db.executescript(_STATE_SCHEMA)
            self._write_lock_file = os.open(f"{path}.writer", os.O_CREAT | os.O_RDWR, 0o600)
        except OSError:
            self._write_lock_file = None  # a read-only directory: SQLite's own locking alone
        except sqlite3.DatabaseError as exc:
            error = database_error(exc, path)
            if error is not None and "locked" in str(error):
                raise error from None
            raise StoreError(f"the state database {path} cannot be opened ({exc}); move it aside or set "
                             "CUSTOMER_ESCALATION_HOME to another directory") from None

    @contextmanager
    def guard(self, path: Path | str | None = None) -> Iterator[None]:
        """Hold the lock; report a failing database file (locked, full, damaged) as a StoreError naming it."""
        with self.lock:
            try:
                yield
            except sqlite3.DatabaseError as exc:
                error = database_error(exc, path or self.location)
                if error is None:
                    raise
                raise error from None

    @contextmanager
    def transaction(self, path: Path | str | None = None, *, write: bool = True) -> Iterator[sqlite3.Connection]:
        """All or nothing: a failure anywhere, the COMMIT included, rolls the whole change back. A write transaction
        takes the write lock at once (BEGIN IMMEDIATE); a read sees one snapshot of the WAL."""
        with self._writer() if write else nullcontext(), self.guard(path):
            self.db.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                yield self.db
                self.db.execute("COMMIT")
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise

    @contextmanager
    def _writer(self) -> Iterator[None]:
        """Writers of every process using this file take turns on an OS lock, which wakes the next one the moment it is
        released (SQLite's busy handler polls, sleeping up to 100 ms a try, with this process's connection held)."""
        with self._writers:
            if self._write_lock_file is None:
                yield
                return
            fcntl.flock(self._write_lock_file, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(self._write_lock_file, fcntl.LOCK_UN)

    def close(self) -> None:
        with self.lock:
            self.db.close()
            if self._write_lock_file is not None:
                os.close(self._write_lock_file)
                self._write_lock_file = None


class SqliteWorkspace(WorkspaceBackend):
    """The workspace as schema `ws` of a SQLite connection, indexed with FTS5."""

    TABLES = {"records": "ws.records", "domains": "ws.domains", "meta": "ws.meta", "df": "ws.df", "key": "rowid"}

    def __init__(self, database: SqliteDatabase, home: Path, workspace: str):
        self.database = database
        self.db = database.db
        source: Workspace | None = None
        if workspace in ("sample", "empty") or workspace.endswith(".json"):
            self.db.execute("ATTACH DATABASE ':memory:' AS ws")
            self._schema()
            if workspace != "empty":
                source = load_sample() if workspace == "sample" else read_workspace_file(Path(workspace))
            super().__init__(workspace, read_only=True, location=None)
        else:
            path = self._attach_file(home, workspace)
            super().__init__(workspace, read_only=False, location=path)
            self._reindex_if_stale()
        self._lock = database.lock
        if source is not None:
            self.load(source)

    def _attach_file(self, home: Path, workspace: str) -> Path:
        path = home / WORKSPACE_DB if workspace == "default" else Path(workspace).expanduser()
        if workspace != "default" and not path.exists():
            raise StoreError(f"workspace {workspace!r} not found: use 'sample', 'empty', 'default', a .json workspace file "
                             "or an existing .db file")
        if workspace == "default":
            owner_only(path)
        try:
            self.db.execute("ATTACH DATABASE ? AS ws", (str(path),))
            tables = {r[0] for r in self.db.execute("SELECT name FROM ws.sqlite_master WHERE type = 'table'")}
            if tables and not {"meta", "records"} <= tables:  # someone else's database: add nothing to it
                self.db.execute("DETACH DATABASE ws")
                raise StoreError(f"{path} is a SQLite database but not a customer-escalation workspace; nothing was changed "
                                 "in it. Pass a workspace written by `customer-escalation import` (the 'default' one), or "
                                 "a .json workspace file")
            self._schema()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"the workspace database {path} cannot be used ({exc}); move it aside and import the workspace "
                             "again, or pass --workspace with another file") from None
        return path

    def _schema(self) -> None:
        self.db.executescript(_WS_SCHEMA)
        for kind in SEARCHABLE:
            self.db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS ws.fts_{kind} USING fts5(title, body, tokenize='unicode61')")
            self.db.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS ws.vocab_{kind} USING fts5vocab(fts_{kind}, 'row')")

    def _reading(self) -> Any:
        return self.database.guard(self._where)

    def _query(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        return self.db.execute(sql, params).fetchall()

    def _version(self) -> Any:
        return self.db.execute("PRAGMA ws.data_version").fetchone()[0]

    def _reindex_if_stale(self) -> None:
        """Rebuild the search index of a stored workspace written with another version of the text normalisation."""
        with self.database.guard(self._where):
            row = self.db.execute("SELECT value FROM ws.meta WHERE key = 'index_version'").fetchone()
            if row and row[0] == str(INDEX_VERSION):
                return
            if not self.db.execute("SELECT 1 FROM ws.records LIMIT 1").fetchone():
                self.db.execute("INSERT OR REPLACE INTO ws.meta VALUES ('index_version', ?)", (str(INDEX_VERSION),))
                return
        with self.database.transaction(self._where) as db:
            for kind in SEARCHABLE:
                db.execute(f"DELETE FROM ws.fts_{kind}")
                for rowid, record_id, data in db.execute("SELECT rowid, id, data FROM ws.records WHERE kind = ?", (kind,)).fetchall():
                    record = self._record(kind, record_id, data)
                    if record is not None:
                        db.execute(f"INSERT INTO ws.fts_{kind} (rowid, title, body) VALUES (?, ?, ?)", (rowid, *indexed_terms(kind, record)))
            self._refresh_statistics(db)

    def load(self, workspace: Workspace, *, replace: bool = False) -> dict[str, int]:
        """Load records (upsert by kind and id). All or nothing."""
        counts: dict[str, int] = {}
        self._derived_version = None  # this connection's own writes leave data_version as it was
        with self.database.transaction(self.path) as db:  # in memory: the write lock is the state database's
            if replace:
                db.execute("DELETE FROM ws.records")
                db.execute("DELETE FROM ws.domains")
                for kind in SEARCHABLE:
                    db.execute(f"DELETE FROM ws.fts_{kind}")
            for meta_key in ("company", "generated_at"):
                value = getattr(workspace, meta_key)
                if value is not None:
                    db.execute("INSERT OR REPLACE INTO ws.meta VALUES (?, ?)",
                               (meta_key, value.isoformat() if isinstance(value, datetime) else value))
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
        columns = record_columns(kind, record)
        if old:
            rowid = old[0]
            db.execute("UPDATE ws.records SET account_id=?, name=?, at=?, status=?, data=? WHERE rowid=?", (*columns, rowid))
        else:
            rowid = db.execute("INSERT INTO ws.records (kind, id, account_id, name, at, status, data) VALUES (?,?,?,?,?,?,?)",
                               (kind, record.id, *columns)).lastrowid
        if kind == "account":
            db.execute("DELETE FROM ws.domains WHERE account_id = ?", (record.id,))
            for domain in record.domains:
                db.execute("INSERT OR IGNORE INTO ws.domains VALUES (?, ?)", (domain.lower(), record.id))
        if kind in SEARCHABLE:
            db.execute(f"INSERT INTO ws.fts_{kind} (rowid, title, body) VALUES (?, ?, ?)", (rowid, *indexed_terms(kind, record)))

    def _walk(self, kind: RecordKind, plan: SearchPlan, account_id: str | None, count: int) -> list[Any]:
        # candidates: records holding a selective term, ranked by the summed IDF of those they hold (the score
        # itself, less the common terms); summing posting lists costs half of ranking their union with bm25()
        walks = " UNION ALL ".join(f"SELECT rowid AS r, ? AS w FROM ws.fts_{kind} WHERE fts_{kind} MATCH ?" for _ in plan.walk)
        params: list[Any] = [v for t in plan.walk for v in (plan.idf[t], '"' + t.replace('"', '""') + '"')]
        sql = f"SELECT r, sum(w) AS s FROM ({walks}) GROUP BY r"
        if account_id is not None:
            sql = f"SELECT p.r, p.s FROM ({sql}) p JOIN ws.records rec ON rec.rowid = p.r AND rec.account_id = ?"
            params.append(account_id)
        params.append(count)
        return [r for r, _ in self.db.execute(sql + " ORDER BY s DESC, r DESC LIMIT ?", params)]

    def _texts(self, kind: RecordKind, keys: list[Any]) -> dict[Any, tuple[str, str]]:
        return {r: (title, body) for r, title, body in self.db.execute(
            f"SELECT rowid, title, body FROM ws.fts_{kind} WHERE rowid IN ({','.join('?' * len(keys))})", keys)}
