"""A store several hosts share, on PostgreSQL (psycopg 3; the `postgres` extra).

Drafts, the escalation log and the imported `default` workspace live in one database, in the schema the URL's
search_path names (`public` unless `?options=-csearch_path%3DNAME`). Every write transaction first takes one advisory
lock per schema, so writers on any number of hosts are serialised as SQLite serialises them on one disk; a change is
acknowledged only after PostgreSQL has committed it. Search is PostgreSQL full-text search: each record's terms (the
same normalised terms the SQLite index holds) as a tsvector with a GIN index, document frequencies from ts_stat, and
the ranking shared with the SQLite store (`common.score`). The bundled `sample`, `empty` and `.json` workspaces are
read into memory on each host (SQLite in memory), as with the embedded store.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..models import Workspace
from ..text import INDEX_VERSION
from .common import SEARCHABLE, WORKSPACE_FIELDS, RecordKind, SearchPlan, StoreError, index_tokens, indexed_terms, record_columns
from .sqlite import SqliteDatabase, SqliteWorkspace
from .workspace import WorkspaceBackend

CONNECT_TIMEOUT = 10  # seconds to reach the server before reporting it unreachable
MAX_LEXEME = 2000  # bytes: PostgreSQL refuses longer words in a tsvector (a pasted token, not a word to search by)
_SECRET_PARAMS = {"password", "sslpassword", "passfile"}
_WRITE_LOCK = "SELECT pg_advisory_xact_lock(hashtext('customer-escalation:' || current_schema()))"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS drafts (id TEXT PRIMARY KEY, kind TEXT NOT NULL, created_at TEXT NOT NULL, data TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS drafts_by_age ON drafts (created_at)",
    "CREATE TABLE IF NOT EXISTS ws_meta (key TEXT PRIMARY KEY, value TEXT)",
    """CREATE TABLE IF NOT EXISTS ws_records (
        rid BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL, account_id TEXT, name TEXT,
        at TEXT, status TEXT, data TEXT NOT NULL, title_terms TEXT NOT NULL DEFAULT '', body_terms TEXT NOT NULL DEFAULT '',
        tsv TSVECTOR NOT NULL DEFAULT ''::tsvector, UNIQUE (kind, id))""",
    "CREATE INDEX IF NOT EXISTS ws_records_account ON ws_records (kind, account_id, at)",
    "CREATE INDEX IF NOT EXISTS ws_records_name ON ws_records (kind, lower(name))",
    "CREATE INDEX IF NOT EXISTS ws_records_tsv ON ws_records USING gin (tsv)",
    "CREATE TABLE IF NOT EXISTS ws_df (kind TEXT NOT NULL, term TEXT NOT NULL, df INTEGER NOT NULL, PRIMARY KEY (kind, term))",
    "CREATE TABLE IF NOT EXISTS ws_domains (domain TEXT NOT NULL, account_id TEXT NOT NULL, PRIMARY KEY (domain, account_id))",
)
_UPSERT = (
    "INSERT INTO ws_records (kind, id, account_id, name, at, status, data, title_terms, body_terms, tsv) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, array_to_tsvector(%s::text[])) ON CONFLICT (kind, id) DO UPDATE SET "
    "account_id = excluded.account_id, name = excluded.name, at = excluded.at, status = excluded.status, data = excluded.data, "
    "title_terms = excluded.title_terms, body_terms = excluded.body_terms, tsv = excluded.tsv"
)


def redact_url(url: str) -> str:
    """The URL as it may be shown: the password (in the authority or the query) replaced by ***."""
    try:
        parts = urlsplit(url.strip())
        netloc = parts.netloc
        if "@" in netloc:
            userinfo, _, hostport = netloc.rpartition("@")
            user, has_password, _ = userinfo.partition(":")
            netloc = f"{user}{':***' if has_password else ''}@{hostport}"
        query = urlencode([(k, "***" if k.lower() in _SECRET_PARAMS else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)],
                          safe="*=%")
        return urlunsplit((parts.scheme, netloc, parts.path, query, ""))
    except ValueError:
        return "postgresql://*** (a URL that cannot be read)"


def _secrets_of(url: str) -> list[str]:
    try:
        parts = urlsplit(url.strip())
        found = [parts.password or ""] + [v for k, v in parse_qsl(parts.query) if k.lower() in _SECRET_PARAMS]
    except ValueError:
        return [url]
    return [s for s in found if s]


def _reason(exc: BaseException, url: str) -> str:
    """The driver's message, first line, with anything secret from the URL taken out."""
    text = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    for secret in _secrets_of(url):
        text = text.replace(secret, "***")
    return text.removeprefix("connection failed: ")


