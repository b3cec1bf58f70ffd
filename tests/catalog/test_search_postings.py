"""A one-word search found from the postings (migration 0013, ``catalog/postings.py``): the rank is the sum
the postings say it is, the page found by walking them (and widened by the offers that can still reach it)
is the page that ranking every match gives, and the proof that decides it holds only when it should."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from loyalty.catalog.browse import BrowseShape, walked_page
from loyalty.catalog.postings import (
    MOST_REACHING_SETS,
    Walk,
    page_is_exact,
    reaching_query,
    reaching_sets,
    worth_walking_on,
)
from loyalty.catalog.search import tsquery_params, tsquery_shape, understand
from loyalty.catalog.visibility import Viewer, viewer_params, viewer_shape
from loyalty.core.prepared import connection_of
from tests.catalog.test_search_copy import drift, sql
from tests.helpers import API, Api

ID = [UUID(int=n) for n in range(100)]


def walk(share: float, *taken: tuple[float, int], lexeme: str = "") -> Walk:
    return Walk(lexeme, share, [(score, ID[n]) for score, n in taken])


def test_every_list_exhausted_means_every_visible_match_was_ranked() -> None:
    walks = {1: walk(0.5, (0.6, 9), (0.3, 2))}
    assert page_is_exact(walks, depth=3, ranked=[(0.3, ID[9])], wanted=3)


def test_a_page_ranked_above_what_any_outsider_can_reach_is_exact() -> None:
    walks = {1: walk(0.5, (0.6, 9), (0.6, 8), (0.3, 2)), 2: walk(0.5, (0.6, 9), (0.2, 7), (0.1, 1))}
    # An outsider reaches at most 0.5·0.3 + 0.5·0.1 = 0.2.
    assert page_is_exact(walks, depth=3, ranked=[(0.6, ID[9]), (0.3, ID[8]), (0.25, ID[7])], wanted=3)
    assert not page_is_exact(walks, depth=3, ranked=[(0.6, ID[9]), (0.3, ID[8]), (0.15, ID[7])], wanted=3)


def test_a_tie_with_the_bound_is_exact_only_when_every_outsider_has_a_smaller_id() -> None:
    walks = {1: walk(0.5, (0.6, 50), (0.6, 40), (0.6, 30)), 2: walk(0.5, (0.6, 50), (0.6, 40), (0.6, 20))}
    tied = [(0.6, ID[50]), (0.6, ID[40]), (0.6, ID[30])]
    # An outsider at 0.6 has an id below 20 (list 2 stopped there), so below the page's last (30).
    assert page_is_exact(walks, depth=3, ranked=tied, wanted=3)
    # Both lists stopped above the page's last id: an offer between them could rank the same and come first.
    walks = {1: walk(0.5, (0.6, 50), (0.6, 40), (0.6, 35)), 2: walk(0.5, (0.6, 50), (0.6, 40), (0.6, 32))}
    assert not page_is_exact(walks, depth=3, ranked=tied, wanted=3)


def test_a_list_that_counts_nothing_never_settles_a_tie() -> None:
    # Lexemes a prefix matches but ts_rank does not count (share 0): outsiders rank 0 like the page's last.
    walks = {1: walk(0.0, (0.6, 50), (0.6, 40))}
    assert not page_is_exact(walks, depth=2, ranked=[(0.0, ID[60]), (0.0, ID[10])], wanted=2)


def test_too_few_candidates_with_an_open_list_are_not_a_page() -> None:
    walks = {1: walk(1.0, (0.6, 50), (0.6, 40))}
    assert not page_is_exact(walks, depth=2, ranked=[(0.6, ID[50])], wanted=2)


COMPANY = "Dala Energy"
TEXTS = [
    # (title ru, title kk, description ru, partner) in several shapes, so that ranks differ and also tie.
    ("Кофе со скидкой", "Кофе жеңілдікпен", "Кофе и кофе снова", "Kofe Dala"),
    ("Кофе", "Кофе", "", "Kofe Dala"),
    ("Десерты", "Десерттер", "К десерту кофе", "Kofe Dala"),
    ("Кофе и десерты", "Кофе мен десерттер", "Кофе", "Кофе Бар"),
    ("Завтрак", "Таңғы ас", "Кофе бесплатно", "Кофе Бар"),
    ("Кофейня рядом", "Кофеханада", "", "Кофе Бар"),
]


def search_shape(words: list[str], corrections: dict[str, list[str]], viewer: Viewer) -> BrowseShape:
    return BrowseShape(
        sort="relevance",
        viewer=viewer_shape(viewer),
        tsquery=tsquery_shape(words, corrections),
    )


async def coffee_catalog(api: Api) -> tuple[Any, list[str]]:
    """Offers matching кофе in many shapes, some for another company; the employee of COMPANY."""
    await api.publish_policy("1")
    employee = await api.register(company=COMPANY, department="IT", city="Astana")
    partners = {name: (await api.partner_with_admin(name))[1] for name in {text[3] for text in TEXTS}}
    hidden = []
    for n in range(36):
        title_ru, title_kk, description_ru, partner = TEXTS[n % len(TEXTS)]
        eligibility = {"companies": ["Other Group"]} if n % 7 == 3 else None
        offer = await api.create_offer(
            partners[partner],
            title={"ru": title_ru, "kk": title_kk, "en": f"Offer {n}"},
            **({"description": {"ru": description_ru}} if description_ru else {}),
            **({"eligibility": eligibility} if eligibility else {}),
        )
        if eligibility:
            hidden.append(offer["id"])
    return employee, hidden


FULL_RANKING = """
SELECT s.offer_id FROM offer_search s, (SELECT {query} AS q) q
WHERE s.search_vector @@ q.q AND s.shown_from <= :now AND s.shown_until > :now
  AND (s.eligible_companies = '{{}}' OR s.eligible_companies @> ARRAY[:company]::varchar[])
