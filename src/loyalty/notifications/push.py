"""Push to the mobile app: Firebase Cloud Messaging HTTP v1 (Android and iOS both go through FCM), or a
file backend (one JSON line per message) for development, tests and benches.

Each send answers what became of the token: sent, to be retired (FCM no longer knows it), to be retried
later (quota, FCM unavailable; with the ``Retry-After`` it gave), or failed for good. The access token is a
service-account JWT (RS256, signed with pyjwt, which we already use) exchanged at Google's token endpoint
and kept until shortly before it expires; a 401 refreshes it once. google-auth would do the same exchange,
but synchronously through ``requests`` (blocking the worker's event loop) and as a further dependency.

A message carries its delivery's id as its collapse key (Android ``tag``, APNs ``apns-collapse-id``) and
in its data: should a worker die between FCM's answer and the commit, the send is repeated under the same
id and replaces the first on the device rather than showing twice (``delivery.py`` says what is guaranteed).
"""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import json
import os
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

import httpx
import jwt
import structlog
from msgspec import Struct

from loyalty.settings import Settings

FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging"
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
TOKEN_MARGIN_SECONDS = 60
log = structlog.get_logger("loyalty.push")


class PushMessage(Struct, frozen=True, kw_only=True):
    token: str
    title: str
    body: str
    # Only ids and the topic: what the app needs to open the item; never the person's data.
    data: dict[str, str]
    collapse_key: str


class PushOutcome(StrEnum):
    SENT = "sent"
    RETIRE = "retire"  # the token is gone (unregistered, invalid, another project's)
    RETRY = "retry"  # try again later
    FAILED = "failed"  # this message cannot be sent; retrying will not help


@dataclass(frozen=True, slots=True)
class PushResult:
    outcome: PushOutcome
    reason: str = ""
    retry_after: float | None = None


class PushSender(Protocol):
    async def send(self, message: PushMessage) -> PushResult: ...

    async def aclose(self) -> None: ...


