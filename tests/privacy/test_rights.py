"""Data-subject rights end to end: registry, export, erasure, restriction, requests, retention, audit."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from loyalty.app import create_app
from loyalty.audit.services import verify_chain
from loyalty.core.clock import ManualClock
from loyalty.identity.models import OneTimeCode
from loyalty.notifications.models import Channel
from loyalty.notifications.services import NotificationService
from loyalty.privacy.registry import NOT_PERSONAL, REGISTRY, registered_columns
from loyalty.privacy.retention import run_retention
from tests.conftest import AppClient, behind_proxy
from tests.helpers import API, STRONG_PASSWORD, Api, Employee, Mailbox, bearer

# Column names that say "this is about a person"; foreign keys to users or the roster say it too.
PERSONAL_COLUMN_PATTERN = r"(email|phone|name|(^|_)ip$|user_agent|subject_ref|actor_ref)"


async def unregistered_personal_columns(session: AsyncSession) -> list[str]:
    found = await session.execute(
        text(
            """
            SELECT kcu.table_name, kcu.column_name
            FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage kcu
              ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
            JOIN information_schema.constraint_column_usage ccu
              ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
            WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()
              AND ccu.table_name IN ('users', 'roster_entries')
            UNION
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND column_name ~ :pattern
            """
        ),
        {"pattern": PERSONAL_COLUMN_PATTERN},
    )
    known = registered_columns() | set(NOT_PERSONAL)
    return sorted(f"{table}.{column}" for table, column in found if (table, column) not in known)


async def test_every_column_that_refers_to_a_person_is_in_the_registry(api: Api) -> None:
    async with api.app.state.runtime.db_config.get_session() as session:
        assert await unregistered_personal_columns(session) == []
        # The check bites: a new column naming a person, unknown to the registry, is reported.
        await session.execute(text("ALTER TABLE favorites ADD COLUMN nickname text"))
        await session.execute(text("ALTER TABLE offers ADD COLUMN approved_by uuid REFERENCES users (id)"))
        assert await unregistered_personal_columns(session) == ["favorites.nickname", "offers.approved_by"]
        await session.rollback()
    assert {entry.table for entry in REGISTRY} >= {"users", "roster_entries"}


IP = "203.0.113.77"
AGENT = "Zhanargul-Phone/7.7"
MARKERS = (IP, AGENT, "Distinctova", "zhanargul", "987 65 43", "Distinct-Detail-Marker")
PERSON = {"full_name": "Zhanargul Distinctova", "email": "zhanargul.distinct@group.kz"}


async def scan(session: AsyncSession, markers: tuple[str, ...], *, skip: set[str]) -> list[str]:
    """Every text, JSON and array column of every table, searched for the markers."""
    columns = await session.execute(
        text(
            """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name <> 'alembic_version'
              AND data_type IN ('text', 'character varying', 'jsonb', 'ARRAY', 'inet', 'bytea')
            """
        )
    )
    hits = []
    for table, column in columns:
        if table in skip:
            continue
        for marker in markers:
            count = await session.scalar(
                text(f'SELECT count(*) FROM "{table}" WHERE "{column}"::text ILIKE :marker'),
                {"marker": f"%{marker}%"},
            )
            if count:
                hits.append(f"{table}.{column} holds {marker!r}")
    return hits


async def use_everything(api: Api, partner: dict[str, str], headers: dict[str, str]) -> Employee:
    """A person with distinctive values in every field they can fill, who uses every feature."""
    offer = await api.create_offer(partner, limits={"per_employee_per_day": 5})
    entry = await api.add_to_roster(**PERSON)
    registration = api.registration(entry)
    assert (
        await api.client.post(f"{API}/auth/register", json=registration, headers=headers)
    ).status_code == 202
    verified = await api.client.post(
        f"{API}/auth/verify",
        json={"email": entry["email"], "code": (await api.mailbox.last_code(entry["email"]))},
        headers=headers,
    )
    assert verified.status_code == 201, verified.text
    employee = Employee(
        entry["email"],
        entry["employee_number"],
        STRONG_PASSWORD,
        verified.json()["access_token"],
        verified.json()["refresh_token"],
        entry["id"],
    )
    me = bearer(employee.access_token) | headers
    steps = [
        ("PATCH", "/me", {"full_name": "Zhanargul Q. Distinctova", "phone": "+7 701 987 65 43"}, 200),
        ("PUT", f"/me/favorites/{offer['id']}", None, 204),
        ("POST", "/me/devices", {"token": "Distinct-Detail-Marker-44", "platform": "ios"}, 201),
        (
            "PUT",
            "/me/notification-preferences",
            {
                "preferences": [{"topic": "announcements", "channel": "push", "enabled": False}],
                "quiet_hours": {"starts": "22:00:00", "ends": "07:30:00", "time_zone": "Asia/Almaty"},
                "digest": "weekly",
            },
            200,
        ),
        ("POST", f"/offers/{offer['id']}/redemptions", None, 201),
        (
            "POST",
            "/me/consents",
            {"policy_version": "1", "purposes": {"core": True, "marketing": False, "analytics": True}},
            201,
        ),
        ("POST", "/me/data-requests", {"kind": "access", "details": "Distinct-Detail-Marker-42"}, 201),
        ("POST", "/me/restriction", None, 200),
        ("DELETE", "/me/restriction", None, 200),
    ]
    for method, path, body, status in steps:
        extra = {"Idempotency-Key": "zhanargul-key-1"} if "redemptions" in path else {}
        response = await api.client.request(method, f"{API}{path}", json=body, headers=me | extra)
        assert response.status_code == status, f"{method} {path}: {response.text}"
    await notify(api, employee, "Distinct-Detail-Marker-43")
    inbox = (await api.client.get(f"{API}/me/notifications", headers=me)).json()
    read = await api.client.post(f"{API}/me/notifications/{inbox['items'][0]['id']}/read", headers=me)
    assert read.status_code == 200, read.text
    return employee


async def notify(api: Api, employee: Employee, note: str) -> None:
    """A notification for ``employee`` whose values hold ``note`` (inbox only: no job to run)."""
    runtime = api.app.state.runtime
    async with runtime.db_config.get_session() as session:
        user_id = await session.scalar(text("SELECT id FROM users WHERE email = :e"), {"e": employee.email})
        await NotificationService(session, runtime).notify(
            user_id,
            topic="data_requests",
            template="data_request_status",
            params={"request_kind": "access", "status": "completed", "note": note},
            channels=(Channel.INBOX,),
        )
        await session.commit()


async def behind_proxy_api(tmp_path: Path, clock: ManualClock, database_url: str) -> tuple[Api, AppClient]:
    app = create_app(behind_proxy(tmp_path), clock=clock, database_url=database_url)
    client = AppClient(app)
    await client.__aenter__()
    return Api(client=client, app=app, mailbox=Mailbox(tmp_path / "mail"), clock=clock), client


async def test_export_holds_every_section_and_no_secrets(
    tmp_path: Path, clock: ManualClock, database_url: str
) -> None:
    api, client = await behind_proxy_api(tmp_path, clock, database_url)
    try:
        await api.publish_policy("1")
        _, partner = await api.partner_with_admin()
        employee = await use_everything(api, partner, {"X-Forwarded-For": IP, "User-Agent": AGENT})
        response = await api.client.get(f"{API}/me/export", headers=employee.headers)
        assert response.status_code == 200
        assert response.headers["content-disposition"].startswith("attachment")
        document = json.loads(response.content)
        sections = {entry.export_section for entry in REGISTRY if entry.export_section}
        assert {name for name in sections if not document.get(name)} == set()
        assert document["profile"]["phone"] == "+7 701 987 65 43"
        assert document["roster_entry"]["employee_number"] == employee.employee_number
        assert [c["ip"] for c in document["consents"]] == [IP, IP]
        raw = response.text
        code = (await api.client.get(f"{API}/me/redemptions", headers=employee.headers)).json()["items"][0][
            "code"
        ]
        for secret in ("$argon2", employee.refresh_token, code, "password_hash", "token_hash"):
            assert secret not in raw
        datetime.fromisoformat(document["exported_at"])
    finally:
        await client.__aexit__(None, None, None)


async def test_erasure_leaves_no_trace_but_keeps_settlement(
    tmp_path: Path, clock: ManualClock, database_url: str
) -> None:
    api, client = await behind_proxy_api(tmp_path, clock, database_url)
    try:
        await api.publish_policy("1")
        _, partner = await api.partner_with_admin()
        headers = {"X-Forwarded-For": IP, "User-Agent": AGENT}
        employee = await use_everything(api, partner, headers)
        me = bearer(employee.access_token) | headers
        wrong = await api.client.request(
            "DELETE", f"{API}/me", json={"password": "Not-The-Password-1"}, headers=me
        )
        assert (wrong.status_code, wrong.json()["code"]) == (401, "invalid_credentials")
        erased = await api.client.request(
            "DELETE", f"{API}/me", json={"password": STRONG_PASSWORD}, headers=me
        )
        assert erased.status_code == 202, erased.text
        again = await api.client.request(
            "DELETE", f"{API}/me", json={"password": STRONG_PASSWORD}, headers=me
        )
        assert again.status_code == 401

        async with api.app.state.runtime.db_config.get_session() as session:
            # Still employed: HR's roster entry stays, and nothing else anywhere holds the person.
            assert await scan(session, MARKERS, skip={"roster_entries"}) == []
            kept = (await session.execute(text("SELECT user_id, status FROM redemptions"))).all()
            assert [(row.user_id, row.status) for row in kept] == [(None, "cancelled")]
            assert (await verify_chain(session, api.app.state.runtime.settings.secret_key)).intact
        relogin = await api.client.post(
            f"{API}/auth/login", json={"email": employee.email, "password": STRONG_PASSWORD}
        )
        assert relogin.status_code == 401
        # They may register again, as a new account.
        entry = {
            "employee_number": employee.employee_number,
            "email": employee.email,
            "full_name": PERSON["full_name"],
        }
        again_registered = await api.client.post(f"{API}/auth/register", json=api.registration(entry))
        assert again_registered.status_code == 202
        subject = (await api.mailbox.messages(employee.email))[-1]["Subject"]
        assert str(make_header(decode_header(subject))).startswith("Код регистрации")
    finally:
        await client.__aexit__(None, None, None)


async def test_restriction_stops_processing_until_lifted(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    restrict = f"{API}/me/restriction"
    assert (await api.client.post(restrict, headers=employee.headers)).json() == {"restricted": True}
    twice = await api.client.post(restrict, headers=employee.headers)
    assert (twice.status_code, twice.json()["code"]) == (409, "conflict")
    blocked = await api.client.get(f"{API}/offers", headers=employee.headers)
    assert (blocked.status_code, blocked.json()["code"]) == (403, "account_restricted")
    assert (await api.client.get(f"{API}/me", headers=employee.headers)).json()["restricted"] is True
    assert (await api.client.delete(restrict, headers=employee.headers)).json() == {"restricted": False}
    assert (await api.client.delete(restrict, headers=employee.headers)).status_code == 409
    assert (await api.client.get(f"{API}/offers", headers=employee.headers)).status_code == 200


async def test_data_requests_are_due_in_kazakh_business_days_and_worked_by_hr(api: Api) -> None:
    # Tuesday 15 December 2026, 11:00 in Almaty; the 16th is Independence Day.
    api.clock.advance(datetime(2026, 12, 15, 6, 0, tzinfo=UTC) - api.clock.now())
    await api.publish_policy("1")
    employee = await api.register()
    file = f"{API}/me/data-requests"
    first = (
        await api.client.post(file, json={"kind": "access", "details": "all of it"}, headers=employee.headers)
    ).json()
    assert (first["due_on"], first["status"], first["overdue"]) == ("2026-12-21", "open", False)
    second = (await api.client.post(file, json={"kind": "objection"}, headers=employee.headers)).json()
    for bad, status in (({"kind": "gossip"}, 422), ({"kind": "access", "details": "x" * 4001}, 422)):
        assert (await api.client.post(file, json=bad, headers=employee.headers)).status_code == status
    huge = await api.client.post(
        file, json={"kind": "access", "details": "x" * (1024 * 1024)}, headers=employee.headers
    )
    assert huge.status_code == 413

    hr = bearer(await api.hr_token())
    queue = (await api.client.get(f"{API}/hr/data-requests", headers=hr)).json()["items"]
    assert [r["id"] for r in queue] == [first["id"], second["id"]]
    export = await api.client.get(f"{API}/hr/data-requests/{first['id']}/export", headers=hr)
    assert json.loads(export.content)["profile"]["email"] == employee.email
    done = await api.client.post(
        f"{API}/hr/data-requests/{first['id']}/complete", json={"note": "sent"}, headers=hr
    )
    assert done.json()["status"] == "completed"
    await api.drain_jobs()  # the mail is a notification's delivery, sent by the worker
    assert "completed" in (await api.mailbox.messages(employee.email))[-1]["Subject"]
    repeat = await api.client.post(f"{API}/hr/data-requests/{first['id']}/complete", json={}, headers=hr)
    assert (repeat.status_code, repeat.json()["code"]) == (409, "conflict")
    no_reason = await api.client.post(f"{API}/hr/data-requests/{second['id']}/reject", json={}, headers=hr)
    assert no_reason.status_code == 422

    api.clock.advance(timedelta(days=7))
    employee.access_token = await api.login(employee.email, employee.password)
    hr = bearer(await api.hr_token())
    late = (await api.client.get(f"{API}/hr/data-requests", headers=hr)).json()["items"]
    assert [(r["id"], r["overdue"]) for r in late] == [(second["id"], True)]
    mine = (await api.client.get(file, headers=employee.headers)).json()
    assert {r["id"]: r["status"] for r in mine} == {first["id"]: "completed", second["id"]: "open"}


async def test_hr_completing_an_erasure_request_erases(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    request = (
        await api.client.post(f"{API}/me/data-requests", json={"kind": "erasure"}, headers=employee.headers)
    ).json()
    hr = bearer(await api.hr_token())
    done = await api.client.post(f"{API}/hr/data-requests/{request['id']}/complete", json={}, headers=hr)
    assert done.json()["status"] == "completed"
    assert (await api.client.get(f"{API}/me", headers=employee.headers)).status_code == 401
    # The erased account's events are found only by the pseudonym the request kept.
    log = f"{API}/hr/audit-log"
    by_employee = await api.client.get(log, params={"employee_id": employee.roster_id}, headers=hr)
    assert "erasure" not in [e["action"] for e in by_employee.json()["items"]]
    by_pseudonym = await api.client.get(log, params={"subject_ref": request["subject_ref"]}, headers=hr)
    assert [e["action"] for e in by_pseudonym.json()["items"]] == [
        "erasure",
        "data_request_completed",
        "data_request_filed",
    ]


async def test_retention_erases_departed_employees_after_the_period(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    stays = await api.register()
    hr = bearer(await api.hr_token())
    assert (
        await api.client.post(f"{API}/hr/employees/{employee.roster_id}/terminate", headers=hr)
    ).status_code == 200
    runtime = api.app.state.runtime

    api.clock.advance(timedelta(days=90) - timedelta(minutes=1))
    report = await run_retention(runtime)
    assert report is not None
    assert report["accounts_of_departed_employees"] == 0
    api.clock.advance(timedelta(minutes=2))
    report = await run_retention(runtime)
    assert report is not None
    assert report["accounts_of_departed_employees"] == 1
    assert report["ended_sessions"] == 0  # every session had expired, and went, in the run before
    async with runtime.db_config.get_session() as session:
        assert await scan(session, (employee.email, employee.employee_number), skip=set()) == []
        assert await scan(session, (stays.email,), skip={"roster_entries"}) != []


async def test_withdrawn_core_consent_leads_to_erasure_after_the_grace_period(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    withdrawn = await api.client.post(
        f"{API}/me/consents",
        json={"policy_version": "1", "purposes": {"core": False, "marketing": False, "analytics": False}},
        headers=employee.headers,
    )
    assert withdrawn.status_code == 201, withdrawn.text
    runtime = api.app.state.runtime
    api.clock.advance(timedelta(days=29))
    assert (await run_retention(runtime) or {})["accounts_without_core_consent"] == 0
    api.clock.advance(timedelta(days=2))
    assert (await run_retention(runtime) or {})["accounts_without_core_consent"] == 1


async def test_audit_chain_detects_a_deleted_and_an_altered_row(api: Api) -> None:
    await api.publish_policy("1")
    for _ in range(4):
        await api.register()
    runtime = api.app.state.runtime
    async with runtime.db_config.get_session() as session:
        report = await verify_chain(session, runtime.settings.secret_key)
        assert report.intact
        assert report.rows >= 4
        seqs = list(await session.scalars(text("SELECT seq FROM audit_events ORDER BY seq")))
        await session.execute(text("SELECT set_config('loyalty.audit_maintenance', 'on', true)"))
        await session.execute(text("DELETE FROM audit_events WHERE seq = :seq"), {"seq": seqs[1]})
        deleted = await verify_chain(session, runtime.settings.secret_key)
        assert (deleted.broken_at, deleted.reason) == (
            seqs[2],
            "a row before this one was deleted or altered",
        )
        await session.rollback()
        await session.execute(text("SELECT set_config('loyalty.audit_maintenance', 'on', true)"))
        await session.execute(
            text("""UPDATE audit_events SET details = '{"forged": true}' WHERE seq = :seq"""),
            {"seq": seqs[1]},
        )
        altered = await verify_chain(session, runtime.settings.secret_key)
        assert (altered.broken_at, altered.reason) == (seqs[1], "this row was altered")
        await session.rollback()


async def test_the_audit_log_refuses_edits_and_hr_reads_it_by_employee(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    other = await api.register()
    hr = bearer(await api.hr_token())
    await api.client.get(f"{API}/hr/employees/{employee.roster_id}", headers=hr)
    page = (
        await api.client.get(f"{API}/hr/audit-log", params={"employee_id": employee.roster_id}, headers=hr)
    ).json()
    actions = [e["action"] for e in page["items"]]
    assert actions[0] == "roster_entry_read"
    assert "roster_entry_created" in actions
    assert other.employee_number not in json.dumps(page)
    async with api.app.state.runtime.db_config.get_session() as session:
        with pytest.raises(DBAPIError, match="append-only"):
            await session.execute(text("DELETE FROM audit_events"))


def test_registry_entries_name_real_columns() -> None:
    from loyalty.db.base import metadata

    for entry in REGISTRY:
        table = metadata.tables[entry.table]
        for column in (*entry.columns, *entry.export_columns, *entry.anonymise, *(c for c, _ in entry.links)):
            assert column in table.c, f"{entry.table}.{column}"


async def test_only_one_instance_runs_retention_at_a_time(api: Api) -> None:
    from loyalty.privacy.retention import RETENTION_LOCK

    runtime = api.app.state.runtime
    async with runtime.db_config.get_session() as other_instance:
        await other_instance.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": RETENTION_LOCK})
        assert await run_retention(runtime) is None
    assert await run_retention(runtime) is not None


async def test_retention_deletes_used_registration_codes_after_the_contest_window(api: Api) -> None:
    """The registry promises one-time codes go once consumed; registration codes used to stay for ever,
    each with the name, IP and password hash the person typed."""
    await api.publish_policy("1")
    employee = await api.register()
    runtime = api.app.state.runtime

    async def registration_codes() -> int:
        async with runtime.db_config.get_session() as session:
            return int(
                await session.scalar(
                    select(func.count())
                    .select_from(OneTimeCode)
                    .where(OneTimeCode.email == employee.email, OneTimeCode.purpose == "registration")
                )
                or 0
            )

    assert await registration_codes() == 1
    api.clock.advance(timedelta(hours=runtime.settings.auth.contested_registration_hours - 1))
    assert (await run_retention(runtime) or {})["used_registration_codes"] == 0
    api.clock.advance(timedelta(hours=2))
    assert (await run_retention(runtime) or {})["used_registration_codes"] == 1
    assert await registration_codes() == 0


async def test_self_erasure_and_login_count_a_dual_stack_client_as_one_address(
    tmp_path: Path, clock: ManualClock, database_url: str
) -> None:
    """Wrong passwords at ``DELETE /me`` from ``::ffff:a.b.c.d`` and at login from ``a.b.c.d`` spend one
    budget: the erasure check used to file every IPv4-mapped client under ``::/64``."""
    api, client = await behind_proxy_api(tmp_path, clock, database_url)
    try:
        await api.publish_policy("1")
        employee = await api.register()
        limit = api.app.state.runtime.settings.auth.login_failures_per_account_ip
        mapped = employee.headers | {"X-Forwarded-For": "::ffff:198.51.100.7"}
        for _ in range(limit):
            wrong = await api.client.request(
                "DELETE", f"{API}/me", json={"password": "Not-The-Password-1"}, headers=mapped
            )
            assert (wrong.status_code, wrong.json()["code"]) == (401, "invalid_credentials")
        login = await api.client.post(
            f"{API}/auth/login",
            json={"email": employee.email, "password": "Not-The-Password-1"},
            headers={"X-Forwarded-For": "198.51.100.7"},
        )
        assert (login.status_code, login.json()["code"]) == (429, "rate_limited")
    finally:
        await client.__aexit__(None, None, None)
