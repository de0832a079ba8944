"""Repeat-victim search: candidates from exact hits on indexed keys, then scored and ranked."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from firstresponse.lookup.index import load_people
from firstresponse.lookup.keys import PersonFacts, pair_key, pair_year_key
from firstresponse.lookup.names import forms, name_tokens, prefix_key, spelling_variants
from firstresponse.lookup.normalise import (
    PartialDob,
    address_keys,
    phone_key,
    postcode_in,
    postcode_key,
    split_dob_from_text,
)
from firstresponse.lookup.query import LookupQuery, Match
from firstresponse.lookup.scoring import (
    WEIGHTS,
    Fit,
    address_fit,
    best_name_fit,
    changed_surname,
    dob_fit,
    phone_fit,
    postcode_fit,
    similarity,
)
from firstresponse.lookup.sql import bound, rows
from firstresponse.records import Incident, table_of
from firstresponse.records.lookup import LookupKey, LookupTerm

_KEYS = table_of(LookupKey)
_TERMS = table_of(LookupTerm)
BROAD = 100  # people holding one key beyond which it is read only in part (>= MAX_CANDIDATES)
MAX_CANDIDATES = 60
GOOD_SCORE = 0.75
SINGLE_NAME_ROWS = 200
EXPANSIONS = 8
MIN_SCORE = 0.4
PRIORITY = {**WEIGHTS, "year": 0.3}
CHANGED_SURNAME = 0.6  # how much each kind of key hit counts for the shortlist
_PHONE_LIKE = re.compile(r"^[\d\s()+.-]{7,}$")


@dataclass
class Parsed:
    """A query taken apart into normalised pieces."""

    tokens: list[str] = field(default_factory=list)
    dob: PartialDob | None = None
    phone: str = ""
    postcode: str = ""
    address: str = ""

    def is_empty(self) -> bool:
        return not (self.tokens or self.dob or self.phone or self.postcode or self.address)


def parse(query: LookupQuery) -> Parsed:
    """Normalise a query; a phone number, postcode or date typed in the name box is used too."""
    parsed = Parsed(
        phone=phone_key(query.phone),
        postcode=postcode_key(query.postcode),
        address=query.address.strip(),
    )
    if query.dob:
        parsed.dob = PartialDob(query.dob.year, query.dob.month, query.dob.day)
    elif query.dob_year:
        parsed.dob = PartialDob(query.dob_year, query.dob_month)
    text = query.name.strip()
    if _PHONE_LIKE.match(text) and len(re.sub(r"\D", "", text)) >= 10:  # not a date
        parsed.phone = parsed.phone or phone_key(text)
        return parsed
    if found := postcode_in(text):
        parsed.postcode = parsed.postcode or found
        text = re.sub(r"(?i)\b[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\b", " ", text)
    text, dob = split_dob_from_text(text)
    parsed.dob = parsed.dob or dob
    if re.match(r"^\s*\d+[a-z]?\s+\w", text, re.I) and not parsed.address:
        parsed.address, text = text, ""
    parsed.tokens = list(name_tokens(text))
    return parsed


Weighted = list[tuple[str, float]]  # (name word or form, how close to the word asked)


def _expand(db: Session, tokens: list[str]) -> list[Weighted]:
    """For each word asked, the indexed name words it could be (itself first, then closest).

    The last word may be a beginning still being typed ("will hart" finds Hartley).
    """
    variants = {t: spelling_variants(t) for t in tokens if len(t) > 1}
    if tokens and len(tokens[-1]) >= 3:  # the word being typed may be unfinished
        variants[tokens[-1]].add(prefix_key(tokens[-1]))
    wanted = set().union(*variants.values()) if variants else set()
    found: dict[str, set[str]] = {}
    if wanted:
        sql = "SELECT variant, term FROM lookup_term WHERE variant IN (?*)"
        for variant, term in rows(db, sql, sorted(wanted)):
            found.setdefault(variant, set()).add(term)
    expanded = []
    for token in tokens:
        terms = set().union(*(found.get(v, set()) for v in variants.get(token, ())))
        scored = sorted(
            ((similarity(token, t).score, t) for t in terms - {token}), key=lambda p: (-p[0], p[1])
        )
        close = [(t, sim) for sim, t in scored if sim >= 0.7][: EXPANSIONS - 1]
        expanded.append([(token, 1.0), *close])
    return expanded


def _forms(terms: Weighted) -> Weighted:
    """The words with the canonical names of their variant groups, each kept at its best."""
    out: dict[str, float] = {}
    for term, weight in terms:
        for form in sorted(forms(term)):
            w = weight if form == term else weight * 0.92
            out[form] = max(out.get(form, 0.0), w)
    return sorted(out.items(), key=lambda fw: -fw[1])


Facets = tuple[tuple[str, float], ...]  # what one key hit stands for: (facet, weight) each
FacetKeys = dict[str, Facets]


def _strength(facets: Facets) -> float:
    """What one key hit adds to a person's priority."""
    return sum(PRIORITY[facet] * weight for facet, weight in facets)


