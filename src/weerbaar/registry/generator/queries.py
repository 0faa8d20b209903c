"""Corrupted "signal subject" records with their true key: the lookup benchmark's questions.

A municipal employee types a company, a person or an address from a report: the trade name
instead of the registered name, no legal form, a typo, no postcode, an old address, "12-2"
for 12 addition 2, "v.d." for "van der", initials for first names. Samples of true records
are drawn uniformly while the registers are written (bottom-k sampling, constant memory).
"""

# ruff: noqa: S311 -- fictitious data: reproducible randomness, nothing secret

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .addresses import AddressRecord
from .names import Person, full_surname
from .variations import (
    abbreviate_street,
    addition_as_typed,
    date_variant,
    given_name_variant,
    legal_form_variant,
    particle_variant,
    postcode_as_typed,
    strip_legal_form,
    typo,
)

T = TypeVar("T")
KIND_SHARE = (("bedrijf", 0.4), ("persoon", 0.3), ("adres", 0.3))
# Of the persons without a date of birth, the share mentioned with nothing that identifies
# them (no business address, no company): left in on purpose and reported apart.
GENUINELY_AMBIGUOUS = 0.1


class BottomK(Generic[T]):
    """A uniform sample of ``k`` items from a stream of unknown length."""

    def __init__(self, k: int, rng: random.Random) -> None:
        self.k = k
        self.rng = rng
        self._heap: list[tuple[float, int, T]] = []
        self._count = itertools.count()

    def offer(self, make: Callable[[], T]) -> None:
        """``make`` builds the item only when it is kept, so offering stays cheap."""
        key = self.rng.random()
        if len(self._heap) < self.k:
            heapq.heappush(self._heap, (-key, next(self._count), make()))
        elif key < -self._heap[0][0]:
            heapq.heapreplace(self._heap, (-key, next(self._count), make()))

    def items(self) -> list[T]:
        return [item for _, _, item in sorted(self._heap, key=lambda e: (-e[0], e[1]))]

    def merge(self, other: BottomK[T]) -> None:
        """Keep the ``k`` smallest keys of both samples: still a uniform sample of the union."""
        for negative_key, _, item in other._heap:
            if len(self._heap) < self.k:
                heapq.heappush(self._heap, (negative_key, next(self._count), item))
            elif -negative_key < -self._heap[0][0]:
                heapq.heapreplace(self._heap, (negative_key, next(self._count), item))

    def __getstate__(self) -> dict[str, object]:
        return {"k": self.k, "heap": self._heap}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.k = state["k"]  # type: ignore[assignment]
        self._heap = state["heap"]  # type: ignore[assignment]
        self._count = itertools.count(len(self._heap))
        self.rng = random.Random(0)


@dataclass
class CompanySample:
    kvk: str
    branch: str
    name: str
    trade_names: list[str]
    legal: str
    address: AddressRecord
    previous: AddressRecord | None


@dataclass
class PersonSample:
    person: Person
    home: AddressRecord | None
    previous: AddressRecord | None
    company_kvk: str = ""  # a company of theirs
    company_address: AddressRecord | None = None  # its visiting address, if it has one


@dataclass
class Samples:
    companies: BottomK[CompanySample]
    persons: BottomK[PersonSample]
    addresses: BottomK[AddressRecord]

    @classmethod
    def create(cls, k: int, rng: random.Random) -> Samples:
        return cls(BottomK(k, rng), BottomK(k, rng), BottomK(k, rng))

    def merge(self, other: Samples) -> None:
        self.companies.merge(other.companies)
        self.persons.merge(other.persons)
        self.addresses.merge(other.addresses)


def _address_fields(
    address: AddressRecord | None, rng: random.Random, applied: list[str], rates: dict[str, float]
) -> list[str]:
    if address is None:
        return ["", "", "", "", ""]
    street = address.street
    if rng.random() < rates.get("straat", 0.1):
        street = abbreviate_street(street, rng) if rng.random() < 0.5 else typo(street, rng)
        applied.append("straat_variant")
    addition = addition_as_typed(address.letter, address.addition, rng)
    if addition and addition not in (address.letter, address.addition):
        applied.append("toevoeging_variant")
    postcode = postcode_as_typed(address.postcode, rng)
    town = address.town
    if rng.random() < rates.get("geen_postcode", 0.25):
        # Without a postcode the town stays: "Kerkplein 19" alone is not how an address is
        # written down, "Kerkplein 19, Tilburg" is.
        postcode = ""
        applied.append("geen_postcode")
    elif rng.random() < rates.get("geen_plaats", 0.15):
        town = ""
        applied.append("geen_plaats")
    elif rng.random() < 0.05:
        town = town.upper()
    return [street, str(address.number), addition, postcode, town]


