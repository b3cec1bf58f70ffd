"""a staff account invited but never set up can be disabled: only active accounts need a password

Revision ID: 0007
Revises: 0004
Create Date: 2026-11-29 15:20:00.000000+00:00

Before, ``status = 'invited' OR password_hash IS NOT NULL`` made an invited account that never set a
password impossible to disable. Re-enabling such an account makes it ``invited`` again.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_constraint(op.f("ck_users_active_has_password"), "users", type_="check")
    op.create_check_constraint(
        op.f("ck_users_active_has_password"), "users", "status <> 'active' OR password_hash IS NOT NULL"
    )


def downgrade() -> None:
    # Fails while a disabled account has no password: re-enabling it (the only way back to the old
    # rule) is a decision for an admin, not for a downgrade.
    op.drop_constraint(op.f("ck_users_active_has_password"), "users", type_="check")
    op.create_check_constraint(
        op.f("ck_users_active_has_password"), "users", "status = 'invited' OR password_hash IS NOT NULL"
    )
