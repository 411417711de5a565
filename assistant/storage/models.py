"""SQLAlchemy 2 models: enterprises and profile versions, conversations and messages, applications with their
status history, material files and the hash-chained ledger of their events, the center's targets, answer feedback
and the audit log. Schema changes go through Alembic (``migrations/``)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timestamps are stored in UTC and always come back zone-aware (SQLite drops the zone on its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _uuid() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Enterprise(Base):
    __tablename__ = "enterprises"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_uuid)
    name: Mapped[str] = mapped_column(String(200), index=True)
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)
    profiles: Mapped[list[ProfileVersion]] = relationship(back_populates="enterprise", order_by="ProfileVersion.version")


class ProfileVersion(Base):
    __tablename__ = "profile_versions"
    __table_args__ = (UniqueConstraint("enterprise_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(20), default="api")  # chat | api | upload
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)
    enterprise: Mapped[Enterprise] = relationship(back_populates="profiles")


class Conversation(Base):
    __tablename__ = "conversations"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_uuid)
    enterprise_id: Mapped[str | None] = mapped_column(ForeignKey("enterprises.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)
    # Dialogue state (slots, recommendations, product in focus), so any API worker can take the next turn.
    state: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic lock: two turns at once never lose one
    messages: Mapped[list[Message]] = relationship(back_populates="conversation", order_by="Message.id")


class Message(Base):
    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10))  # user | assistant
    text: Mapped[str] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(String(30))
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # citations, matches
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)
    conversation: Mapped[Conversation] = relationship(back_populates="messages")


class Application(Base):
    __tablename__ = "applications"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_uuid)
    enterprise_id: Mapped[str] = mapped_column(ForeignKey("enterprises.id", ondelete="RESTRICT"), index=True)
    product_id: Mapped[str] = mapped_column(String(80), index=True)
    institution: Mapped[str] = mapped_column(String(40), index=True)
    status: Mapped[str] = mapped_column(String(10), index=True, default="草稿")
    form: Mapped[dict[str, Any]] = mapped_column(JSON)
    # What the form was drafted from, so an edit drafts it again from the same inputs: the profile (a snapshot, kept
    # whatever the firm's stored profile becomes later) and the version it came from, the facts that are not profile
    # fields (contact, legal representative …) and the form keys whose value the system inferred. Null only for rows
    # older than migration 0003 that had no profile version to take.
    profile_snapshot: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    profile_version: Mapped[int | None] = mapped_column(Integer)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    inferred: Mapped[list[Any] | None] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic lock: every change bumps it
    # When staff pushed it to the bank of its product: from then on that bank sees it (and only that bank).
    pushed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), index=True)
    idempotency_key: Mapped[str | None] = mapped_column(String(80), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)
    events: Mapped[list[ApplicationEvent]] = relationship(back_populates="application", order_by="ApplicationEvent.id")


class ApplicationEvent(Base):
    __tablename__ = "application_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(10), default="status", server_default="status")  # status | edit | decision | material
    actor: Mapped[str] = mapped_column(String(80))
    note: Mapped[str | None] = mapped_column(Text)
    # A bank decision's terms (decision, amount, rate, term_months, reason) or the files a material upload added.
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)
    application: Mapped[Application] = relationship(back_populates="events")


class ApplicationFile(Base):
    """Material a firm added to its application (what a bank's 补充材料 asked for). Kept in the database, so every
    API worker and a database backup hold it, and its sha256 goes into the ledger."""

    __tablename__ = "application_files"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)


class LedgerEntry(Base):
    """One link of the hash chain over every application event: ``hash`` = sha256 of the previous entry's hash and
    this entry's canonical content (seq, application, event, action, payload, time). ``seq`` is assigned as the
    previous seq + 1 under a lock, so a deleted row leaves a gap; ``prev_hash`` is unique, so the chain cannot fork."""

    __tablename__ = "ledger"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    application_id: Mapped[str | None] = mapped_column(String(32), index=True)
    event_id: Mapped[int | None] = mapped_column(Integer, index=True)
    action: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class Target(Base):
    """The center's targets (firms financed, amount of financing, by a date). Each change is a new row; the latest
    one counts, the earlier ones are the history."""

    __tablename__ = "targets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    firms: Mapped[int] = mapped_column(Integer)
    amount: Mapped[float] = mapped_column(Float)  # 元
    deadline: Mapped[dt.date] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)


class Feedback(Base):
    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    question: Mapped[str | None] = mapped_column(Text)
    rating: Mapped[int] = mapped_column(Integer)  # +1 / -1
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)


class AuditLog(Base):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(60), index=True)
    target: Mapped[str | None] = mapped_column(String(120))
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))  # enterprise | staff | policy_admin | bank
    institution: Mapped[str | None] = mapped_column(String(40))  # a bank account's bank (one of the product library's)
    enterprise_id: Mapped[str | None] = mapped_column(ForeignKey("enterprises.id", ondelete="SET NULL"), index=True)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)  # demo accounts only log in in development mode
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)


class ApiToken(Base):
    __tablename__ = "api_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the bearer token; the token itself is never stored
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Job(Base):
    """A background job (reindex, upload, eval) whose progress any API worker can report."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_uuid)
    kind: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(12), default="queued")  # queued | running | done | failed
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str | None] = mapped_column(Text)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    actor: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)


class EvalRun(Base):
    __tablename__ = "eval_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=_now)
    actor: Mapped[str] = mapped_column(String(80))
    index_version: Mapped[str | None] = mapped_column(String(80))
    scores: Mapped[dict[str, Any]] = mapped_column(JSON)
