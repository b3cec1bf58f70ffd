"""My push devices: the app registers its FCM token after sign-in and removes it on sign-out.

A token is one row whoever holds it (unique): registering it again refreshes it, from another account
moves it there (the phone changed hands or accounts), and brings a retired token back. Removing retires
it at once, so nothing more is pushed to it; retention deletes retired tokens.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import case, or_, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from uuid_utils.compat import uuid7

from loyalty.core.errors import not_found
from loyalty.core.runtime import Runtime
from loyalty.notifications.models import PushDevice
from loyalty.notifications.schemas import DeviceIn, DeviceOut

REMOVED = "removed"


async def retire(session: AsyncSession, device_id: UUID, reason: str, now: datetime) -> None:
    await session.execute(
        update(PushDevice)
        .where(PushDevice.id == device_id, PushDevice.retired_at.is_(None))
        .values(retired_at=now, retired_reason=reason[:32])
        .execution_options(synchronize_session=False)
    )


class DeviceService:
    def __init__(self, session: AsyncSession, runtime: Runtime) -> None:
        self.session = session
        self.runtime = runtime

    async def register(self, user_id: UUID, data: DeviceIn) -> tuple[DeviceOut, bool]:
        """Register (or refresh, or take over) a token; answers the device and whether it is new to me."""
        now = self.runtime.clock.now()
        mine_before = await self.session.scalar(
            select(PushDevice.id).where(
                PushDevice.token == data.token, PushDevice.user_id == user_id, PushDevice.retired_at.is_(None)
            )
        )
        values: dict[str, Any] = {
            "user_id": user_id,
            "platform": data.platform,
            "app_version": data.app_version,
            "last_seen_at": now,
            "retired_at": None,
            "retired_reason": None,
        }
        statement = insert(PushDevice).values(id=uuid7(), token=data.token, created_at=now, **values)
        # Taken over from someone else: it starts anew, so nothing of theirs shows.
        values["created_at"] = case(
            (PushDevice.user_id != statement.excluded.user_id, statement.excluded.created_at),
            else_=PushDevice.created_at,
        )
        row = (
            await self.session.execute(
                statement.on_conflict_do_update(index_elements=[PushDevice.token], set_=values).returning(
                    PushDevice.id,
                    PushDevice.platform,
                    PushDevice.app_version,
                    PushDevice.created_at,
                    PushDevice.last_seen_at,
                )
            )
        ).one()
        return DeviceOut(
            id=row.id,
            platform=row.platform,
            app_version=row.app_version,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
        ), mine_before is None

    async def remove(self, user_id: UUID, device: str) -> None:
        """Retire one of my devices, named by its id or its token; someone else's is not found."""
        try:
            by = or_(PushDevice.id == UUID(device), PushDevice.token == device)
        except ValueError:
            by = PushDevice.token == device
        removed = await self.session.scalar(
            update(PushDevice)
            .where(by, PushDevice.user_id == user_id, PushDevice.retired_at.is_(None))
            .values(retired_at=self.runtime.clock.now(), retired_reason=REMOVED)
            .returning(PushDevice.id)
            .execution_options(synchronize_session=False)
        )
        if removed is None:
            raise not_found("device")
