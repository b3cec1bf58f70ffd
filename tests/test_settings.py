"""Settings come from LOYALTY_* variables, are validated, and a wrong one stops start-up by name."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from loyalty.settings import Settings, SettingsError, variable_names


def test_unknown_variable_is_named_with_a_suggestion(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"LOYALTY_DATABSE_URL \(did you mean LOYALTY_DATABASE_URL\?\)"):
        Settings.from_env({"LOYALTY_DATABSE_URL": "x", "LOYALTY_DATA_DIR": str(tmp_path)})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("LOYALTY_DATABASE_POOL_SIZE", "many"),
        ("LOYALTY_DATABASE_POOL_SIZE", "0"),
        ("LOYALTY_ENV", "staging"),
        ("LOYALTY_ARGON2_MEMORY_KIB", "1024"),
        ("LOYALTY_AUTH_ACCESS_TOKEN_TTL_SECONDS", "3600"),
        ("LOYALTY_MAIL_BACKEND", "pigeon"),
        ("LOYALTY_AUTH_SESSION_ABSOLUTE_DAYS", "0"),
        ("LOYALTY_AUTH_IPV6_SITE_MULTIPLIER", "0"),
        ("LOYALTY_AUTH_CONTESTED_REGISTRATION_HOURS", "0"),
        ("LOYALTY_WORKER_IN_PROCESS", "sometimes"),
        ("LOYALTY_WORKER_CONCURRENCY", "0"),
        ("LOYALTY_NOTIFICATIONS_MAX_ATTEMPTS", "0"),
        ("LOYALTY_WORKERS", "0"),
        ("LOYALTY_WORKERS", "two"),
        ("LOYALTY_SHUTDOWN_GRACE_SECONDS", "0"),
        ("LOYALTY_SHUTDOWN_GRACE_SECONDS", "3600"),
    ],
)
def test_bad_values_are_named(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value, "LOYALTY_DATA_DIR": str(tmp_path)})


def test_values_are_converted(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "LOYALTY_DATA_DIR": str(tmp_path),
            "LOYALTY_DATABASE_POOL_SIZE": "25",
            "LOYALTY_SMTP_STARTTLS": "false",
            "LOYALTY_REDIS_URL": "redis://127.0.0.1:6379/0",
            "LOYALTY_AUTH_SESSION_ABSOLUTE_DAYS": "7",
            "LOYALTY_AUTH_IPV6_SITE_MULTIPLIER": "64",
            "LOYALTY_AUTH_CONTESTED_REGISTRATION_HOURS": "48",
        }
    )
    assert (settings.auth.session_absolute_days, settings.auth.ipv6_site_multiplier) == (7, 64)
    assert settings.auth.contested_registration_hours == 48
    assert settings.database.pool_size == 25
    assert settings.smtp.starttls is False
    assert settings.redis.url == "redis://127.0.0.1:6379/0"


def test_workers_default_to_the_cpus_and_can_be_set(tmp_path: Path) -> None:
    assert Settings.from_env({"LOYALTY_DATA_DIR": str(tmp_path)}).server.worker_count == (os.cpu_count() or 1)
    settings = Settings.from_env(
        {"LOYALTY_DATA_DIR": str(tmp_path), "LOYALTY_WORKERS": "3", "LOYALTY_SHUTDOWN_GRACE_SECONDS": "45"}
    )
    assert (settings.server.worker_count, settings.server.shutdown_grace_seconds) == (3, 45)


def test_production_requires_a_secret_key_and_real_mail(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="LOYALTY_SECRET_KEY is required"):
        Settings.from_env({"LOYALTY_ENV": "production", "LOYALTY_MAIL_BACKEND": "smtp"})
    with pytest.raises(SettingsError, match="LOYALTY_SECRET_KEY must be at least 32"):
        Settings.from_env({"LOYALTY_SECRET_KEY": "short", "LOYALTY_DATA_DIR": str(tmp_path)})
    with pytest.raises(SettingsError, match="LOYALTY_MAIL_BACKEND=file"):
        Settings.from_env({"LOYALTY_ENV": "production", "LOYALTY_SECRET_KEY": "k" * 40})
    settings = Settings.from_env(
        {"LOYALTY_ENV": "production", "LOYALTY_SECRET_KEY": "k" * 40, "LOYALTY_MAIL_BACKEND": "smtp"}
    )
    assert settings.secret_key == "k" * 40


def test_development_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    first = Settings.from_env({"LOYALTY_DATA_DIR": str(tmp_path)})
    second = Settings.from_env({"LOYALTY_DATA_DIR": str(tmp_path)})
    assert first.secret_key == second.secret_key
    assert len(first.secret_key) >= 32
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_every_variable_has_the_prefix() -> None:
    assert all(name.startswith("LOYALTY_") for name in variable_names())
    assert {
        "LOYALTY_DATABASE_URL",
        "LOYALTY_SECRET_KEY",
        "LOYALTY_REDIS_URL",
        "LOYALTY_MAIL_BACKEND",
        "LOYALTY_MAIL_DIR",
        "LOYALTY_ENV",
    } <= variable_names()


def test_the_worker_runs_in_the_web_process_by_default_only_in_development(tmp_path: Path) -> None:
    base = {"LOYALTY_DATA_DIR": str(tmp_path)}
    production = base | {
        "LOYALTY_ENV": "production",
        "LOYALTY_SECRET_KEY": "k" * 40,
        "LOYALTY_MAIL_BACKEND": "smtp",
    }
    assert Settings.from_env(base).worker_in_process is True
    assert Settings.from_env(production).worker_in_process is False
    assert Settings.from_env(base | {"LOYALTY_WORKER_IN_PROCESS": "false"}).worker_in_process is False
    assert Settings.from_env(production | {"LOYALTY_WORKER_IN_PROCESS": "true"}).worker_in_process is True
