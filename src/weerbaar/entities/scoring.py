"""Interactive matching of one subject against registry records: blocking keys for the lookup
index and explained comparisons, built on the Dutch normalisation of ``weerbaar.matching``.

Scores are Fellegi-Sunter style: evidence per field adds log-odds to a prior, the sum becomes
a probability; each piece of evidence is a reason in Dutch. Weights are set so that a name
that agrees plus an address that agrees is near-certain, a name alone is a suggestion.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from weerbaar.matching import normalize

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


def _token_keys(tokens: tuple[str, ...], tag: str) -> set[str]:
    keys: set[str] = set()
    skeletons = [normalize.skeleton(t) for t in tokens]
    for token, skel in zip(tokens, skeletons, strict=True):
        if len(skel) >= 2:
            keys.add(f"{tag}s:{skel}")
        if len(token) >= 5:
            keys.add(f"{tag}p:{token[:4]}")
            keys.add(f"{tag}e:{token[-4:]}")
    for left, right in itertools.pairwise(skeletons):
        if left and right:
            keys.add(f"{tag}2:{left}|{right}")
    return keys


def company_keys(
    name: str | None, postcode: str | None = None, house_number: int | None = None
) -> set[str]:
    """Keys shared by a company and a slightly wrongly written query for it."""
    parsed = normalize.normalize_company_name(name or "")
    tokens = tuple(normalize.compact(t) for t in parsed.tokens if normalize.compact(t))
    keys = _token_keys(tokens, "c")
    if parsed.compact:
        keys.add(f"cn:{normalize.skeleton(parsed.compact)}")
    pc = normalize.normalize_postcode(postcode) if postcode else None
    if pc and tokens:
        keys.add(f"cpc:{pc}:{normalize.skeleton(tokens[0])[:2]}")
    return keys


def person_keys(
    first_names: str | None,
    surname_prefix: str | None,
    surname: str | None,
    date_of_birth: dt.date | str | None = None,
    postcode: str | None = None,
) -> set[str]:
    name = normalize.normalize_person_name(first_names or "", surname_prefix or "", surname or "")
    skel = normalize.skeleton(name.surname_core)
    born = normalize.parse_date(date_of_birth) if date_of_birth else None
    initial = (name.initials or "")[:1]
    keys: set[str] = set()
    if skel:
        keys.add(f"pn:{skel}:{initial}")
        if born:
            keys.add(f"py:{skel}:{born.year}")
    if born:
        keys.add(f"pd:{born.isoformat()}:{initial}")
        swapped = _swapped(born)
        if swapped:
            keys.add(f"pd:{swapped.isoformat()}:{initial}")
    return keys


def _swapped(day: dt.date) -> dt.date | None:
    try:
        return day.replace(month=day.day, day=day.month) if day.day <= 12 else None
    except ValueError:
        return None


# -- comparisons ---------------------------------------------------------------------------


def _name_reason(query: str, candidate: str, label: str) -> tuple[Reason, CompanyInfo]:
    q = normalize.normalize_company_name(query)
    c = normalize.normalize_company_name(candidate)
    similarity = fuzz.token_sort_ratio(" ".join(q.tokens), " ".join(c.tokens))
    similarity = max(similarity, fuzz.ratio(q.compact, c.compact))
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
        q.legal_form, c.legal_form
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
        if town_q and town_q == town_c:
            return [Reason("town", "gelijk", 0.7, f"Zelfde plaats ({candidate.get('town')})")]
        return []
    if q_pc != c_pc:
        return [Reason("postcode", "anders", -1.5, f"Andere postcode ({c_pc}); verhuisd?")]
    if q_nr and c_nr and q_nr.number == c_nr.number:
        if (q_nr.letter, q_nr.addition) == (c_nr.letter, c_nr.addition) or not (
            q_nr.letter or q_nr.addition
        ):
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
    q_street = normalize.normalize_street(query.get("street") or "")
    c_street = normalize.normalize_street(candidate.get("street") or "")
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
    elif similarity >= 85 or normalize.skeleton(q.surname_core) == normalize.skeleton(
        c.surname_core
    ):
        reasons.append(Reason("surname", "lijkt", 2.5, f"Achternaam lijkt ({similarity:.0f}%)"))
    else:
        reasons.append(Reason("surname", "anders", -4.0, f"Achternaam anders ({similarity:.0f}%)"))
    if q.first_name and c.first_name:
        first = fuzz.ratio(q.first_name, c.first_name)
        if first >= 90:
            reasons.append(Reason("first_names", "gelijk", 2.0, "Voornaam komt overeen"))
        elif q.initials[:1] == c.initials[:1]:
            reasons.append(
                Reason("first_names", "lijkt", 0.5, "Zelfde voorletter, andere voornaam")
            )
        else:
            reasons.append(Reason("first_names", "anders", -2.0, "Andere voornaam"))
    elif q.initials and c.initials:
        if q.initials == c.initials:
            reasons.append(
                Reason("first_names", "gelijk", 2.0, f"Voorletters gelijk ({_dotted(q.initials)})")
            )
        elif len(q.initials) > 1 and not c.initials.startswith(q.initials):
            reasons.append(
                Reason("first_names", "anders", -1.5, f"Andere voorletters ({_dotted(c.initials)})")
            )
        elif q.initials[:1] == c.initials[:1]:
            reasons.append(Reason("first_names", "lijkt", 1.0, "Zelfde eerste voorletter"))
        else:
            reasons.append(Reason("first_names", "anders", -2.0, "Andere voorletter"))
    q_born = normalize.parse_date(query.get("date_of_birth"))
    c_born = normalize.parse_date(candidate.get("date_of_birth"))
    if q_born and c_born:
        if q_born == c_born:
            reasons.append(Reason("date_of_birth", "gelijk", 5.0, "Geboortedatum gelijk"))
        elif _swapped(q_born) == c_born:
            reasons.append(
                Reason("date_of_birth", "lijkt", 3.0, "Geboortedatum met dag en maand verwisseld")
            )
        elif q_born.year == c_born.year:
            reasons.append(Reason("date_of_birth", "lijkt", 0.5, "Zelfde geboortejaar"))
        else:
            reasons.append(Reason("date_of_birth", "anders", -5.0, "Andere geboortedatum"))
    return _finish(reasons)
