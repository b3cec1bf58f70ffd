"""Keyset cursors: what one list hands out it takes back; anything else is 422 ``invalid_cursor``."""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any

import pytest

from loyalty.core.errors import AppError, ErrorCode
from loyalty.core.pagination import MAX_CURSOR_LENGTH, CursorCodec

SECRET = "cursor-test-secret-that-is-long-enough-0123"
SCOPE = "offers"
codec = CursorCodec(SECRET)


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _raw(cursor: str) -> bytes:
    return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))


def _signed_by_the_key(payload: bytes) -> str:
    """A cursor for ``payload`` signed the way the codec signs: what someone holding the secret could make."""
    key = hashlib.sha256(b"cursor:" + SECRET.encode()).digest()
    return _b64(hmac.new(key, payload, hashlib.sha256).digest()[:16] + payload)


def _flip(raw: bytes, index: int) -> bytes:
    return raw[:index] + bytes([raw[index] ^ 0x01]) + raw[index + 1 :]


def _refused(scope: str, cursor: str) -> None:
    with pytest.raises(AppError) as caught:
        codec.decode(scope, cursor)
    assert (caught.value.status_code, caught.value.code) == (422, ErrorCode.INVALID_CURSOR)


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(["018f3c2e-6b1a-7c00-8000-000000000001"], id="uuid"),
        pytest.param(
            ["2026-11-29T15:53:19.123456+00:00", "018f3c2e-6b1a-7c00-8000-000000000001"], id="time-and-id"
        ),
        pytest.param(["E-00017"], id="employee-number"),
        pytest.param([4.5, "018f3c2e-6b1a-7c00-8000-000000000001"], id="distance-and-id"),
        pytest.param([None, "x"], id="null-sort-value"),
        pytest.param([2**62, -1, 0, True], id="numbers-and-bool"),
        pytest.param(["Кітаптарға 15% жеңілдік", "'; DROP TABLE offers; --"], id="any-text"),
        pytest.param([], id="empty"),
    ],
)
def test_a_cursor_decodes_to_the_key_it_was_made_from(key: list[Any]) -> None:
    cursor = codec.encode(SCOPE, key)
    assert codec.decode(SCOPE, cursor) == key


def test_cursors_are_url_safe_and_unpadded() -> None:
    cursor = codec.encode(SCOPE, ["Кітап/книга+book?&=", 1])
    assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@pytest.mark.parametrize(
    ("rows", "limit", "page", "continues_after"),
    [
        pytest.param([1, 2, 3], 2, [1, 2], 2, id="one-more-row-than-the-page"),
        pytest.param([1, 2], 2, [1, 2], None, id="exactly-a-page"),
        pytest.param([1], 2, [1], None, id="short-page"),
        pytest.param([], 2, [], None, id="empty"),
    ],
)
def test_a_page_continues_after_its_last_row_only_when_more_rows_came(
    rows: list[int], limit: int, page: list[int], continues_after: int | None
) -> None:
    got, cursor = codec.page(SCOPE, rows, limit, lambda row: [row])
    assert got == page
    assert (None if cursor is None else codec.decode(SCOPE, cursor)) == (
        None if continues_after is None else [continues_after]
    )


VALID = codec.encode(SCOPE, ["2026-11-29T15:53:19+00:00", "018f3c2e-6b1a-7c00-8000-000000000001"])


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param(_b64(_flip(_raw(VALID), 0)), id="signature-first-byte-changed"),
        pytest.param(_b64(_flip(_raw(VALID), 15)), id="signature-last-byte-changed"),
        pytest.param(_b64(_flip(_raw(VALID), 20)), id="payload-byte-changed"),
        pytest.param(
            _b64(_raw(VALID)[:16] + b'["offers",["2000-01-01T00:00:00+00:00","x"]]'), id="payload-swapped"
        ),
        pytest.param(_b64(_raw(VALID)[1:]), id="signature-shortened"),
        pytest.param(_b64(_raw(VALID)[:16]), id="signature-without-payload"),
        pytest.param(_b64(_raw(VALID)[16:]), id="payload-without-signature"),
        pytest.param(VALID[:-1], id="truncated"),
        pytest.param(CursorCodec(SECRET + "-rotated").encode(SCOPE, ["x"]), id="signed-with-another-secret"),
    ],
)
def test_an_altered_or_forged_cursor_is_refused(cursor: str) -> None:
    _refused(SCOPE, cursor)


@pytest.mark.parametrize(
    ("made_for", "used_for"),
    [
        pytest.param("offers", "partners", id="another-list"),
        pytest.param("favorites", "offers", id="favorites-on-offers"),
        pytest.param("offers", "Offers", id="scope-is-case-sensitive"),
        pytest.param("offers", "", id="empty-scope"),
    ],
)
def test_a_cursor_from_another_list_is_refused(made_for: str, used_for: str) -> None:
    _refused(used_for, codec.encode(made_for, ["018f3c2e-6b1a-7c00-8000-000000000001"]))


@pytest.mark.parametrize(
    "cursor",
    [
        pytest.param("", id="empty"),
        pytest.param("a", id="one-character"),
        pytest.param("!!!!", id="not-base64"),
        pytest.param("ключ", id="not-ascii"),
        pytest.param("A" * (MAX_CURSOR_LENGTH + 1), id="too-long"),
        pytest.param(_b64(b"\x00" * 40), id="zero-bytes"),
        pytest.param(_b64(b"x" * 16 + b"\xff\xfe not utf-8"), id="binary-payload"),
    ],
)
def test_garbage_is_refused(cursor: str) -> None:
    _refused(SCOPE, cursor)


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(b"not json", id="not-json"),
        pytest.param(b'{"scope": "offers", "key": []}', id="object"),
        pytest.param(b'["offers"]', id="scope-only"),
        pytest.param(b'["offers", "not a list"]', id="key-not-a-list"),
        pytest.param(b'["offers", [], "extra"]', id="extra-item"),
        pytest.param(b"[1, []]", id="scope-not-a-string"),
        pytest.param(b"", id="empty-payload"),
    ],
)
def test_a_well_signed_cursor_of_the_wrong_shape_is_refused_not_a_500(payload: bytes) -> None:
    _refused(SCOPE, _signed_by_the_key(payload))


def test_the_key_derivation_in_these_tests_matches_the_codec() -> None:
    """Guards the test above: a well-formed payload signed the same way is accepted."""
    assert codec.decode(SCOPE, _signed_by_the_key(b'["offers", ["x"]]')) == ["x"]
