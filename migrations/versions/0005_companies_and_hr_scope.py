"""companies as an entity, HR admins scoped to companies

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 15:15:00.000000+00:00

Companies are made from the names already in use (roster entries and offers' eligibility rules), so
every existing name keeps meaning the same company. Existing HR admins stay group-wide.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from advanced_alchemy.mixins.uuid import uuid7
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    companies = op.create_table(
        "companies",
        sa.Column("id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sa_orm_sentinel", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_companies")),
        sa.UniqueConstraint("name", name=op.f("uq_companies_name")),
    )
    names = op.get_bind().scalars(
        sa.text(
            "SELECT company FROM roster_entries UNION SELECT unnest(eligible_companies) FROM offers ORDER BY 1"
        )
    )
    now = datetime.now(UTC)
    rows = [{"id": uuid7(), "name": name, "created_at": now, "updated_at": now} for name in names]
    if rows:
        op.bulk_insert(companies, rows)
    op.create_foreign_key(
        op.f("fk_roster_entries_company_companies"),
        "roster_entries",
        "companies",
        ["company"],
        ["name"],
        onupdate="CASCADE",
        ondelete="RESTRICT",
    )

    op.add_column("users", sa.Column("hr_group_wide", sa.Boolean(), nullable=True))
    op.execute("UPDATE users SET hr_group_wide = true WHERE role = 'hr_admin'")
    op.create_check_constraint(
        op.f("ck_users_hr_admin_has_scope"), "users", "(role = 'hr_admin') = (hr_group_wide IS NOT NULL)"
    )
    op.create_table(
        "staff_company_scopes",
        sa.Column("user_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("company_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name=op.f("fk_staff_company_scopes_company_id_companies"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_staff_company_scopes_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "company_id", name=op.f("pk_staff_company_scopes")),
    )
    op.create_index(
        "ix_staff_company_scopes_company_id", "staff_company_scopes", ["company_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_staff_company_scopes_company_id", table_name="staff_company_scopes")
    op.drop_table("staff_company_scopes")
    op.drop_constraint(op.f("ck_users_hr_admin_has_scope"), "users", type_="check")
    op.drop_column("users", "hr_group_wide")
    op.drop_constraint(op.f("fk_roster_entries_company_companies"), "roster_entries", type_="foreignkey")
    op.drop_table("companies")
