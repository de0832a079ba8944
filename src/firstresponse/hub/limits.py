"""The hub's request body cap: an ASGI middleware answering 413 past `MAX_BODY_BYTES`.

A request that declares a longer body is refused before any of it is parsed; one that
does not declare its length (chunked) is counted as it arrives and refused at the chunk
that crosses the cap (raised as an HTTPException, which FastAPI's body parsing passes
on as it is, where any other error would become a 400). Either way the hub holds at
most the cap in memory. What is sent beyond the cap is read and dropped (up to
`DRAIN_BYTES`) so that the client, still writing, sees the 413 rather than a reset
connection.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.exceptions import HTTPException

from firstresponse.sync.protocol import MAX_BODY_BYTES

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

DRAIN_BYTES = 64 * 1024 * 1024


class BodyTooLarge(HTTPException):
    """Raised from `receive` when the body passes the cap: FastAPI answers it as it is."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, _reason(max_bytes), headers={"Connection": "close"})


def _reason(max_bytes: int) -> str:
    return (
        f"the request body is larger than the hub accepts ({max_bytes:,} bytes):"
        " send fewer or smaller records at a time"
    )


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimit:
    """Refuse request bodies over `max_bytes` with 413 and a plain reason."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            await _drain(receive, 0)
            await self._refuse(send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    if message.get("more_body", False):
                        await _drain(receive, received)
                    raise BodyTooLarge(self.max_bytes)
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"detail": _reason(self.max_bytes)}).encode("utf-8")
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode("ascii")),
            (b"connection", b"close"),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def _drain(receive: Receive, already: int) -> None:
    """Read and drop the rest of the body, up to DRAIN_BYTES in all."""
    read = already
    while read <= DRAIN_BYTES:
        message = await receive()
        if message["type"] != "http.request":
            return
        read += len(message.get("body", b""))
        if not message.get("more_body", False):
            return
