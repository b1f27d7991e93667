"""The escalation log in the state database (SQL only): escalations, the accounts they affect, their history of
events (who, when, what) and their deliveries. Each write is one transaction: a change and its history land together.
The same SQL runs on SQLite and PostgreSQL (`?` placeholders); the few differences are in `_SCHEMA` and `_DIALECT`."""

from __future__ import annotations

import builtins

import json
import logging
import weakref
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..models import EscalationRef
from ..store import Store, loads, printable
from ..text import quote
from .types import MAX_LIST, ConcurrentChange, Delivery, Escalation, Event, LifecycleError, Link

_SCHEMA_SQLITE = (
    """CREATE TABLE IF NOT EXISTS escalations (
        id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, draft_id TEXT UNIQUE, status TEXT NOT NULL, severity TEXT NOT NULL,
        target TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, data TEXT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS escalation_accounts (
        escalation_id TEXT NOT NULL, account_id TEXT NOT NULL, PRIMARY KEY (escalation_id, account_id))""",
    "CREATE INDEX IF NOT EXISTS escalation_accounts_by_account ON escalation_accounts (account_id)",
    """CREATE TABLE IF NOT EXISTS escalation_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, escalation_id TEXT NOT NULL, at TEXT NOT NULL, "by" TEXT NOT NULL,
        kind TEXT NOT NULL, summary TEXT NOT NULL, data TEXT NOT NULL)""",
    "CREATE INDEX IF NOT EXISTS escalation_events_by_escalation ON escalation_events (escalation_id, seq)",
    """CREATE TABLE IF NOT EXISTS escalation_deliveries (
        marker TEXT PRIMARY KEY, escalation_id TEXT NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL)""",
)
_SCHEMA = {
    "sqlite": _SCHEMA_SQLITE,
    "postgresql": tuple(statement.replace("INTEGER PRIMARY KEY AUTOINCREMENT", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
                        for statement in _SCHEMA_SQLITE),
}
# the id as typed, in any case; the version an escalation was saved at
_DIALECT = {
    "sqlite": {"same_id": "id = ? COLLATE NOCASE", "version": "coalesce(json_extract(data, '$.version'), 0)"},
    "postgresql": {"same_id": "lower(id) = lower(?)", "version": "coalesce((data::jsonb ->> 'version')::bigint, 0)"},
}
_ready: weakref.WeakSet[Store] = weakref.WeakSet()
_M = TypeVar("_M", bound=BaseModel)
log = logging.getLogger("customer_escalation.lifecycle")


class EscalationLog:
    """The escalation log in the state database: escalations, their accounts, history and deliveries."""

    def __init__(self, store: Store):
        self.store = store
        self.damaged: builtins.list[str] = []  # records this log's reads found damaged and left out, by name
        self.sql = _DIALECT[store.dialect]
        if store not in _ready:
            with store.transaction() as db:
                for statement in _SCHEMA[store.dialect]:
                    db.execute(statement)
            _ready.add(store)

    # --- reads -------------------------------------------------------------------------------------
    def get(self, escalation_id: str, *, history: bool = True) -> Escalation | None:
        with self.store.transaction(write=False) as db:
            row = db.execute(f"SELECT id, data FROM escalations WHERE {self.sql['same_id']}", (escalation_id.strip(),)).fetchone()
            if row is None:
                return None
            e = self._read(Escalation, row[1], f"escalation {printable(row[0])}")
            if e is None:
                raise self.store.damaged(f"escalation {printable(row[0])}", "the other escalations still read (list_escalations)")
            if history:
                e.history = self._events(db, e.id)
        return e

    def _read(self, model: type[_M], raw: str, what: str) -> _M | None:
        """A stored record, or None when it is damaged: named in `damaged` and the log, so the other records still read."""
        try:
            return model.model_validate_json(raw)
        except ValidationError:
            self.damaged.append(what)
            log.info("%s in %s is damaged and was left out", what, self.store.state_path)  # every surface reports it
            return None

    def require(self, escalation_id: str) -> Escalation:
        e = self.get(escalation_id)
        if e is None:
            raise LifecycleError("no escalation with that id in the log: call list_escalations (or "
                                 "`customer-escalation escalations`) for the ids")
        return e

    def by_draft(self, draft_id: str) -> Escalation | None:
        with self.store.transaction(write=False) as db:
            row = db.execute("SELECT id FROM escalations WHERE draft_id = ?", (draft_id,)).fetchone()
        return self.get(row[0]) if row else None

    def list(self, *, accounts: Sequence[str] = (), status: str = "", severity: str = "", limit: int = MAX_LIST) -> builtins.list[Escalation]:
        """Newest first; `accounts` (ids) keeps the escalations affecting any of them."""
        sql = "SELECT e.id, e.data FROM escalations e"
        params: builtins.list[Any] = []
        where = []
        if accounts:
            sql += " JOIN escalation_accounts a ON a.escalation_id = e.id"
            where.append(f"a.account_id IN ({','.join('?' * len(accounts))})")
            params += list(accounts)
        if status:
            where.append("e.status = ?")
            params.append(status)
        if severity:
            where.append("e.severity = ?")
            params.append(severity)
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " GROUP BY e.id ORDER BY e.seq DESC LIMIT ?"
        params.append(limit)
        with self.store.transaction(write=False) as db:
            rows = db.execute(sql, params).fetchall()
        return [e for e in (self._read(Escalation, raw, f"escalation {printable(rid)}") for rid, raw in rows) if e is not None]

    def deliveries(self, escalation_id: str) -> builtins.list[Delivery]:
        with self.store.transaction(write=False) as db:
            rows = db.execute("SELECT seq, data FROM escalation_deliveries WHERE escalation_id = ? ORDER BY seq",
                              (escalation_id,)).fetchall()
        found = (self._read(Delivery, raw, f"delivery {seq} of {escalation_id}") for seq, raw in rows)
        return [d for d in found if d is not None]

    def _events(self, db: Any, escalation_id: str) -> builtins.list[Event]:
        rows = db.execute('SELECT seq, at, "by", kind, summary, data FROM escalation_events WHERE escalation_id = ? ORDER BY seq',
                          (escalation_id,)).fetchall()
        # through JSON, so text a damaged page turned into surrogates is refused like any other damage
        found = (self._read(Event, json.dumps({"at": at, "by": by, "kind": kind, "summary": summary, "data": loads(data)}),
                            f"history entry {seq} of {escalation_id}") for seq, at, by, kind, summary, data in rows)
        return [event for event in found if event is not None]

    # --- writes (each one transaction: the change and its history entry land together) --------------
    def create(self, e: Escalation, event: Event, deliveries: Sequence[Delivery] = ()) -> Escalation:
        with self.store.transaction() as db:
            seq = (db.execute("SELECT coalesce(max(seq), 0) FROM escalations").fetchone()[0]) + 1
            e = e.model_copy(update={"id": f"CE-{seq:04d}"})
            db.execute("INSERT INTO escalations VALUES (?,?,?,?,?,?,?,?,?)",
                       (e.id, seq, e.draft_id, e.status, e.severity.value, e.target.value, e.created_at.isoformat(),
                        e.updated_at.isoformat(), self._data(e)))
            self._accounts(db, e)
            self._event(db, e.id, event)
            self._deliveries(db, e.id, deliveries)
        e.history = [event]
        return e

    def save(self, e: Escalation, *events: Event, deliveries: Sequence[Delivery] = ()) -> Escalation:
        """Write a changed escalation read earlier; refused (ConcurrentChange) if it was saved by someone else since."""
        with self.store.transaction() as db:
            read_version = e.version
            e = e.model_copy(update={"version": read_version + 1})
            changed = db.execute(
                "UPDATE escalations SET status=?, severity=?, updated_at=?, data=? "
                f"WHERE id=? AND {self.sql['version']} = ?",
                (e.status, e.severity.value, e.updated_at.isoformat(), self._data(e), e.id, read_version)).rowcount
            if not changed:
                raise ConcurrentChange(f"{e.id} changed while this update was being made; nothing was saved, call again")
            self._accounts(db, e)
            for event in events:
                self._event(db, e.id, event)
            self._deliveries(db, e.id, deliveries)
            e.history = self._events(db, e.id)
        return e

    def record_delivery(self, e: Escalation, d: Delivery, event: Event, link: Link | None = None) -> Escalation:
        """A delivery's new state, its history entry and (when it created something) the new link, together."""
        with self.store.transaction() as db:
            db.execute("UPDATE escalation_deliveries SET data = ? WHERE marker = ?", (d.model_dump_json(), d.marker))
            self._event(db, e.id, event)
            if link is not None:
                row = db.execute("SELECT data FROM escalations WHERE id = ?", (e.id,)).fetchone()
                current = self._read(Escalation, row[0], f"escalation {e.id}")
                if current is None:
                    raise self.store.damaged(f"escalation {e.id}", "the delivery itself was made")
                if all((k.system, k.id) != (link.system, link.id) for k in current.links):
                    current.links.append(link)
                current.updated_at = event.at
                current.version += 1
                db.execute("UPDATE escalations SET updated_at=?, data=? WHERE id=?", (current.updated_at.isoformat(), self._data(current), e.id))
                e = current
            e.history = self._events(db, e.id)
        return e

    @staticmethod
    def _data(e: Escalation) -> str:
        return e.model_dump_json(exclude={"history"})

    @staticmethod
    def _accounts(db: Any, e: Escalation) -> None:
        for c in e.customers:
            db.execute("INSERT INTO escalation_accounts VALUES (?, ?) ON CONFLICT DO NOTHING", (e.id, c.id))

    @staticmethod
    def _event(db: Any, escalation_id: str, event: Event) -> None:
        db.execute('INSERT INTO escalation_events (escalation_id, at, "by", kind, summary, data) VALUES (?,?,?,?,?,?)',
                   (escalation_id, event.at.isoformat(), event.by, event.kind, event.summary, _dump(event.data)))

    @staticmethod
    def _deliveries(db: Any, escalation_id: str, deliveries: Sequence[Delivery]) -> None:
        for d in deliveries:
            seq = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM escalation_deliveries WHERE escalation_id = ?", (escalation_id,)).fetchone()[0]
            pending = d.model_copy(update={"state": "pending"})
            db.execute("INSERT INTO escalation_deliveries VALUES (?,?,?,?) ON CONFLICT DO NOTHING",
                       (d.marker, escalation_id, seq, pending.model_dump_json()))


def _dump(data: Any) -> str:
    return json.dumps(data, default=str, sort_keys=True)


def history_for_account(log: EscalationLog, account_id: str | None) -> builtins.list[EscalationRef]:
    """The account's escalations in the log, newest first: gather_context reports them as previous escalations."""
    if not account_id:
        return []
    return [EscalationRef(id=e.id, summary=quote(e.title, 160), target=e.target.value, severity=e.severity.value, status=e.status,
                          created_at=e.created_at, url=(link.url if (link := e.tracker_link()) else None))
            for e in log.list(accounts=[account_id], limit=50)]

