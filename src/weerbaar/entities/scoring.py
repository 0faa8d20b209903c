"""Interactive matching of one subject against registry records: blocking keys for the lookup
index and explained comparisons, built on the Dutch normalisation of ``weerbaar.matching``.

Scores are Fellegi-Sunter style: evidence per field adds log-odds to a prior, the sum becomes
a probability; each piece of evidence is a reason in Dutch. Weights are set so that a name
that agrees plus an address that agrees is near-certain, a name alone is a suggestion.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from weerbaar.matching import normalize
from weerbaar.matching.company import LEGAL_FORMS

PRIOR = -4.0


@dataclass(frozen=True)
class Reason:
    field: str
    outcome: str
    weight: float
    text_nl: str


@dataclass
class Match:
    score: float
    confidence: str
    reasons: list[Reason] = field(default_factory=list)


def confidence(score: float) -> str:
    if score >= 0.95:
        return "zeer waarschijnlijk"
    if score >= 0.8:
        return "waarschijnlijk"
    if score >= 0.5:
        return "mogelijk"
    return "onwaarschijnlijk"


def _finish(reasons: list[Reason]) -> Match:
    odds = PRIOR + sum(r.weight for r in reasons)
    score = 1 / (1 + math.exp(-odds))
    return Match(round(score, 4), confidence(score), reasons)


# -- keys ---------------------------------------------------------------------------------
#
# The index stores few keys per record; a query computes more (its typo variants), so the
# index stays small while one slip in a name still meets a stored key. A name is stored whole
# and as two halves tagged with its length: one wrong, missing, doubled or swapped letter
# spoils at most one half, and the query tries the lengths L-1, L and L+1.

MIN_HALVED = 6  # halves of shorter names are too common to say anything


def _halves(tag: str, text: str, lengths: tuple[int, ...], suffix: str = "") -> set[str]:
    keys: set[str] = set()
    for length in lengths:
        if length < MIN_HALVED:
            continue
        cut = length // 2
        if cut <= len(text):
            keys.add(f"{tag}1:{length}:{text[:cut]}{suffix}")
        tail = length - cut
        if tail <= len(text):
            keys.add(f"{tag}2:{length}:{text[len(text) - tail :]}{suffix}")
    return keys


def _stored(text: str) -> tuple[int, ...]:
    return (len(text),)


def _typed(text: str) -> tuple[int, ...]:
    return (len(text) - 1, len(text), len(text) + 1)


# Keys need the words that identify a company, fast: the index keys 2.6M companies with
# their trade names after every KvK import, and ``normalize_company_name`` (which also says
# which legal form was written, for the reasons) takes ~70 µs a name. One regular expression
# per end of the name takes off legal forms in every spelling, qualifiers and "holding".
_FORM_PHRASES = sorted(
    {spelling for spellings in LEGAL_FORMS.values() for spelling in spellings}
    | {"holding", "holdings", "beheer en holding", "in oprichting", "i o", "io", "u a", "ua"},
    key=len,
    reverse=True,
)
_FORMS = "|".join(re.escape(phrase) for phrase in _FORM_PHRASES)
_TRAILING_FORMS = re.compile(rf"(?: (?:{_FORMS}))+$")
_LEADING_FORMS = re.compile(rf"^(?:(?:{_FORMS}) )+")
_NAME_WORDS = {
    "vve": "vereniging van eigenaars",
    "gebr": "gebroeders",
    "zn": "zonen",
    "int": "international",
}
_ARTICLES = frozenset({"de", "het", "t", "en", "the"})


_FORM_OF = {spelling: form for form, spellings in LEGAL_FORMS.items() for spelling in spellings}
_SPELLINGS = "|".join(re.escape(s) for s in sorted(_FORM_OF, key=len, reverse=True))
_WRITTEN_FORM = re.compile(rf"(?:^|\s)({_SPELLINGS})(?:\s(?:in oprichting|i o|io|u a|ua))*$")
_FORM_FIRST = re.compile(rf"^({_SPELLINGS})\s")


@lru_cache(maxsize=200_000)
def _legal_form(name: str) -> str | None:
    """The legal form written in a company name (canonical: "B.V."), at its end or start."""
    text = normalize.fold(name)
    found = _WRITTEN_FORM.search(text) or _FORM_FIRST.match(text)
    return _FORM_OF[found.group(1)] if found else None


@lru_cache(maxsize=1_000_000)
def _company_tokens(name: str) -> tuple[str, ...]:
    """The identifying words of a company name: "Stichting Het Anker B.V. i.o." → anker."""
    text = " ".join(_NAME_WORDS.get(w, w) for w in normalize.fold(name).split())
    text = _TRAILING_FORMS.sub("", text) or text
    text = _LEADING_FORMS.sub("", text) or text
    words = [w.replace("'", "") for w in text.split()]
    return tuple(w for w in words if w and w not in _ARTICLES) or tuple(w for w in words if w)


def company_keys(name: str | None, town: str | None = None, query: bool = False) -> set[str]:
    """The core name (without legal form, "holding", articles, case and spaces) whole, with
    the town, and in halves (typo variants for a query); the sound of its first and last
    word ("Autobedrijf v.d. Berg" and "Autobedrijf Van den Berg")."""
    tokens = _company_tokens(name or "")
    core = "".join(tokens)
    if not core:
        return set()
    keys = {f"cn:{core}"}
    if len(tokens) > 1:
        keys.add(f"cf:{normalize.skeleton(tokens[0])}|{normalize.skeleton(tokens[-1])}")
    place = normalize.compact(town or "")
    if place:
        keys.add(f"ct:{core}|{place}")
    return keys | _halves("ch", core, _typed(core) if query else _stored(core))


def company_address_key(postcode: str, house_number: int) -> str:
    """The postal address of a company without a visiting address (the register's index
    covers visiting addresses only)."""
    return f"ca:{postcode}{house_number}"


def person_keys(
    first_names: str | None,
    surname_prefix: str | None,
    surname: str | None,
    date_of_birth: dt.date | str | None = None,
    query: bool = False,
) -> set[str]:
    """Surname (sound-alike) with first initial, all initials or the first name; date of birth
    with the first initial; surname and initial with year or day and month of birth; surname
    halves with the initial (typos when the date is unknown). A query adds the date with day
    and month swapped and the halves' typo variants."""
    first, initials = _first_names(first_names or "")
    core, skel = _surname(surname_prefix or "", surname or "")
    initial = initials[:1]
    born = normalize.parse_date(date_of_birth) if date_of_birth else None
    keys: set[str] = set()
    if skel:
        keys.add(f"pn:{skel}|{initial}")
        if len(initials) > 1:
            keys.add(f"pi:{skel}|{initials}")
        if first:
            keys.add(f"pf:{skel}|{first}")
        keys |= _halves("ph", core, _typed(core) if query else _stored(core), f"|{initial}")
    if born:
        keys.add(f"pd:{born.isoformat()}|{initial}")
        swapped = _swapped(born) if query else None
        if swapped:
            keys.add(f"pd:{swapped.isoformat()}|{initial}")
        if skel:  # a date with one wrong digit keeps its year or its day and month
            keys.add(f"py:{skel}|{initial}|{born.year}")
            keys.add(f"pm:{skel}|{initial}|{born:%m%d}")
    return keys


