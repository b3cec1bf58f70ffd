"""The process-wide collaborators every request may use, built once by ``create_app``."""

from __future__ import annotations

from dataclasses import dataclass

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig

from loyalty.core.clock import Clock
from loyalty.core.pagination import CursorCodec
from loyalty.core.throttle import Throttle
from loyalty.identity.passwords import SecretHasher
from loyalty.identity.tokens import TokenService
from loyalty.mail.mailer import Mailer
from loyalty.settings import Settings


@dataclass(slots=True)
class Runtime:
    settings: Settings
    clock: Clock
    hasher: SecretHasher
    tokens: TokenService
    mailer: Mailer
    throttle: Throttle
    cursors: CursorCodec
    db_config: SQLAlchemyAsyncConfig
