"""A pool code once shown stays its employee's: issuing and cancelling in a loop neither shows them more
codes than their limits allow nor burns codes for anyone else, one request at a time or many at once."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.helpers import API, Api, Employee


async def pool_offer(api: Api, codes: int, **limits: int) -> tuple[dict[str, Any], dict[str, str]]:
    await api.publish_policy("1")
    _, partner = await api.partner_with_admin()
    offer = await api.create_offer(partner, code_mode="pool", limits=limits)
    upload = await api.client.post(
        f"{API}/partner/offers/{offer['id']}/codes",
        json=[f"POOL-{n:04d}" for n in range(codes)],
        headers=partner,
    )
    assert upload.status_code == 200, upload.text
    return offer, partner


async def issue(api: Api, offer: dict[str, Any], who: Employee) -> Any:
    return await api.client.post(f"{API}/offers/{offer['id']}/redemptions", headers=who.headers)


async def cancel(api: Api, redemption_id: str, who: Employee) -> Any:
    return await api.client.post(f"{API}/me/redemptions/{redemption_id}/cancel", headers=who.headers)


async def claimed(api: Api, offer: dict[str, Any], partner: dict[str, str]) -> int:
    status = await api.client.get(f"{API}/partner/offers/{offer['id']}/codes", headers=partner)
    return int(status.json()["claimed"])


async def test_issue_cancel_loop_hands_back_the_same_pool_code_and_leaves_the_rest(api: Api) -> None:
    offer, partner = await pool_offer(api, 3, per_employee=1)
    looper, second, third = await api.many_employees(3)
    seen = []
    for _ in range(6):
        issued = await issue(api, offer, looper)
        assert issued.status_code == 201, issued.text
        seen.append(issued.json()["code"])
        assert (await cancel(api, issued.json()["id"], looper)).json()["status"] == "cancelled"
    assert len(set(seen)) == 1
    assert await claimed(api, offer, partner) == 1
    others = [await issue(api, offer, second), await issue(api, offer, third)]
    assert [r.status_code for r in others] == [201, 201]
    assert {r.json()["code"] for r in others}.isdisjoint(seen)
    # The looper's code is theirs again within the limit, and the till accepts it once.
    again = await issue(api, offer, looper)
    assert again.json()["code"] == seen[0]
    assert (await issue(api, offer, looper)).json()["code"] == "limit_reached"
    confirmed = await api.client.post(
        f"{API}/partner/redemptions/confirm", json={"code": seen[0]}, headers=partner
    )
    assert confirmed.json()["status"] == "redeemed"
    history = (await api.client.get(f"{API}/me/redemptions", headers=looper.headers)).json()["items"]
    assert [item["status"] for item in history] == ["redeemed", *["cancelled"] * 6]


async def test_held_codes_are_handed_back_oldest_first_before_a_fresh_one(api: Api) -> None:
    offer, partner = await pool_offer(api, 10, per_employee=2)
    (employee,) = await api.many_employees(1)
    first, second = [(await issue(api, offer, employee)).json() for _ in range(2)]
    for held in (first, second):
        assert (await cancel(api, held["id"], employee)).status_code == 200
    again = [(await issue(api, offer, employee)).json()["code"] for _ in range(2)]
    assert again == [first["code"], second["code"]]
    assert await claimed(api, offer, partner) == 2


async def test_a_pool_offer_with_only_a_total_limit_is_not_drained_by_one_person(api: Api) -> None:
    offer, partner = await pool_offer(api, 5, total=2)
    looper, other = await api.many_employees(2)
    seen = set()
    for _ in range(5):
        issued = (await issue(api, offer, looper)).json()
        seen.add(issued["code"])
        assert (await cancel(api, issued["id"], looper)).status_code == 200
    assert len(seen) == 1
    assert (await issue(api, offer, other)).status_code == 201
    assert await claimed(api, offer, partner) == 2


async def loop(api: Api, offer: dict[str, Any], who: Employee, rounds: int) -> list[str]:
    """Issue and cancel as fast as one client can; answers the codes it was shown."""
    seen = []
    for _ in range(rounds):
        issued = await issue(api, offer, who)
        if issued.status_code != 201:
            assert issued.json()["code"] == "limit_reached", issued.text
            continue
        seen.append(issued.json()["code"])
        cancelled = await cancel(api, issued.json()["id"], who)
        assert cancelled.status_code == 200, cancelled.text
    return seen


async def test_simultaneous_issue_and_cancel_loops_show_no_more_codes_than_the_limit(api: Api) -> None:
    offer, partner = await pool_offer(api, 40, per_employee=2)
    looper, *others = await api.many_employees(11)
    shown = await asyncio.gather(*(loop(api, offer, looper, 4) for _ in range(12)))
    seen = {code for codes in shown for code in codes}
    assert sum(len(codes) for codes in shown) > 2  # the loops did cycle
    assert len(seen) <= 2
    assert await claimed(api, offer, partner) == len(seen)
    responses = await asyncio.gather(*(issue(api, offer, person) for person in others))
    assert [r.status_code for r in responses] == [201] * 10
    assert {r.json()["code"] for r in responses}.isdisjoint(seen)


async def test_simultaneous_loops_of_many_people_never_leave_others_sold_out(api: Api) -> None:
    # 8 loopers with one code each may hold 8 of 10 codes; the last two stay free for everyone else.
    offer, partner = await pool_offer(api, 10, per_employee=1)
    loopers = await api.many_employees(8)
    late, later = await api.many_employees(2)
    shown = await asyncio.gather(*(loop(api, offer, who, 3) for who in loopers for _ in range(3)))
    assert await claimed(api, offer, partner) <= 8
    per_person: dict[int, set[str]] = {}
    for index, codes in enumerate(shown):
        per_person.setdefault(index // 3, set()).update(codes)
    assert all(len(codes) <= 1 for codes in per_person.values())
    assert [(await issue(api, offer, who)).status_code for who in (late, later)] == [201, 201]


async def test_generated_codes_keep_every_limit_under_simultaneous_issue_and_cancel(api: Api) -> None:
    # Nothing finite is handed out: a cancelled generated code is dead at the till. The limits must
    # still hold, and one person's issue racing their own cancel must not deadlock (a 500).
    await api.publish_policy("1")
    _, partner = await api.partner_with_admin()
    offer = await api.create_offer(partner, limits={"total": 3, "per_employee": 1})
    people = await api.many_employees(6)
    await asyncio.gather(*(loop(api, offer, who, 3) for who in people for _ in range(4)))
    holders = await asyncio.gather(*(issue(api, offer, who) for who in people))
    assert sorted(r.status_code for r in holders) == [201, 201, 201, 409, 409, 409]
