"""The ``loyalty`` command: start-up errors, create-admin and an idempotent seed-demo."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, text

from loyalty.catalog.models import Category, Offer
from loyalty.demo.catalog import load_catalog
from loyalty.demo.seed import CITIES as ROSTER_CITIES
from loyalty.demo.seed import COMPANIES, DEMO_PASSWORDS, HR_EMAIL
from loyalty.partners.models import Partner, PartnerLocation
from loyalty.roster.models import RosterEntry
from tests.conftest import TEST_SECRET
from tests.helpers import API, Api, bearer


def run_cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("LOYALTY_")}
    return subprocess.run(
        [sys.executable, "-m", "loyalty", *args],
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def cli_env(database_url: str, tmp_path: Path) -> dict[str, str]:
    return {
        "LOYALTY_DATABASE_URL": database_url,
        "LOYALTY_SECRET_KEY": TEST_SECRET,
        "LOYALTY_DATA_DIR": str(tmp_path / "data"),
        "LOYALTY_MAIL_DIR": str(tmp_path / "mail"),
        "LOYALTY_LOG_LEVEL": "WARNING",
    }


async def test_a_misspelt_variable_stops_the_command(tmp_path: Path) -> None:
    result = await asyncio.to_thread(run_cli, ["run", "--help"], {"LOYALTY_SECRT_KEY": "x"})
    assert result.returncode != 0
    assert "LOYALTY_SECRT_KEY" in result.stderr
    assert "Traceback" not in result.stderr


async def test_create_admin_then_log_in(api: Api, database_url: str, tmp_path: Path) -> None:
    env = cli_env(database_url, tmp_path) | {"LOYALTY_ADMIN_PASSWORD": "Cli-Created-Admin-42"}
    result = await asyncio.to_thread(
        run_cli, ["create-admin", "--email", "Ops@Loyalty.kz", "--full-name", "Ops"], env
    )
    assert result.returncode == 0, result.stderr
    assert "admin ops@loyalty.kz created" in result.stdout
    assert await api.login("ops@loyalty.kz", "Cli-Created-Admin-42")
    again = await asyncio.to_thread(
        run_cli, ["create-admin", "--email", "ops@loyalty.kz", "--full-name", "Ops"], env
    )
    assert again.returncode != 0
    assert "conflict" in again.stderr
    weak = await asyncio.to_thread(
        run_cli,
        ["create-admin", "--email", "weak@loyalty.kz", "--full-name", "W"],
        env | {"LOYALTY_ADMIN_PASSWORD": "password123"},
    )
    assert weak.returncode != 0
    assert "weak_password" in weak.stderr


async def test_seed_demo_is_idempotent_and_prints_logins(api: Api, database_url: str, tmp_path: Path) -> None:
    env = cli_env(database_url, tmp_path)
    first = await asyncio.to_thread(run_cli, ["seed-demo"], env)
    assert first.returncode == 0, first.stderr
    assert HR_EMAIL in first.stdout
    assert DEMO_PASSWORDS["hr"] in first.stdout
    second = await asyncio.to_thread(run_cli, ["seed-demo"], env)
    assert second.returncode == 0, second.stderr
    assert "already present" in second.stdout
    async with api.app.state.runtime.db_config.get_session() as session:
        assert await session.scalar(select(func.count(RosterEntry.id))) == 50
        companies = set(await session.scalars(select(RosterEntry.company)))
        cities = set(await session.scalars(select(RosterEntry.city)))
    assert companies == set(COMPANIES)
    assert cities == set(ROSTER_CITIES)
    catalog = load_catalog()
    async with api.app.state.runtime.db_config.get_session() as session:
        assert await session.scalar(select(func.count(Partner.id))) == len(catalog.partners)
        assert await session.scalar(select(func.count(Offer.id))) == sum(
            len(p.offers) for p in catalog.partners
        )
        assert await session.scalar(select(func.count(Category.id))) == len(catalog.categories)
        assert set(await session.scalars(select(PartnerLocation.city))) == set(catalog.cities)
    # The seed ran in another process on the real clock; catch the test's clock up with it.
    api.clock.advance(datetime.now(UTC) - api.clock.now())
    tokens = {}
    for line in first.stdout.splitlines():
        if "@demo.loyalty.kz" in line:
            role, email, password = line.split()
            tokens[role] = await api.login(email, password)
    first_page = await api.client.get(f"{API}/offers", headers=bearer(tokens["employee"]))
    assert len(first_page.json()["items"]) == 20
    kazakh = await api.client.get(f"{API}/offers", params={"q": "кітап"}, headers=bearer(tokens["employee"]))
    assert kazakh.json()["items"]
    own = await api.client.get(f"{API}/partner/offers", headers=bearer(tokens["partner_admin"]))
    assert own.json()["items"]
    current = await api.client.get(f"{API}/policies/current", params={"lang": "kk"})
    assert current.status_code == 200
    assert current.json()["version"] == "1"
    refused = await asyncio.to_thread(
        run_cli, ["seed-demo"], env | {"LOYALTY_ENV": "production", "LOYALTY_MAIL_BACKEND": "smtp"}
    )
    assert refused.returncode != 0
    assert "production" in refused.stderr


async def test_retention_and_audit_commands(api: Api, database_url: str, tmp_path: Path) -> None:
    await api.publish_policy("1")
    await api.register()
    env = cli_env(database_url, tmp_path)
    retention = await asyncio.to_thread(run_cli, ["retention", "run"], env)
    assert retention.returncode == 0, retention.stderr
    assert "accounts_of_departed_employees: 0" in retention.stdout
    verified = await asyncio.to_thread(run_cli, ["audit", "verify"], env)
    assert verified.returncode == 0, verified.stderr
    assert "audit chain intact" in verified.stdout
    async with api.app.state.runtime.db_config.get_session() as session:
        await session.execute(text("SELECT set_config('loyalty.audit_maintenance', 'on', true)"))
        await session.execute(text("""UPDATE audit_events SET details = '{"forged": true}'"""))
        await session.commit()
    broken = await asyncio.to_thread(run_cli, ["audit", "verify"], env)
    assert broken.returncode == 1
    assert "this row was altered" in broken.stderr
