"""Every read of personal data by staff in the privacy lane, and every policy change, leaves an audit event
(issue 9, audit completeness)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from tests.helpers import API, Api, bearer


async def events(api: Api, action: str) -> list[dict[str, Any]]:
    async with api.app.state.runtime.db_config.get_session() as session:
        rows = await session.execute(
            text("SELECT actor_role, subject_ref, details FROM audit_events WHERE action = :a ORDER BY seq"),
            {"a": action},
        )
        return [dict(row._mapping) for row in rows]


async def test_policy_creation_and_publication_are_audited(api: Api) -> None:
    await api.publish_policy("7")
    assert [
        (e["actor_role"], e["details"]["policy_version"]) for e in await events(api, "policy_created")
    ] == [("admin", "7")]
    assert [
        (e["actor_role"], e["details"]["policy_version"]) for e in await events(api, "policy_published")
    ] == [("admin", "7")]


async def test_reading_the_data_request_queue_is_audited(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    request = (
        await api.client.post(f"{API}/me/data-requests", json={"kind": "access"}, headers=employee.headers)
    ).json()
    hr = bearer(await api.hr_token())
    assert (await api.client.get(f"{API}/hr/data-requests", headers=hr)).status_code == 200
    assert await events(api, "data_requests_listed") == [
        {
            "actor_role": "hr_admin",
            "subject_ref": None,
            "details": {"status": "open", "request_ids": [request["id"]]},
        }
    ]


async def test_hr_export_is_audited_about_the_subject(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    request = (
        await api.client.post(f"{API}/me/data-requests", json={"kind": "access"}, headers=employee.headers)
    ).json()
    hr = bearer(await api.hr_token())
    assert (
        await api.client.get(f"{API}/hr/data-requests/{request['id']}/export", headers=hr)
    ).status_code == 200
    assert [(e["actor_role"], e["subject_ref"], e["details"]) for e in await events(api, "export")] == [
        ("hr_admin", request["subject_ref"], {"request_id": request["id"]})
    ]


async def test_reading_the_audit_log_is_audited(api: Api) -> None:
    await api.publish_policy("1")
    employee = await api.register()
    hr = bearer(await api.hr_token())
    log = f"{API}/hr/audit-log"
    first = await api.client.get(log, params={"employee_id": employee.roster_id}, headers=hr)
    assert first.status_code == 200
    assert "audit_log_read" not in [e["action"] for e in first.json()["items"]]
    (read,) = await events(api, "audit_log_read")
    assert read["actor_role"] == "hr_admin"
    assert read["details"]["rows"] == len(first.json()["items"])
    assert read["details"]["by_person"] is True
    async with api.app.state.runtime.db_config.get_session() as session:
        account_ref = await session.scalar(
            text("SELECT subject_ref FROM users WHERE email = :e"), {"e": employee.email}
        )
    assert read["subject_ref"] == account_ref
    # The next read shows the previous one.
    second = await api.client.get(log, params={"action": "audit_log_read"}, headers=hr)
    assert [e["action"] for e in second.json()["items"]] == ["audit_log_read"]