def _facet_keys(parsed: Parsed, expanded: list[Weighted]) -> FacetKeys:
    """Selective keys to look up, each with the facets it stands for and how good a hit is."""
    keys: FacetKeys = {}
    usable = [
        _forms(terms) for tok, terms in zip(parsed.tokens, expanded, strict=True) if len(tok) > 1
    ]
    dob = parsed.dob
    for i in range(len(usable)):
        for j in range(i + 1, len(usable)):
            for a, wa in usable[i]:
                for b, wb in usable[j]:
                    key = pair_key(a, b)
                    if a == b or _strength(keys.get(key, ())) >= wa * wb:
                        continue
                    keys[key] = (("name", wa * wb),)
                    if dob:  # namesakes born in the year asked, found directly
                        year = max((w for w in (wa, wb) if w >= 0.9), default=0.0)
                        also = (("year", year),) if year else ()
                        keys[pair_year_key(key, dob.year)] = (("name", wa * wb), *also)
    if len(usable) == 1 and dob:
        keys.update({f"ny:{form}|{dob.year}": (("name", w),) for form, w in usable[0]})
    elif dob:  # among many namesakes, those born in the year asked come first
        for words in usable:
            keys.update({f"ny:{f}|{dob.year}": (("year", w),) for f, w in words if w >= 0.9})
    if dob and dob.day and dob.month:
        if dob.day <= 12 and dob.day != dob.month:
            keys[f"d:{dob.year:04d}-{dob.day:02d}-{dob.month:02d}"] = (("dob", 0.85),)
        keys[f"d:{dob.year:04d}-{dob.month:02d}-{dob.day:02d}"] = (("dob", 1.0),)
    if parsed.phone:
        keys["t:" + parsed.phone] = (("phone", 1.0),)
    if parsed.postcode:
        keys["pc:" + parsed.postcode] = (("postcode", 1.0),)
    if parsed.address:
        keys.update({"a:" + k: (("address", 1.0),) for k in address_keys(parsed.address)})
        if (found := postcode_in(parsed.address)) and not parsed.postcode:
            keys["pc:" + found] = (("address", 0.8),)
    return keys


Hits = dict[str, dict[str, float]]  # person id -> facet -> best hit weight
_POSTINGS = "SELECT key, person_id FROM lookup_key"


def _add_hits(hits: Hits, rows: Iterable[tuple[str, str]], facet_of: FacetKeys) -> None:
    for key, person_id in rows:
        facets = hits.setdefault(person_id, {})
        for facet, weight in facet_of[key]:
            if facets.get(facet, 0.0) < weight:
                facets[facet] = weight


_HELD_BY = (
    "SELECT CAST(? AS TEXT), (SELECT count(*) FROM"
    f" (SELECT 1 FROM lookup_key WHERE key = ? LIMIT {BROAD + 1}) AS held)"
)


