"""Exponential backoff with jitter, for retrying the hub after a failure."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """Delays that double after each failure up to `cap`, each drawn from [d/2, d].

    The jitter spreads a fleet of terminals that lost the hub at the same moment, so
    they do not all come back at once.
    """

    base: float = 1.0
    cap: float = 300.0
    factor: float = 2.0
    rng: random.Random = field(default_factory=random.Random)
    failures: int = 0

    def ceiling(self) -> float:
        """The largest delay the next failure can bring."""
        return min(self.cap, self.base * self.factor ** max(self.failures - 1, 0))

    def next_delay(self) -> float:
        """Record a failure and return how long to wait before trying again."""
        self.failures += 1
        top = self.ceiling()
        return self.rng.uniform(top / 2, top)

    def reset(self) -> None:
        """A success: the next failure starts from `base` again."""
        self.failures = 0
