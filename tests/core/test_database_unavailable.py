"""What counts as "the database is away" (503 ``database_unavailable``) and what stays a 500."""

from __future__ import annotations

import asyncio
import socket

import asyncpg
import pytest
from sqlalchemy.exc import OperationalError

from loyalty.core.errors import database_unavailable


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_a_refused_connection_raised_by_asyncpg_counts() -> None:
    with pytest.raises(ConnectionRefusedError) as raised:
        await asyncpg.connect(host="127.0.0.1", port=closed_port(), user="nobody", timeout=2)
    assert database_unavailable(raised.value)


def raise_refused() -> None:
    raise ConnectionRefusedError("an SMTP server, say")


def test_a_socket_error_of_other_code_does_not() -> None:
    with pytest.raises(ConnectionRefusedError) as raised:
        raise_refused()
    assert not database_unavailable(raised.value)


def test_connection_errors_count_when_sqlalchemy_wraps_them() -> None:
    lost = asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle of operation")
    wrapped = OperationalError("SELECT 1", {}, lost)
    assert database_unavailable(wrapped)

    def handler() -> None:
        raise RuntimeError("handler failed") from wrapped

    with pytest.raises(RuntimeError) as raised:
        handler()
    assert database_unavailable(raised.value)


def test_server_shutdown_and_startup_count_but_a_cancelled_query_does_not() -> None:
    assert database_unavailable(asyncpg.exceptions.AdminShutdownError("terminating connection"))
    assert database_unavailable(
        asyncpg.exceptions.CannotConnectNowError("the database system is starting up")
    )
    assert not database_unavailable(
        asyncpg.exceptions.QueryCanceledError("canceling statement due to timeout")
    )
    assert not database_unavailable(asyncpg.exceptions.UniqueViolationError("duplicate key"))


def test_a_timeout_outside_the_database_does_not() -> None:
    async def slow() -> None:
        async with asyncio.timeout(0.01):
            await asyncio.sleep(1)

    with pytest.raises(TimeoutError) as raised:
        asyncio.run(slow())
    assert not database_unavailable(raised.value)
