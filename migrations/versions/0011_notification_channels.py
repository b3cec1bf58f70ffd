"""notification channels: push devices, preferences per topic and channel, quiet hours, marketing consent

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 21:00:00.000000+00:00

``notification_quiet_until(starts, ends, time_zone, at)`` answers until when ``at`` lies in the quiet
hours (NULL when it does not), so ``notify_many`` and the delivery job decide it by one definition.
``users.marketing_consent`` mirrors the ``marketing`` purpose of the person's latest consent record, as
``core_consent`` does for ``core``; it is filled from the records here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUIET_UNTIL = """
CREATE FUNCTION notification_quiet_until(starts time, ends time, time_zone text, at timestamptz)
RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT CASE
    WHEN starts IS NULL OR ends IS NULL OR starts = ends THEN NULL
    WHEN starts < ends THEN
      CASE WHEN (at AT TIME ZONE time_zone)::time >= starts AND (at AT TIME ZONE time_zone)::time < ends
        THEN ((at AT TIME ZONE time_zone)::date + ends) AT TIME ZONE time_zone END
    WHEN (at AT TIME ZONE time_zone)::time >= starts
      THEN ((at AT TIME ZONE time_zone)::date + 1 + ends) AT TIME ZONE time_zone
    WHEN (at AT TIME ZONE time_zone)::time < ends
      THEN ((at AT TIME ZONE time_zone)::date + ends) AT TIME ZONE time_zone
  END
$$
"""

MARKETING_FROM_RECORDS = """
UPDATE users SET marketing_consent = latest.granted
FROM (
  SELECT DISTINCT ON (user_id) user_id, 'marketing' = ANY(purposes_granted) AS granted
  FROM consent_records WHERE user_id IS NOT NULL
  ORDER BY user_id, created_at DESC, id DESC
) AS latest
WHERE latest.user_id = users.id
"""


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column("marketing_consent", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.execute(MARKETING_FROM_RECORDS)
    op.create_table(
        "push_devices",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("user_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("token", sa.String(length=4096), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("app_version", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retired_reason", sa.String(length=32), nullable=True),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.CheckConstraint("platform IN ('android', 'ios')", name=op.f("ck_push_devices_platform_known")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_push_devices_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_devices")),
        sa.UniqueConstraint("token", name=op.f("uq_push_devices_token")),
    )
    op.create_index(
        "ix_push_devices_live",
        "push_devices",
        ["user_id"],
        unique=False,
        postgresql_where=sa.text("retired_at IS NULL"),
    )
    op.create_table(
        "notification_preferences",
        sa.Column("user_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "channel IN ('inbox', 'email', 'push')", name=op.f("ck_notification_preferences_channel_known")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_preferences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "topic", "channel", name=op.f("pk_notification_preferences")),
    )
    op.create_table(
        "notification_quiet_hours",
        sa.Column("user_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("starts", sa.Time(), nullable=False),
        sa.Column("ends", sa.Time(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_quiet_hours_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_quiet_hours")),
    )
    op.execute(QUIET_UNTIL)


def downgrade() -> None:
    op.execute("DROP FUNCTION notification_quiet_until(time, time, text, timestamptz)")
    op.drop_table("notification_quiet_hours")
    op.drop_table("notification_preferences")
    op.drop_index("ix_push_devices_live", table_name="push_devices")
    op.drop_table("push_devices")
    op.drop_column("users", "marketing_consent")
