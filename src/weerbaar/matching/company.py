"""Company names: legal forms in every spelling split off, the distinctive core left over.

"Jansen Holding B.V.", "JANSEN HOLDING BV" and "Jansen Holding Besloten Vennootschap met
beperkte aansprakelijkheid" are one name with one legal form; the legal form is a weak signal
(companies change it) and must never make two names look alike or different.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .text import fold

# Canonical legal form → its spellings after folding (dots and case gone: "B.V." is "b v").
LEGAL_FORMS: dict[str, tuple[str, ...]] = {
    "B.V.": (
        "besloten vennootschap met beperkte aansprakelijkheid",
        "besloten vennootschap",
        "b v",
        "bv",
    ),
    "N.V.": ("naamloze vennootschap", "n v", "nv"),
    "V.O.F.": ("vennootschap onder firma", "v o f", "vof"),
    "C.V.": ("commanditaire vennootschap", "c v", "cv"),
    "Coöperatie": (
        "cooperatieve vereniging",
        "cooperatie",
        "cooperatief",
        "co op",
        "coop",
    ),
    "Vereniging": (
        "vereniging met volledige rechtsbevoegdheid",
        "vereniging met beperkte rechtsbevoegdheid",
        "vereniging",
    ),
    "Stichting": ("stichting", "stg", "sticht"),
    "Eenmanszaak": ("eenmanszaak", "emz"),
    "Maatschap": ("maatschap",),
    "Ltd.": ("private limited company", "limited", "ltd"),
    "GmbH": ("gesellschaft mit beschrankter haftung", "gmbh"),
    "BVBA": ("bvba",),
}
# Suffixes that qualify a legal form and carry no identity.
_QUALIFIERS = ("in oprichting", "i o", "io", "u a", "ua", "w a", "wa", "b a", "ba")
_HOLDING = ("holding", "holdings", "beheer en holding")
_TRADING_AS = re.compile(r"\s(?:h o d n|hodn|handelend onder de naam)\s")
_ARTICLES = frozenset({"de", "het", "t", "'t", "en", "the"})
_WORD_FORMS = {"gebr": "gebroeders", "zn": "zonen", "int": "international"}


@dataclass(frozen=True)
class CompanyName:
    """A company name with its legal form taken off.

    ``core`` is the folded name without legal form or "holding"; ``tokens`` its words
    without articles (what keys and comparisons use); ``holding`` says whether "holding" was
    part of the name.
    """

    core: str
    legal_form: str | None
    tokens: tuple[str, ...]
    holding: bool = False

    @property
    def compact(self) -> str:
        return "".join(self.tokens)


def _spellings() -> list[tuple[str, str]]:
    pairs = [(s, form) for form, spellings in LEGAL_FORMS.items() for s in spellings]
    return sorted(pairs, key=lambda pair: -len(pair[0]))


_FORM_SPELLINGS = _spellings()


def _strip(text: str, phrases: tuple[str, ...] | list[str], at_end: bool) -> tuple[str, str]:
    """Remove the first phrase found at the end (or start) of ``text``; return it too."""
    for phrase in phrases:
        if at_end and (text == phrase or text.endswith(" " + phrase)):
            return text[: -len(phrase)].strip(), phrase
        if not at_end and (text == phrase or text.startswith(phrase + " ")):
            return text[len(phrase) :].strip(), phrase
    return text, ""


def _take_legal_form(text: str) -> tuple[str, str | None]:
    spellings = [s for s, _form in _FORM_SPELLINGS]
    by_spelling = dict(_FORM_SPELLINGS)
    found: str | None = None
    for at_end in (True, False):
        while True:
            text, _qualifier = _strip(text, _QUALIFIERS, at_end=True)
            rest, spelling = _strip(text, spellings, at_end)
            if not spelling or not rest:
                break
            found = found or by_spelling[spelling]
            text = rest
    return text, found


@lru_cache(maxsize=200_000)
def normalize_company_name(name: str | None) -> CompanyName:
    """Split a written company name into core, legal form and tokens."""
    text = fold(name or "")
    match = _TRADING_AS.search(f" {text} ")
    if match:
        text = text[: max(match.start() - 1, 0)].strip() or text
    text, legal_form = _take_legal_form(text)
    holding = False
    for at_end in (True, False):
        rest, phrase = _strip(text, _HOLDING, at_end)
        if phrase and rest:
            text, holding = rest, True
    if legal_form is None and holding:
        text, legal_form = _take_legal_form(text)
    words = [_WORD_FORMS.get(w, w) for w in text.split()]
    tokens = tuple(w.replace("'", "") for w in words if w not in _ARTICLES) or tuple(words)
    return CompanyName(core=" ".join(words), legal_form=legal_form, tokens=tokens, holding=holding)


def canonical_legal_form(value: str | None) -> str | None:
    """The canonical legal form of a register's written one ("Besloten Vennootschap")."""
    text = fold(value or "")
    for spelling, form in _FORM_SPELLINGS:
        if text == spelling or text.startswith(spelling + " "):
            return form
    return None
