"""How people and registers write the same thing differently: the corruptions in one place.

Every function takes a ``random.Random`` and returns the changed value; callers decide how
often to apply them (the rates are documented in ``docs/registry-generator.md``).
"""

from __future__ import annotations

import random
import re

from .data import words
from .names import initials

KEYBOARD_NEIGHBOURS = {
    "a": "qsz",
    "b": "vn",
    "c": "xv",
    "d": "sf",
    "e": "wr",
    "f": "dg",
    "g": "fh",
    "h": "gj",
    "i": "uo",
    "j": "hk",
    "k": "jl",
    "l": "k",
    "m": "n",
    "n": "bm",
    "o": "ip",
    "p": "o",
    "q": "wa",
    "r": "et",
    "s": "ad",
    "t": "ry",
    "u": "yi",
    "v": "cb",
    "w": "qe",
    "x": "zc",
    "y": "tu",
    "z": "x",
}
LEGAL_SUFFIXES = {
    "bv": [" B.V.", " BV", " b.v.", " Besloten Vennootschap", " B.V", " bv"],
    "nv": [" N.V.", " NV", " Naamloze Vennootschap"],
    "vof": [" V.O.F.", " VOF", " vof", " v.o.f."],
    "cv": [" C.V.", " CV"],
    "cooperatie": [" U.A.", " UA", " u.a."],
}
_SUFFIX_RE = re.compile(
    r"\s+(B\.?V\.?|N\.?V\.?|V\.?O\.?F\.?|C\.?V\.?|U\.?A\.?|Besloten Vennootschap|"
    r"Naamloze Vennootschap)$",
    re.IGNORECASE,
)
PARTICLE_FORMS = {
    "van der": ["v.d.", "Van der", "Van Der", "vd", "v/d", "van de"],
    "van den": ["v.d.", "Van den", "Van Den", "vd", "van de"],
    "van de": ["v.d.", "Van de", "Van De", "vd", "van der"],
    "van": ["v.", "Van", "V."],
    "de": ["De", "d'"],
    "in 't": ["in t", "In 't", "int"],
    "van 't": ["van t", "Van 't", "v.t."],
    "ter": ["Ter", "ter"],
    "ten": ["Ten"],
    "te": ["Te"],
    "op den": ["Op den", "op de"],
}
ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V"}


def typo(text: str, rng: random.Random) -> str:
    """One keyboard slip: a wrong, missing, doubled or swapped letter."""
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text))
    kind = rng.random()
    char = text[i]
    if kind < 0.35 and char.lower() in KEYBOARD_NEIGHBOURS:
        new = rng.choice(KEYBOARD_NEIGHBOURS[char.lower()])
        return text[:i] + (new.upper() if char.isupper() else new) + text[i + 1 :]
    if kind < 0.6:
        return text[:i] + text[i + 1 :]
    if kind < 0.8:
        return text[:i] + char + text[i:]
    if i < len(text) - 1:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i]


def strip_legal_form(name: str) -> str:
    return _SUFFIX_RE.sub("", name).strip()


def legal_form_variant(name: str, legal: str, rng: random.Random) -> str:
    """``Jansen Holding B.V.`` -> ``Jansen Holding BV`` / ``... Besloten Vennootschap``."""
    options = LEGAL_SUFFIXES.get(legal)
    if not options:
        return name
    return strip_legal_form(name) + rng.choice(options)


def particle_variant(particle: str, rng: random.Random) -> str:
    forms = PARTICLE_FORMS.get(particle.lower())
    if not forms:
        return particle.capitalize() if particle else particle
    return rng.choice(forms)


def given_name_variant(first: str, rng: random.Random) -> str:
    """Initials (with or without dots) or only the first given name."""
    parts = first.split()
    if len(parts) > 1 and rng.random() < 0.45:
        return parts[0]
    return initials(first, dots=rng.random() < 0.8)


def date_variant(dob: str, rng: random.Random) -> str:
    """Day and month swapped (when both can be a month), otherwise one digit off."""
    year, month, day = dob.split("-")
    if int(day) <= 12 and day != month and rng.random() < 0.7:
        return f"{year}-{day}-{month}"
    digit = rng.choice([2, 3, 6, 9])
    chars = list(dob)
    original = chars[digit]
    chars[digit] = rng.choice([c for c in "0123456789" if c != original])
    candidate = "".join(chars)
    _, m, d = (int(p) for p in candidate.split("-"))
    if 1 <= m <= 12 and 1 <= d <= 28:
        return candidate
    return f"{year}-{month}-{int(day) % 28 + 1:02d}"


def addition_as_typed(letter: str, addition: str, rng: random.Random) -> str:
    """How a person types a house-number addition: ``-2``, `` 2``, ``II``, ``bis``, ``A``."""
    if letter:
        choice = rng.random()
        if letter.lower() == "a" and choice < 0.15:
            return "bis"
        if choice < 0.5:
            return letter.upper()
        if choice < 0.8:
            return letter.lower()
        return f"-{letter.lower()}"
    if not addition:
        return ""
    choice = rng.random()
    if addition in ROMAN and choice < 0.25:
        return ROMAN[addition]
    if addition == "H" and choice < 0.4:
        return rng.choice(["hs", "huis", "-H", "H"])
    if choice < 0.55:
        return f"-{addition}"
    if choice < 0.8:
        return f" {addition}"
    return addition


def abbreviate_street(street: str, rng: random.Random) -> str:
    """``Burgemeester de Jongstraat`` -> ``Burg. de Jongstr.``."""
    result = street
    for word, short in words()["titel_afkorting"].items():
        if result.startswith(word + " "):
            result = short + result[len(word) :]
            break
    if result == street or rng.random() < 0.4:
        for long, short in (("straat", "str."), ("laan", "ln"), ("plein", "pl."), ("weg", "wg")):
            if result.endswith(long):
                result = result[: -len(long)] + short
                break
    return result if result != street else typo(street, rng)


def postcode_as_typed(postcode: str, rng: random.Random) -> str:
    choice = rng.random()
    if choice < 0.3:
        return f"{postcode[:4]} {postcode[4:]}"
    if choice < 0.4:
        return postcode.lower()
    return postcode
