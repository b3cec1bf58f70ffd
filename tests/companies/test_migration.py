"""Migration 0005 makes a company of every name already in use, and existing HR admins group-wide."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from loyalty.db.config import build_sqlalchemy_config
from loyalty.settings import AppSettings, Settings
from tests.conftest import TEST_SECRET
from tests.helpers import API, Api, bearer


def _alembic(url: str, action: str, revision: str) -> None:
    from advanced_alchemy.alembic.commands import AlembicCommands

    config = build_sqlalchemy_config(Settings(app=AppSettings(secret_key=TEST_SECRET)), url)
    getattr(AlembicCommands(sqlalchemy_config=config), action)(revision)


async def test_upgrade_makes_companies_from_the_names_in_use(api: Api, database_url: str) -> None:
    await api.hr_token()
    await api.add_to_roster(company="Dala Energy")
    legacy = await api.add_to_roster(company="Steppe Telecom")
    _, headers = await api.partner_with_admin()
    offer = await api.create_offer(headers)
    engine = api.app.state.runtime.db_config.get_engine()
    await engine.dispose()

    await asyncio.to_thread(_alembic, database_url, "downgrade", "0004")
    async with engine.begin() as conn:
        assert await conn.scalar(text("SELECT to_regclass('companies')")) is None
        await conn.execute(
            text("UPDATE roster_entries SET company = 'Legacy Co' WHERE id = :id"), {"id": legacy["id"]}
        )
        await conn.execute(
            text("UPDATE offers SET eligible_companies = '{Offer Only Co,Dala Energy}' WHERE id = :id"),
            {"id": offer["id"]},
        )
    await engine.dispose()
    await asyncio.to_thread(_alembic, database_url, "upgrade", "head")

    async with engine.begin() as conn:
        names = list(await conn.scalars(text("SELECT name FROM companies ORDER BY name")))
        assert names == ["Dala Energy", "Legacy Co", "Offer Only Co"]
        assert list(await conn.scalars(text("SELECT hr_group_wide FROM users WHERE role = 'hr_admin'"))) == [
            True
        ]
        assert list(await conn.scalars(text("SELECT hr_group_wide FROM users WHERE role <> 'hr_admin'"))) == [
            None,
            None,
        ]
    with pytest.raises(IntegrityError, match="fk_roster_entries_company_companies"):
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE roster_entries SET company = 'Nowhere'"))
    with pytest.raises(IntegrityError, match="ck_users_hr_admin_has_scope"):
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE users SET hr_group_wide = NULL WHERE role = 'hr_admin'"))
    await engine.dispose()
    # The migrated companies are the admins' to rename, and the rename reaches the roster.
    listed = await api.client.get(f"{API}/admin/companies", headers=bearer(await api.admin_token()))
    legacy_co = next(c for c in listed.json()["items"] if c["name"] == "Legacy Co")
    renamed = await api.client.patch(
        f"{API}/admin/companies/{legacy_co['id']}",
        json={"name": "Legacy Group"},
        headers=bearer(await api.admin_token()),
    )
    assert renamed.status_code == 200
    entry = await api.client.get(f"{API}/hr/employees/{legacy['id']}", headers=bearer(await api.hr_token()))
    assert entry.json()["company"] == "Legacy Group"