def _driver() -> Any:
    try:
        import psycopg
    except ImportError:
        raise StoreError("a postgresql:// store needs the PostgreSQL driver, which is not installed: "
                         "pip install 'customer-escalation[postgres]' (or uv tool install 'customer-escalation[postgres]')") from None
    return psycopg


class _Statements:
    """A connection inside a transaction, taking the `?` placeholders the store's SQL is written with."""

    def __init__(self, conn: Any):
        self.conn = conn

    def execute(self, sql: str, params: Any = ()) -> Any:
        return self.conn.execute(sql.replace("?", "%s"), tuple(params))

    def executemany(self, sql: str, rows: Any) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(sql.replace("?", "%s"), rows)


class PostgresDatabase:
    """One connection per process, shared by its threads behind a lock, reopened when the server dropped it."""

    dialect = "postgresql"

    def __init__(self, url: str):
        self.psycopg = _driver()
        self.url = url
        self.location = redact_url(url)
        self.lock = threading.RLock()
        self._conn: Any = None
        try:
            self.psycopg.conninfo.conninfo_to_dict(url)
            if urlsplit(url).port == 0:  # reading the port refuses one that is not a number
                raise ValueError("port 0")
        except (self.psycopg.ProgrammingError, ValueError):
            raise StoreError(f"the store URL {self.location} is not a valid PostgreSQL URL: write it as "
                             "postgresql://USER:PASSWORD@HOST:5432/DATABASE") from None
        with self.transaction() as db:
            for statement in _SCHEMA:
                db.execute(statement)

    def _connection(self) -> Any:
        if self._conn is None or self._conn.closed or self._conn.broken:
            try:
                self._conn = self.psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT,
                                                  application_name="customer-escalation")
            except self.psycopg.Error as exc:
                raise StoreError(f"cannot connect to the PostgreSQL store at {self.location}: {_reason(exc, self.url)}. Check "
                                 "that the server runs and accepts connections from this host, and the user, password and "
                                 "database in the URL (--store or $CUSTOMER_ESCALATION_STORE)") from None
        return self._conn

    @contextmanager
    def guard(self) -> Iterator[Any]:
        """Hold the lock and the connection; a failing server or connection becomes a StoreError naming the store."""
        with self.lock:
            conn = self._connection()
            try:
                yield conn
            except (self.psycopg.OperationalError, self.psycopg.InterfaceError) as exc:
                raise StoreError(f"the PostgreSQL store at {self.location} failed: {_reason(exc, self.url)}. Nothing from "
                                 "this change was saved unless it says otherwise; retry in a moment") from None

    @contextmanager
    def transaction(self, path: Path | str | None = None, *, write: bool = True) -> Iterator[_Statements]:
        """All or nothing; a write first waits for the store's write lock (one writer at a time, on every host)."""
        with self.guard() as conn, conn.transaction():
            if write:
                conn.execute(_WRITE_LOCK)
            yield _Statements(conn)

    @contextmanager
    def reading(self) -> Iterator[Any]:
        """Reads that belong together see one snapshot (nested reads join the outer one)."""
        with self.guard() as conn:
            if conn.info.transaction_status != self.psycopg.pq.TransactionStatus.IDLE:
                yield conn
                return
            with conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                yield conn

    def close(self) -> None:
        with self.lock:
            if self._conn is not None:
                self._conn.close()


