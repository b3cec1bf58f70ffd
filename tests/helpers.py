"""Test helpers that drive the service the way its users do: through the HTTP API and the mailbox."""

from __future__ import annotations

import email
import itertools
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import jwt
from litestar import Litestar
from litestar.testing import AsyncTestClient

from loyalty.core.clock import ManualClock
from loyalty.staff.services import StaffService
from loyalty.worker import drain

API = "/api/v1"
STRONG_PASSWORD = "Correct-Horse-Battery-9"
ADMIN_PASSWORD = "Admin-Password-For-Tests-1"
_serial = itertools.count(1)

PURPOSES = [
    {"code": "core", "required": True, "title": {"kk": "Негізгі", "ru": "Основное", "en": "Core"}},
    {
        "code": "marketing",
        "required": False,
        "title": {"kk": "Маркетинг", "ru": "Маркетинг", "en": "Marketing"},
    },
    {"code": "analytics", "required": False, "title": {"ru": "Аналитика", "en": "Analytics"}},
]


def policy_body(
    version: str, effective_at: str, *, purposes: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {
        "version": version,
        "texts": {
            "kk": f"Құпиялылық саясаты {version}",
            "ru": f"Политика конфиденциальности {version}",
            "en": f"Privacy policy {version}",
        },
        "purposes": purposes or PURPOSES,
        "effective_at": effective_at,
    }


class Mailbox:
    """The file mail backend's folder, read like an inbox. Every mail is a job on the queue: reading first
    runs the worker over what is due (``drain``), as a person's inbox shows what the worker has sent;
    ``present`` reads the folder as it is, for what must not have been sent yet."""

    def __init__(self, folder: Path, drain: Callable[[], Awaitable[None]] | None = None) -> None:
        self.folder = folder
        self.drain = drain

    async def messages(self, to: str | None = None) -> list[Message]:
        if self.drain is not None:
            await self.drain()
        return self.present(to)

    def present(self, to: str | None = None) -> list[Message]:
        if not self.folder.exists():
            return []
        found = []
        for path in sorted(self.folder.glob("*.eml")):
            message = email.message_from_bytes(path.read_bytes())
            if to is None or message["To"] == to:
                found.append(message)
        return found

    async def last_code(self, to: str) -> str:
        messages = await self.messages(to)
        assert messages, f"no mail to {to}"
        body = _body(messages[-1])
        match = re.search(r"\b(\d{6})\b", body)
        assert match, f"no code in the last mail to {to}: {body!r}"
        return match.group(1)


def _body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(message.get_content_charset() or "utf-8")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@dataclass
class Employee:
    email: str
    employee_number: str
    password: str
    access_token: str
    refresh_token: str
    roster_id: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.access_token)


