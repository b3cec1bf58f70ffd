"""The process-wide collaborators every request may use, built once by ``create_app``."""

from __future__ import annotations

from advanced_alchemy.extensions.litestar import SQLAlchemyAsyncConfig

from loyalty.core.clock import Clock
from loyalty.core.hashing import SecretHasher
from loyalty.core.mailer import Mailer
from loyalty.core.pagination import CursorCodec
from loyalty.core.signing import QrSigner
from loyalty.core.throttle import Throttle
from loyalty.core.tokens import TokenService
from loyalty.settings import Settings


class Runtime:
    # A plain class, not a dataclass: Litestar would otherwise try to validate it field by field on
    # every injection.
    __slots__ = ("clock", "cursors", "db_config", "hasher", "mailer", "qr", "settings", "throttle", "tokens")

    def __init__(
        self,
        *,
        settings: Settings,
        clock: Clock,
        hasher: SecretHasher,
        tokens: TokenService,
        mailer: Mailer,
        throttle: Throttle,
        cursors: CursorCodec,
        db_config: SQLAlchemyAsyncConfig,
        qr: QrSigner,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.hasher = hasher
        self.tokens = tokens
        self.mailer = mailer
        self.throttle = throttle
        self.cursors = cursors
        self.db_config = db_config
        self.qr = qr
