"""data requests received outside the app: a roster link, the channel and how identity was verified;
one open request per kind per person

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-29 15:10:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("data_requests", sa.Column("roster_entry_id", postgresql.UUID(as_uuid=True), nullable=True))
    op.add_column(
        "data_requests",
        sa.Column("channel", sa.String(length=16), server_default=sa.text("'app'"), nullable=False),
    )
    op.add_column("data_requests", sa.Column("identity_verification", sa.Text(), nullable=True))
    op.create_foreign_key(
        op.f("fk_data_requests_roster_entry_id_roster_entries"),
        "data_requests",
        "roster_entries",
        ["roster_entry_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_check_constraint(
        op.f("ck_data_requests_channel_known"),
        "data_requests",
        "channel IN ('app', 'paper', 'email', 'in_person')",
    )
    # Requests of people erased before decision notes were cleared by erasure still hold HR's notes about
    # them; with no link left to anyone, nothing later would ever find them.
    op.execute("UPDATE data_requests SET details = NULL, decision_note = NULL WHERE user_id IS NULL")
    # Link existing requests to the person's roster entry. Where someone already has several open requests
    # of one kind, only the oldest is linked so the unique index can be built; the others stay linked to the
    # account and in HR's queue.
    op.execute(
        """
        UPDATE data_requests AS r SET roster_entry_id = u.roster_entry_id
        FROM users AS u
        WHERE u.id = r.user_id
          AND NOT EXISTS (
            SELECT 1 FROM data_requests AS older
            WHERE older.user_id = r.user_id AND older.kind = r.kind
              AND older.status = 'open' AND r.status = 'open'
              AND (older.created_at, older.id) < (r.created_at, r.id)
          )
        """
    )
    op.create_index(
        "ux_data_requests_one_open_per_kind",
        "data_requests",
        ["roster_entry_id", "kind"],
        unique=True,
        postgresql_where=sa.text("status = 'open'"),
    )


def downgrade() -> None:
    op.drop_index(
        "ux_data_requests_one_open_per_kind",
        table_name="data_requests",
        postgresql_where=sa.text("status = 'open'"),
    )
    op.drop_constraint(op.f("ck_data_requests_channel_known"), "data_requests", type_="check")
    op.drop_constraint(
        op.f("fk_data_requests_roster_entry_id_roster_entries"), "data_requests", type_="foreignkey"
    )
    op.drop_column("data_requests", "identity_verification")
    op.drop_column("data_requests", "channel")
    op.drop_column("data_requests", "roster_entry_id")
