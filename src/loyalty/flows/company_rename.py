"""Renaming a company: offers name companies in their eligibility rules, so the rename reaches them."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.catalog.services import rename_eligible_company
from loyalty.companies.schemas import CompanyOut, CompanyPatch
from loyalty.companies.services import CompanyService, company_view
from loyalty.core.context import SYSTEM_ACTOR, Actor
from loyalty.core.runtime import Runtime


class CompanyRename:
    def __init__(self, session: AsyncSession, runtime: Runtime, actor: Actor = SYSTEM_ACTOR) -> None:
        self.session = session
        self.companies = CompanyService(session, runtime, actor)

    async def rename(self, company_id: UUID, data: CompanyPatch) -> CompanyOut:
        """Roster entries (through their foreign key) and offers' eligibility rules take the new name in
        this same transaction; offer writers that named the company hold it locked until they commit."""
        renaming = await self.companies.rename(company_id, data)
        if not renaming.changed:
            return company_view(renaming.company)
        offers = await rename_eligible_company(self.session, renaming.old, renaming.new)
        return await self.companies.record_rename(renaming, offers=offers)
