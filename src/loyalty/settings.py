"""Settings: one msgspec Struct per concern, read once from ``LOYALTY_*`` variables and validated.

Every field of every concern maps to exactly one variable (``LOYALTY_`` + prefix + FIELD). A variable
that starts with ``LOYALTY_`` but names no field stops start-up, so a typo never passes silently.
"""

from __future__ import annotations

import difflib
import os
import secrets
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import msgspec
from croniter import croniter
from msgspec import Meta, Struct

ENV_PREFIX = "LOYALTY_"

# Read by the CLI or the test suite, never by the running app; known so that they are not typos.
AUXILIARY_VARIABLES = {
    "LOYALTY_ADMIN_PASSWORD": "password for `loyalty create-admin` when no terminal is attached",
    "LOYALTY_TEST_DATABASE_URL": "server the test suite runs against instead of an embedded PostgreSQL",
}

PositiveInt = Annotated[int, Meta(ge=1)]


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class SettingsError(ValueError):
    """A setting is missing, unknown or has a value that cannot be used."""


class AppSettings(Struct, frozen=True, kw_only=True):
    env_prefix: ClassVar[str] = ""
    env: Environment = Environment.DEVELOPMENT
    secret_key: str | None = None
    data_dir: str = ".data"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["console", "json"] = "console"
    public_url: str = "http://127.0.0.1:8000"
    max_body_bytes: Annotated[int, Meta(ge=1024, le=100 * 1024 * 1024)] = 1024 * 1024
    trusted_proxy_hops: Annotated[int, Meta(ge=0, le=5)] = 0


class ServerSettings(Struct, frozen=True, kw_only=True):
    """``loyalty run``: how many processes serve, and how long SIGTERM waits for requests in flight."""

    env_prefix: ClassVar[str] = ""
    # Worker processes; unset = one per CPU.
    workers: Annotated[int, Meta(ge=1, le=64)] | None = None
    # After SIGTERM, requests in flight get this long to finish before they are cancelled.
    shutdown_grace_seconds: Annotated[int, Meta(ge=1, le=600)] = 20

    @property
    def worker_count(self) -> int:
        return self.workers or os.cpu_count() or 1


class DatabaseSettings(Struct, frozen=True, kw_only=True):
    env_prefix: ClassVar[str] = "DATABASE_"
    url: str | None = None
    pool_size: Annotated[int, Meta(ge=1, le=200)] = 32
    max_overflow: Annotated[int, Meta(ge=0, le=200)] = 8
    echo: bool = False


class RedisSettings(Struct, frozen=True, kw_only=True):
    env_prefix: ClassVar[str] = "REDIS_"
    url: str | None = None


class AuthSettings(Struct, frozen=True, kw_only=True):
    env_prefix: ClassVar[str] = "AUTH_"
    access_token_ttl_seconds: Annotated[int, Meta(ge=30, le=900)] = 900
    refresh_token_ttl_days: Annotated[int, Meta(ge=1, le=365)] = 30
    # However often it is refreshed, a session ends this long after its login.
    session_absolute_days: Annotated[int, Meta(ge=1, le=365)] = 30
    code_ttl_minutes: Annotated[int, Meta(ge=1, le=60)] = 15
    code_max_attempts: Annotated[int, Meta(ge=1, le=20)] = 5
    invitation_ttl_hours: Annotated[int, Meta(ge=1, le=24 * 14)] = 72
    login_failures_per_account_ip: PositiveInt = 5
    login_failures_per_account: PositiveInt = 30
    login_attempts_per_ip: PositiveInt = 100
    throttle_window_seconds: Annotated[int, Meta(ge=10, le=86_400)] = 900
    mail_requests_per_ip_per_hour: PositiveInt = 30
    # An IPv6 /48 (one site) shares this many times one client's budget (core/throttle.py says why).
    ipv6_site_multiplier: Annotated[int, Meta(ge=1, le=65_536)] = 16
    # After two registrations for one address collided, codes mailed to it within this many hours
    # create the account only when the password is typed with the code.
    contested_registration_hours: Annotated[int, Meta(ge=1, le=720)] = 24


class PasswordHashSettings(Struct, frozen=True, kw_only=True):
    """argon2id parameters; the defaults are OWASP's minimum (m=19 MiB, t=2, p=1)."""

    env_prefix: ClassVar[str] = "ARGON2_"
    memory_kib: Annotated[int, Meta(ge=19_456, le=1_048_576)] = 19_456
    time_cost: Annotated[int, Meta(ge=2, le=20)] = 2
    parallelism: Annotated[int, Meta(ge=1, le=16)] = 1
    # Hashes at once; unset = one fewer than the CPUs (at least one), so hashing never takes the core
    # the event loop needs (bench/README.md has the measurements behind this).
    max_concurrent: Annotated[int, Meta(ge=1, le=64)] | None = None

    @property
    def concurrency(self) -> int:
        return self.max_concurrent or max(1, (os.cpu_count() or 2) - 1)


