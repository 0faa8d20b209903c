"""Which registry records or entities may a subject be? Candidates, scored and explained.

Candidates come from exact keys (KvK number, postcode + house number) and from the blocking
keys in the lookup index (``LookupKey``, built from ``weerbaar.matching.keys``); each is scored by
``weerbaar.matching.compare``, which also says why. Registry records become entities with a key
of their register: ``kvk:<nummer>``, ``bag:<nummeraanduiding>``, ``persoon:<person_key>``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from weerbaar.matching import normalize
from weerbaar.registry.models import Address, Company, Officer
from weerbaar.signals.models.subjects import SubjectFields, SubjectKind

from . import scoring as compare
from . import scoring as keys
from .models import EntityKind, LookupKey

TOP = 10
MAX_POSTINGS = 2000  # a key shared by more records than this is not worth following
SHORTLIST = 200

COMPANY_FIELDS = (
    "pk",
    "kvk_number",
    "branch_number",
    "name",
    "trade_names",
    "legal_form",
    "visit_street",
    "visit_house_number",
    "visit_house_letter",
    "visit_house_number_addition",
    "visit_postcode",
    "visit_town",
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


def _shortlist(key_set: set[str], target: str) -> list[int]:
    """Records sharing the most keys with the query. Each key is read up to a bound; a key
    shared by more records than that says nothing and is left out (one round trip)."""
    if not key_set:
        return []
    table = LookupKey._meta.db_table
    ordered = sorted(key_set)
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
    counted: Counter[int] = Counter()
    for records in postings.values():
        if len(records) <= MAX_POSTINGS:
            counted.update(records)
    return [record for record, _n in counted.most_common(SHORTLIST)]


def _companies(subject: SubjectFields) -> list[Candidate]:
    query = {"name": subject.name, "kvk_number": subject.kvk_number, **_address_query(subject)}
    ids = set(
        _shortlist(
            keys.company_keys(subject.name, query["postcode"] or None, subject.house_number),
            LookupKey.Target.COMPANY,
        )
    )
    rows = Company.objects.filter(pk__in=ids) if ids else Company.objects.none()
    extra = Company.objects.none()
    if subject.kvk_number:
        extra = Company.objects.filter(kvk_number=subject.kvk_number)
    if query["postcode"] and subject.house_number:
        extra = extra | Company.objects.filter(
            visit_postcode=query["postcode"], visit_house_number=subject.house_number
        )
    best: dict[str, Candidate] = {}
    for row in (rows | extra).values(*COMPANY_FIELDS)[: SHORTLIST * 2]:
        found = _score_company(query, row)
        if found.key not in best or found.score > best[found.key].score:
            best[found.key] = found
    return list(best.values())


def _score_company(query: dict[str, Any], row: dict[str, Any]) -> Candidate:
    base = {
        "kvk_number": row["kvk_number"],
        "street": row["visit_street"],
        "house_number": row["visit_house_number"],
        "house_letter": row["visit_house_letter"],
        "house_number_addition": row["visit_house_number_addition"],
        "postcode": row["visit_postcode"],
        "town": row["visit_town"],
    }
    names = [row["name"], *[n for n in row["trade_names"].split("|") if n]]
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
    if not (query["postcode"] and subject.house_number):
        return []
    found = []
    for address in Address.objects.filter(
        postcode=query["postcode"], house_number=subject.house_number
    )[:50]:
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


def _persons(subject: SubjectFields) -> list[Candidate]:
    if not subject.name:
        return []
    first, prefix, surname = normalize.split_person_name(subject.name)
    query = {
        "first_names": first,
        "surname_prefix": prefix,
        "surname": surname,
        "date_of_birth": subject.date_of_birth,
        **_address_query(subject),
    }
    key_set = keys.person_keys(first, prefix, surname, subject.date_of_birth, None)
    ids = _shortlist(key_set, LookupKey.Target.OFFICER)
    best: dict[str, Candidate] = {}
    for row in Officer.objects.filter(pk__in=ids).values(*OFFICER_FIELDS):
        match = compare.compare_person(query, row)
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
        plate = normalize.normalize_plate(subject.licence_plate) or subject.licence_plate
        return "kenteken:" + plate.replace("-", "").upper()
    return f"lokaal:{subject.match_key}" if subject.match_key else ""


LOCAL_KIND = {
    SubjectKind.PERSON: EntityKind.PERSON,
    SubjectKind.COMPANY: EntityKind.ORGANISATION,
    SubjectKind.ADDRESS: EntityKind.ADDRESS,
    SubjectKind.VEHICLE: EntityKind.VEHICLE,
    SubjectKind.VESSEL: EntityKind.VESSEL,
}