class FilePush:
    """A stand-in for the phones: appends each message a device shows as a JSON line to ``push.jsonl`` in
    ``directory``. Like a phone, a device shows a message whose collapse key it has shown already only once
    (Android's ``tag`` and APNs' ``apns-collapse-id`` replace the notification shown before): such a repeat
    goes to ``push-repeats.jsonl`` instead, so benches and tests see both what the person saw and what was
    sent again. Unbuffered: a line is in the file once ``send`` returns, even if the process is killed right
    after; several processes share the files (an exclusive ``flock`` around each send)."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "push.jsonl"
        self.repeats_path = directory / "push-repeats.jsonl"
        self._fd: int | None = None
        self._repeats_fd: int | None = None
        self._shown: set[bytes] = set()  # digests of (token, collapse key) in push.jsonl
        self._read = 0  # how much of push.jsonl is in _shown

    @staticmethod
    def _key(token: str, collapse_key: str) -> bytes:
        return hashlib.blake2b(f"{token}\0{collapse_key}".encode(), digest_size=12).digest()

    def _catch_up(self, fd: int) -> None:
        """Read what was shown since the last look (by this process or another)."""
        size = os.fstat(fd).st_size
        while self._read < size:
            chunk = os.pread(fd, min(size - self._read, 1 << 20), self._read)
            complete = chunk[: chunk.rfind(b"\n") + 1]
            if not complete:  # a line longer than the chunk, or one being written
                return
            for line in complete.splitlines():
                shown = json.loads(line)
                self._shown.add(self._key(shown["token"], shown["collapse_key"]))
            self._read += len(complete)

    async def send(self, message: PushMessage) -> PushResult:
        if self._fd is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        line = (
            json.dumps(
                {
                    "token": message.token,
                    "title": message.title,
                    "body": message.body,
                    "data": message.data,
                    "collapse_key": message.collapse_key,
                },
                ensure_ascii=False,
            ).encode()
            + b"\n"
        )
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            self._catch_up(self._fd)
            key = self._key(message.token, message.collapse_key)
            if key in self._shown:
                if self._repeats_fd is None:
                    self._repeats_fd = os.open(
                        self.repeats_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600
                    )
                os.write(self._repeats_fd, line)
            else:
                os.write(self._fd, line)  # one write of one line: O_APPEND keeps lines whole
                self._shown.add(key)
                self._read += len(line)
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        return PushResult(PushOutcome.SENT)

    async def aclose(self) -> None:
        for fd in (self._fd, self._repeats_fd):
            if fd is not None:
                os.close(fd)
        self._fd = self._repeats_fd = None
        self._shown.clear()
        self._read = 0


def retry_after(response: httpx.Response) -> float | None:
    """``Retry-After`` in seconds, given as seconds or as an HTTP date."""
    value = response.headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def fcm_error(response: httpx.Response) -> tuple[str, bool]:
    """FCM's error code for a failed send (``details[].errorCode``, else the status), and whether a field
    violation names the token itself."""
    try:
        error = response.json().get("error", {})
    except ValueError:
        return f"http_{response.status_code}", False
    code = str(error.get("status") or f"http_{response.status_code}")
    about_token = False
    for detail in error.get("details") or []:
        if not isinstance(detail, dict):
            continue
        if detail.get("errorCode"):
            code = str(detail["errorCode"])
        for violation in detail.get("fieldViolations") or []:
            if isinstance(violation, dict) and violation.get("field") == "message.token":
                about_token = True
    return code, about_token


class FcmPush:
    """FCM HTTP v1 ``messages:send`` with a service account."""

    def __init__(
        self, credentials: dict[str, Any], *, base_url: str, token_url: str | None, timeout: float
    ) -> None:
        self.project_id = str(credentials["project_id"])
        self.client_email = str(credentials["client_email"])
        self.private_key = str(credentials["private_key"])
        self.key_id = credentials.get("private_key_id")
        self.token_url = token_url or str(credentials["token_uri"])
        self.send_url = f"{base_url.rstrip('/')}/v1/projects/{self.project_id}/messages:send"
        self.client = httpx.AsyncClient(timeout=timeout)
        self._access_token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    @classmethod
    def from_file(cls, settings: Settings) -> FcmPush:
        push = settings.push
        assert push.fcm_credentials_file is not None, "settings.completed() requires it for fcm"
        credentials = json.loads(Path(push.fcm_credentials_file).read_text())
        return cls(
            credentials,
            base_url=push.fcm_base_url,
            token_url=push.fcm_token_url,
            timeout=float(push.timeout_seconds),
        )

    async def access_token(self, *, stale: str | None = None) -> str:
        """A live access token; ``stale`` is one FCM refused, so a new one is fetched unless another send
        replaced it meanwhile."""
        async with self._lock:
            fresh = self._access_token is not None and time.time() < self._expires_at
            if fresh and self._access_token != stale:
                assert self._access_token is not None
                return self._access_token
            now = int(time.time())
            assertion = jwt.encode(
                {
                    "iss": self.client_email,
                    "scope": FCM_SCOPE,
                    "aud": self.token_url,
                    "iat": now,
                    "exp": now + 3600,
                },
                self.private_key,
                algorithm="RS256",
                headers={"kid": self.key_id} if self.key_id else None,
            )
            response = await self.client.post(
                self.token_url, data={"grant_type": JWT_BEARER, "assertion": assertion}
            )
            response.raise_for_status()
            answer = response.json()
            self._access_token = str(answer["access_token"])
            self._expires_at = now + int(answer.get("expires_in", 3600)) - TOKEN_MARGIN_SECONDS
            return self._access_token

    def body(self, message: PushMessage) -> dict[str, Any]:
        return {
            "message": {
                "token": message.token,
                "notification": {"title": message.title, "body": message.body},
                "data": message.data,
                "android": {
                    "collapse_key": message.collapse_key,
                    "notification": {"tag": message.collapse_key},
                },
                "apns": {"headers": {"apns-collapse-id": message.collapse_key[:64]}},
            }
        }

    async def send(self, message: PushMessage) -> PushResult:
        try:
            token = await self.access_token()
            response = await self._post(message, token)
            if response.status_code == 401:
                response = await self._post(message, await self.access_token(stale=token))
        except httpx.HTTPError as exc:
            return PushResult(PushOutcome.RETRY, reason=type(exc).__name__)
        if response.is_success:
            return PushResult(PushOutcome.SENT)
        code, about_token = fcm_error(response)
        if response.status_code == 429 or response.status_code >= 500:
            return PushResult(PushOutcome.RETRY, reason=code, retry_after=retry_after(response))
        if code in {"UNREGISTERED", "SENDER_ID_MISMATCH"} or (code == "INVALID_ARGUMENT" and about_token):
            return PushResult(PushOutcome.RETIRE, reason=code)
        if response.status_code == 401:
            return PushResult(PushOutcome.RETRY, reason=code)
        return PushResult(PushOutcome.FAILED, reason=code)

    async def _post(self, message: PushMessage, token: str) -> httpx.Response:
        return await self.client.post(
            self.send_url, json=self.body(message), headers={"Authorization": f"Bearer {token}"}
        )

    async def aclose(self) -> None:
        await self.client.aclose()


def build_push(settings: Settings) -> PushSender:
    if settings.push.backend == "fcm":
        return FcmPush.from_file(settings)
    return FilePush(settings.push_path)
