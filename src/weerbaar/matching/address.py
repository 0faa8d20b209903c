"""Postcodes, house numbers, streets, licence plates and dates as they are written in NL."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from .text import fold

POSTCODE_PATTERN = r"^[ \t]*([1-9][0-9]{3})[ \t]*-?[ \t]*([A-Za-z]{2})[ \t]*$"
UNUSED_POSTCODE_LETTERS = frozenset({"SA", "SD", "SS"})
_POSTCODE = re.compile(POSTCODE_PATTERN)


def normalize_postcode(value: str | None) -> str | None:
    """``"1234 ab"`` → ``"1234AB"``; anything that is not a Dutch postcode → None."""
    match = _POSTCODE.fullmatch(value or "")
    if not match:
        return None
    letters = match.group(2).upper()
    if letters in UNUSED_POSTCODE_LETTERS:
        return None
    return match.group(1) + letters


@dataclass(frozen=True)
class HouseNumber:
    """BAG's three parts: number, letter (huisletter) and addition (huisnummertoevoeging)."""

    number: int
    letter: str | None = None
    addition: str | None = None

    def __str__(self) -> str:
        text = f"{self.number}{self.letter or ''}"
        return f"{text}-{self.addition}" if self.addition else text


_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4", "V": "5", "VI": "6", "VII": "7"}
_HOUSE = re.compile(r"^[ \t]*([0-9]{1,5})(?![0-9])\s*(.*?)\s*$", re.DOTALL)


def _addition(text: str) -> str | None:
    cleaned = re.sub(r"[^A-Z0-9]", "", text.upper())
    if not cleaned:
        return None
    return _ROMAN.get(cleaned, cleaned)[:4]


@lru_cache(maxsize=100_000)
def normalize_house_number(
    value: str | int | None, letter: str | None = None, addition: str | None = None
) -> HouseNumber | None:
    """Number, letter and addition from any written form.

    "12a" → (12, A); "12-2", "12 2", "12 II" → (12, None, 2); "12bis" → (12, None, BIS);
    "12 A-3" → (12, A, 3). Separate letter/addition fields are merged in. A number outside
    1-99999 → None.
    """
    match = _HOUSE.fullmatch(str(value) if value is not None else "")
    if not match or not 1 <= int(match.group(1)) <= 99999:
        return None
    rest = match.group(2).upper().lstrip("-/ ")
    found_letter: str | None = None
    single = re.match(r"^([A-Z])(?![A-Z])\s*[-/ ]?\s*(.*)$", rest)
    if single and (single.group(1) != "I" or single.group(2)):  # a lone "I" is a floor
        found_letter, rest = single.group(1), single.group(2)
    extra_letter = re.sub(r"[^A-Z]", "", (letter or "").upper())[:1] or None
    return HouseNumber(
        number=int(match.group(1)),
        letter=found_letter or extra_letter,
        addition=_addition(rest) or _addition(addition or ""),
    )


_STREET_WORDS = {
    "str": "straat",
    "ln": "laan",
    "pl": "plein",
    "burg": "burgemeester",
    "dr": "dokter",
    "mr": "meester",
    "st": "sint",
    "pr": "prins",
    "kon": "koning",
}
_STREET_ENDINGS = (("str", "straat"), ("ln", "laan"), ("pln", "plein"), ("wg", "weg"))


@lru_cache(maxsize=100_000)
def normalize_street(value: str | None) -> str:
    """Folded street name with common abbreviations written out ("Burg. Jansenstr.")."""
    words = [_STREET_WORDS.get(w, w) for w in fold(value or "").split()]
    if words:
        for short, full in _STREET_ENDINGS:
            if words[-1].endswith(short) and len(words[-1]) > len(short) + 2:
                words[-1] = words[-1][: -len(short)] + full
    return " ".join(words)


# Dutch licence plates: the sidecodes as letter (L) / digit (D) patterns and dash positions.
_SIDECODES = {
    "LLDDDD": (2, 4),
    "DDDDLL": (2, 4),
    "DDLLDD": (2, 4),
    "LLDDLL": (2, 4),
    "LLLLDD": (2, 4),
    "DDLLLL": (2, 4),
    "DDLLLD": (2, 5),
    "DLLLDD": (1, 4),
    "LLDDDL": (2, 5),
    "LDDDLL": (1, 4),
    "LLLDDL": (3, 5),
    "LDDLLL": (1, 3),
    "DLLDDD": (1, 3),
    "DDDLLD": (3, 5),
}


def normalize_plate(value: str | None) -> str | None:
    """``"ab12cd"``, ``"AB 12 CD"``, ``"ab-12-cd"`` → ``"AB-12-CD"``; not Dutch → None."""
    text = re.sub(r"[^A-Z0-9]", "", (value or "").upper())
    pattern = "".join("D" if c.isdigit() else "L" for c in text)
    dashes = _SIDECODES.get(pattern)
    if dashes is None:
        return None
    first, second = dashes
    return f"{text[:first]}-{text[first:second]}-{text[second:]}"


normalize_licence_plate = normalize_plate

_DMY = re.compile(r"^\s*(\d{1,2})[-/. ](\d{1,2})[-/. ](\d{4})\s*$")
_YMD = re.compile(r"^\s*(\d{4})[-/.]?(\d{2})[-/.]?(\d{2})(?:[T ].*)?\s*$")


@lru_cache(maxsize=100_000)
def _parse_date_text(text: str) -> dt.date | None:
    for pattern, order in ((_YMD, (0, 1, 2)), (_DMY, (2, 1, 0))):
        match = pattern.match(text)
        if match:
            parts = [int(match.group(i + 1)) for i in order]
            try:
                return dt.date(parts[0], parts[1], parts[2])
            except ValueError:
                return None
    return None


def parse_date(value: str | dt.date | None) -> dt.date | None:
    """ISO (``2001-05-30``, ``20010530``) and Dutch day-first (``30-5-2001``) dates."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not value:
        return None
    return _parse_date_text(str(value))