class MailSettings(Struct, frozen=True, kw_only=True):
    env_prefix: ClassVar[str] = "MAIL_"
    backend: Literal["file", "smtp"] = "file"
    dir: str | None = None
    sender: str = "loyalty <no-reply@loyalty.local>"


class SmtpSettings(Struct, frozen=True, kw_only=True):
    env_prefix: ClassVar[str] = "SMTP_"
    host: str = "localhost"
    port: Annotated[int, Meta(ge=1, le=65_535)] = 587
    username: str | None = None
    password: str | None = None
    starttls: bool = True
    timeout_seconds: Annotated[int, Meta(ge=1, le=120)] = 20


class PrivacySettings(Struct, frozen=True, kw_only=True):
    env_prefix: ClassVar[str] = "PRIVACY_"
    # Kazakhstan's personal-data law gives three business days to answer the subject.
    response_business_days: Annotated[int, Meta(ge=1, le=30)] = 3
    core_withdrawal_grace_days: Annotated[int, Meta(ge=0, le=365)] = 30
    terminated_retention_days: Annotated[int, Meta(ge=0, le=3650)] = 90
    unverified_registration_hours: Annotated[int, Meta(ge=1, le=720)] = 24
    audit_retention_days: Annotated[int, Meta(ge=30, le=3650)] = 1095
    # When the job worker runs retention (a cron expression, UTC; one run across all workers); empty turns
    # it off (run `loyalty retention run`).
    retention_schedule: str = "17 * * * *"


class NotificationSettings(Struct, frozen=True, kw_only=True):
    env_prefix: ClassVar[str] = "NOTIFICATIONS_"
    # A delivery that failed this many times is marked failed and no longer retried.
    max_attempts: Annotated[int, Meta(ge=1, le=50)] = 8
    # The first retry waits this long; each further one twice as long, up to an hour.
    retry_base_seconds: Annotated[int, Meta(ge=1, le=3600)] = 30
    # Read inbox items are erased this many days after they were read.
    read_retention_days: Annotated[int, Meta(ge=1, le=3650)] = 90
    # A delivery claimed for sending by a worker that died goes back to pending after this long, when no
    # re-run of its job took it over first; longer than sending a job's batch can take.
    claim_lease_seconds: Annotated[int, Meta(ge=30, le=86400)] = 300


class PushSettings(Struct, frozen=True, kw_only=True):
    env_prefix: ClassVar[str] = "PUSH_"
    # file: one JSON line per message in ``dir`` (development, tests, benches); fcm: Firebase Cloud Messaging.
    backend: Literal["file", "fcm"] = "file"
    dir: str | None = None
    # The Firebase service account's JSON key file (its project_id, client_email, private_key, token_uri).
    fcm_credentials_file: str | None = None
    # Only tests and stand-ins change these.
    fcm_base_url: str = "https://fcm.googleapis.com"
    fcm_token_url: str | None = None  # None = the key file's token_uri
    timeout_seconds: Annotated[int, Meta(ge=1, le=120)] = 10


class WorkerSettings(Struct, frozen=True, kw_only=True):
    env_prefix: ClassVar[str] = "WORKER_"
    # Run the job worker inside the web process; unset = only in development, where `loyalty up` alone
    # then shows everything working. Production runs `loyalty worker` as its own process.
    in_process: bool | None = None
    # Jobs one worker runs at once.
    concurrency: Annotated[int, Meta(ge=1, le=200)] = 10
    # On SIGTERM the worker stops fetching and waits this long for running jobs before cancelling them.
    drain_timeout_seconds: Annotated[int, Meta(ge=1, le=3600)] = 30


class ObservabilitySettings(Struct, frozen=True, kw_only=True):
    """``/metrics`` and traces (``core/metrics.py``, ``core/tracing.py``)."""

    env_prefix: ClassVar[str] = ""
    # Prometheus sends it as ``Authorization: Bearer ...``; unset, ``/metrics`` answers 401 to everyone.
    metrics_token: Annotated[str, Meta(min_length=32, max_length=256)] | None = None
    # OTLP/HTTP collector base URL (``http://collector:4318``); spans go to ``<it>/v1/traces``. Unset: no tracing.
    otel_endpoint: Annotated[str, Meta(pattern=r"^https?://[^\s]+$", max_length=500)] | None = None


CONCERNS: dict[str, type[Struct]] = {
    "app": AppSettings,
    "server": ServerSettings,
    "database": DatabaseSettings,
    "redis": RedisSettings,
    "auth": AuthSettings,
    "argon2": PasswordHashSettings,
    "mail": MailSettings,
    "smtp": SmtpSettings,
    "privacy": PrivacySettings,
    "notifications": NotificationSettings,
    "push": PushSettings,
    "worker": WorkerSettings,
    "observability": ObservabilitySettings,
}


