"""Name normalisation and the nickname / spelling-variant groups."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jellyfish

from firstresponse.lookup import variants_data

_APOSTROPHES = re.compile(r"['\u2019`]")
_NOT_LETTERS = re.compile(r"[^a-z]+")


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case ASCII: accents removed, apostrophes dropped (O'Brien -> obrien)."""
    if text.isascii():
        return text.lower().replace("'", "").replace("`", "")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _APOSTROPHES.sub("", plain.lower())


@lru_cache(maxsize=65536)
def name_tokens(text: str) -> tuple[str, ...]:
    """The words of a name, split on spaces and hyphens: "Smith-Jones" -> ("smith", "jones")."""
    return tuple(t for t in _NOT_LETTERS.split(fold(text)) if t)


@dataclass(frozen=True)
class Group:
    canonical: str
    kind: str  # "nickname" or "spelling"


def _parse(text: str, kind: str) -> dict[str, list[Group]]:
    groups: dict[str, list[Group]] = {}
    for line in text.strip().splitlines():
        head, _, rest = line.partition(":")
        group = Group(head.strip(), kind)
        for name in {group.canonical, *rest.split()}:
            groups.setdefault(name, []).append(group)
    return groups


@lru_cache(maxsize=1)
def _groups() -> dict[str, list[Group]]:
    merged = _parse(variants_data.SPELLINGS, "spelling")
    for name, groups in _parse(variants_data.NICKNAMES, "nickname").items():
        merged.setdefault(name, []).extend(groups)
    return merged


def groups_of(term: str) -> list[Group]:
    """The variant groups a normalised name term belongs to."""
    return _groups().get(term, [])


@lru_cache(maxsize=65536)
def forms(term: str) -> frozenset[str]:
    """The term itself plus the canonical name of every group it belongs to."""
    return frozenset({term, *(g.canonical for g in groups_of(term))})


@lru_cache(maxsize=65536)
def shared_group(a: str, b: str) -> Group | None:
    """A variant group holding both terms, preferring spelling groups."""
    common = [g for g in groups_of(a) if g in set(groups_of(b))]
    common.sort(key=lambda g: g.kind != "spelling")
    return common[0] if common else None


@lru_cache(maxsize=65536)
def sound(term: str) -> str:
    """A phonetic code (Metaphone) for a name term."""
    return jellyfish.metaphone(term) if term else ""


def deletions(term: str) -> set[str]:
    """The term with any one letter removed (terms of four letters or more)."""
    if len(term) < 4:
        return set()
    return {term[:i] + term[i + 1 :] for i in range(len(term))}


def prefixes(term: str) -> set[str]:
    """Vocabulary keys for the term's beginnings (three letters or more), for typing ahead."""
    return {"^" + term[:n] for n in range(3, len(term))}


def spelling_variants(word: str) -> set[str]:
    """Vocabulary keys to look a word up by: itself, its deletions, its sound."""
    return {word, *deletions(word), "~" + sound(word)}


def term_variants(term: str) -> set[str]:
    """Keys under which `term` is filed in the vocabulary: spelling variants and prefixes."""
    return spelling_variants(term) | prefixes(term)
