"""HR changes the roster: an employee who is terminated (one at a time, by a correction or by an import)
loses their account's sessions in the roster service, and their open codes here, in the same transaction."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from loyalty.redemption.models import Redemption
from loyalty.redemption.services import cancel_redemptions
from loyalty.roster.schemas import ImportResult, RosterEntryOut, RosterEntryPatch
from loyalty.roster.services import RosterService


class EmploymentChanges:
    def __init__(self, roster: RosterService) -> None:
        self.roster = roster

    async def terminate(self, entry_id: UUID) -> RosterEntryOut:
        entry = await self.roster.terminate(entry_id)
        await self._end_codes_of_terminated()
        return entry

    async def update(self, entry_id: UUID, data: RosterEntryPatch) -> RosterEntryOut:
        answer = await self.roster.update(entry_id, data)
        await self._end_codes_of_terminated()
        return answer

    async def import_rows(self, rows: list[dict[str, Any]]) -> ImportResult:
        answer = await self.roster.import_rows(rows)
        await self._end_codes_of_terminated()
        return answer

    async def _end_codes_of_terminated(self) -> None:
        if ids := self.roster.terminated_accounts:
            now = self.roster.runtime.clock.now()
            await cancel_redemptions(self.roster.session, now, Redemption.user_id.in_(ids))
            self.roster.terminated_accounts.clear()
