"""The hub's request body cap and text check: an ASGI middleware answering 413 past
`MAX_BODY_BYTES`, and 422 naming the field for text that is not valid Unicode.

A request that declares a longer body is refused before any of it is parsed; one that
does not declare its length (chunked) is counted as it arrives and refused at the chunk
that crosses the cap (raised as an HTTPException, which FastAPI's body parsing passes
on as it is, where any other error would become a 400). Either way the hub holds at
most the cap in memory. What is sent beyond the cap is read and dropped (up to
`DRAIN_BYTES`) so that the client, still writing, sees the 413 rather than a reset
connection.

JSON may spell a lone UTF-16 surrogate (`"\\ud800"`), which parses into a Python string
that cannot be encoded, hashed or stored: every route would fail deep inside with a 500.
So the whole body is looked at as its last chunk arrives: when it holds such an escape at
all (one regular-expression scan), it is parsed and the first field holding a lone
surrogate is named in a 422, before any route sees it (`invalid_text_field`).
"""

from __future__ import annotations

import json
import re
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
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


class InvalidText(HTTPException):
    """Raised from `receive` when a JSON body holds a lone surrogate: 422 naming the field."""

    def __init__(self, field: str) -> None:
        super().__init__(
            422,
            f"{field} is not valid text: it holds a lone UTF-16 surrogate (\\uD800-\\uDFFF), "
            "which is no character; send the text as it was typed",
        )


def _bad_text(value: Any, path: str) -> str | None:
    """The dotted path of the first string (key or value) in `value` that is not valid Unicode."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path or "body"
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{path}.{key}" if path else str(key)
            if _bad_text(key, path) is not None:
                return (path + "." if path else "") + "(a field name)"
            if (found := _bad_text(item, inner)) is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            if (found := _bad_text(item, f"{path}.{index}" if path else str(index))) is not None:
                return found
    return None


def invalid_text_field(body: bytes) -> str | None:
    """The field of a JSON `body` holding a lone surrogate, or None (also when not JSON:
    the route's own parsing says so)."""
    if not _SURROGATE_ESCAPE.search(body):
        return None
    try:
        parsed = json.loads(body)
    except ValueError:
        return None
    found = _bad_text(parsed, "")
    return found.encode("utf-8", "backslashreplace").decode("ascii") if found else None


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
        chunks: list[bytes] = []

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > self.max_bytes:
                    if message.get("more_body", False):
                        await _drain(receive, received)
                    raise BodyTooLarge(self.max_bytes)
                chunks.append(chunk)
                if not message.get("more_body", False):
                    field = invalid_text_field(b"".join(chunks))
                    chunks.clear()
                    if field is not None:
                        raise InvalidText(field)
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
