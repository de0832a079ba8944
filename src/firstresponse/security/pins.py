"""PIN hashing with Argon2id.

The cost is OWASP's recommended Argon2id setting (19 MiB, two passes, one lane), not the
library's default (64 MiB, three passes, four lanes), which takes several times longer
and made a shift's worth of terminals signing in at once wait over twenty seconds. A PIN
has so few possible values that a stolen hash falls to a search at either cost; what
protects a PIN is the throttle on wrong attempts (security.throttle) and the
enrolled-device token the hub demands alongside it. Hashes made at the older cost still
verify and are redone at the current cost on the next successful sign-in.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher(time_cost=2, memory_cost=19_456, parallelism=1)


def hash_pin(pin: str) -> str:
    """An Argon2id hash of `pin`."""
    return _hasher.hash(pin)


def verify_pin(pin_hash: str, pin: str) -> bool:
    """True when `pin` matches `pin_hash`; never raises on a wrong or malformed hash."""
    if not pin_hash:
        return False
    try:
        return _hasher.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(pin_hash: str) -> bool:
    """True when a verified hash was made at another cost and should be made again."""
    try:
        return _hasher.check_needs_rehash(pin_hash)
    except InvalidHashError:
        return False