# The parts of a person's name are normalised once per distinct value: a register holds far
# fewer first names and surnames than officers.
@lru_cache(maxsize=500_000)
def _first_names(first_names: str) -> tuple[str, str]:
    """The first first name (if written out) and all initials."""
    names, initials = normalize.split_first_names(first_names)
    return (normalize.compact(names[0]) if names else ""), initials


@lru_cache(maxsize=500_000)
def _surname(prefix: str, surname: str) -> tuple[str, str]:
    """The surname without particles, and its sound."""
    core = normalize.normalize_person_name("", prefix, surname).surname_core
    return core, normalize.skeleton(core)


# Titles that open Dutch street names, abbreviated ("Prof. Rietmategracht"), beyond those
# ``normalize_street`` writes out.
_STREET_TITLES = {
    "past": "pastoor",
    "weth": "wethouder",
    "not": "notaris",
    "ds": "dominee",
    "kapt": "kapitein",
    "prof": "professor",
    "zr": "zuster",
    "juffr": "juffrouw",
    "gebr": "gebroeders",
    "mgr": "monseigneur",
    "jhr": "jonkheer",
}


@lru_cache(maxsize=200_000)
def _street(street: str) -> str:
    """The normalised street, an abbreviated title at its start and "pl." at its end written
    out."""
    road = normalize.normalize_street(street)
    if road.endswith("pl") and len(road.rsplit(" ", 1)[-1]) > 4:
        road += "ein"  # "Smidspl." for Smidsplein
    first, _, rest = road.partition(" ")
    title = _STREET_TITLES.get(first)
    return f"{title} {rest}" if title and rest else road


