"""How well one person fits a search, and why, in plain English."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from firstresponse.lookup.keys import NameRecord, PersonFacts
from firstresponse.lookup.names import shared_group, sound
from firstresponse.lookup.normalise import (
    PartialDob,
    address_keys,
    outward,
    phone_key,
)

WEIGHTS = {"name": 1.0, "dob": 0.5, "phone": 0.9, "postcode": 0.4, "address": 0.5}


@dataclass(frozen=True)
class Similarity:
    score: float
    how: str = ""  # "", "nickname", "spelling", "sound", "initial"


@lru_cache(maxsize=262144)
def similarity(asked: str, known: str) -> Similarity:
    """How alike two normalised name words are, and in what way."""
    if asked == known:
        return Similarity(1.0)
    group = shared_group(asked, known)
    if group is not None:
        return Similarity(0.92, group.kind)
    if len(asked) == 1:
        return Similarity(0.6, "initial") if known.startswith(asked) else Similarity(0.0)
    shortest = min(len(asked), len(known))
    distance = DamerauLevenshtein.distance(asked, known)
    if distance == 1 and shortest >= 3:
        return Similarity(0.85, "typo")
    if shortest >= 2 and sound(asked) == sound(known):
        return Similarity(0.8, "sound")
    if len(asked) >= 3 and known.startswith(asked):
        return Similarity(0.7, "prefix")
    if distance == 2 and shortest >= 6:
        return Similarity(0.72, "typo")
    if shortest >= 4 and JaroWinkler.similarity(asked, known) >= 0.9:
        return Similarity(0.7, "typo")
    return Similarity(0.0)


def _word_reason(asked: str, known: str, how: str) -> str:
    a, k = asked.capitalize(), known.capitalize()
    return {
        "nickname": f"nickname {a}={k}",
        "spelling": f"spelling variant {a}={k}",
        "typo": f"misspelling {a}~{k}",
        "sound": f"sounds like {a}~{k}",
        "initial": f"initial {asked.upper()} for {k}",
        "prefix": f"{a}... starts {k}",
    }.get(how, "")


@dataclass
class Fit:
    score: float
    reasons: list[str] = field(default_factory=list)


def _alias_reason(record: NameRecord) -> str:
    kind = record.kind.replace("_", " ")
    if "surname" in kind or "maiden" in kind:
        return f"{kind} {' '.join(record.surnames).title()}"
    return f"known as {record.display} ({kind})"


def name_fit(tokens: list[str], record: NameRecord) -> Fit:
    """Best pairing of the words asked with the words of one name (each word used once)."""
    words = [(w, "fore") for w in record.forenames] + [(w, "sur") for w in record.surnames]
    pairs = []
    for qi, asked in enumerate(tokens):
        for wi, (known, _) in enumerate(words):
            sim = similarity(asked, known)
            if sim.score:
                pairs.append((sim.score, qi, wi, sim))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_q: set[int] = set()
    used_w: set[int] = set()
    chosen: list[tuple[int, int, Similarity]] = []
    for _, qi, wi, sim in pairs:
        if qi not in used_q and wi not in used_w:
            used_q.add(qi)
            used_w.add(wi)
            chosen.append((qi, wi, sim))
    if not chosen:
        return Fit(0.0)
    score = sum(sim.score for _, _, sim in chosen) / len(tokens)
    reasons = [_word_reason(tokens[qi], words[wi][0], sim.how) for qi, wi, sim in sorted(chosen)]
    reasons = [r for r in reasons if r]
    sur_matched = {wi for _, wi, _ in chosen if words[wi][1] == "sur"}
    if record.surnames and not sur_matched and len(tokens) > 1:
        score *= 0.8
        if any(words[wi][1] == "fore" and sim.score >= 0.9 for _, wi, sim in chosen):
            reasons.append("surname differs (changed surname?)")
    by_query = sorted(chosen)
    kinds = [words[wi][1] for _, wi, _ in by_query]
    if len(kinds) >= 2 and kinds[0] == "sur" and "fore" in kinds[1:]:
        reasons.append("forename/surname swapped")
    if len(record.surnames) > 1 and 0 < len(sur_matched) < len(record.surnames):
        reasons.append(f"part of hyphenated surname {'-'.join(record.surnames).title()}")
    if record.kind:
        reasons.append(_alias_reason(record))
        score *= 0.97
    if not reasons:
        reasons.append("name matches" if score >= 0.99 else "name partly matches")
    return Fit(score, reasons)


CHANGED_SURNAME_NAME = 0.75  # name fit when only the forename agrees but the DOB is exact


def best_name_fit(tokens: list[str], person: PersonFacts) -> Fit:
    fits = [name_fit(tokens, record) for record in person.names()]
    return max(fits, key=lambda f: f.score)


def changed_surname(name: Fit, dob: Fit) -> Fit:
    """A forename and the exact date of birth with another surname: the classic repeat-victim
    miss (married, separated, deed poll, no alias held). Scored above namesakes whose date
    of birth contradicts the one given."""
    if dob.score >= 1.0 and any(r.startswith("surname differs") for r in name.reasons):
        return Fit(max(name.score, CHANGED_SURNAME_NAME), name.reasons)
    return name


def dob_fit(asked: PartialDob, known: date | None) -> Fit:
    if known is None:
        return Fit(0.3, ["no DOB on record"])
    if asked.day and asked.month:
        if (asked.year, asked.month, asked.day) == (known.year, known.month, known.day):
            return Fit(1.0, ["DOB matches"])
        if (asked.year, asked.month, asked.day) == (known.year, known.day, known.month):
            return Fit(0.85, ["DOB day/month swapped"])
        if (asked.month, asked.day) == (known.month, known.day) and abs(
            asked.year - known.year
        ) == 1:
            return Fit(0.5, ["DOB year differs by one"])
        if (asked.year, asked.month) == (known.year, known.month):
            return Fit(0.4, ["DOB year and month match"])
        return Fit(0.0, [f"DOB differs (record {known.isoformat()})"])
    if asked.month:
        if (asked.year, asked.month) == (known.year, known.month):
            return Fit(0.9, ["DOB year and month match"])
        if asked.year == known.year:
            return Fit(0.5, ["DOB year matches"])
        return Fit(0.0, [f"DOB differs (record {known.isoformat()})"])
    if asked.year == known.year:
        return Fit(0.85, ["DOB year matches"])
    if abs(asked.year - known.year) == 1:
        return Fit(0.3, ["DOB year differs by one"])
    return Fit(0.0, [f"DOB differs (record {known.isoformat()})"])


def phone_fit(asked: str, known: str) -> Fit:
    if asked and asked == phone_key(known):
        return Fit(1.0, ["phone matches"])
    return Fit(0.0)


def postcode_fit(asked: str, known: str) -> Fit:
    if not known:
        return Fit(0.0)
    if asked == known:
        return Fit(1.0, ["postcode matches"])
    if outward(asked) and outward(asked) == outward(known):
        return Fit(0.4, [f"same postcode district {outward(known)}"])
    return Fit(0.0)


def address_fit(asked: str, known: str) -> Fit:
    if not known:
        return Fit(0.0)
    if address_keys(asked) & address_keys(known):
        return Fit(1.0, ["address matches"])
    ratio = fuzz.token_set_ratio(asked.lower(), known.lower())
    return Fit(0.6, ["address similar"]) if ratio >= 85 else Fit(0.0)