def _held_by(db: Session, keys: list[str]) -> dict[str, int]:
    """How many people hold each key, counted no further than `BROAD` + 1: whether a key
    is broad is all a search needs, and a common name's whole posting list (thousands of
    rows, each read from the table while PostgreSQL's visibility map is not yet set) is
    not read to learn it."""
    sql = " UNION ALL ".join([_HELD_BY] * len(keys))
    return dict(rows(db, sql, *(value for key in keys for value in (key, key))))


def _key_hits(db: Session, parsed: Parsed, expanded: list[Weighted]) -> Hits:
    """People hitting selective keys (name pairs, DOB, phone, postcode, address).

    A key held by more than `BROAD` people (a common name, a year of birth) is read only
    for the people some other key found: anybody else holds broad keys alone and ranks
    about as high as the best of them (a name and year together have their own key, so
    namesakes born in the year asked are found directly). When too few candidates rank
    that high, people holding the best broad key fill the shortlist.
    """
    facet_of = _facet_keys(parsed, expanded)
    hits: Hits = {}
    if not facet_of:
        return hits
    sizes = _held_by(db, list(facet_of))
    narrow = [k for k in facet_of if 0 < sizes.get(k, 0) <= BROAD]
    broad = [k for k in facet_of if sizes.get(k, 0) > BROAD]
    if narrow:
        _add_hits(hits, rows(db, f"{_POSTINGS} WHERE key IN (?*)", narrow), facet_of)
    if not broad:
        return hits
    if narrow:
        sql = (
            f"{_POSTINGS} WHERE key IN (?*) AND person_id IN"
            " (SELECT person_id FROM lookup_key WHERE key IN (?*))"
        )
        _add_hits(hits, rows(db, sql, broad, narrow), facet_of)
    best = max(broad, key=lambda k: _strength(facet_of[k]))
    ceiling = _strength(facet_of[best])
    if sum(1 for facets in hits.values() if _priority(facets) >= ceiling) < MAX_CANDIDATES:
        facet = facet_of[best][0][0]  # namesakes holding the best broad key fill the list
        known = sum(1 for facets in hits.values() if facet in facets)
        sql = f"{_POSTINGS} WHERE key = ? LIMIT ?"
        _add_hits(hits, rows(db, sql, best, MAX_CANDIDATES + known), facet_of)
    return hits


def _single_name_hits(db: Session, expanded: list[Weighted]) -> Hits:
    """People with any one of the name words asked (closest words first, capped)."""
    hits: Hits = {}
    every = _forms([tw for terms in expanded for tw in terms])
    for form, weight in every:
        sql = "SELECT person_id FROM lookup_key WHERE key = ? LIMIT ?"
        for (person_id,) in rows(db, sql, "n:" + form, SINGLE_NAME_ROWS):
            hits.setdefault(person_id, {"name": weight})
        if len(hits) >= SINGLE_NAME_ROWS:
            break
    return hits


def _priority(facets: dict[str, float]) -> float:
    """How much a person's key hits count for the shortlist."""
    score = sum(PRIORITY[f] * w for f, w in facets.items())
    if facets.get("dob", 0.0) >= 1.0 and "year" in facets:  # a forename and the exact DOB:
        score += CHANGED_SURNAME  # perhaps a changed surname, among many namesakes
    return score


