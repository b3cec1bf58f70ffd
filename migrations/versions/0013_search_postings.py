"""search_postings: per-word postings of the search copy, in score order, so a search reads its best candidates
first instead of every match

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30 00:30:00.000000+00:00

For each row of ``offer_search`` and each lexeme of its search vector, ``offer_search_postings`` holds
the lexeme's share of ``ts_rank``: for a query whose top operator is OR (one typed word, in every language,
with its corrections), ``ts_rank`` is a sum over the matching lexemes of a score that depends only on that
lexeme's positions and weights in the offer (PostgreSQL's ``calc_rank_or``), and the score stored is
exactly that term (``ts_rank`` of the vector against the lexeme alone). The index ``(term_id, score DESC,
offer_id DESC)`` walks a lexeme's offers best first; ``catalog/browse.py`` walks the query's lexemes a page
deep, ranks those candidates in full and uses them only when it can prove that no other offer outranks
the page (``catalog/postings.py``).

``search_lexemes`` numbers every lexeme ever seen (``COLLATE "C"`` so that a prefix is an index range);
it only grows, like ``search_terms``. Triggers on ``offer_search`` keep the postings: a row's postings are
deleted by their exact key (recomputed from the old vector) and inserted from the new one, only when the
vector changes or the row comes or goes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A lexeme as a one-operand tsquery (quotes and backslashes escaped as tsquery input wants them).
LEXEME_QUERY = r"""
CREATE FUNCTION offer_search_lexeme_query(lexeme text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN ('''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''')::tsquery
"""

# The lexemes of the catalog that a tsquery's operands match (an operand with :* matches every lexeme it
# begins), each with the share of its score that counts in ts_rank against the query: how many of the
# query's distinct operands match it, divided by their number. Measured with ts_rank itself on the lexeme
# alone, so it is what PostgreSQL computes. Only for a disjunction of operands (one typed word): ts_rank of
# an AND is not such a sum, and no lexemes come back.
TERMS_OF = r"""
CREATE FUNCTION offer_search_terms_of(query tsquery) RETURNS TABLE (term_id integer, share double precision)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE ROWS 10 AS $$
    SELECT l.id,
           ts_rank(array_to_tsvector(ARRAY[l.term::text]), query)::double precision
           / ts_rank(array_to_tsvector(ARRAY[l.term::text]), offer_search_lexeme_query(l.term))
    FROM (
        SELECT DISTINCT replace(replace(m[1], '''''', ''''), '\\', '\') AS lexeme, m[2] IS NOT NULL AS prefix
        FROM regexp_matches(query::text, '''((?:''''|\\.|[^''\\])*)''(:\*)?', 'g') AS m
    ) operand
    -- A prefix as an index range ('\U0010FFFF' is a noncharacter: no lexeme holds it); OFFSET 0 keeps the
    -- test below out of it, so that the range is read from the index rather than every lexeme tested.
    CROSS JOIN LATERAL (
        SELECT l.id, l.term FROM search_lexemes l
        WHERE l.term >= operand.lexeme
          AND l.term <= CASE WHEN operand.prefix THEN operand.lexeme || U&'\+10FFFF' ELSE operand.lexeme END
        OFFSET 0
    ) l
    WHERE array_to_tsvector(ARRAY[l.term::text]) @@ query
      AND query::text !~ '[&!<]'  -- operators other than OR (quoted lexemes are letters and digits here)
    GROUP BY l.id, l.term
$$
"""

SYNC = """
CREATE FUNCTION offer_search_postings_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        DELETE FROM offer_search_postings p
        USING unnest(OLD.search_vector) u, search_lexemes l
        WHERE l.term = u.lexeme AND p.term_id = l.id
          AND p.score = ts_rank(OLD.search_vector, offer_search_lexeme_query(u.lexeme))
          AND p.offer_id = OLD.offer_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO search_lexemes (term)
        SELECT u.lexeme FROM unnest(NEW.search_vector) u
        WHERE NOT EXISTS (SELECT FROM search_lexemes l WHERE l.term = u.lexeme)
        ON CONFLICT (term) DO NOTHING;
        INSERT INTO offer_search_postings (term_id, score, offer_id)
        SELECT l.id, ts_rank(NEW.search_vector, offer_search_lexeme_query(u.lexeme)), NEW.offer_id
        FROM unnest(NEW.search_vector) u JOIN search_lexemes l ON l.term = u.lexeme;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER offer_search_postings_come_and_go AFTER INSERT OR DELETE ON offer_search
    FOR EACH ROW EXECUTE FUNCTION offer_search_postings_sync();

CREATE TRIGGER offer_search_postings_change AFTER UPDATE OF search_vector ON offer_search
    FOR EACH ROW WHEN (OLD.search_vector IS DISTINCT FROM NEW.search_vector)
    EXECUTE FUNCTION offer_search_postings_sync();
"""


def upgrade() -> None:
    op.create_table(
        "search_lexemes",
        sa.Column("id", sa.Integer(), sa.Identity(always=True), nullable=False),
        sa.Column("term", sa.Text(collation="C"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_lexemes")),
        sa.UniqueConstraint("term", name=op.f("uq_search_lexemes_term")),
    )
    op.create_table(
        "offer_search_postings",
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.REAL(), nullable=False),
        sa.Column("offer_id", sa.Uuid(), nullable=False),
    )
    op.execute(LEXEME_QUERY)
    op.execute(TERMS_OF)
    for statement in SYNC.split("\n\n"):  # asyncpg runs one statement at a time
        op.execute(statement)
    # Backfill before the index: one pass, then the index built once.
    op.execute(
        "INSERT INTO search_lexemes (term)"
        " SELECT DISTINCT u.lexeme FROM offer_search s, unnest(s.search_vector) u ORDER BY 1"
    )
    op.execute(
        "INSERT INTO offer_search_postings (term_id, score, offer_id)"
        " SELECT l.id, ts_rank(s.search_vector, offer_search_lexeme_query(u.lexeme)), s.offer_id"
        " FROM offer_search s, unnest(s.search_vector) u JOIN search_lexemes l ON l.term = u.lexeme"
    )
    op.execute(
        "CREATE INDEX ix_offer_search_postings_walk"
        " ON offer_search_postings (term_id, score DESC, offer_id DESC)"
    )
    op.execute("ANALYZE search_lexemes")
    op.execute("ANALYZE offer_search_postings")


def downgrade() -> None:
    op.execute("DROP TRIGGER offer_search_postings_change ON offer_search")
    op.execute("DROP TRIGGER offer_search_postings_come_and_go ON offer_search")
    op.execute("DROP FUNCTION offer_search_postings_sync()")
    op.execute("DROP FUNCTION offer_search_terms_of(tsquery)")
    op.execute("DROP FUNCTION offer_search_lexeme_query(text)")
    op.drop_table("offer_search_postings")
    op.drop_table("search_lexemes")