class PostgresWorkspace(WorkspaceBackend):
    """The imported workspace in PostgreSQL, shared by every host using the store."""

    TABLES = {"records": "ws_records", "domains": "ws_domains", "meta": "ws_meta", "df": "ws_df", "key": "rid"}
    NOCASE = "lower({col}) = lower(?)"
    BINARY = ' COLLATE "C"'

    def __init__(self, database: PostgresDatabase):
        super().__init__("default", read_only=False, location=database.location)
        self.database = database
        self._lock = database.lock
        self._reindex_if_stale()

    def _reading(self) -> Any:
        return self.database.reading()

    def _query(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with self.database.guard() as conn:  # one statement: in the reads' snapshot when inside one, else on its own
            return list(conn.execute(sql.replace("?", "%s"), params).fetchall())

    def _version(self) -> Any:
        return self.meta("version")

    def _walk(self, kind: RecordKind, plan: SearchPlan, account_id: str | None, count: int) -> list[Any]:
        walks = " UNION ALL ".join("SELECT rid AS r, ?::float8 AS w FROM ws_records WHERE kind = ? AND tsv @@ ?::tsquery" for _ in plan.walk)
        params: list[Any] = [v for t in plan.walk for v in (plan.idf[t], kind, "'" + t.replace("\\", "\\\\").replace("'", "''") + "'")]
        sql = f"SELECT r, sum(w) AS s FROM ({walks}) x GROUP BY r"
        if account_id is not None:
            sql = f"SELECT p.r, p.s FROM ({sql}) p JOIN ws_records rec ON rec.rid = p.r AND rec.account_id = ?"
            params.append(account_id)
        params.append(count)
        return [r for r, _ in self._query(sql + " ORDER BY s DESC, r DESC LIMIT ?", tuple(params))]

    def _texts(self, kind: RecordKind, keys: list[Any]) -> dict[Any, tuple[str, str]]:
        marks = ",".join("?" * len(keys))
        return {r: (title, body) for r, title, body in self._query(
            f"SELECT rid, title_terms, body_terms FROM ws_records WHERE rid IN ({marks})", tuple(keys))}

    def load(self, workspace: Workspace, *, replace: bool = False) -> dict[str, int]:
        """Load records (upsert by kind and id), in batches. All or nothing."""
        counts: dict[str, int] = {}
        with self.database.transaction() as db:
            if replace:
                db.execute("DELETE FROM ws_records")
                db.execute("DELETE FROM ws_domains")
            for meta_key in ("company", "generated_at"):
                value = getattr(workspace, meta_key)
                if value is not None:
                    _set_meta(db, meta_key, value.isoformat() if isinstance(value, datetime) else value)
            for field_name, kind in WORKSPACE_FIELDS.items():
                records = getattr(workspace, field_name)
                counts[field_name] = len(records)
                db.executemany(_UPSERT, [_row(kind, record) for record in records])
                if kind == "account" and records:
                    db.execute("DELETE FROM ws_domains WHERE account_id = ANY(?)", ([r.id for r in records],))
                    db.executemany("INSERT INTO ws_domains VALUES (?, ?) ON CONFLICT DO NOTHING",
                                   [(d.lower(), r.id) for r in records for d in r.domains])
            self._refresh_statistics(db)
        return counts

    @staticmethod
    def _refresh_statistics(db: _Statements) -> None:
        """Term document frequencies (ts_stat), the normalisation version, and a new workspace version."""
        db.execute("DELETE FROM ws_df")
        for kind in SEARCHABLE:
            db.execute(f"INSERT INTO ws_df SELECT '{kind}', word, ndoc FROM ts_stat('SELECT tsv FROM ws_records WHERE kind = ''{kind}''')")
        _set_meta(db, "index_version", str(INDEX_VERSION))
        db.execute("INSERT INTO ws_meta VALUES ('version', '1') ON CONFLICT (key) DO UPDATE SET value = (ws_meta.value::bigint + 1)::text")

    def _reindex_if_stale(self) -> None:
        """Rebuild the search index of a workspace written with another version of the text normalisation."""
        if self.meta("index_version") == str(INDEX_VERSION):
            return
        with self.database.transaction() as db:
            rows = db.execute("SELECT rid, kind, id, data FROM ws_records WHERE kind = ANY(?)", (list(SEARCHABLE),)).fetchall()
            updates = []
            for rid, kind, record_id, data in rows:
                record = self._record(kind, record_id, data)
                if record is not None:
                    title, body = indexed_terms(kind, record)
                    updates.append((title, body, _lexemes(title, body), rid))
            db.executemany("UPDATE ws_records SET title_terms = ?, body_terms = ?, tsv = array_to_tsvector(?::text[]) WHERE rid = ?", updates)
            self._refresh_statistics(db)


def _set_meta(db: _Statements, key: str, value: str) -> None:
    db.execute("INSERT INTO ws_meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))


def _lexemes(title: str, body: str) -> list[str]:
    return [t for t in index_tokens(title, body) if len(t) <= MAX_LEXEME]


def _row(kind: RecordKind, record: Any) -> tuple[Any, ...]:
    account_id, name, at, status, data = record_columns(kind, record)
    title, body = indexed_terms(kind, record) if kind in SEARCHABLE else ("", "")
    clean = (lambda v: v.replace("\x00", "") if isinstance(v, str) else v)  # PostgreSQL text holds no NUL
    return (kind, clean(record.id), clean(account_id), clean(name), at, clean(status), data, title, body, _lexemes(title, body))


def open_postgres(url: str, workspace: str) -> tuple[Any, WorkspaceBackend]:
    """The PostgreSQL state and the workspace: `default` is the shared one in PostgreSQL; `sample`, `empty` and a
    `.json` file are read into memory on this host."""
    if workspace not in ("default", "sample", "empty") and not workspace.endswith(".json"):
        raise StoreError(f"with a PostgreSQL store the workspace is 'default' (imported into PostgreSQL with `customer-escalation "
                         f"import`), 'sample', 'empty' or a .json workspace file; {workspace!r} is none of these")
    database = PostgresDatabase(url)
    try:
        if workspace == "default":
            return database, PostgresWorkspace(database)
        return database, SqliteWorkspace(SqliteDatabase(":memory:", memory=True), Path("."), workspace)
    except BaseException:
        database.close()
        raise