def _shortlist(hits: Hits, exclude: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """The candidates most worth scoring: the best weighted hits across facets."""
    ranked = sorted(
        (pid for pid in hits if pid not in exclude), key=lambda p: _priority(hits[p]), reverse=True
    )
    return ranked[:MAX_CANDIDATES]


def score_person(parsed: Parsed, person: PersonFacts) -> Fit:
    """Weighted fit of one person to the query, with every reason."""
    fits: list[tuple[float, Fit]] = []
    dob = dob_fit(parsed.dob, person.dob) if parsed.dob else None
    if parsed.tokens:
        name = best_name_fit(parsed.tokens, person)
        fits.append((WEIGHTS["name"], changed_surname(name, dob) if dob else name))
    if dob:
        fits.append((WEIGHTS["dob"], dob))
    if parsed.phone:
        fits.append((WEIGHTS["phone"], phone_fit(parsed.phone, person.phone)))
    if parsed.postcode:
        fits.append((WEIGHTS["postcode"], postcode_fit(parsed.postcode, person.postcode_key())))
    if parsed.address:
        fits.append((WEIGHTS["address"], address_fit(parsed.address, person.address)))
    total = sum(w for w, _ in fits)
    score = sum(w * f.score for w, f in fits) / total if total else 0.0
    return Fit(score, [r for _, f in fits for r in f.reasons])


def _markers(db: Session, ids: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    sql = "SELECT person_id, marker FROM personmarker WHERE person_id IN (?*)"
    for person_id, marker in rows(db, sql, ids):
        if marker not in out.setdefault(person_id, []):
            out[person_id].append(marker)
    return out


def as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def twelve_month_start(today: date | None = None) -> datetime:
    today = today or datetime.now(UTC).date()
    return datetime.combine(today - timedelta(days=365), datetime.min.time(), UTC)


def recent_incident_counts(
    db: Session, ids: list[str], today: date | None = None
) -> dict[str, tuple[int, int]]:
    """Domestic abuse incidents in the last twelve months per person: (as victim, as suspect).

    Records confirmed to be the same person count together.
    """
    from firstresponse.lookup.links import clusters

    since = twelve_month_start(today)
    groups = clusters(db, ids)
    every = list({pid for group in groups.values() for pid in group})
    found = rows(
        db,
        "SELECT id, victim_id, suspect_id FROM incident"
        " WHERE (victim_id IN (?*) OR suspect_id IN (?*)) AND occurred_at >= ?",
        every,
        every,
        bound(db, table_of(Incident).c.occurred_at, since),
    )
    counts = {}
    for pid, group in groups.items():
        mine = set(group)
        counts[pid] = (
            sum(1 for _, victim, _suspect in found if victim in mine),
            sum(1 for _, victim, suspect in found if suspect in mine and victim not in mine),
        )
    return counts


def _scored(db: Session, parsed: Parsed, ids: list[str]) -> list[tuple[Fit, PersonFacts]]:
    people = load_people(db, ids)
    scored = [(score_person(parsed, p), p) for p in people.values()]
    return [(f, p) for f, p in scored if f.score >= MIN_SCORE]


def search(db: Session, query: LookupQuery, limit: int = 10) -> list[Match]:
    """People who may be the one asked about, best first. A pure read: callers audit."""
    parsed = parse(query)
    if parsed.is_empty():
        return []
    expanded = _expand(db, parsed.tokens)
    hits = _key_hits(db, parsed, expanded)
    shortlist = _shortlist(hits)
    scored = _scored(db, parsed, shortlist)
    if parsed.tokens and not any(f.score >= GOOD_SCORE for f, _ in scored):
        # Nothing convincing from the selective keys: try everyone with one of the names.
        more = _shortlist(_single_name_hits(db, expanded), exclude=set(shortlist))
        scored += _scored(db, parsed, more)
    scored.sort(key=lambda fp: (-fp[0].score, fp[1].surname, fp[1].forename, fp[1].id))
    top = scored[:limit]
    ids = [p.id for _, p in top]
    markers = _markers(db, ids) if ids else {}
    counts = recent_incident_counts(db, ids) if ids else {}
    return [
        Match(
            person_id=p.id,
            name=p.full_name,
            dob=p.dob,
            postcode=p.postcode,
            score=round(f.score, 3),
            reasons=list(dict.fromkeys(f.reasons)),
            markers=markers.get(p.id, []),
            da_incidents_12m=sum(counts.get(p.id, (0, 0))),
            as_victim_12m=counts.get(p.id, (0, 0))[0],
            as_suspect_12m=counts.get(p.id, (0, 0))[1],
        )
        for f, p in top
    ]
