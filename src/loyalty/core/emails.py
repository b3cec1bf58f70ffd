"""The one spelling of an email address we store and compare."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from loyalty.core.errors import invalid_field


def normalize_email(raw: str, field_name: str = "email") -> str:
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise invalid_field(field_name, str(exc)) from None
