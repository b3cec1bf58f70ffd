"""The personal-data registry: every table and column that holds or points to a person, and what export,
erasure and retention do with it. Export (``rights.export``), erasure (``rights.erase``) and retention
(``retention.py``) are driven from here, and ``tests/privacy/test_rights.py`` fails when the schema
gains a column that refers to a person without an entry below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class OnErase(StrEnum):
    DELETE = "delete"  # the rows go
    ANONYMISE = "anonymise"  # the rows stay; their link and the ``anonymise`` columns are cleared
    KEEP_WHILE_EMPLOYED = "keep_while_employed"  # HR's roster entry: deleted once the person has left


class Key(StrEnum):
    """What identifies the person in a table's linking column."""

    USER_ID = "user_id"
    ROSTER_ENTRY_ID = "roster_entry_id"
    EMAIL = "email"
    SUBJECT_REF = "subject_ref"
    ROSTER_REF = "roster_ref"  # ``roster:<id>``: the audit log's pseudonym for someone without an account


@dataclass(frozen=True)
class PersonalTable:
    table: str
    # (column, key): rows whose ``column`` equals the person's ``key`` are theirs.
    links: tuple[tuple[str, Key], ...]
    # Every column that holds personal data or points to the person (the completeness test reads these).
    columns: tuple[str, ...]
    on_erase: OnErase
    # The export section and the columns it shows; None = nothing exported (secrets or derived data).
    export_section: str | None = None
    export_columns: tuple[str, ...] = ()
    anonymise: tuple[str, ...] = ()
    retention: str = ""
    order_by: str = "created_at"
    extra: dict[str, str] = field(default_factory=dict)
    # Export columns looked up in another table: name -> (table, this table's foreign key, that column),
    # so the export names things the way people know them rather than by internal ids.
    export_lookups: dict[str, tuple[str, str, str]] = field(default_factory=dict)


