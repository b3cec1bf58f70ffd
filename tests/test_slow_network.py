"""Kind to a phone on a slow network: compressed answers, ETag / 304 on the reads it repeats, private
caching, and list items that carry what a list screen shows."""

from __future__ import annotations

import gzip
from typing import Any

import brotli
from litestar import Litestar

from loyalty.core.access import http_routes
from loyalty.core.revalidation import RevalidatedResponse, matches
from tests.helpers import API, Api, Employee

LOGO = "https://cdn.example.kz/logos/kofe-dala.png"
REVALIDATED_ROUTES = {
    ("GET", f"{API}/me"),
    ("GET", f"{API}/categories"),
    ("GET", f"{API}/offers"),
    ("GET", f"{API}/offers/{{offer_id:uuid}}"),
    ("GET", f"{API}/partners/{{partner_id:uuid}}"),
    ("GET", f"{API}/me/favorites"),
}


async def catalog(api: Api, offers: int = 2) -> tuple[Employee, dict[str, Any], list[dict[str, Any]]]:
    await api.publish_policy("1")
    employee = await api.register()
    partner = await api.create_partner("Kofe Dala", logo_url=LOGO)
    headers = await api.partner_admin(partner["id"])
    made = [await api.create_offer(headers) for _ in range(offers)]
    return employee, partner, made


def test_exactly_the_declared_reads_revalidate(app: Litestar) -> None:
    revalidated = {
        (method, path)
        for method, path, handler in http_routes(app)
        if method == "GET" and handler.resolve_response_class() is RevalidatedResponse
    }
    assert revalidated == REVALIDATED_ROUTES


async def test_catalog_reads_and_me_answer_304_to_their_own_etag(api: Api) -> None:
    employee, partner, offers = await catalog(api)
    urls = [
        f"{API}/me",
        f"{API}/categories",
        f"{API}/offers",
        f"{API}/offers/{offers[0]['id']}",
        f"{API}/partners/{partner['id']}",
        f"{API}/me/favorites",
    ]
    for url in urls:
        first = await api.client.get(url, headers=employee.headers)
        assert first.status_code == 200, url
        tag = first.headers["etag"]
        assert tag.startswith('W/"'), url
        assert first.headers["cache-control"] == "no-cache, private", url

        again = await api.client.get(url, headers=employee.headers | {"If-None-Match": tag})
        assert again.status_code == 304, url
        assert again.content == b"", url
        assert again.headers["etag"] == tag, url
        assert again.headers["cache-control"] == "no-cache, private", url
        assert "content-type" not in again.headers, url

        other = await api.client.get(url, headers=employee.headers | {"If-None-Match": 'W/"0", "1"'})
        assert other.status_code == 200, url
        assert other.json() == first.json(), url


async def test_a_change_to_the_answer_changes_its_tag(api: Api) -> None:
    employee, _, offers = await catalog(api)
    url = f"{API}/offers/{offers[0]['id']}"
    before = await api.client.get(url, headers=employee.headers)
    favorite = await api.client.put(f"{API}/me/favorites/{offers[0]['id']}", headers=employee.headers)
    assert favorite.status_code == 204
    assert "etag" not in favorite.headers
    after = await api.client.get(url, headers=employee.headers | {"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.json()["favorite"] is True
    assert after.headers["etag"] != before.headers["etag"]


async def test_the_same_list_for_another_person_is_not_their_304(api: Api) -> None:
    """The tag names the answer, not the URL: another employee's /me never matches mine."""
    employee, _, _ = await catalog(api)
    other = await api.register()
    mine = await api.client.get(f"{API}/me", headers=employee.headers)
    theirs = await api.client.get(
        f"{API}/me", headers=other.headers | {"If-None-Match": mine.headers["etag"]}
    )
    assert theirs.status_code == 200
    assert theirs.json()["email"] == other.email


async def test_writes_and_errors_carry_no_tag(api: Api) -> None:
    employee, _, _ = await catalog(api)
    changed = await api.client.patch(f"{API}/me", json={"language": "en"}, headers=employee.headers)
    assert changed.status_code == 200, changed.text
    assert "etag" not in changed.headers
    missing = await api.client.get(
        f"{API}/offers/00000000-0000-0000-0000-000000000000",
        headers=employee.headers | {"If-None-Match": "*"},
    )
    assert missing.status_code == 404
    assert "etag" not in missing.headers


def test_if_none_match_is_compared_weakly() -> None:
    tag = 'W/"abc"'
    assert matches('"abc"', tag)
    assert matches('W/"x", W/"abc"', tag)
    assert matches("*", tag)
    assert not matches('"abcd"', tag)
    assert not matches(None, tag)
    assert not matches("", tag)


async def test_list_items_carry_the_partners_logo(api: Api) -> None:
    employee, _, offers = await catalog(api, offers=1)
    plain, plain_admin = await api.partner_with_admin("Plain Partner")
    await api.create_offer(plain_admin)
    listed = (await api.client.get(f"{API}/offers", headers=employee.headers)).json()["items"]
    logos = {item["partner_name"]: item["partner_logo_url"] for item in listed}
    assert logos == {"Kofe Dala": LOGO, "Plain Partner": None}
    await api.client.put(f"{API}/me/favorites/{offers[0]['id']}", headers=employee.headers)
    favorites = (await api.client.get(f"{API}/me/favorites", headers=employee.headers)).json()["items"]
    assert [item["partner_logo_url"] for item in favorites] == [LOGO]
    detail = (await api.client.get(f"{API}/offers/{offers[0]['id']}", headers=employee.headers)).json()
    assert detail["partner"]["logo_url"] == LOGO
    assert plain["logo_url"] is None


async def test_a_page_of_offers_travels_compressed_when_the_client_accepts_it(api: Api) -> None:
    employee, _, _ = await catalog(api, offers=50)
    url = f"{API}/offers?limit=50"
    # httpx's transport would undo the compression; read the raw body through the ASGI app.
    plain = await api.client.get(url, headers=employee.headers | {"Accept-Encoding": "identity"})
    assert plain.status_code == 200
    assert "content-encoding" not in plain.headers
    assert len(plain.json()["items"]) == 50
    sizes = {"identity": len(plain.content)}
    for encoding, decode in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        async with api.client.stream(
            "GET", url, headers=employee.headers | {"Accept-Encoding": encoding}
        ) as response:
            raw = b"".join([chunk async for chunk in response.aiter_raw()])
        assert response.headers["content-encoding"] == encoding
        assert "Accept-Encoding" in response.headers["vary"]
        assert decode(raw) == plain.content
        sizes[encoding] = len(raw)
    assert sizes["br"] < sizes["identity"] / 5
    assert sizes["gzip"] < sizes["identity"] / 4