def street_keys(street: str | None, town: str | None, query: bool = False) -> set[str]:
    """A street (sound-alike, abbreviations written out) with and without its town, and its
    halves with the town for typos."""
    road = normalize.compact(_street(street or ""))
    if not road:
        return set()
    skel = normalize.skeleton(road)
    keys = {f"sn:{skel}"}
    place = normalize.compact(town or "")
    if place:
        keys.add(f"st:{skel}|{place}")
        keys |= _halves("sh", road, _typed(road) if query else _stored(road), f"|{place}")
    return keys


def _swapped(day: dt.date) -> dt.date | None:
    try:
        return day.replace(month=day.day, day=day.month) if day.day <= 12 else None
    except ValueError:
        return None


# -- comparisons ---------------------------------------------------------------------------


def _name_reason(query: str, candidate: str, label: str) -> tuple[Reason, CompanyInfo]:
    q, c = _company_tokens(query), _company_tokens(candidate)
    similarity = fuzz.token_sort_ratio(" ".join(q), " ".join(c))
    similarity = max(similarity, fuzz.ratio("".join(q), "".join(c)))
    weight = (
        6.0
        if similarity >= 97
        else 4.5
        if similarity >= 90
        else 2.5
        if similarity >= 80
        else 0.5
        if similarity >= 70
        else -3.0
    )
    text = (
        f"{label} komt overeen ({similarity:.0f}%)"
        if similarity >= 80
        else f"{label} lijkt weinig op elkaar ({similarity:.0f}%)"
    )
    return Reason("name", "gelijk" if similarity >= 97 else "lijkt", weight, text), CompanyInfo(
        _legal_form(query), _legal_form(candidate)
    )


@dataclass(frozen=True)
class CompanyInfo:
    query_form: str | None
    candidate_form: str | None


def _address_reasons(query: dict[str, Any], candidate: dict[str, Any]) -> list[Reason]:
    q_pc = normalize.normalize_postcode(query.get("postcode") or "")
    c_pc = normalize.normalize_postcode(candidate.get("postcode") or "")
    q_nr = normalize.normalize_house_number(
        query.get("house_number"), query.get("house_letter"), query.get("house_number_addition")
    )
    c_nr = normalize.normalize_house_number(
        candidate.get("house_number"),
        candidate.get("house_letter"),
        candidate.get("house_number_addition"),
    )
    if not q_pc or not c_pc:
        town_q, town_c = (
            normalize.fold(query.get("town") or ""),
            normalize.fold(candidate.get("town") or ""),
        )
        found = []
        if town_q and town_q == town_c:
            found.append(Reason("town", "gelijk", 0.7, f"Zelfde plaats ({candidate.get('town')})"))
        if q_nr and c_nr and q_nr.number == c_nr.number and _same_street(query, candidate):
            same = _same_addition(q_nr, c_nr)
            text = "Zelfde straat en huisnummer" + ("" if same else f" ({c_nr} in het register)")
            found.append(Reason("address", "lijkt", 3.0 if same else 2.0, text))
        return found
    if q_pc != c_pc:
        town = normalize.fold(query.get("town") or "")
        if town and town == normalize.fold(candidate.get("town") or ""):
            text = f"Andere postcode ({c_pc}) in dezelfde plaats; verhuisd?"
            return [Reason("postcode", "anders", -0.5, text)]
        return [Reason("postcode", "anders", -1.5, f"Andere postcode ({c_pc}); verhuisd?")]
    if q_nr and c_nr and q_nr.number == c_nr.number:
        if _same_addition(q_nr, c_nr):
            return [Reason("address", "gelijk", 4.0, "Zelfde postcode en huisnummer")]
        return [
            Reason(
                "address",
                "lijkt",
                2.5,
                f"Zelfde postcode en huisnummer, andere toevoeging ({c_nr} in het register)",
            )
        ]
    return [Reason("postcode", "gelijk", 1.0, "Zelfde postcode, ander huisnummer")]


