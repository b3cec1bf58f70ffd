"""A local stand-in of Google's OAuth token endpoint and the FCM HTTP v1 send API, served over real HTTP
(uvicorn on a free port), answering with FCM's documented error bodies. What a token does is decided by
its name: ``ok-*`` is delivered, ``gone-*`` is UNREGISTERED (404), ``bad-*`` INVALID_ARGUMENT about the
token (400), ``payload-*`` INVALID_ARGUMENT about something else, ``busy-*`` QUOTA_EXCEEDED (429 with
Retry-After), ``down-*`` UNAVAILABLE (503)."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jwt
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from litestar import Litestar, Request, Response, post

PROJECT = "loyalty-test"
FCM = "type.googleapis.com/google.firebase.fcm.v1.FcmError"


def fcm_error(
    status: int, state: str, code: str, message: str, field_name: str | None = None
) -> Response[Any]:
    details: list[dict[str, Any]] = [{"@type": FCM, "errorCode": code}]
    if field_name:
        details.append(
            {
                "@type": "type.googleapis.com/google.rpc.BadRequest",
                "fieldViolations": [{"field": field_name, "description": message}],
            }
        )
    body = {"error": {"code": status, "message": message, "status": state, "details": details}}
    return Response(body, status_code=status)


@dataclass
class StandIn:
    key: rsa.RSAPrivateKey
    base_url: str = ""
    credentials_file: Path = Path()
    tokens_issued: int = 0
    # Access tokens that the send API refuses (401) as expired.
    expired: set[str] = field(default_factory=set)
    sent: list[dict[str, Any]] = field(default_factory=list)
    attempts: list[str] = field(default_factory=list)

    def app(self) -> Litestar:
        public_key = self.key.public_key()

        @post("/token", status_code=200)
        async def token(request: Request[Any, Any, Any]) -> dict[str, Any]:
            form = await request.form()
            assert form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
            claims = jwt.decode(
                str(form["assertion"]), public_key, algorithms=["RS256"], audience=f"{self.base_url}/token"
            )
            assert claims["scope"] == "https://www.googleapis.com/auth/firebase.messaging"
            self.tokens_issued += 1
            return {
                "access_token": f"access-{self.tokens_issued}",
                "expires_in": 3599,
                "token_type": "Bearer",
            }

        @post(f"/v1/projects/{PROJECT}/messages:send", status_code=200)
        async def send(request: Request[Any, Any, Any]) -> Response[Any]:
            bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
            if not bearer.startswith("access-") or bearer in self.expired:
                return Response(
                    {
                        "error": {
                            "code": 401,
                            "message": "Request had invalid authentication credentials.",
                            "status": "UNAUTHENTICATED",
                        }
                    },
                    status_code=401,
                )
            message = json.loads(await request.body())["message"]
            device = message["token"]
            self.attempts.append(device)
            if device.startswith("gone-"):
                return fcm_error(404, "NOT_FOUND", "UNREGISTERED", "Requested entity was not found.")
            if device.startswith("bad-"):
                return fcm_error(
                    400,
                    "INVALID_ARGUMENT",
                    "INVALID_ARGUMENT",
                    "The registration token is not a valid FCM registration token",
                    "message.token",
                )
            if device.startswith("payload-"):
                return fcm_error(
                    400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "Invalid data payload", "message.data"
                )
            if device.startswith("busy-"):
                response = fcm_error(429, "RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", "Quota exceeded.")
                response.headers["Retry-After"] = "120"
                return response
            if device.startswith("down-"):
                return fcm_error(503, "UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable.")
            self.sent.append(message)
            return Response({"name": f"projects/{PROJECT}/messages/{len(self.sent)}"}, status_code=200)

        return Litestar([token, send], debug=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def fcm_standin(directory: Path) -> AsyncIterator[StandIn]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    port = free_port()
    standin = StandIn(key=key, base_url=f"http://127.0.0.1:{port}")
    standin.credentials_file = directory / "service-account.json"
    standin.credentials_file.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": PROJECT,
                "private_key_id": "test-key",
                "private_key": key.private_bytes(
                    serialization.Encoding.PEM,
                    serialization.PrivateFormat.PKCS8,
                    serialization.NoEncryption(),
                ).decode(),
                "client_email": f"push@{PROJECT}.iam.gserviceaccount.com",
                "token_uri": f"{standin.base_url}/token",
            }
        )
    )
    server = uvicorn.Server(uvicorn.Config(standin.app(), host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    async with asyncio.timeout(10):
        while not server.started:  # noqa: ASYNC110 (uvicorn has no event to wait on)
            await asyncio.sleep(0.01)
    try:
        yield standin
    finally:
        server.should_exit = True
        await task
