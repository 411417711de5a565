"""the bank side: bank accounts (users.institution), when an application was pushed, decision terms on events,
material files, the hash-chained ledger and the center's targets

Applications already pushed get ``pushed_at`` from their push event. The ledger starts empty: events before this
migration were not chained (``assistant ledger verify`` checks the chain from its first entry on).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

applications = sa.table("applications", sa.column("id", sa.String), sa.column("pushed_at", sa.DateTime(timezone=True)))
events = sa.table("application_events", sa.column("application_id", sa.String), sa.column("to_status", sa.String),
                  sa.column("at", sa.DateTime(timezone=True)))


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("institution", sa.String(length=40), nullable=True))
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("pushed_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_applications_pushed_at", ["pushed_at"])
    with op.batch_alter_table("application_events") as batch:
        batch.add_column(sa.Column("data", sa.JSON(), nullable=True))
    op.create_table(
        "application_files",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("application_id", sa.String(length=32), sa.ForeignKey("applications.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "ledger",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("application_id", sa.String(length=32), nullable=True, index=True),
        sa.Column("event_id", sa.Integer(), nullable=True, index=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False, unique=True),
        sa.Column("hash", sa.String(length=64), nullable=False, unique=True),
    )
    op.create_table(
        "targets",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("firms", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("actor", sa.String(length=80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    conn = op.get_bind()
    pushed = conn.execute(sa.select(events.c.application_id, sa.func.min(events.c.at))
                          .where(events.c.to_status == "已推送银行").group_by(events.c.application_id)).all()
    for app_id, at in pushed:
        when = at if isinstance(at, dt.datetime) else None
        conn.execute(applications.update().where(applications.c.id == app_id).values(pushed_at=when))


def downgrade() -> None:
    op.drop_table("targets")
    op.drop_table("ledger")
    op.drop_table("application_files")
    with op.batch_alter_table("application_events") as batch:
        batch.drop_column("data")
    with op.batch_alter_table("applications") as batch:
        batch.drop_index("ix_applications_pushed_at")
        batch.drop_column("pushed_at")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("institution")
