"""The narrow search copy ``offer_search`` (migration 0009) that relevance search ranks from, and its
per-lexeme postings (migration 0013): the triggers keep both equal to what they are made of, whatever writes
the offers and partners."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from tests.helpers import API, Api, bearer

# Rows that are in the copy and should not be, and rows that should be and are not (or differ).
DRIFT = """
SELECT 'extra' AS kind, offer_id FROM (
    SELECT offer_id, partner_id, category_id, featured, cities, shown_from, shown_until, listed_at,
           eligible_companies, eligible_departments, eligible_cities, search_vector::text
    FROM offer_search
    EXCEPT
    SELECT offer_id, partner_id, category_id, featured, cities, shown_from, shown_until, listed_at,
           eligible_companies, eligible_departments, eligible_cities, search_vector::text
    FROM offer_search_source
) extra
UNION ALL
SELECT 'missing', offer_id FROM (
    SELECT offer_id, partner_id, category_id, featured, cities, shown_from, shown_until, listed_at,
           eligible_companies, eligible_departments, eligible_cities, search_vector::text
    FROM offer_search_source
    EXCEPT
    SELECT offer_id, partner_id, category_id, featured, cities, shown_from, shown_until, listed_at,
           eligible_companies, eligible_departments, eligible_cities, search_vector::text
    FROM offer_search
) missing
"""

# Postings that are there and should not be, and postings that should be and are not (or score otherwise):
# one per lexeme of each row of the copy, scored as ts_rank against that lexeme alone; and every lexeme of a
# posting numbered in search_lexemes.
POSTINGS_DRIFT = """
SELECT 'extra posting' AS kind, offer_id FROM (
    SELECT p.offer_id, l.term::text, p.score FROM offer_search_postings p
    LEFT JOIN search_lexemes l ON l.id = p.term_id
    EXCEPT ALL
    SELECT s.offer_id, u.lexeme, ts_rank(s.search_vector, offer_search_lexeme_query(u.lexeme))
    FROM offer_search s, unnest(s.search_vector) u
) extra
UNION ALL
SELECT 'missing posting', offer_id FROM (
    SELECT s.offer_id, u.lexeme, ts_rank(s.search_vector, offer_search_lexeme_query(u.lexeme))
    FROM offer_search s, unnest(s.search_vector) u
    EXCEPT ALL
    SELECT p.offer_id, l.term::text, p.score FROM offer_search_postings p
    LEFT JOIN search_lexemes l ON l.id = p.term_id
) missing
"""


async def sql(api: Api, statement: str, **params: Any) -> list[Any]:
    async with api.app.state.runtime.db_config.get_session() as session:
        result = await session.execute(text(statement), params)
        rows = list(result) if result.returns_rows else []
        await session.commit()
        return rows


async def drift(api: Api) -> list[tuple[str, str]]:
    """What differs in the copy or its postings from what they are made of (nothing, always)."""
    return [
        (row.kind, str(row.offer_id)) for query in (DRIFT, POSTINGS_DRIFT) for row in await sql(api, query)
    ]


async def postings(api: Api) -> int:
    [row] = await sql(api, "SELECT count(*) AS n FROM offer_search_postings")
    return int(row.n)


async def copied(api: Api) -> set[str]:
    return {str(row.offer_id) for row in await sql(api, "SELECT offer_id FROM offer_search")}


async def test_the_copy_follows_every_write_to_offers(api: Api) -> None:
    _, partner = await api.partner_with_admin("Kofe Dala")
    published = await api.create_offer(partner, title={"en": "Coffee", "ru": "Кофе"})
    draft = await api.create_offer(partner, status="draft", title={"en": "Tea"})
    assert await copied(api) == {published["id"]}
    assert await postings(api) > 0
    assert await drift(api) == []

    # An edit through the service: the copy's search vector follows the new title.
    url = f"{API}/partner/offers/{published['id']}"
    response = await api.client.patch(url, json={"title": {"en": "Pizza", "ru": "Пицца"}}, headers=partner)
    assert response.status_code == 200, response.text
    assert await drift(api) == []
    [row] = await sql(
        api,
        "SELECT search_vector @@ to_tsquery('english', 'pizza') AS pizza,"
        " search_vector @@ to_tsquery('english', 'coffee') AS coffee FROM offer_search WHERE offer_id = :id",
        id=published["id"],
    )
    assert (row.pizza, row.coffee) == (True, False)

    # Publishing the draft adds it; archiving takes it out.
    response = await api.client.patch(
        f"{API}/partner/offers/{draft['id']}", json={"status": "published"}, headers=partner
    )
    assert response.status_code == 200, response.text
    assert await copied(api) == {published["id"], draft["id"]}
    response = await api.client.patch(url, json={"status": "archived"}, headers=partner)
    assert response.status_code == 200, response.text
    assert await copied(api) == {draft["id"]}
    assert await drift(api) == []

    # Writes straight to the table are followed too: eligibility, the window, a delete.
    await sql(
        api,
        "UPDATE offers SET eligible_cities = '{Almaty}', shown_until = shown_until + interval '1 day'"
        " WHERE id = :id",
        id=draft["id"],
    )
    assert await drift(api) == []
    await sql(api, "DELETE FROM offers WHERE id = :id", id=draft["id"])
    assert await copied(api) == set()
    assert await postings(api) == 0
    assert await drift(api) == []


async def test_issuing_a_code_does_not_touch_the_copy(api: Api) -> None:
    _, partner = await api.partner_with_admin()
    offer = await api.create_offer(partner)
    [before] = await sql(
        api, "SELECT xmin::text AS version FROM offer_search WHERE offer_id = :id", id=offer["id"]
    )
    # What issuing does to the offer (redemption/services.py): only issued_count changes.
    await sql(api, "UPDATE offers SET issued_count = issued_count + 1 WHERE id = :id", id=offer["id"])
    [after] = await sql(
        api, "SELECT xmin::text AS version FROM offer_search WHERE offer_id = :id", id=offer["id"]
    )
    assert after.version == before.version
    assert await drift(api) == []


async def test_a_partners_status_takes_its_offers_out_of_the_copy_and_back(api: Api) -> None:
    admin = bearer(await api.admin_token())
    partner, headers = await api.partner_with_admin("Kofe Dala")
    _, other_headers = await api.partner_with_admin("Shashlyk Bar")
    offers = {(await api.create_offer(headers))["id"] for _ in range(3)}
    draft = await api.create_offer(headers, status="draft")
    other = await api.create_offer(other_headers)
    assert await copied(api) == offers | {other["id"]}

    url = f"{API}/admin/partners/{partner['id']}"
    response = await api.client.patch(url, json={"status": "suspended"}, headers=admin)
    assert response.status_code == 200, response.text
    assert await copied(api) == {other["id"]}
    assert await drift(api) == []

    response = await api.client.patch(url, json={"status": "active"}, headers=admin)
    assert response.status_code == 200, response.text
    assert await copied(api) == offers | {other["id"]}
    assert draft["id"] not in await copied(api)
    assert await drift(api) == []

    # A partner renamed: its offers' partner_names (and so their search vectors) follow.
    response = await api.client.patch(url, json={"name": {"en": "Pizza Dala"}}, headers=admin)
    assert response.status_code == 200, response.text
    assert await drift(api) == []
    [row] = await sql(
        api,
        "SELECT count(*) AS n FROM offer_search WHERE search_vector @@ to_tsquery('simple', 'pizza')",
    )
    assert row.n == len(offers)