@dataclass
class Api:
    client: AsyncTestClient[Litestar]
    app: Litestar
    mailbox: Mailbox
    clock: ManualClock
    _tokens: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.mailbox is not None and self.mailbox.drain is None:  # what this app's worker sent
            self.mailbox.drain = self.drain_jobs

    async def drain_jobs(self) -> None:
        """Run every job that is due, as the worker would, and return once the queue is empty."""
        await drain(self.app.state.runtime)

    async def admin_token(self) -> str:
        if "admin" not in self._tokens:
            runtime = self.app.state.runtime
            async with runtime.db_config.get_session() as session:
                await StaffService(session, runtime).create_admin(
                    "root@loyalty.kz", "Root Admin", ADMIN_PASSWORD
                )
                await session.commit()
            self._tokens["admin"] = await self.login("root@loyalty.kz", ADMIN_PASSWORD)
        return await self._fresh("admin", "root@loyalty.kz", ADMIN_PASSWORD)

    async def staff_token(self, role: str) -> str:
        """A staff user invited by the admin who set a password with the mailed code."""
        if role not in self._tokens:
            address = f"{role.replace('_', '-')}@loyalty.kz"
            response = await self.client.post(
                f"{API}/admin/users",
                json={"email": address, "full_name": f"Test {role}", "role": role},
                headers=bearer(await self.admin_token()),
            )
            assert response.status_code == 201, response.text
            await self.confirm_reset(address, STRONG_PASSWORD)
            self._tokens[role] = await self.login(address, STRONG_PASSWORD)
        return await self._fresh(role, f"{role.replace('_', '-')}@loyalty.kz", STRONG_PASSWORD)

    async def _fresh(self, key: str, address: str, password: str) -> str:
        """The cached token, or a new login once a test moved the clock past its expiry."""
        claims = jwt.decode(self._tokens[key], options={"verify_signature": False})
        if claims["exp"] <= self.clock.now().timestamp() or claims["iat"] > self.clock.now().timestamp():
            self._tokens[key] = await self.login(address, password)
        return self._tokens[key]

    async def hr_token(self) -> str:
        return await self.staff_token("hr_admin")

    async def scoped_hr(self, *companies: str) -> dict[str, str]:
        """Headers of a new HR admin invited for ``companies`` only (created first when missing)."""
        address = f"hr-{next(_serial)}@loyalty.kz"
        for company in companies:
            await self.company(company)
        response = await self.client.post(
            f"{API}/admin/users",
            json={
                "email": address,
                "full_name": "Scoped HR",
                "role": "hr_admin",
                "companies": list(companies),
            },
            headers=bearer(await self.admin_token()),
        )
        assert response.status_code == 201, response.text
        await self.confirm_reset(address, STRONG_PASSWORD)
        return bearer(await self.login(address, STRONG_PASSWORD))

    async def confirm_reset(self, address: str, password: str) -> None:
        response = await self.client.post(
            f"{API}/auth/password-reset/confirm",
            json={
                "email": address,
                "code": (await self.mailbox.last_code(address)),
                "new_password": password,
            },
        )
        assert response.status_code == 204, response.text

    async def login(self, address: str, password: str) -> str:
        response = await self.client.post(f"{API}/auth/login", json={"email": address, "password": password})
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    async def publish_policy(
        self, version: str = "1", *, effective_in: timedelta = timedelta(days=-1)
    ) -> None:
        headers = bearer(await self.admin_token())
        effective_at = (self.clock.now() + effective_in).isoformat()
        response = await self.client.post(
            f"{API}/admin/policies", json=policy_body(version, effective_at), headers=headers
        )
        assert response.status_code == 201, response.text
        response = await self.client.post(f"{API}/admin/policies/{version}/publish", headers=headers)
        assert response.status_code == 200, response.text

    async def add_to_roster(self, **overrides: Any) -> dict[str, Any]:
        serial = next(_serial)
        body = {
            "employee_number": f"E{serial:05d}",
            "email": f"employee{serial}@group.kz",
            "full_name": f"Employee {serial}",
            "company": "Dala Energy",
            "department": "IT",
            "city": "Astana",
        } | overrides
        response = await self.client.post(
            f"{API}/hr/employees", json=body, headers=bearer(await self.hr_token())
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    def registration(self, entry: dict[str, Any], **overrides: Any) -> dict[str, Any]:
        return {
            "employee_number": entry["employee_number"],
            "email": entry["email"],
            "password": STRONG_PASSWORD,
            "full_name": entry["full_name"],
            "policy_version": "1",
            "accept_policy": True,
            "optional_purposes": {"marketing": True},
        } | overrides

    async def register(self, **roster_overrides: Any) -> Employee:
        """A person added to the roster by HR who registers and verifies the mailed code."""
        entry = await self.add_to_roster(**roster_overrides)
        response = await self.client.post(f"{API}/auth/register", json=self.registration(entry))
        assert response.status_code == 202, response.text
        response = await self.client.post(
            f"{API}/auth/verify",
            json={"email": entry["email"], "code": (await self.mailbox.last_code(entry["email"]))},
        )
        assert response.status_code == 201, response.text
        tokens = response.json()
        return Employee(
            email=entry["email"],
            employee_number=entry["employee_number"],
            password=STRONG_PASSWORD,
            access_token=tokens["access_token"],
            refresh_token=tokens["refresh_token"],
            roster_id=entry["id"],
        )

    # --- catalog -----------------------------------------------------------------------------------

    async def create_partner(self, name: str = "Kofe Dala", **overrides: Any) -> dict[str, Any]:
        body = {"name": {"kk": name, "ru": name, "en": name}} | overrides
        response = await self.client.post(
            f"{API}/admin/partners", json=body, headers=bearer(await self.admin_token())
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def partner_admin(self, partner_id: str, address: str | None = None) -> dict[str, str]:
        """Headers of a partner admin invited by the admin for ``partner_id`` who set a password."""
        address = address or f"partner-{next(_serial)}@partner.kz"
        response = await self.client.post(
            f"{API}/admin/partners/{partner_id}/admins",
            json={"email": address, "full_name": "Partner Admin"},
            headers=bearer(await self.admin_token()),
        )
        assert response.status_code == 201, response.text
        await self.confirm_reset(address, STRONG_PASSWORD)
        return bearer(await self.login(address, STRONG_PASSWORD))

    async def category(self, slug: str = "food", **names: str) -> dict[str, Any]:
        """The category ``slug``, created by the admin on first use."""
        key = f"category:{slug}"
        if key not in self._tokens:
            name = names or {"kk": slug, "ru": slug, "en": slug}
            response = await self.client.post(
                f"{API}/admin/categories",
                json={"slug": slug, "name": name},
                headers=bearer(await self.admin_token()),
            )
            assert response.status_code == 201, response.text
            self._tokens[key] = response.json()["id"]
        return {"id": self._tokens[key], "slug": slug}

    async def company(self, name: str) -> dict[str, Any]:
        """The company ``name``, created by the admin on first use."""
        key = f"company:{name}"
        if key not in self._tokens:
            response = await self.client.post(
                f"{API}/admin/companies", json={"name": name}, headers=bearer(await self.admin_token())
            )
            if response.status_code == 409:  # made meanwhile by HR naming it on the roster
                listed = await self.client.get(
                    f"{API}/admin/companies", params={"limit": 100}, headers=bearer(await self.admin_token())
                )
                found = [c for c in listed.json()["items"] if c["name"] == name]
                self._tokens[key] = found[0]["id"]
            else:
                assert response.status_code == 201, response.text
                self._tokens[key] = response.json()["id"]
        return {"id": self._tokens[key], "name": name}

    async def add_location(self, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
        body = {"city": "Astana", "address": "Kabanbay Batyr 1", "lat": 51.128, "lon": 71.43} | overrides
        response = await self.client.post(f"{API}/partner/locations", json=body, headers=headers)
        assert response.status_code == 201, response.text
        return dict(response.json())

    def offer_body(self, **overrides: Any) -> dict[str, Any]:
        today = self.clock.now().date()
        return {
            "category": "food",
            "title": {"ru": "Скидка 10%", "en": "10% off", "kk": "10% жеңілдік"},
            "discount": {"kind": "percent", "value": 10},
            "valid_from": (today - timedelta(days=10)).isoformat(),
            "valid_until": (today + timedelta(days=30)).isoformat(),
            "status": "published",
        } | overrides

    async def create_offer(self, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
        body = self.offer_body(**overrides)
        await self.category(body["category"])
        for company in (body.get("eligibility") or {}).get("companies", []):
            await self.company(company)
        response = await self.client.post(f"{API}/partner/offers", json=body, headers=headers)
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def partner_with_admin(self, name: str = "Kofe Dala") -> tuple[dict[str, Any], dict[str, str]]:
        partner = await self.create_partner(name)
        return partner, await self.partner_admin(partner["id"])

    async def many_employees(self, count: int, **roster: Any) -> list[Employee]:
        """``count`` registered, consenting employees, made in the database rather than through
        ``/auth/register`` (whose per-address throttles would rightly stop a test registering dozens)."""
        from sqlalchemy import select

        from loyalty.core.context import Origin
        from loyalty.identity.models import AccountStatus, User
        from loyalty.identity.services import SessionService
        from loyalty.privacy.consent import record_consent
        from loyalty.privacy.models import PolicyVersion
        from loyalty.privacy.policies import PurposeChoice
        from loyalty.roster.models import RosterEntry

        entries = [await self.add_to_roster(**roster) for _ in range(count)]
        runtime = self.app.state.runtime
        password_hash = await runtime.hasher.hash(STRONG_PASSWORD)
        people = []
        async with runtime.db_config.get_session() as session:
            policy = await session.scalar(
                select(PolicyVersion).order_by(PolicyVersion.effective_at.desc()).limit(1)
            )
            assert policy is not None, "publish a policy first"
            for entry in entries:
                roster_entry = await session.get(RosterEntry, entry["id"])
                assert roster_entry is not None
                user = User(
                    email=entry["email"],
                    full_name=entry["full_name"],
                    role="employee",
                    status=AccountStatus.ACTIVE,
                    roster_entry_id=roster_entry.id,
                    password_hash=password_hash,
                )
                session.add(user)
                await session.flush()
                await record_consent(
                    session,
                    user,
                    policy,
                    PurposeChoice(granted=["core"], declined=[]),
                    language="ru",
                    method="registration",
                    now=self.clock.now(),
                    ip=None,
                    user_agent="tests",
                )
                tokens = await SessionService(session, runtime).open(
                    user, Origin(ip="10.0.0.1", user_agent="tests")
                )
                people.append(
                    Employee(
                        email=entry["email"],
                        employee_number=entry["employee_number"],
                        password=STRONG_PASSWORD,
                        access_token=tokens.access_token,
                        refresh_token=tokens.refresh_token,
                        roster_id=entry["id"],
                    )
                )
            await session.commit()
        return people
