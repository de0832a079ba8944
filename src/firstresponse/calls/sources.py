"""Where the repeat-victim lookup comes from: the local store (embedded) or the hub (online).

Both give the same shapes: `Candidate`s for a search and the person's history as the JSON
form of the one `PersonHistory` (`sync.lookup_protocol.HistoryJson`: the local engine builds
that model, the hub serves it and the client validates it), so the screen and the briefing
do not care which answered. The local source audits each search and history view (who searched for
whom); the hub audits its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from pydantic_core import to_jsonable_python
from sqlmodel import Session

from firstresponse import lookup
from firstresponse.calls.details import parse_dob
from firstresponse.lookup import LookupQuery
from firstresponse.records import Person, User
from firstresponse.security import audit
from firstresponse.security.restricted import guard_history
from firstresponse.store import Store
from firstresponse.sync.client import AuthFailure, HubClient, NetworkFailure, RequestRejected
from firstresponse.sync.lookup_protocol import HistoryJson as History
from firstresponse.sync.lookup_protocol import PersonHistory, history_json
from firstresponse.sync.person_copy import hold_copy


class LookupEngine(Protocol):
    """The search and history a local source runs over the store: `firstresponse.lookup`
    (the module itself), or a stand-in passed by a test."""

    def search(self, db: Session, query: LookupQuery, limit: int = 10) -> Sequence[Any]: ...

    def person_history(self, db: Session, person_id: str) -> PersonHistory | None: ...


@dataclass(frozen=True)
class Search:
    """What has been typed so far; any field may be blank."""

    name: str = ""
    dob: str = ""
    phone: str = ""
    postcode: str = ""
    address: str = ""

    def params(self) -> dict[str, str]:
        """The fields worth searching on (blank and too-short ones dropped).

        A full date of birth (YYYY-MM-DD or DD/MM/YYYY) is sent as `dob`; a partial one
        ("1990", "04/1990") rides along with the name, which the lookup reads dates from.
        """
        given = {k: v.strip() for k, v in vars(self).items() if v and v.strip()}
        if "dob" in given:
            full = parse_dob(given["dob"])
            if full is not None:
                given["dob"] = full.isoformat()
            else:
                partial = given.pop("dob")
                if given.get("name"):
                    given["name"] = f"{given['name']} {partial}"
        if len(given.get("name", "")) < 2:
            given.pop("name", None)
        return given

    @property
    def empty(self) -> bool:
        return not self.params()


@dataclass(frozen=True)
class Candidate:
    """One ranked match, with the plain-English reasons it matched."""

    person_id: str
    name: str
    dob: str = ""
    postcode: str = ""
    score: float = 0.0
    reasons: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()
    da_incidents_12m: int = 0
    as_victim_12m: int = 0
    as_suspect_12m: int = 0

    def recent_roles(self) -> str:
        """The last 12 months by role, for the matches line: "1 as victim, 2 as suspect"."""
        parts = [f"{self.as_victim_12m} as victim"] if self.as_victim_12m else []
        parts += [f"{self.as_suspect_12m} as suspect"] if self.as_suspect_12m else []
        return ", ".join(parts) + " in 12m" if parts else ""

    @classmethod
    def of(cls, match: Any) -> Candidate:
        """From a `lookup.Match` or its JSON form."""
        data = match if isinstance(match, dict) else to_jsonable_python(match, fallback=str)
        return cls(
            person_id=str(data.get("person_id", "")),
            name=str(data.get("name", "")),
            dob=str(data.get("dob") or ""),
            postcode=str(data.get("postcode") or ""),
            score=float(data.get("score") or 0.0),
            reasons=tuple(str(r) for r in data.get("reasons") or ()),
            markers=tuple(str(m) for m in data.get("markers") or ()),
            da_incidents_12m=int(data.get("da_incidents_12m") or 0),
            as_victim_12m=int(data.get("as_victim_12m") or 0),
            as_suspect_12m=int(data.get("as_suspect_12m") or 0),
        )


class LookupSource(Protocol):
    """A repeat-victim search and history narrative, embedded or online."""

    @property
    def name(self) -> str: ...

    def search(self, query: Search, limit: int = 10) -> list[Candidate]: ...

    def history(self, person_id: str) -> History | None: ...

    def hold(self, person_id: str) -> bool:
        """Make sure the person is in this terminal's store (the hub's copy, with their
        history, when the hub answers); True when they are held."""
        ...


def viewed(db: Session, user: User, found: PersonHistory | None, person_id: str) -> History | None:
    """A history read from the store as `user` may see it (`guard_history`), audited."""
    if found is None:
        return None
    found = guard_history(db, user, found)
    audit.record(db, user.collar, "view", "person", person_id, via="local")
    return history_json(found)


class LocalLookup:
    """The lookup engine over the terminal's own store; audits every use and withholds
    restricted detail the officer may not see (`security.restricted`)."""

    name = "local"

    def __init__(self, store: Store, user: User, engine: LookupEngine = lookup) -> None:
        self.store = store
        self.user = user
        self.engine = engine

    def search(self, query: Search, limit: int = 10) -> list[Candidate]:
        params = query.params()
        if not params:
            return []
        fields: dict[str, Any] = dict(params)
        if "dob" in fields:
            fields["dob"] = date.fromisoformat(fields["dob"])
        with self.store.session() as db:
            found = [Candidate.of(m) for m in self.engine.search(db, LookupQuery(**fields), limit)]
            audit.record(
                db,
                self.user.collar,
                "lookup",
                "search",
                "",
                query=params,
                results=[c.person_id for c in found],
                via="local",
            )
        return found

    def history(self, person_id: str) -> History | None:
        with self.store.session() as db:
            return viewed(db, self.user, self.engine.person_history(db, person_id), person_id)

    def hold(self, person_id: str) -> bool:
        with self.store.session() as db:
            return db.get(Person, person_id) is not None


class HubLookup:
    """The hub's `/v1/lookup` endpoints (the hub audits who searched for whom); a person
    chosen is held as a copy of the hub's record in `store` (`sync.person_copy`)."""

    name = "hub"

    def __init__(self, client: HubClient, store: Store | None = None) -> None:
        self.client = client
        self.store = store

    def search(self, query: Search, limit: int = 10) -> list[Candidate]:
        params = query.params()
        if not params:
            return []
        return [Candidate.of(m) for m in self.client.search(limit=limit, **params)]

    def history(self, person_id: str) -> History | None:
        try:
            return history_json(self.client.person_history(person_id))
        except RequestRejected:
            return None

    def hold(self, person_id: str) -> bool:
        return self.store is not None and hold_copy(self.store, self.client, person_id)


@dataclass
class FallbackLookup:
    """Ask `primary` (the hub); when it cannot answer, ask `fallback` (the local store)."""

    primary: LookupSource
    fallback: LookupSource
    last: str = field(default="")

    @property
    def name(self) -> str:
        return self.last or self.primary.name

    def search(self, query: Search, limit: int = 10) -> list[Candidate]:
        try:
            found = self.primary.search(query, limit)
            self.last = self.primary.name
        except (NetworkFailure, AuthFailure):
            found = self.fallback.search(query, limit)
            self.last = self.fallback.name
        return found

    def history(self, person_id: str) -> History | None:
        try:
            found = self.primary.history(person_id)
            self.last = self.primary.name
        except (NetworkFailure, AuthFailure):
            found = self.fallback.history(person_id)
            self.last = self.fallback.name
        return found

    def hold(self, person_id: str) -> bool:
        """The hub's copy when it answers; what this store holds when it has no such person
        (one made here and not yet sent) or cannot be reached."""
        try:
            held = self.primary.hold(person_id)
            self.last = self.primary.name
            if held:
                return True
        except (NetworkFailure, AuthFailure):
            self.last = self.fallback.name
        return self.fallback.hold(person_id)
