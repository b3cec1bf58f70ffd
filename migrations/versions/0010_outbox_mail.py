"""outbox mail: every mail is a notification; one may be addressed to someone without an account, and
holds its secret values (a one-time code, the recipient's address) sealed until it is sent

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 21:00:00.000000+00:00

``notifications.user_id`` becomes optional (a registration code goes to someone who has no account yet,
an erasure's confirmation to someone who no longer has one); ``sealed`` holds the encrypted values that
must not sit in the database in plain text, and is cleared once the mail is sent or has failed for good.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.alter_column("notifications", "user_id", nullable=True)
    op.add_column("notifications", sa.Column("sealed", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM notifications WHERE user_id IS NULL")
    op.drop_column("notifications", "sealed")
    op.alter_column("notifications", "user_id", nullable=False)
