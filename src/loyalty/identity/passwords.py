"""argon2id for passwords and one-time codes, run in worker threads under a concurrency bound so the
event loop never waits on a hash; and the password rules people are held to."""

from __future__ import annotations

import secrets
from functools import cache
from importlib import resources

from loyalty.core.errors import AppError, ErrorCode

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128


def new_numeric_code(digits: int = 6) -> str:
    return f"{secrets.randbelow(10**digits):0{digits}d}"


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("loyalty.identity").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def check_password_strength(password: str, *, email: str, employee_number: str | None = None) -> None:
    """Raise 422 ``weak_password`` with the reason when ``password`` breaks a rule."""
    reason = None
    lowered = password.lower()
    if len(password) < MIN_PASSWORD_LENGTH:
        reason = f"at least {MIN_PASSWORD_LENGTH} characters"
    elif len(password) > MAX_PASSWORD_LENGTH:
        reason = f"at most {MAX_PASSWORD_LENGTH} characters"
    elif len(set(password)) < 3:
        reason = "too few different characters"
    elif lowered in common_passwords():
        reason = "too common"
    elif lowered in {email.lower(), email.split("@", 1)[0].lower()}:
        reason = "must not be your email"
    elif employee_number and lowered == employee_number.lower():
        reason = "must not be your employee number"
    if reason:
        raise AppError(
            422,
            ErrorCode.WEAK_PASSWORD,
            f"the password is too weak: {reason}",
            errors=[{"field": "password", "message": reason}],
        )