class Settings(Struct, frozen=True, kw_only=True):
    app: AppSettings = msgspec.field(default_factory=AppSettings)
    server: ServerSettings = msgspec.field(default_factory=ServerSettings)
    database: DatabaseSettings = msgspec.field(default_factory=DatabaseSettings)
    redis: RedisSettings = msgspec.field(default_factory=RedisSettings)
    auth: AuthSettings = msgspec.field(default_factory=AuthSettings)
    argon2: PasswordHashSettings = msgspec.field(default_factory=PasswordHashSettings)
    mail: MailSettings = msgspec.field(default_factory=MailSettings)
    smtp: SmtpSettings = msgspec.field(default_factory=SmtpSettings)
    privacy: PrivacySettings = msgspec.field(default_factory=PrivacySettings)
    notifications: NotificationSettings = msgspec.field(default_factory=NotificationSettings)
    push: PushSettings = msgspec.field(default_factory=PushSettings)
    worker: WorkerSettings = msgspec.field(default_factory=WorkerSettings)
    observability: ObservabilitySettings = msgspec.field(default_factory=ObservabilitySettings)

    @property
    def data_path(self) -> Path:
        return Path(self.app.data_dir).resolve()

    @property
    def mail_path(self) -> Path:
        return Path(self.mail.dir).resolve() if self.mail.dir else self.data_path / "mail"

    @property
    def push_path(self) -> Path:
        return Path(self.push.dir).resolve() if self.push.dir else self.data_path / "push"

    @property
    def worker_in_process(self) -> bool:
        if self.worker.in_process is not None:
            return self.worker.in_process
        return self.app.env is Environment.DEVELOPMENT

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read, validate and complete the settings; raise :class:`SettingsError` naming the variable."""
        environ = os.environ if environ is None else environ
        known = variable_names()
        unknown = sorted(name for name in environ if name.startswith(ENV_PREFIX) and name not in known)
        if unknown:
            hints = []
            for name in unknown:
                close = difflib.get_close_matches(name, known, n=1)
                hints.append(f"{name} (did you mean {close[0]}?)" if close else name)
            raise SettingsError(f"unknown setting {', '.join(hints)}")
        concerns: dict[str, Any] = {}
        for concern, struct in CONCERNS.items():
            values: dict[str, Any] = {}
            for field in msgspec.structs.fields(struct):
                name = variable_name(struct, field.name)
                if name in environ:
                    values[field.name] = _convert(name, environ[name], field.type)
            concerns[concern] = struct(**values)
        return cls(**concerns).completed()

    def completed(self) -> Settings:
        """Check cross-field rules and fill the development secret key."""
        if self.app.env is Environment.PRODUCTION:
            if not self.app.secret_key:
                raise SettingsError("LOYALTY_SECRET_KEY is required when LOYALTY_ENV=production")
            if self.mail.backend == "file":
                raise SettingsError("LOYALTY_MAIL_BACKEND=file is for development; use smtp in production")
        if self.privacy.retention_schedule and not croniter.is_valid(self.privacy.retention_schedule):
            raise SettingsError("LOYALTY_PRIVACY_RETENTION_SCHEDULE must be a cron expression (or empty)")
        if self.push.backend == "fcm" and not self.push.fcm_credentials_file:
            raise SettingsError("LOYALTY_PUSH_BACKEND=fcm needs LOYALTY_PUSH_FCM_CREDENTIALS_FILE")
        if self.app.secret_key is not None and len(self.app.secret_key) < 32:
            raise SettingsError("LOYALTY_SECRET_KEY must be at least 32 characters")
        if self.app.secret_key is None:
            return msgspec.structs.replace(
                self, app=msgspec.structs.replace(self.app, secret_key=_development_secret(self.data_path))
            )
        return self

    @property
    def secret_key(self) -> str:
        assert self.app.secret_key is not None, "settings were not completed"
        return self.app.secret_key


def variable_name(struct: type[Struct], field_name: str) -> str:
    return f"{ENV_PREFIX}{getattr(struct, 'env_prefix', '')}{field_name.upper()}"


def variable_names() -> set[str]:
    names = set(AUXILIARY_VARIABLES)
    for struct in CONCERNS.values():
        names.update(variable_name(struct, field.name) for field in msgspec.structs.fields(struct))
    return names


def _convert(name: str, raw: str, target: Any) -> Any:
    try:
        return msgspec.convert(raw if raw != "" else None, type=target, strict=False)
    except msgspec.ValidationError as exc:
        shown = (
            "<hidden>" if any(word in name for word in ("SECRET", "PASSWORD", "URL", "TOKEN")) else repr(raw)
        )
        raise SettingsError(f"{name}={shown} is not valid: {exc}") from None


def _development_secret(data_path: Path) -> str:
    """Generate the development key once and keep it, so tokens survive a restart."""
    key_file = data_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    data_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process won the race; use its key
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