def _same_addition(q_nr: normalize.HouseNumber, c_nr: normalize.HouseNumber) -> bool:
    """The letter and addition agree, or the query gave none."""
    return (q_nr.letter, q_nr.addition) == (c_nr.letter, c_nr.addition) or not (
        q_nr.letter or q_nr.addition
    )


def _same_street(query: dict[str, Any], candidate: dict[str, Any]) -> bool:
    q_street = _street(query.get("street") or "")
    c_street = _street(candidate.get("street") or "")
    return bool(q_street and c_street) and fuzz.ratio(q_street, c_street) >= 85


def compare_company(query: dict[str, Any], candidate: dict[str, Any]) -> Match:
    reasons: list[Reason] = []
    q_kvk, c_kvk = (query.get("kvk_number") or "").replace(" ", ""), candidate.get("kvk_number")
    if q_kvk and c_kvk:
        if q_kvk == c_kvk:
            reasons.append(Reason("kvk_number", "gelijk", 8.0, "Zelfde KvK-nummer"))
        else:
            reasons.append(Reason("kvk_number", "anders", -6.0, "Ander KvK-nummer"))
    if query.get("name") and candidate.get("name"):
        reason, forms = _name_reason(query["name"], candidate["name"], "Naam")
        reasons.append(reason)
        if forms.query_form or forms.candidate_form:
            form = forms.candidate_form or forms.query_form
            reasons.append(Reason("legal_form", "genegeerd", 0.0, f"Rechtsvorm genegeerd: {form}"))
    reasons.extend(_address_reasons(query, candidate))
    return _finish(reasons)


def compare_address(query: dict[str, Any], candidate: dict[str, Any]) -> Match:
    reasons = _address_reasons(query, candidate)
    q_street = _street(query.get("street") or "")
    c_street = _street(candidate.get("street") or "")
    if q_street and c_street:
        similarity = fuzz.ratio(q_street, c_street)
        if similarity >= 85:
            reasons.append(
                Reason("street", "gelijk", 1.5, f"Straat komt overeen ({similarity:.0f}%)")
            )
        else:
            reasons.append(
                Reason("street", "anders", -2.0, f"Andere straat ({candidate.get('street')})")
            )
    if not reasons:
        return _finish([Reason("address", "onbekend", 0.0, "Te weinig adresgegevens")])
    # An address is identified by postcode + number: agreeing on both is the prior's work.
    return _finish([*reasons, Reason("prior", "adres", 2.0, "Gezocht op postcode en huisnummer")])


def _dotted(initials: str) -> str:
    return "".join(f"{letter.upper()}." for letter in initials)