ORDER BY ts_rank(s.search_vector, q.q) DESC, s.offer_id DESC
"""
COFFEE_QUERY = "to_tsquery('simple', 'кофе:*') || plainto_tsquery('russian', 'кофе') || plainto_tsquery('english', 'кофе')"


async def test_the_rank_of_one_word_is_the_sum_of_its_postings(api: Api) -> None:
    await coffee_catalog(api)
    rows = await sql(
        api,
        f"""
        SELECT s.offer_id, ts_rank(s.search_vector, q.q)::float8 AS rank,
               (SELECT sum(t.share * p.score) FROM offer_search_terms_of(q.q) t
                JOIN offer_search_postings p ON p.term_id = t.term_id AND p.offer_id = s.offer_id) AS summed
        FROM offer_search s, (SELECT {COFFEE_QUERY} AS q) q WHERE s.search_vector @@ q.q
        """,
    )
    assert len(rows) == 36
    assert len({row.rank for row in rows}) >= 4
    for row in rows:
        assert abs(row.rank - row.summed) <= 1e-6 * row.rank, row


async def test_a_page_found_from_the_postings_is_the_page_of_full_ranking(api: Api) -> None:
    employee, hidden = await coffee_catalog(api)
    expected = [
        str(row.offer_id)
        for row in await sql(
            api, FULL_RANKING.format(query=COFFEE_QUERY), company=COMPANY, now=api.clock.now()
        )
    ]
    assert len(expected) == 36 - len(hidden)
    assert not set(hidden) & set(expected)

    # Through the API, page after page (the first from the postings, the next ones ranking every match).
    seen: list[str] = []
    params: dict[str, Any] = {"q": "кофе", "limit": 5}
    while True:
        response = await api.client.get(f"{API}/offers", params=params, headers=employee.headers)
        assert response.status_code == 200, response.text
        body = response.json()
        seen += [item["id"] for item in body["items"]]
        if not body["next_cursor"]:
            break
        params["cursor"] = body["next_cursor"]
    assert seen == expected

    # The first page really came from the postings (None would mean: every match ranked instead).
    async with api.app.state.runtime.db_config.get_session() as session:
        connection = await connection_of(session)
        words, corrections = await understand(connection, ["кофе"])
        viewer = Viewer(ID[0], COMPANY, "IT", "Astana")  # lists do not read the user id
        shape = search_shape(words, corrections, viewer)
        for limit in (1, 5, 20):
            params = {"now": api.clock.now(), "limit": limit + 1, **viewer_params(viewer)}
            rows = await walked_page(connection, shape, params | tsquery_params(words, corrections))
            assert rows is not None
            assert [str(row["sort_1"]) for row in rows] == expected[: limit + 1]
    assert await drift(api) == []


def test_a_walk_goes_deeper_only_while_the_page_is_near_the_bound() -> None:
    walks = {1: walk(1.0, (0.6, 50), (0.5, 40))}
    assert worth_walking_on(walks, depth=2, ranked=[(0.6, ID[50]), (0.3, ID[40])], wanted=2)
    assert not worth_walking_on(walks, depth=2, ranked=[(0.6, ID[50]), (0.2, ID[40])], wanted=2)
    assert not worth_walking_on(walks, depth=2, ranked=[(0.6, ID[50])], wanted=2)


def test_a_walk_goes_deeper_only_when_its_best_candidate_comes_near_the_bound() -> None:
    # Two lexemes in runs of equal scores: an outsider holding both would rank 1.0·0.6 + 0.5·0.6 = 0.9.
    walks = {1: walk(1.0, (0.6, 50), (0.6, 40)), 2: walk(0.5, (0.6, 30), (0.6, 20))}
    # Offer 50 holds both at that score: more such offers may follow deeper, which would prove the page.
    assert worth_walking_on(walks, depth=2, ranked=[(0.9, ID[50]), (0.5, ID[40])], wanted=2)
    # Just short of it (0.9 < 1.25 · 0.75): still worth a deeper walk.
    assert worth_walking_on(walks, depth=2, ranked=[(0.75, ID[50]), (0.5, ID[40])], wanted=2)
    # The page is near the bound, but every candidate holds one lexeme only (they score highest in
    # different offers): deeper walks would not reach 0.9 either, so give up and rank every match.
    assert not worth_walking_on(walks, depth=2, ranked=[(0.6, ID[50]), (0.5, ID[40])], wanted=2)


def test_the_sets_that_reach_a_page_are_the_smallest_whose_last_scores_add_up_to_it() -> None:
    walks = {
        1: walk(1.0, (0.8, 9), (0.8, 8), lexeme="кітаптар"),
        2: walk(0.5, (0.8, 7), (0.8, 6), lexeme="кітап"),
        3: walk(0.5, (0.8, 5), (0.8, 4), lexeme="кітаптары"),
        4: walk(0.5, (0.6, 3), lexeme="кітаптарға"),  # exhausted: its offers are all candidates
        5: walk(0.0, (0.9, 2), (0.9, 1), lexeme="кофеханада"),  # counts for nothing in the rank
    }
    page = [(0.9, ID[9]), (0.8, ID[8])]
    # 0.8 alone reaches 0.8; 0.4 + 0.4 too: an outsider must hold кітаптар, or кітап and кітаптары.
    assert reaching_sets(walks, 2, page, wanted=2) == [["кітаптар"], ["кітаптары", "кітап"]]
    # A page at 1.2: кітаптар with one of the others (0.8 + 0.4); the two others alone (0.8) fall short.
    assert reaching_sets(walks, 2, [(1.3, ID[9]), (1.2, ID[8])], wanted=2) == [
        ["кітаптар", "кітаптары"],
        ["кітаптар", "кітап"],
    ]
    # Above every list together (1.6): no outsider reaches it.
    assert reaching_sets(walks, 2, [(1.7, ID[9]), (1.65, ID[8])], wanted=2) == []
    # No last rank to reach while the page is not full.
    assert reaching_sets(walks, 2, [(0.9, ID[9])], wanted=2) is None


def test_too_many_reaching_sets_mean_ranking_every_match() -> None:
    # 12 lists of 0.1 and a page at 0.3: every three of them reach it, 220 sets.
    walks = {n: walk(1.0, (0.1, n), (0.1, n + 50), lexeme=f"w{n}") for n in range(12)}
    assert reaching_sets(walks, 2, [(0.3, ID[99]), (0.3, ID[98])], wanted=2) is None
    # With 0.2 to reach, the 66 pairs are still too many; with 0.1, the 12 lists alone are not.
    assert reaching_sets(walks, 2, [(0.2, ID[99]), (0.2, ID[98])], wanted=2) is None
    few = reaching_sets(walks, 2, [(0.1, ID[99]), (0.1, ID[98])], wanted=2)
    assert few is not None
    assert len(few) == 12 <= MOST_REACHING_SETS


async def test_the_reaching_query_holds_any_lexeme_as_it_is(api: Api) -> None:
    query = reaching_query([["it's", "back\\slash"], ["кітап"]])
    holds = """SELECT array_to_tsvector(CAST(:lexemes AS text[])) @@ CAST(:query AS tsquery) AS held"""
    for lexemes, held in (
        (["it's", "back\\slash"], True),
        (["it's"], False),
        (["кітап"], True),
        (["кітаптар"], False),  # exact lexemes, not prefixes
    ):
        rows = await sql(api, holds, lexemes=lexemes, query=query)
        assert rows[0].held is held, lexemes


# Kazakh forms of one word that score highest in different offers: кітаптар alone (share 1 of the query
# 'кітап':* | 'кітаптар'), кітап and кітаптары alone (share 1/2 each), three times in the title, against
# offers that hold all three forms once (rank 0.61 · (1/2 + 1 + 1/2), the best, but at the top of no list).
FORMS = [
    ("кітап кітап кітап", 4),
    ("кітаптары кітаптары кітаптары", 4),
    ("кітаптар кітаптар кітаптар", 4),
    ("кітап кітаптар кітаптары", 5),
]


async def test_a_page_the_walk_cannot_prove_is_found_among_the_offers_that_reach_it(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register(company=COMPANY, department="IT", city="Astana")
    partner = (await api.partner_with_admin("Dala Books"))[1]
    for title, count in FORMS:
        for n in range(count):
            await api.create_offer(partner, title={"ru": "Книги", "kk": title, "en": f"Books {n}"})
    # The newest offer that holds all the forms is for another company: it must stay out of the page.
    hidden = await api.create_offer(
        partner,
        title={"ru": "Книги", "kk": FORMS[-1][0], "en": "Books"},
        eligibility={"companies": ["Other Group"]},
    )
    query = (
        "to_tsquery('simple', 'кітап:*') || plainto_tsquery('russian', 'кітаптар')"
        " || plainto_tsquery('english', 'кітаптар')"
    )
    expected = [
        str(row.offer_id)
        for row in await sql(api, FULL_RANKING.format(query=query), company=COMPANY, now=api.clock.now())
    ]
    assert len(expected) == 17
    assert hidden["id"] not in expected

    async with api.app.state.runtime.db_config.get_session() as session:
        connection = await connection_of(session)
        words, corrections = await understand(connection, ["кітаптар"])
        viewer = Viewer(ID[0], COMPANY, "IT", "Astana")
        shape = search_shape(words, corrections, viewer)
        for limit in (2, 3):
            params = {"now": api.clock.now(), "limit": limit + 1, **viewer_params(viewer)}
            steps: list[str] = []
            rows = await walked_page(
                connection, shape, params | tsquery_params(words, corrections), steps=steps
            )
            assert rows is not None
            assert [str(row["sort_1"]) for row in rows] == expected[: limit + 1]
            # Not proven by the walk (its candidates are the forms alone): the offers holding every form
            # were ranked beside them, then those holding the sets that could still reach the page.
            assert steps[0] == f"walk {limit + 1}", steps
            assert "reach all" in steps, steps

    # And through the API, page after page.
    seen: list[str] = []
    params: dict[str, Any] = {"q": "кітаптар", "limit": 3}
    while True:
        response = await api.client.get(f"{API}/offers", params=params, headers=employee.headers)
        assert response.status_code == 200, response.text
        seen += [item["id"] for item in response.json()["items"]]
        if not response.json()["next_cursor"]:
            break
        params["cursor"] = response.json()["next_cursor"]
    assert seen == expected
