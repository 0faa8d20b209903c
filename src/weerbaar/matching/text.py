"""Text folding shared by every normaliser: one definition of "the same letters".

Diacritics, case, punctuation and spacing differ between registers and what a person types
(Coöperatie / Cooperatie, 's-Gravenhage / s Gravenhage); comparisons and keys work on the
folded form so these differences never count as typos.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPECIAL = str.maketrans(
    {"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ł": "l", "Ł": "L", "đ": "d"}
)
_NON_WORD = re.compile(r"[^a-z0-9']+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def fold(value: str) -> str:
    """Lower case ASCII letters, digits, apostrophes and single spaces."""
    if value.isascii():
        text = value.lower().replace("`", "'")
    else:
        text = unicodedata.normalize("NFKD", value.translate(_SPECIAL))
        text = "".join(c for c in text if not unicodedata.combining(c)).lower()
        text = text.replace("\u2019", "'").replace("`", "'").replace("\u00b4", "'")
    return _SPACES.sub(" ", _NON_WORD.sub(" ", text)).strip()


def compact(value: str) -> str:
    """Folded text without spaces or apostrophes: the form keys are built from."""
    return fold(value).replace(" ", "").replace("'", "")


# Dutch spelling variants that sound alike, folded before consonant skeletons are taken.
PHONETIC_RULES: tuple[tuple[str, str], ...] = (
    ("sch", "s"),
    ("ij", "y"),
    ("ei", "y"),
    ("ey", "y"),
    ("au", "o"),
    ("ou", "o"),
    ("ch", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dt", "t"),
    ("ck", "k"),
    ("qu", "kw"),
    ("x", "ks"),
    ("c", "k"),
    ("q", "k"),
    ("z", "s"),
    ("v", "f"),
    ("w", "f"),
    ("d", "t"),
    ("h", ""),
)
_VOWELS = re.compile(r"[aeiouy]")


@lru_cache(maxsize=200_000)
def skeleton(value: str) -> str:
    """A Dutch sound-alike code: folded spelling variants, consonants only, no doubles.

    "Jansen", "Janssen" and "Janzen" share ``jnsn``; vowel typos vanish. The first letter
    stays so that the code keeps some of the word's start.
    """
    text = compact(value)
    for old, new in PHONETIC_RULES:
        text = text.replace(old, new)
    if not text:
        return ""
    first = text[0]
    body = _VOWELS.sub("", text[1:])
    squeezed = [first]
    for char in body:
        if char != squeezed[-1]:
            squeezed.append(char)
    return "".join(squeezed)