def company_query(sample: CompanySample, rng: random.Random) -> tuple[list[str], list[str]]:
    applied: list[str] = []
    name = sample.name
    others = [t for t in sample.trade_names if t != sample.name]
    if others and rng.random() < 0.3:
        name = rng.choice(others)
        applied.append("handelsnaam")
    stripped = strip_legal_form(name)
    if stripped != name:
        r = rng.random()
        if r < 0.35:
            name = stripped
            applied.append("zonder_rechtsvorm")
        elif r < 0.6:
            name = legal_form_variant(name, sample.legal if sample.legal != "vof" else "vof", rng)
            applied.append("rechtsvorm_variant")
    elif rng.random() < 0.08:
        name = f"{name} {rng.choice(['BV', 'B.V.', 'VOF', 'Holding'])}"
        applied.append("met_rechtsvorm")
    if rng.random() < 0.2:
        name = typo(name, rng)
        applied.append("typfout")
    if rng.random() < 0.1:
        name = name.lower()
        applied.append("kleine_letters")
    address: AddressRecord | None = sample.address
    if sample.previous is not None and rng.random() < 0.07:
        address = sample.previous
        applied.append("verhuisd")
    elif rng.random() < 0.08:
        address = None
        applied.append("geen_adres")
    fields = _address_fields(address, rng, applied, {"geen_postcode": 0.25})
    return [name, "", *fields, ""], applied


def person_query(sample: PersonSample, rng: random.Random) -> tuple[list[str], list[str]]:
    applied: list[str] = []
    person = sample.person
    first = person.first_names
    r = rng.random()
    if r < 0.3:
        first = first.split()[0]
        applied.append("roepnaam")
    elif r < 0.55:
        first = given_name_variant(person.first_names, rng)
        applied.append("initialen")
    particle = person.particle
    if particle and rng.random() < 0.45:
        particle = particle_variant(particle, rng)
        applied.append("voorvoegsel")
    surname = person.surname
    if rng.random() < 0.15:
        surname = typo(surname, rng)
        applied.append("typfout")
    name = f"{first} {full_surname(particle, surname)}"
    dob = person.dob
    context, company_address = "", None
    if rng.random() < 0.3:
        dob = ""
        applied.append("geen_geboortedatum")
        context, company_address = _person_context(sample, rng, applied)
    elif rng.random() < 0.06:
        dob = date_variant(dob, rng)
        applied.append("geboortedatum_fout")
    address = sample.home
    if company_address is not None:
        address = company_address
    elif sample.previous is not None and rng.random() < 0.1:
        address = sample.previous
        applied.append("verhuisd")
    elif rng.random() < 0.3:
        address = None
        applied.append("geen_adres")
    fields = _address_fields(address, rng, applied, {"geen_postcode": 0.3})
    return [name, dob, *fields, context], applied


def _person_context(
    sample: PersonSample, rng: random.Random, applied: list[str]
) -> tuple[str, AddressRecord | None]:
    """What a signal names a person with when it does not know the date of birth: the
    address of their business (the snackbar, the office) or the company itself (its KvK
    number). A few queries keep only the name: genuinely ambiguous, labelled ``geen_context``.
    """
    r = rng.random()
    if r < GENUINELY_AMBIGUOUS or not sample.company_kvk:
        applied.append("geen_context")
        return "", None
    if sample.company_address is not None and r < 0.6:
        applied.append("adres_bedrijf")
        return "", sample.company_address
    applied.append("bij_bedrijf")
    return sample.company_kvk, None


def address_query(address: AddressRecord, rng: random.Random) -> tuple[list[str], list[str]]:
    applied: list[str] = []
    fields = _address_fields(
        address, rng, applied, {"straat": 0.2, "geen_postcode": 0.3, "geen_plaats": 0.2}
    )
    return ["", "", *fields, ""], applied


def build_queries(samples: Samples, count: int, rng: random.Random) -> list[list[str]]:
    """``count`` queries in the column order of ``writer.QUERY_COLUMNS``."""
    pools: dict[str, list[Any]] = {
        "bedrijf": samples.companies.items(),
        "persoon": samples.persons.items(),
        "adres": samples.addresses.items(),
    }
    kinds = [kind for kind, _ in KIND_SHARE if pools[kind]]
    weights = [share for kind, share in KIND_SHARE if pools[kind]]
    rows: list[list[str]] = []
    for number in range(1, count + 1):
        kind = rng.choices(kinds, weights)[0]
        pool = pools[kind]
        item = pool[rng.randrange(len(pool))]
        keys = ["", "", "", ""]
        if isinstance(item, CompanySample):
            fields, applied = company_query(item, rng)
            keys[0], keys[1] = item.kvk, item.branch
        elif isinstance(item, PersonSample):
            fields, applied = person_query(item, rng)
            keys[2] = item.person.person_id
        else:
            fields, applied = address_query(item, rng)
            keys[3] = item.nd_id
        rows.append([f"Q{number:06d}", kind, *fields, *keys, "|".join(applied)])
    return rows
