"""The tamper-evident record (码链) of application events: an append-only hash chain in the database.

Each entry's hash is the sha256 of the previous entry's hash and of this entry's canonical content (seq,
application, event id, action, payload, time), so editing any stored field, deleting a row or inserting one breaks
the chain at that point. Entries are appended in the same transaction as the change they record: a rolled-back
change leaves no entry, a committed one always has its entry. Appends are serialised (an advisory lock on
PostgreSQL; on SQLite the change the entry records already holds the database's write lock), ``seq`` is the
previous seq + 1 and ``prev_hash`` is unique, so two writers can never fork the chain."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from assistant.storage.models import ApplicationEvent, LedgerEntry

GENESIS = "0" * 64
_LOCK_KEY = 0x51C4_1ED6  # any constant: the one advisory lock of the ledger


def _stamp(at: dt.datetime) -> str:
    """The time as hashed: UTC, microseconds (what both SQLite and PostgreSQL keep), whatever zone the driver gives."""
    at = at if at.tzinfo else at.replace(tzinfo=dt.UTC)
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def entry_hash(prev_hash: str, seq: int, application_id: str | None, event_id: int | None, action: str,
               payload: dict[str, Any], at: dt.datetime) -> str:
    content = json.dumps({"seq": seq, "application_id": application_id, "event_id": event_id, "action": action,
                          "payload": payload, "at": _stamp(at)}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256((prev_hash + content).encode("utf-8")).hexdigest()


def _lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})


def head(session: Session) -> LedgerEntry | None:
    return session.scalar(select(LedgerEntry).order_by(LedgerEntry.seq.desc()).limit(1))


def append(session: Session, action: str, payload: dict[str, Any], *, application_id: str | None = None,
           event_id: int | None = None) -> LedgerEntry:
    """Chain one entry onto the ledger, in the caller's transaction. ``payload`` must be JSON (it is stored and
    hashed as such: floats and strings, no dates)."""
    _lock(session)
    last = head(session)
    seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
    at = dt.datetime.now(dt.UTC)
    payload = json.loads(json.dumps(payload, ensure_ascii=False))  # exactly what the JSON column will give back
    entry = LedgerEntry(seq=seq, application_id=application_id, event_id=event_id, action=action, payload=payload, at=at,
                        prev_hash=prev, hash=entry_hash(prev, seq, application_id, event_id, action, payload, at))
    session.add(entry)
    session.flush()
    return entry


def record_event(session: Session, event: ApplicationEvent, **extra: Any) -> LedgerEntry:
    """The ledger entry of an application event (creation, status change, edit, decision, material)."""
    session.flush()  # the event's id
    payload = {"kind": event.kind or "status", "from": event.from_status, "to": event.to_status, "actor": event.actor,
               "note": event.note, **({"data": event.data} if event.data else {}), **extra}
    return append(session, "event", payload, application_id=event.application_id, event_id=event.id)


def latest_for(session: Session, application_id: str) -> LedgerEntry | None:
    return session.scalar(select(LedgerEntry).where(LedgerEntry.application_id == application_id).order_by(LedgerEntry.seq.desc()).limit(1))


def entries_for(session: Session, application_id: str) -> list[LedgerEntry]:
    return list(session.scalars(select(LedgerEntry).where(LedgerEntry.application_id == application_id).order_by(LedgerEntry.seq)))


def find_document(session: Session, sha256: str) -> LedgerEntry | None:
    """The entry that recorded a generated document with this file hash, if any."""
    for entry in session.scalars(select(LedgerEntry).where(LedgerEntry.action == "document").order_by(LedgerEntry.seq)):
        if entry.payload.get("sha256") == sha256:
            return entry
    return None


@dataclass
class Verification:
    entries: int = 0
    ok: bool = True
    first_broken: int | None = None  # seq of the first entry that does not check out
    problems: list[str] = field(default_factory=list)  # Chinese, first problem first

    def fail(self, seq: int | None, message: str) -> None:
        self.ok = False
        if self.first_broken is None and seq is not None:
            self.first_broken = seq
        self.problems.append(message)


def verify(session: Session) -> Verification:
    """Walk the chain from the first entry: each seq follows the previous one, each prev_hash is the previous hash,
    each hash matches the entry's content; then every application event since the ledger began has its entry (a
    deleted last entry leaves its event without one)."""
    report = Verification()
    prev_seq, prev_hash = 0, GENESIS
    chained: set[int] = set()
    for e in session.scalars(select(LedgerEntry).order_by(LedgerEntry.seq)):
        report.entries += 1
        if e.seq != prev_seq + 1:
            report.fail(e.seq, f"第 {prev_seq + 1} 条至第 {e.seq - 1} 条记录缺失（被删除）")
        if e.prev_hash != prev_hash:
            report.fail(e.seq, f"第 {e.seq} 条记录的前序哈希与第 {prev_seq} 条记录的哈希不一致")
        if entry_hash(e.prev_hash, e.seq, e.application_id, e.event_id, e.action, e.payload, e.at) != e.hash:
            report.fail(e.seq, f"第 {e.seq} 条记录的内容与其哈希不符（被修改）")
        if e.event_id is not None:
            chained.add(e.event_id)
        prev_seq, prev_hash = e.seq, e.hash
    if chained:  # events from the ledger's start on (earlier ones predate it)
        unchained = session.scalars(select(ApplicationEvent.id).where(ApplicationEvent.id >= min(chained)).order_by(ApplicationEvent.id)).all()
        missing = [i for i in unchained if i not in chained]
        if missing:
            report.fail(None, f"申请事件 {'、'.join(map(str, missing[:10]))} 没有对应的账本记录（记录被删除）")
    return report
