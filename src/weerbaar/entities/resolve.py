"""Which registry records or entities may a subject be? Candidates, scored and explained.

Candidates come from exact keys (KvK number, postcode + house number), from the streets a
street name may mean when the postcode is missing, and from the lookup index (``LookupKey``:
the keys of ``scoring.company_keys``/``person_keys``/``street_keys``); each is scored by
``scoring.compare_*``, which also says why. Registry records become entities with a key of
their register: ``kvk:<nummer>``, ``bag:<nummeraanduiding>``, ``persoon:<person_key>``.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Q

from weerbaar.matching import normalize
from weerbaar.registry.models import Address, Company, Officer
from weerbaar.signals.models.subjects import SubjectFields, SubjectKind

from . import scoring as compare
from . import scoring as keys
from .models import EntityKind, LookupKey

TOP = 10
MAX_POSTINGS = 1000  # a key shared by more records than this is not worth following
SHORTLIST = 60  # records per subject taken from the lookup index
WIDER = 240  # more records from the index when none of the shortlist fits (score < WEAK)
WEAK = 0.3
MAX_STREETS = 100  # streets (each with its postcodes) a street name without postcode may mean
MAX_SCORED = 200  # registry rows scored per subject at most
MAX_AT_ADDRESS = 50  # companies at one address whose officers are considered
# How much a shared key counts, by tag (see scoring's keys): a date of birth or an address
# says more than a piece of a name.
KEY_WEIGHT = {"pd:": 3.0, "ca:": 3.0, "ct:": 2.0, "py:": 1.5, "pm:": 1.5}

ADDRESS_FIELDS = (
    "street",
    "house_number",
    "house_letter",
    "house_number_addition",
    "postcode",
    "town",
)
COMPANY_FIELDS = (
    "pk",
    "kvk_number",
    "branch_number",
    "name",
    "trade_names",
    "legal_form",
    *(f"{where}_{field}" for where in ("visit", "postal") for field in ADDRESS_FIELDS),
    "dissolved",
)
OFFICER_FIELDS = (
    "pk",
    "kvk_number",
    "first_names",
    "surname_prefix",
    "surname",
    "date_of_birth",
    "person_key",
)


@dataclass
class Candidate:
    key: str
    kind: str
    label: str
    score: float
    confidence: str
    reasons: list[dict[str, Any]] = field(default_factory=list)
    registry: bool = True


def candidates(subject: SubjectFields, limit: int = TOP) -> list[Candidate]:
    finder = _FINDERS.get(subject.kind)
    found = finder(subject) if finder else []
    found.sort(key=lambda c: (-c.score, c.label))
    return found[:limit]


def _as_candidate(key: str, kind: str, label: str, match: Any) -> Candidate:
    return Candidate(
        key=key,
        kind=kind,
        label=label,
        score=round(float(match.score), 4),
        confidence=str(match.confidence),
        reasons=[
            {"field": r.field, "outcome": r.outcome, "weight": r.weight, "text": r.text_nl}
            for r in match.reasons
        ],
    )


def _address_query(subject: SubjectFields) -> dict[str, Any]:
    return {
        "street": subject.street,
        "house_number": subject.house_number,
        "house_number_addition": subject.house_number_addition,
        "postcode": normalize.normalize_postcode(subject.postcode) or "",
        "town": subject.city,
    }


def _shortlist(key_set: set[str], target: str, size: int | None = None) -> list[int]:
    """Records sharing the most telling keys with the query, best first (one round trip).

    Each key is read up to a bound: a key shared by more records than that says nothing and
    is left out. A key counts less the more records share it (1 / log2(1 + n)); a date of
    birth or an address counts more than a part of a name.
    """
    if not key_set:
        return []
    table = LookupKey._meta.db_table
    ordered = sorted({key[: LookupKey.KEY_LENGTH] for key in key_set})
    part = f"SELECT key, record_id FROM (SELECT key, record_id FROM {table} WHERE key = %s AND target = %s LIMIT {MAX_POSTINGS + 1})"  # noqa: S608 - table from _meta, values as parameters
    sql = " UNION ALL ".join(f"{part} AS k{n}" for n in range(len(ordered)))
    params: list[str] = []
    for key in ordered:
        params += [key, target]
    postings: dict[str, list[int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for key, record in cursor.fetchall():
            postings.setdefault(key, []).append(record)
    weights: dict[int, float] = {}
    for key, records in postings.items():
        if len(records) <= MAX_POSTINGS:
            weight = KEY_WEIGHT.get(key[:3], 1.0) / math.log2(1 + len(records))
            for record in records:
                weights[record] = weights.get(record, 0.0) + weight
    return heapq.nlargest(size or SHORTLIST, weights, key=weights.__getitem__)


def _postcodes(subject: SubjectFields) -> list[str]:
    """The postcode as given, or those of the streets the street and town may mean."""
    postcode = normalize.normalize_postcode(subject.postcode)
    if postcode:
        return [postcode]
    if not (subject.street and subject.house_number):
        return []
    ids = _shortlist(
        keys.street_keys(subject.street, subject.city, query=True),
        LookupKey.Target.STREET,
        size=MAX_STREETS,
    )
    if not ids:
        return []
    return sorted(set(Address.objects.filter(pk__in=ids).values_list("postcode", flat=True)))


def _companies(subject: SubjectFields) -> list[Candidate]:
    """By name (lookup index), KvK number and address: the visiting address, or the postal
    address of a company without one (index keys ``ca:``)."""
    query = {"name": subject.name, "kvk_number": subject.kvk_number, **_address_query(subject)}
    postcodes = _postcodes(subject)
    number = subject.house_number
    key_set = keys.company_keys(subject.name, subject.city, query=True)
    key_set |= {keys.company_address_key(pc, number) for pc in postcodes if number}
    ranked = _shortlist(key_set, LookupKey.Target.COMPANY, size=SHORTLIST + WIDER)
    ids = ranked[:SHORTLIST]
    wanted = Q(pk__in=ids)
    if subject.kvk_number:
        wanted |= Q(kvk_number=subject.kvk_number.replace(" ", ""))
    rows = list(Company.objects.filter(wanted).values(*COMPANY_FIELDS))
    if postcodes and number:
        # Apart, so that an address with hundreds of companies cannot crowd out the names.
        here = Company.objects.filter(visit_postcode__in=postcodes, visit_house_number=number)
        rows += here.exclude(pk__in=ids).values(*COMPANY_FIELDS)[:MAX_SCORED]
    best: dict[str, Candidate] = {}
    _score_companies(query, rows, best)
    if len(ranked) > SHORTLIST and max((c.score for c in best.values()), default=0) < WEAK:
        # Nothing fits: a typo left only common name halves, shared by hundreds of names
        # that weigh the same. Score the next ones of the index too (rare, so cheap overall).
        more = Company.objects.filter(pk__in=ranked[SHORTLIST:]).values(*COMPANY_FIELDS)
        _score_companies(query, more, best)
    return list(best.values())


def _score_companies(query: dict[str, Any], rows: Any, best: dict[str, Candidate]) -> None:
    for row in rows:
        found = _score_company(query, row)
        if found.key not in best or found.score > best[found.key].score:
            best[found.key] = found


def _score_company(query: dict[str, Any], row: dict[str, Any]) -> Candidate:
    where = "visit" if row["visit_postcode"] or row["visit_street"] else "postal"
    base = {
        "kvk_number": row["kvk_number"],
        **{field: row[f"{where}_{field}"] for field in ADDRESS_FIELDS},
    }
    names = dict.fromkeys([row["name"], *[n for n in row["trade_names"].split("|") if n]])
    match = max(
        (compare.compare_company(query, {**base, "name": name}) for name in names),
        key=lambda m: m.score,
    )
    label = f"{row['name']} (KvK {row['kvk_number']})"
    if row["dissolved"]:
        label += " — opgeheven"
    return _as_candidate(f"kvk:{row['kvk_number']}", EntityKind.ORGANISATION, label, match)


def _addresses(subject: SubjectFields) -> list[Candidate]:
    query = _address_query(subject)
    postcodes = _postcodes(subject)
    if not (postcodes and subject.house_number):
        return []
    found = []
    for address in Address.objects.filter(
        postcode__in=postcodes, house_number=subject.house_number
    )[:MAX_SCORED]:
        candidate = {
            "street": address.street,
            "house_number": address.house_number,
            "house_letter": address.house_letter,
            "house_number_addition": address.house_number_addition,
            "postcode": address.postcode,
            "town": address.town,
        }
        match = compare.compare_address(query, candidate)
        key = f"bag:{address.number_designation_id}"
        found.append(_as_candidate(key, EntityKind.ADDRESS, str(address), match))
    return found


def _name_readings(name: str) -> list[tuple[str, str, str]]:
    """First names, particle and surname; without a particle, also with the word before the
    surname as part of it ("Mourad El Moussaoui": surname "El Moussaoui")."""
    first, prefix, surname = normalize.split_person_name(name)
    readings = [(first, prefix, surname)]
    words = first.split()
    if not prefix and len(words) > 1 and " " not in surname and _written_out(words[-1]):
        readings.append((" ".join(words[:-1]), "", f"{words[-1]} {surname}"))
    # "P Tjon A Fong": a written-out word followed by a single letter starts a surname of
    # several words (initials come before written-out names, not after them).
    for i in range(1, len(words)):
        if len(words[i]) == 1 and words[i].isalpha() and _written_out(words[i - 1]):
            readings.append((" ".join(words[: i - 1]), "", " ".join([*words[i - 1 :], surname])))
            break
    return readings


def _written_out(word: str) -> bool:
    return len(word) > 1 and "." not in word and not word.isupper()


def _persons(subject: SubjectFields) -> list[Candidate]:
    """Officers by name and date of birth, the officers of companies at the subject's
    address (people often register a company at home) and of the company the subject names
    (a person's KvK number: the company they are with); grouped into persons."""
    if not subject.name:
        return []
    address = _address_query(subject)
    queries = [
        {
            "first_names": first,
            "surname_prefix": prefix,
            "surname": surname,
            "date_of_birth": subject.date_of_birth,
            **address,
        }
        for first, prefix, surname in _name_readings(subject.name)
    ]
    key_set: set[str] = set()
    for query in queries:
        key_set |= keys.person_keys(
            query["first_names"],
            query["surname_prefix"],
            query["surname"],
            subject.date_of_birth,
            query=True,
        )
    rows = list(
        Officer.objects.filter(pk__in=_shortlist(key_set, LookupKey.Target.OFFICER)).values(
            *OFFICER_FIELDS
        )
    )
    postcodes = _postcodes(subject)
    if postcodes and subject.house_number:
        here = set(
            Company.objects.filter(
                visit_postcode__in=postcodes, visit_house_number=subject.house_number
            ).values_list("kvk_number", flat=True)[:MAX_AT_ADDRESS]
        )
        seen = {row["pk"] for row in rows}
        rows += [
            row
            for row in Officer.objects.filter(kvk_number__in=here).values(*OFFICER_FIELDS)
            if row["pk"] not in seen
        ]
        for row in rows:
            row["at_address"] = row["kvk_number"] in here
    company = subject.kvk_number.replace(" ", "") if subject.kvk_number else ""
    if company:
        seen = {row["pk"] for row in rows}
        rows += [
            row
            for row in Officer.objects.filter(kvk_number=company).values(*OFFICER_FIELDS)
            if row["pk"] not in seen
        ]
        for row in rows:
            row["of_company"] = row["kvk_number"] == company
    best: dict[str, Candidate] = {}
    for row in rows:
        match = max((compare.compare_person(q, row) for q in queries), key=lambda m: m.score)
        person = row["person_key"] or f"f{row['pk']}"
        name = " ".join(p for p in (row["first_names"], row["surname_prefix"], row["surname"]) if p)
        if row["date_of_birth"]:
            name += f" (geb. {row['date_of_birth']:%d-%m-%Y})"
        found = _as_candidate(f"persoon:{person}", EntityKind.PERSON, name, match)
        if person not in best or found.score > best[person].score:
            best[person] = found
    return list(best.values())


_FINDERS: dict[str, Callable[[SubjectFields], list[Candidate]]] = {
    SubjectKind.COMPANY: _companies,
    SubjectKind.ADDRESS: _addresses,
    SubjectKind.PERSON: _persons,
}


def local_key(subject: SubjectFields) -> str:
    """The key of an entity known only from signals and cases (no register holds it)."""
    if subject.kind == SubjectKind.VEHICLE and subject.licence_plate:
        # A plate that is not Dutch keeps its letters and digits only: a key goes into URLs.
        plate = normalize.normalize_plate(subject.licence_plate) or subject.licence_plate
        if squashed := re.sub(r"[^0-9A-Z]", "", plate.upper()):
            return "kenteken:" + squashed
    return f"lokaal:{subject.match_key}" if subject.match_key else ""


LOCAL_KIND = {
    SubjectKind.PERSON: EntityKind.PERSON,
    SubjectKind.COMPANY: EntityKind.ORGANISATION,
    SubjectKind.ADDRESS: EntityKind.ADDRESS,
    SubjectKind.VEHICLE: EntityKind.VEHICLE,
    SubjectKind.VESSEL: EntityKind.VESSEL,
}
