"""The store: drafts of the tool chain, the escalation log, and the workspace (accounts, tickets, tracker items, chat,
KB, past escalations) with full-text search. `Store` is the one interface the rest of the code uses; behind it:

- SQLite (the embedded default): state.db in the data directory, the workspace attached (`storage/sqlite.py`);
- PostgreSQL, chosen by a URL (`--store postgresql://...` or $CUSTOMER_ESCALATION_STORE), for a team whose servers
  run on several hosts: drafts, the log and the imported `default` workspace in one database (`storage/postgres.py`).
  The bundled `sample`, `empty` and `.json` workspaces are still read into memory on each host.

Both give the same guarantees: a write is one transaction, acknowledged only once committed; writers from any
number of processes are serialised; saves of an escalation are checked against the version read.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from .models import Account, Workspace
from .storage.common import (
    COMMON_TERM_SHARE, EMPTY_WORKSPACE, MODEL, POSTINGS_BUDGET, SEARCHABLE, WORKSPACE_DB, WORKSPACE_FIELDS, Hit, ImportError_,
    RecordKind, StoreError, loads, printable, record_time, searchable_text,
)
from .storage.files import check_references, describe_validation_error, load_sample, read_workspace_file
from .storage.sqlite import BUSY_TIMEOUT, SqliteDatabase, SqliteWorkspace, database_error, owner_only
from .storage.workspace import WorkspaceBackend

__all__ = [
    "BUSY_TIMEOUT", "COMMON_TERM_SHARE", "EMPTY_WORKSPACE", "MODEL", "POSTINGS_BUDGET", "SEARCHABLE", "WORKSPACE_DB",
    "WORKSPACE_FIELDS", "Hit", "ImportError_", "RecordKind", "Store", "StoreError", "check_references", "database_error",
    "describe_validation_error", "is_postgres_url", "load_sample", "loads", "printable", "read_workspace_file", "record_time",
    "searchable_text",
]
STORE_ENV = "CUSTOMER_ESCALATION_STORE"


def is_postgres_url(url: str | None) -> bool:
    return bool(url) and str(url).strip().lower().startswith(("postgresql://", "postgres://"))


def check_store_url(url: str | None) -> str | None:
    """None for the embedded SQLite store, else a PostgreSQL URL; anything else is refused without echoing it (a URL
    may hold a password)."""
    url = (url or "").strip()
    if not url or url.lower() == "sqlite":
        return None
    if is_postgres_url(url):
        return url
    raise StoreError(f"the store must be 'sqlite' (the default: files in the data directory) or a PostgreSQL URL such as "
                     f"postgresql://USER:PASSWORD@HOST:5432/DATABASE (--store or ${STORE_ENV}); the value given is neither")


class Store:
    """Thread-safe access to the drafts, the escalation log and the workspace, on SQLite or PostgreSQL."""

    def __init__(self, home: Path, workspace: str = "default", *, url: str | None = None,
                 clock: Callable[[], datetime] | None = None, draft_days: float = 30.0):
        self.home = home
        # the caller's "now" for a draft's last use (its retention counts from it); the store never reads the wall clock
        self.clock = clock
        self.workspace_name = workspace
        self.draft_retention = timedelta(days=draft_days)
        url = check_store_url(url)
        self.database: Any
        self.workspace: WorkspaceBackend
        if url is not None:
            from .storage.postgres import open_postgres

            self.database, self.workspace = open_postgres(url, workspace)
        else:
            home.mkdir(parents=True, exist_ok=True, mode=0o700)  # customer data: the owner's alone (under any umask)
            owner_only(home / "state.db")
            self.database = SqliteDatabase(home / "state.db")
            try:
                self.workspace = SqliteWorkspace(self.database, home, workspace)
            except BaseException:
                self.database.close()
                raise
        self.read_only = self.workspace.read_only
        self.workspace_path = self.workspace.path

    @property
    def dialect(self) -> str:
        """"sqlite" or "postgresql": the SQL the escalation log writes for this store."""
        return str(self.database.dialect)

    @property
    def state_path(self) -> Path | str:
        """Where the drafts and the log live, for messages: a file, or a PostgreSQL URL with any password hidden."""
        return self.database.location

    # --- transactions --------------------------------------------------------------------------
    @contextmanager
    def transaction(self, path: Path | None = None, *, write: bool = True) -> Iterator[Any]:
        """All or nothing: a failure anywhere, the COMMIT included, rolls the whole change back. Writes are serialised
        across processes and hosts. Yields a connection taking `?` placeholders."""
        with self.database.transaction(path, write=write) as db:
            yield db

    @property
    def connection(self) -> Any:
        """The SQLite state database's connection (tests and benchmarks that inspect the file)."""
        if self.dialect != "sqlite":
            raise StoreError("this store is on PostgreSQL: it has no SQLite connection")
        return self.database.db

    # --- workspace -----------------------------------------------------------------------------
    def import_workspace(self, workspace: Workspace, *, replace: bool = False) -> dict[str, int]:
        """Load records (upsert by kind and id). All or nothing."""
        if self.read_only:
            raise StoreError(f"the {self.workspace_name!r} workspace is read-only; import into 'default' or a .db file")
        return self.workspace.load(workspace, replace=replace)

    def meta(self, key: str) -> str | None:
        return self.workspace.meta(key)

    def clock_reference(self) -> datetime | None:
        return self.workspace.clock_reference()

    def is_empty(self) -> bool:
        return self.workspace.is_empty()

    def counts(self) -> dict[str, int]:
        return self.workspace.counts()

    def get(self, kind: RecordKind, record_id: str) -> Any | None:
        return self.workspace.get(kind, record_id)

    def all(self, kind: RecordKind) -> list[Any]:
        return self.workspace.all(kind)

    def find_accounts(self, name_or_domain: str) -> list[Account]:
        return self.workspace.find_accounts(name_or_domain)

    def accounts_where(self, plan: str | None = None) -> list[Account]:
        return self.workspace.accounts_where(plan)

    def records_for_account(self, kind: RecordKind, account_id: str, limit: int = 50) -> list[Any]:
        return self.workspace.records_for_account(kind, account_id, limit)

    def count_for_account(self, kind: RecordKind, account_id: str) -> int:
        return self.workspace.count_for_account(kind, account_id)

    def derived(self, key: str, compute: Callable[[], Any]) -> Any:
        return self.workspace.derived(key, compute)

    def accounts(self) -> list[Account]:
        return self.workspace.accounts()

    def search(self, kind: RecordKind, query_terms: list[str], *, limit: int = 20, account_id: str | None = None,
               min_score: float = 0.0) -> list[Hit]:
        return self.workspace.search(kind, query_terms, limit=limit, account_id=account_id, min_score=min_score)

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
            db.execute("INSERT INTO drafts VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, "
                       "created_at = excluded.created_at, data = excluded.data",
                       (draft_id, kind, now.isoformat() if now else "", json.dumps(data, default=str)))
        return draft_id

    def load_draft(self, draft_id: str) -> dict[str, Any] | None:
        with self.transaction(write=False) as db:
            rows = db.execute("SELECT data FROM drafts WHERE id = ?", (draft_id,)).fetchall()
        if not rows:
            return None
        data = loads(rows[0][0])
        if not isinstance(data, dict):
            raise self.damaged(f"draft {printable(draft_id)}", "call gather_context again to start a new draft")
        return data

    def damaged(self, what: str, fix: str) -> StoreError:
        """The error for one damaged record of the state database: names it, the store, and what to do."""
        return StoreError(f"{what} in {self.state_path} is damaged (its stored data is not valid) and cannot be read; {fix}, "
                          "or restore the file from a backup")

    def close(self) -> None:
        self.workspace.close()
        self.database.close()
