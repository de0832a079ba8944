"""Normalising phone numbers, postcodes, addresses and partial dates of birth."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from firstresponse.lookup.names import MAX_LETTERS, fold

_DIGITS = re.compile(r"\D+")
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b")
_POSTCODE_LOWER = re.compile(r"\b[a-z]{1,2}\d[a-z\d]?\s*\d[a-z]{2}\b")
_ADDRESS_WORDS = re.compile(r"[a-z]+|\d+[a-z]?")
_STREET_WORDS = {
    "road", "rd", "street", "st", "avenue", "ave", "lane", "ln", "close", "cl", "drive", "dr",
    "way", "court", "ct", "place", "pl", "crescent", "terrace", "grove", "gardens", "flat",
    "the", "of", "house", "apartment", "apt", "hill", "park", "walk", "row", "square", "mews",
}  # fmt: skip


def phone_key(text: str) -> str:
    """The last ten digits: +44 7700 900123, 07700900123 and 0044 7700 900123 agree."""
    digits = _DIGITS.sub("", text)
    return digits[-10:] if len(digits) >= 7 else ""


def postcode_key(text: str) -> str:
    """Upper case without spaces: "b1 1aa" -> "B11AA"."""
    return re.sub(r"[^A-Z0-9]", "", text.upper())


def outward(postcode: str) -> str:
    """The district part of a normalised postcode: "B11AA" -> "B1"."""
    return postcode[:-3] if len(postcode) > 4 else ""


def postcode_in(text: str) -> str:
    """A postcode written inside free text, normalised, or ""."""
    found = _POSTCODE.search(text.upper())
    return found.group(1) + found.group(2) if found else ""


def address_keys(text: str) -> set[str]:
    """``number|word`` pairs: "12 Acacia Avenue" -> {"12|acacia"}; generic words ignored."""
    plain = text.lower() if text.isascii() else fold(text)
    words = _ADDRESS_WORDS.findall(_POSTCODE_LOWER.sub(" ", plain))
    numbers = [w for w in words if w[0].isdigit()]
    names = [w for w in words if not w[0].isdigit() and w not in _STREET_WORDS and len(w) > 1]
    if not numbers or not names:
        return set()
    return {f"{number[:MAX_LETTERS]}|{names[0][:MAX_LETTERS]}" for number in numbers[:2]}


class DobError(ValueError):
    """A date of birth that cannot be read."""


@dataclass(frozen=True)
class PartialDob:
    """A date of birth as far as it is known: year, or year and month, or the full date."""

    year: int
    month: int | None = None
    day: int | None = None

    def as_date(self) -> date | None:
        if self.month and self.day:
            return date(self.year, self.month, self.day)
        return None


def parse_dob(text: str) -> PartialDob:
    """Read 1985, 1985-03, 03/1985, 1985-03-12 or 12/03/1985 (day first)."""
    text = text.strip()
    parts = [int(p) for p in re.split(r"[-/. ]+", text) if p.isdigit()]
    if not parts or len(parts) != len(re.split(r"[-/. ]+", text)):
        raise DobError(f"date of birth {text!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    if len(parts) == 3 and parts[2] > 31:  # day first: 12/03/1985
        parts = [parts[2], parts[1], parts[0]]
    elif len(parts) == 2 and parts[1] > 12:  # 03/1985
        parts = [parts[1], parts[0]]
    year = parts[0]
    if not 1880 <= year <= 2100:
        raise DobError(f"date of birth {text!r} has no plausible year")
    month = parts[1] if len(parts) > 1 else None
    day = parts[2] if len(parts) > 2 else None
    try:
        date(year, month or 1, day or 1)
    except ValueError as exc:
        raise DobError(f"date of birth {text!r} is not a real date") from exc
    return PartialDob(year, month, day)


_YEAR_IN_TEXT = re.compile(r"\b(\d{1,2}[/.-])?(\d{1,2}[/.-])?(19\d\d|20\d\d)\b")


def split_dob_from_text(text: str) -> tuple[str, PartialDob | None]:
    """Free text with a trailing or embedded date/year taken out: "jon smith 1985"."""
    found = _YEAR_IN_TEXT.search(text)
    if not found:
        return text, None
    try:
        dob = parse_dob(found.group(0))
    except DobError:
        return text, None
    return (text[: found.start()] + " " + text[found.end() :]).strip(), dob