# Erasure walks the registry in this order; the account itself goes last. A table is read or changed for a
# person only through the links the person has (staff have no roster entry, someone on the roster may have
# no account); ``rights.rows_of`` refuses to build a statement from none.
REGISTRY: tuple[PersonalTable, ...] = (
    PersonalTable(
        "auth_sessions",
        links=(("user_id", Key.USER_ID),),
        columns=("user_id", "ip", "user_agent"),
        on_erase=OnErase.DELETE,
        export_section="sessions",
        export_columns=(
            "id",
            "created_at",
            "expires_at",
            "last_refreshed_at",
            "revoked_at",
            "revoked_reason",
            "ip",
            "user_agent",
        ),
        retention="deleted once expired (refresh tokens go with them)",
    ),
    PersonalTable(
        "one_time_codes",
        links=(("user_id", Key.USER_ID), ("roster_entry_id", Key.ROSTER_ENTRY_ID), ("email", Key.EMAIL)),
        columns=("user_id", "roster_entry_id", "email", "payload"),
        on_erase=OnErase.DELETE,
        retention="deleted once expired or consumed; unverified registrations after 24 hours",
    ),
    PersonalTable(
        "favorites",
        links=(("user_id", Key.USER_ID),),
        columns=("user_id",),
        on_erase=OnErase.DELETE,
        export_section="favorites",
        export_columns=("offer_id", "created_at"),
    ),
    PersonalTable(
        "redemption_counters",
        links=(("user_id", Key.USER_ID),),
        columns=("user_id",),
        on_erase=OnErase.DELETE,
        export_section="limit_usage",
        export_columns=("offer_id", "period", "period_start", "used"),
        order_by="period_start",
    ),
    PersonalTable(
        "idempotency_keys",
        links=(("user_id", Key.USER_ID),),
        columns=("user_id", "body"),
        on_erase=OnErase.DELETE,
        retention="deleted 24 hours after first use",
    ),
    PersonalTable(
        "redemptions",
        links=(("user_id", Key.USER_ID),),
        columns=("user_id",),
        # Partners settle on "an employee redeemed offer X on day D": kept, without the link.
        on_erase=OnErase.ANONYMISE,
        export_section="redemptions",
        export_columns=(
            "id",
            "offer_id",
            "partner_id",
            "status",
            "source",
            "issued_at",
            "expires_at",
            "redeemed_at",
            "cancelled_at",
            "local_day",
        ),
        order_by="issued_at",
    ),
    PersonalTable(
        "notifications",
        links=(("user_id", Key.USER_ID),),
        # The template's values may name the person's affairs (a data request's note); their deliveries
        # (``notification_deliveries``) hold nothing of the person and go with them by foreign key.
        # ``sealed`` holds, encrypted, a mail's one-time code and the address, name and language of a
        # recipient mailed without their account (a registration, an erasure's confirmation); it is wiped
        # once the mail is sent or has failed for good, and never exported (a secret while it lives).
        columns=("user_id", "params", "sealed"),
        on_erase=OnErase.DELETE,
        export_section="notifications",
        export_columns=("id", "topic", "template", "params", "created_at", "read_at"),
        retention=(
            "read items deleted after LOYALTY_NOTIFICATIONS_READ_RETENTION_DAYS (default 90), mail-only ones"
            " (codes, invitations) that long after they were made, once sent or failed; sealed values wiped"
            " as soon as the mail is sent or has failed for good"
        ),
    ),
    PersonalTable(
        "push_devices",
        links=(("user_id", Key.USER_ID),),
        # The token addresses the person's phone through FCM; retired tokens are kept for nothing.
        columns=("user_id", "token", "app_version"),
        on_erase=OnErase.DELETE,
        export_section="push_devices",
        export_columns=("id", "platform", "app_version", "created_at", "last_seen_at", "retired_at"),
        retention="retired tokens deleted by the next retention run",
    ),
    PersonalTable(
        "notification_preferences",
        links=(("user_id", Key.USER_ID),),
        columns=("user_id",),
        on_erase=OnErase.DELETE,
        export_section="notification_preferences",
        export_columns=("topic", "channel", "enabled", "updated_at"),
        order_by="updated_at",
    ),
    PersonalTable(
        "notification_quiet_hours",
        links=(("user_id", Key.USER_ID),),
        columns=("user_id", "time_zone"),
        on_erase=OnErase.DELETE,
        export_section="notification_quiet_hours",
        export_columns=("starts", "ends", "time_zone", "updated_at"),
        order_by="updated_at",
    ),
    PersonalTable(
        "notification_digest",
        links=(("user_id", Key.USER_ID),),
        columns=("user_id", "frequency"),
        on_erase=OnErase.DELETE,
        export_section="notification_digest",
        export_columns=("frequency", "updated_at"),
        order_by="updated_at",
    ),
    PersonalTable(
        "notice_marks",
        links=(("user_id", Key.USER_ID),),
        # That a producer told the person something (a digest that day, a code about to expire): keys such
        # as ``digest:<user id>:<day>``. Derived bookkeeping, not exported; it goes with the person.
        # (``announcements.created_by_ref`` is the sending admin's pseudonym, kept as the audit log keeps
        # its ``actor_ref``: it loses its meaning once the account is gone.)
        columns=("user_id", "key"),
        on_erase=OnErase.DELETE,
        retention="as long as the account; pruned with it",
        order_by="created_at",
    ),
    PersonalTable(
        "staff_company_scopes",
        links=(("user_id", Key.USER_ID),),
        columns=("user_id",),
        # An HR admin's work assignment (staff accounts only); it goes with the account.
        on_erase=OnErase.DELETE,
    ),
    PersonalTable(
        "consent_records",
        links=(("user_id", Key.USER_ID),),
        columns=("user_id", "subject_ref", "ip", "user_agent"),
        on_erase=OnErase.ANONYMISE,
        anonymise=("ip", "user_agent"),
        export_section="consents",
        export_columns=(
            "language",
            "text_sha256",
            "purposes_granted",
            "purposes_declined",
            "method",
            "created_at",
            "ip",
            "user_agent",
        ),
        export_lookups={"policy_version": ("policy_versions", "policy_version_id", "version")},
        retention="kept as proof of consent under the pseudonym",
    ),
    PersonalTable(
        "data_requests",
        links=(("user_id", Key.USER_ID), ("roster_entry_id", Key.ROSTER_ENTRY_ID)),
        columns=(
            "user_id",
            "roster_entry_id",
            "subject_ref",
            "details",
            "identity_verification",
            "decided_by_ref",
            "decision_note",
        ),
        on_erase=OnErase.ANONYMISE,
        # HR's note and how HR verified the person's identity are about the person as much as the details.
        anonymise=("details", "identity_verification", "decision_note"),
        export_section="data_requests",
        export_columns=(
            "id",
            "kind",
            "channel",
            "details",
            "identity_verification",
            "status",
            "due_on",
            "created_at",
            "decided_at",
            "decision_note",
        ),
    ),
    PersonalTable(
        "audit_events",
        links=(("subject_ref", Key.SUBJECT_REF), ("subject_ref", Key.ROSTER_REF)),
        columns=("actor_ref", "subject_ref", "ip", "ip_digest"),
        # The person's own addresses go; the pseudonyms stay and lose their meaning with the account.
        on_erase=OnErase.ANONYMISE,
        anonymise=("ip",),
        export_section="audit_events",
        export_columns=("seq", "at", "actor_role", "action", "details"),
        order_by="seq",
        extra={"actor_link": "actor_ref"},
        retention="pruned after the audit period (default three years)",
    ),
    PersonalTable(
        "users",
        links=(("id", Key.USER_ID),),
        columns=(
            "email",
            "full_name",
            "phone",
            "password_hash",
            "subject_ref",
            "roster_entry_id",
            "last_login_at",
        ),
        on_erase=OnErase.DELETE,
        export_section="profile",
        export_columns=(
            "id",
            "email",
            "full_name",
            "phone",
            "language",
            "role",
            "status",
            "created_at",
            "last_login_at",
            "restricted_at",
            "core_consent",
            "marketing_consent",
            "core_withdrawn_at",
        ),
    ),
    PersonalTable(
        "roster_entries",
        links=(("id", Key.ROSTER_ENTRY_ID),),
        columns=("employee_number", "email", "full_name", "company", "department", "city"),
        on_erase=OnErase.KEEP_WHILE_EMPLOYED,
        export_section="roster_entry",
        export_columns=(
            "employee_number",
            "email",
            "full_name",
            "company",
            "department",
            "city",
            "status",
            "terminated_at",
        ),
        retention="erased with the account 90 days after termination",
    ),
)

# Columns the completeness test would flag by name that hold no person's data, each with the reason.
NOT_PERSONAL: dict[tuple[str, str], str] = {
    ("partners", "name"): "a partner business's name",
    ("partners", "contact_email"): "a partner business's contact address, published to employees",
    ("partners", "contact_phone"): "a partner business's contact number, published to employees",
    ("categories", "name"): "a category's name",
    ("companies", "name"): "a group company's name",
    ("offers", "partner_names"): "partner business names copied for search",
    ("users", "partner_id"): "the partner a partner admin works for",
    ("users", "consented_policy_version_id"): "a policy version",
    ("redemptions", "partner_id"): "a partner",
}


def registered_columns() -> set[tuple[str, str]]:
    return {(entry.table, column) for entry in REGISTRY for column in entry.columns}
