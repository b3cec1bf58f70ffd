"""delivery claims: a delivery being sent is claimed durably ('sending', when, by which job) before it
leaves, so a worker that dies mid-send leaves a claim that its job's re-run (or, after the lease, the
reconciler) takes over, sending again under the same message id; ``loyalty_uuid7()`` gives the fan-out
time-ordered ids written by the database itself; each person's offer digest frequency (daily, weekly, off)

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 00:10:00.000000+00:00


"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A UUID version 7 (RFC 9562: 48 bits of Unix milliseconds, then random bits), as uuid_utils.uuid7 makes in
# Python: the fan-out writes its rows with INSERT ... SELECT, and time-ordered keys keep the primary key's
# inserts at the right edge of the index instead of scattered over it (gen_random_uuid is version 4).
UUID7 = """
CREATE FUNCTION loyalty_uuid7() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
  SELECT encode(
    set_bit(set_bit(
      overlay(uuid_send(gen_random_uuid())
              PLACING substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
              FROM 1 FOR 6),
      52, 1), 53, 1),
    'hex')::uuid
$$
"""


def upgrade() -> None:
    op.execute(UUID7)
    op.add_column(
        "notification_deliveries", sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("notification_deliveries", sa.Column("claimed_by_job", sa.BigInteger(), nullable=True))
    op.drop_constraint(
        op.f("ck_notification_deliveries_status_known"), "notification_deliveries", type_="check"
    )
    op.create_check_constraint(
        op.f("ck_notification_deliveries_status_known"),
        "notification_deliveries",
        "status IN ('pending', 'sending', 'sent', 'failed', 'skipped')",
    )
    op.create_check_constraint(
        op.f("ck_notification_deliveries_claimed_when_sending"),
        "notification_deliveries",
        "(status = 'sending') = (claimed_at IS NOT NULL)",
    )
    op.create_table(
        "notification_digest",
        sa.Column("user_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("frequency", sa.String(length=8), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "frequency IN ('daily', 'weekly', 'off')", name=op.f("ck_notification_digest_frequency_known")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notification_digest_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_digest")),
    )
    op.create_index(
        "ix_notification_deliveries_claimed",
        "notification_deliveries",
        ["claimed_at"],
        unique=False,
        postgresql_where=sa.text("status = 'sending'"),
    )


def downgrade() -> None:
    op.drop_table("notification_digest")
    op.execute("UPDATE notification_deliveries SET status = 'pending' WHERE status = 'sending'")
    op.drop_index("ix_notification_deliveries_claimed", table_name="notification_deliveries")
    op.drop_constraint(
        op.f("ck_notification_deliveries_claimed_when_sending"), "notification_deliveries", type_="check"
    )
    op.drop_constraint(
        op.f("ck_notification_deliveries_status_known"), "notification_deliveries", type_="check"
    )
    op.create_check_constraint(
        op.f("ck_notification_deliveries_status_known"),
        "notification_deliveries",
        "status IN ('pending', 'sent', 'failed', 'skipped')",
    )
    op.drop_column("notification_deliveries", "claimed_by_job")
    op.drop_column("notification_deliveries", "claimed_at")
    op.execute("DROP FUNCTION loyalty_uuid7()")
