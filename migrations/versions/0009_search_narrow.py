"""search_narrow: the narrow copy of every searchable offer that a search ranks from

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 21:00:00.000000+00:00

``offer_search`` holds one row per offer that can be live (published, its partner active), with only
what choosing and ranking a search's candidates needs: the viewer's filters, the visibility window, and the
search vector. Triggers keep it: every insert or update of an offer's searchable columns, and every change of a
partner's status; a deleted offer's row goes with it (``ON DELETE CASCADE``). The view
``offer_search_source`` says once what a row is, for the triggers and the backfill below.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    "offer_id, partner_id, category_id, featured, cities, shown_from, shown_until, listed_at,"
    " eligible_companies, eligible_departments, eligible_cities, search_vector"
)
# What a row is, said once for the triggers and the backfill: an offer that can be live (published, its
# partner active), with the columns a search filters, pages and ranks by.
SOURCE_VIEW = """
CREATE VIEW offer_search_source AS
SELECT o.id AS offer_id, o.partner_id, o.category_id, o.featured, o.cities, o.shown_from, o.shown_until,
       o.listed_at, o.eligible_companies, o.eligible_departments, o.eligible_cities, o.search_vector
FROM offers o JOIN partners p ON p.id = o.partner_id
WHERE o.status = 'published' AND p.status = 'active'
"""

# An UPDATE of offers that sets none of the columns a row is made of (issuing a code sets only
# issued_count) does not fire the trigger and pays nothing for it.
FUNCTIONS = """
CREATE FUNCTION offer_search_sync_offer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO offer_search (%(columns)s)
    SELECT %(columns)s FROM offer_search_source WHERE offer_id = NEW.id
    ON CONFLICT (offer_id) DO UPDATE SET partner_id = EXCLUDED.partner_id, category_id = EXCLUDED.category_id, featured = EXCLUDED.featured, cities = EXCLUDED.cities, shown_from = EXCLUDED.shown_from, shown_until = EXCLUDED.shown_until, listed_at = EXCLUDED.listed_at, eligible_companies = EXCLUDED.eligible_companies, eligible_departments = EXCLUDED.eligible_departments, eligible_cities = EXCLUDED.eligible_cities, search_vector = EXCLUDED.search_vector;
    IF NOT FOUND THEN
        DELETE FROM offer_search WHERE offer_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION offer_search_sync_partner() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'active' THEN
        INSERT INTO offer_search (%(columns)s)
        SELECT %(columns)s FROM offer_search_source WHERE partner_id = NEW.id
        ON CONFLICT (offer_id) DO NOTHING;
    ELSE
        DELETE FROM offer_search WHERE partner_id = NEW.id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER offers_search_sync
    AFTER INSERT OR UPDATE OF status, partner_id, category_id, featured, cities, shown_from, shown_until,
        listed_at, eligible_companies, eligible_departments, eligible_cities, partner_names, title,
        description, terms, discount_text
    ON offers FOR EACH ROW EXECUTE FUNCTION offer_search_sync_offer();

CREATE TRIGGER partners_search_sync AFTER UPDATE OF status ON partners
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION offer_search_sync_partner();
""" % {"columns": COLUMNS}  # noqa: S608 (constants only)


def upgrade() -> None:
    op.create_table(
        "offer_search",
        sa.Column("offer_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("partner_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("category_id", postgresql.UUID(as_uuid=True), nullable=False),
        sa.Column("featured", sa.Boolean(), nullable=False),
        sa.Column("cities", postgresql.ARRAY(sa.String(length=100)), nullable=False),
        sa.Column("shown_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shown_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("listed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("eligible_companies", postgresql.ARRAY(sa.String(length=200)), nullable=False),
        sa.Column("eligible_departments", postgresql.ARRAY(sa.String(length=200)), nullable=False),
        sa.Column("eligible_cities", postgresql.ARRAY(sa.String(length=100)), nullable=False),
        sa.Column("search_vector", postgresql.TSVECTOR(), nullable=False),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["offers.id"], name=op.f("fk_offer_search_offer_id_offers"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("offer_id", name=op.f("pk_offer_search")),
    )
    op.execute(SOURCE_VIEW)
    for statement in FUNCTIONS.split("\n\n"):  # asyncpg runs one statement at a time
        op.execute(statement)
    # Backfill before the indexes: one pass, then each index built once.
    op.execute(f"INSERT INTO offer_search ({COLUMNS}) SELECT {COLUMNS} FROM offer_search_source")  # noqa: S608
    op.create_index("ix_offer_search_words", "offer_search", ["search_vector"], postgresql_using="gin")
    op.create_index("ix_offer_search_partner", "offer_search", ["partner_id"])
    op.execute("ANALYZE offer_search")


def downgrade() -> None:
    op.execute("DROP TRIGGER partners_search_sync ON partners")
    op.execute("DROP TRIGGER offers_search_sync ON offers")
    op.execute("DROP FUNCTION offer_search_sync_partner()")
    op.execute("DROP FUNCTION offer_search_sync_offer()")
    op.execute("DROP VIEW offer_search_source")
    op.drop_table("offer_search")
