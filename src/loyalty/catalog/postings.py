"""Searching one word without reading all its matches: walk each matching lexeme's postings best first, rank
those candidates in full, and keep the page only when no other offer can outrank it.

Why it is exact. A one-word query (the word in every language, its Kazakh prefixes, its corrections) is an
OR of operands, and for such a query PostgreSQL's ``ts_rank`` is ``Σ share(l) · score(offer, l)`` over the
query's lexemes ``l`` in the offer, where ``score`` depends only on the offer's own positions and weights of
``l`` (stored per posting by migration 0013) and ``share`` only on the query (``offer_search_terms_of``).
Each lexeme's postings are walked ``depth`` deep, best first and visible to the viewer only, in the order
(score, offer id) descending. A list shorter than ``depth`` is exhausted: every visible offer with that
lexeme is a candidate. An offer that is not a candidate therefore has only lexemes of lists that were not
exhausted, each at most the score where that walk stopped, so its rank is at most
``bound = Σ share(l) · last score(l)`` over those lists. The page (ranked in full) is exact when its last row
ranks above ``bound``; when it ranks the same (a tie, common where many offers are written alike), an
outsider with that rank would have had to reach every list's last score, which the walk leaves only to
offers of smaller ids than that list's last one, so the page is exact when some such list stopped at an id
no greater than the page's last row (ties are broken by id, descending).

When the page is not proven, the walk goes deeper while that looks worth it (:func:`worth_walking_on`) and
up to :data:`MAX_DEPTH`. Then the same argument says which other offers can still reach the page: an
outsider's rank is at most the sum of ``share · last score`` over the open lists of the lexemes it holds,
so only an offer that holds every lexeme of one set whose sum reaches the page's last rank can
(:func:`reaching_sets`). Those offers are found by the full-text index as an OR of ANDs of lexemes and
ranked in full beside the candidates, so the page is exact without ranking every match. Where a word's
forms score highest in different offers (кітаптар: кітап, кітаптар, кітаптары), the offers holding all of
them rank highest yet top no list; ranking those first (``browse.reached_page``) raises the page, and few
other offers can still reach it. Only when the page is not full or the sets are too many
(:data:`MOST_REACHING_SETS`) does the caller rank every match.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

# Ranks are float4 sums and the bound a float8 sum of the same terms: ranks closer than this (relative)
# count as a tie. Distinct ranks of real texts differ by far more (a lexeme's score changes by at least
# 0.1/n² for the n-th occurrence).
TIE = 1e-5
# A deeper walk is worth it only while the page's last rank is within this factor of the bound: measured on
# the benchmark's catalog, walks that got there were proven within two more (тенге: 1.67 → proven at 336),
# and those further off stayed off (кітаптар: 2.08, 1.41, 1.39 at 21, 84, 336 deep at 100k; 1.70, 1.41,
# 1.41 at 1M, which is why :func:`worth_walking_on` also looks at the best candidate).
WORTH_WALKING_ON = 2.0
# ... and only while the best candidate is within this factor of the bound. Measured: the walks that were
# proven deeper had it at the bound (тенге 1.00, пицца 0.99) or just below (1.02 in the tests' catalog,
# whose lists a deeper walk exhausts); кітаптар, never proven, has it at 1.34 at every depth.
BEST_NEAR_BOUND = 1.25
MAX_DEPTH = (
    336  # 21 × 4²: two deeper walks after the first page's; deeper costs more than ranking every match
)
# More sets than this make a query the full-text index answers no faster than every match.
MOST_REACHING_SETS = 32


@dataclass(slots=True)
class Walk:
    """One lexeme's postings as walked: its share of the rank and the (score, offer id) taken, best first."""

    lexeme: str
    share: float
    taken: list[tuple[float, UUID]] = field(default_factory=list)


def walks_of(rows: Iterable[Any]) -> dict[int, Walk]:
    """The walk statement's rows (term_id, lexeme, share, offer_id, score; no offer for an empty list) by
    lexeme."""
    walks: dict[int, Walk] = {}
    for row in rows:
        walk = walks.setdefault(row["term_id"], Walk(row["lexeme"], row["share"]))
        if row["offer_id"] is not None:
            walk.taken.append((row["score"], row["offer_id"]))
    return walks


def candidates(walks: dict[int, Walk]) -> list[UUID]:
    return list({offer_id for walk in walks.values() for _, offer_id in walk.taken})


