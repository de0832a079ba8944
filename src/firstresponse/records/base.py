"""Helpers shared by the table definitions."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import orjson


def new_id() -> str:
    """A client-generated record id."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """Timezone-aware now, in UTC."""
    return datetime.now(UTC)


_ORJSON = orjson.OPT_SORT_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def canonical_json(body: Any) -> str:
    """JSON with sorted keys and no spaces, so equal content has equal text.

    The same text as `legacy_canonical_json` except that floats below 1e-4 are written
    out in full (0.00001, not 1e-05); values orjson cannot write (integers
    beyond 64 bits, non-string keys) fall back to the legacy form.
    """
    try:
        return orjson.dumps(body, default=str, option=_ORJSON).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):
        return legacy_canonical_json(body)


def legacy_canonical_json(body: Any) -> str:
    """The canonical text as the standard library writes it (what earlier versions hashed)."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def content_hash(body: Any) -> str:
    """SHA-256 of the canonical JSON of `body`."""
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()