def compare_person(query: dict[str, Any], candidate: dict[str, Any]) -> Match:
    q = normalize.normalize_person_name(
        query.get("first_names") or "",
        query.get("surname_prefix") or "",
        query.get("surname") or "",
    )
    c = normalize.normalize_person_name(
        candidate.get("first_names") or "",
        candidate.get("surname_prefix") or "",
        candidate.get("surname") or "",
    )
    reasons: list[Reason] = []
    similarity = fuzz.ratio(q.surname_core, c.surname_core)
    if similarity >= 97:
        reasons.append(Reason("surname", "gelijk", 4.0, "Achternaam gelijk"))
    elif (
        similarity >= 85
        or normalize.skeleton(q.surname_core) == normalize.skeleton(c.surname_core)
        # one slip in a short name ("Kata" for "Kara") is still 75%
        or (
            min(len(q.surname_core), len(c.surname_core)) >= 4
            and OSA.distance(q.surname_core, c.surname_core, score_cutoff=1) <= 1
        )
    ):
        reasons.append(Reason("surname", "lijkt", 2.5, f"Achternaam lijkt ({similarity:.0f}%)"))
    else:
        reasons.append(Reason("surname", "anders", -4.0, f"Achternaam anders ({similarity:.0f}%)"))
    reasons.extend(_first_name_reasons(q, c))
    reasons.extend(_birth_reasons(query.get("date_of_birth"), candidate.get("date_of_birth")))
    if candidate.get("at_address"):
        reasons.append(
            Reason("address", "gelijk", 2.5, "Functionaris van een bedrijf op dit adres")
        )
    if candidate.get("of_company"):
        reasons.append(Reason("kvk_number", "gelijk", 3.0, "Functionaris van dit bedrijf"))
    return _finish(reasons)


def _first_name_reasons(q: normalize.PersonName, c: normalize.PersonName) -> list[Reason]:
    if q.first_name and c.first_name:
        first = fuzz.ratio(q.first_name, c.first_name)
        if first < 90:
            if q.initials[:1] == c.initials[:1]:
                return [Reason("first_names", "lijkt", 0.5, "Zelfde voorletter, andere voornaam")]
            return [Reason("first_names", "anders", -2.0, "Andere voornaam")]
        found = [Reason("first_names", "gelijk", 2.0, "Voornaam komt overeen")]
        if len(q.first_names) > 1 and len(c.first_names) > 1:
            if q.first_names == c.first_names:
                found.append(Reason("first_names", "gelijk", 1.5, "Alle voornamen gelijk"))
            elif q.initials != c.initials:
                found.append(Reason("first_names", "anders", -1.5, "Andere tweede voornaam"))
        return found
    if not (q.initials and c.initials):
        return []
    if q.initials == c.initials:
        return [Reason("first_names", "gelijk", 2.0, f"Voorletters gelijk ({_dotted(q.initials)})")]
    if len(q.initials) > 1 and not c.initials.startswith(q.initials):
        return [
            Reason("first_names", "anders", -1.5, f"Andere voorletters ({_dotted(c.initials)})")
        ]
    if q.initials[:1] == c.initials[:1]:
        return [Reason("first_names", "lijkt", 1.0, "Zelfde eerste voorletter")]
    return [Reason("first_names", "anders", -2.0, "Andere voorletter")]


def _birth_reasons(query: Any, candidate: Any) -> list[Reason]:
    q_born, c_born = normalize.parse_date(query), normalize.parse_date(candidate)
    if not (q_born and c_born):
        return []
    if q_born == c_born:
        return [Reason("date_of_birth", "gelijk", 5.0, "Geboortedatum gelijk")]
    if _swapped(q_born) == c_born:
        return [Reason("date_of_birth", "lijkt", 3.0, "Geboortedatum met dag en maand verwisseld")]
    typed, known = q_born.isoformat(), c_born.isoformat()
    if sum(a != b for a, b in zip(typed, known, strict=True)) == 1:
        return [Reason("date_of_birth", "lijkt", 2.0, "Geboortedatum wijkt één cijfer af")]
    if q_born.year == c_born.year:
        return [Reason("date_of_birth", "lijkt", 0.5, "Zelfde geboortejaar")]
    return [Reason("date_of_birth", "anders", -5.0, "Andere geboortedatum")]