def bound_of(walks: dict[int, Walk], depth: int) -> float:
    """The highest rank an offer that is not a candidate can have (see the module's docstring)."""
    return sum(walk.share * walk.taken[-1][0] for walk in walks.values() if len(walk.taken) >= depth)


def worth_walking_on(
    walks: dict[int, Walk], depth: int, ranked: Sequence[tuple[float, UUID]], wanted: int
) -> bool:
    """Whether a deeper walk may prove a page this one did not (a cost rule, not one of exactness).

    Two signs, both from the walk just made: the page's last row is within :data:`WORTH_WALKING_ON` of the
    bound, and its best row within :data:`BEST_NEAR_BOUND`. The bound counts an outsider in every open
    list at that list's last score; where lists hold long runs of equal scores (texts written alike) it
    hardly falls as the walk deepens, so the page is proven only once ``wanted`` offers come close to it.
    When not even the best of the first walk does, the offers that combine the lexemes best top no list,
    and deeper walks would only add their cost to finding them (``browse.reached_page``; кітаптар: its
    three lexemes score highest in different offers; best candidate 1.085 against a bound of 1.45 at
    every depth)."""
    if len(ranked) < wanted:
        return False
    bound = bound_of(walks, depth)
    return bound < WORTH_WALKING_ON * ranked[-1][0] and bound < BEST_NEAR_BOUND * ranked[0][0]


def page_is_exact(
    walks: dict[int, Walk], depth: int, ranked: Sequence[tuple[float, UUID]], wanted: int
) -> bool:
    """Whether ``ranked`` (the candidates' best ``wanted`` as (rank, id), ranked in full, descending) is the
    best ``wanted`` of all visible matches (see the module's docstring)."""
    open_walks = [walk for walk in walks.values() if len(walk.taken) >= depth]
    if not open_walks:
        return True  # every visible match is a candidate
    if len(ranked) < wanted:
        return False
    bound = bound_of(walks, depth)
    last_rank, last_id = ranked[-1]
    if last_rank > bound * (1 + TIE):
        return True
    if last_rank < bound * (1 - TIE):
        return False
    stops = [walk.taken[-1][1] for walk in open_walks if walk.share > 0 and walk.taken[-1][0] > 0]
    return bool(stops) and min(stops) <= last_id


def open_walks(walks: dict[int, Walk], depth: int) -> list[Walk]:
    """The walks that stopped before their list's end at a score that still counts in the rank."""
    return [
        walk
        for walk in walks.values()
        if len(walk.taken) >= depth and walk.share > 0 and walk.taken[-1][0] > 0
    ]


def reaching_sets(
    walks: dict[int, Walk], depth: int, ranked: Sequence[tuple[float, UUID]], wanted: int
) -> list[list[str]] | None:
    """The smallest sets of open lists' lexemes whose ``share · last score`` together reach the page's last
    rank: an offer that is not a candidate can rank as high as the page only if it holds every lexeme of
    one of them (see the module's docstring). None when the page is not full (there is no last rank to
    reach) or the sets are too many."""
    if len(ranked) < wanted:
        return None
    reach = ranked[-1][0] * (1 - TIE)
    lists = sorted(
        ((walk.share * walk.taken[-1][0], walk.lexeme) for walk in open_walks(walks, depth)), reverse=True
    )
    after = [sum(upper for upper, _ in lists[i:]) for i in range(len(lists) + 1)]
    sets: list[list[str]] = []

    def extend(start: int, chosen: list[str], total: float) -> bool:
        """Adding lists from the largest down, a set is recorded as soon as it reaches, so it is smallest:
        without its last (and smallest) member it did not. False: too many sets."""
        for i in range(start, len(lists)):
            if total + after[i] < reach:
                return True  # the rest together cannot reach
            upper, lexeme = lists[i]
            if total + upper >= reach:
                sets.append([*chosen, lexeme])
                if len(sets) > MOST_REACHING_SETS:
                    return False
            elif not extend(i + 1, [*chosen, lexeme], total + upper):
                return False
        return True

    return sets if extend(0, [], 0.0) else None


def reaching_query(sets: list[list[str]]) -> str:
    """The sets as tsquery text, an OR of ANDs of exact lexemes (quoted as tsquery input wants them)."""

    def quoted(lexeme: str) -> str:
        return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"

    return " | ".join("(" + " & ".join(map(quoted, lexemes)) + ")" for lexemes in sets)
