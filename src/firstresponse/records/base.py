"""Helpers shared by the table definitions."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime
from typing import Any


def new_id() -> str:
    """A client-generated record id."""
    return str(uuid.uuid4())


def utcnow() -> datetime:
    """Timezone-aware now, in UTC."""
    return datetime.now(UTC)


def canonical_json(body: Any) -> str:
    """JSON with sorted keys and no spaces, so equal content has equal text."""
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def content_hash(body: Any) -> str:
    """SHA-256 of the canonical JSON of `body`."""
    return hashlib.sha256(canonical_json(body).encode("utf-8")).hexdigest()
