"""applications keep what their form was drafted from (profile snapshot and version, extra facts, inferred keys);
application events have a kind (status change or edit)

Existing applications get the profile version saved with them (the enterprise's latest version not newer than the
application) and the facts of their form that are not profile fields, so drafts stored before this migration can
be completed too.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# The form keys that are not profile fields, as the form had them when this migration was written (a migration
# does not import the application code, which moves on).
EXTRA_KEYS = ("contact_person", "contact_phone", "contact_email", "legal_rep", "registered_address", "office_address",
              "registered_capital", "first_loan")

applications = sa.table(
    "applications",
    sa.column("id", sa.String), sa.column("enterprise_id", sa.String), sa.column("form", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)), sa.column("profile_snapshot", sa.JSON),
    sa.column("profile_version", sa.Integer), sa.column("extra", sa.JSON), sa.column("inferred", sa.JSON),
)
profile_versions = sa.table(
    "profile_versions",
    sa.column("enterprise_id", sa.String), sa.column("version", sa.Integer), sa.column("data", sa.JSON),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)  # SQLite gives naive UTC


def _extra(form: dict[str, Any] | None) -> dict[str, Any]:
    out = {}
    for section in (form or {}).get("sections") or []:
        for field in section.get("fields") or []:
            if field.get("key") in EXTRA_KEYS and field.get("source") == "用户提供" and field.get("value") not in (None, ""):
                out[field["key"]] = field["value"]
    return out


def _backfill(conn: sa.Connection) -> None:
    rows = conn.execute(sa.select(applications.c.id, applications.c.enterprise_id, applications.c.form, applications.c.created_at)).all()
    for app_id, enterprise_id, form, created_at in rows:
        versions = conn.execute(
            sa.select(profile_versions.c.version, profile_versions.c.data, profile_versions.c.created_at)
            .where(profile_versions.c.enterprise_id == enterprise_id).order_by(profile_versions.c.version)
        ).all()
        made = _utc(created_at)
        taken = [v for v in versions if made is None or (_utc(v.created_at) or made) <= made]
        chosen = taken[-1] if taken else None
        conn.execute(
            applications.update().where(applications.c.id == app_id).values(
                profile_snapshot=chosen.data if chosen else None, profile_version=chosen.version if chosen else None,
                extra=_extra(form), inferred=[],
            )
        )


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("profile_snapshot", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("profile_version", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("extra", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("inferred", sa.JSON(), nullable=True))
    with op.batch_alter_table("application_events") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=10), nullable=False, server_default="status"))
    _backfill(op.get_bind())


def downgrade() -> None:
    with op.batch_alter_table("application_events") as batch:
        batch.drop_column("kind")
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("inferred")
        batch.drop_column("extra")
        batch.drop_column("profile_version")
        batch.drop_column("profile_snapshot")
