"""Name normalisation and the nickname / spelling-variant groups.

Every key filed for a name word is bounded: at most `MAX_WORDS` words of a name are read,
each clipped to `MAX_LETTERS` letters, deletion variants are made only for words of up to
`MAX_FUZZY_LETTERS` and typing-ahead prefixes only up to `MAX_PREFIX_LETTERS`. So the
keys of a word cost time and space linear in its length, and a hostile name of a million
letters files as few keys as an ordinary one (the index and the search clip alike).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

import jellyfish

from firstresponse.lookup import variants_data

_APOSTROPHES = re.compile(r"['\u2019`]")
_NOT_LETTERS = re.compile(r"[^a-z]+")
MAX_WORDS = 12  # words of one name (forename or surname) that are indexed and searched
MAX_LETTERS = 40  # letters of a word kept: longer words are clipped, in the index and the search
MAX_FUZZY_LETTERS = 24  # longest word given one-letter-deletion variants
MAX_PREFIX_LETTERS = 24  # longest beginning filed for typing ahead


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case ASCII: accents removed, apostrophes dropped (O'Brien -> obrien)."""
    if text.isascii():
        return text.lower().replace("'", "").replace("`", "")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _APOSTROPHES.sub("", plain.lower())


@lru_cache(maxsize=65536)
def name_tokens(text: str) -> tuple[str, ...]:
    """The words of a name, split on spaces and hyphens: "Smith-Jones" -> ("smith", "jones").

    At most MAX_WORDS words, each clipped to MAX_LETTERS letters.
    """
    words = (t[:MAX_LETTERS] for t in _NOT_LETTERS.split(fold(text)) if t)
    return tuple(islice(words, MAX_WORDS))


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
    """The term with any one letter removed (terms of 4 to MAX_FUZZY_LETTERS letters)."""
    if not 4 <= len(term) <= MAX_FUZZY_LETTERS:
        return set()
    return {term[:i] + term[i + 1 :] for i in range(len(term))}


def prefixes(term: str) -> set[str]:
    """Vocabulary keys for the term's beginnings (3 to MAX_PREFIX_LETTERS letters)."""
    return {"^" + term[:n] for n in range(3, min(len(term), MAX_PREFIX_LETTERS + 1))}


def prefix_key(typed: str) -> str:
    """The vocabulary key a word still being typed is looked up by (see `prefixes`)."""
    return "^" + typed[:MAX_PREFIX_LETTERS]


def spelling_variants(word: str) -> set[str]:
    """Vocabulary keys to look a word up by: itself, its deletions, its sound."""
    return {word, *deletions(word), "~" + sound(word)}


def term_variants(term: str) -> set[str]:
    """Keys under which `term` is filed in the vocabulary: spelling variants and prefixes."""
    return spelling_variants(term) | prefixes(term)
