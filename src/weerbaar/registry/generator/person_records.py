"""A person deduplication dataset (``--persons N``): N records of about 0.6·N people.

Like records gathered from several municipal sources over the years: the first record of a
person is mostly clean, later ones carry one to three corruptions (typos, swapped day and
month, missing fields, a move, initials, particle and double-surname variants, now and then
first and last name swapped). Households share surname and address and twins share a date of
birth, so a matcher cannot lean on one field. The rates are in ``CORRUPTIONS`` and in
``docs/registry-generator.md``.
"""

# ruff: noqa: S311 -- fictitious data: reproducible randomness, nothing secret

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from .addresses import PC6_SUFFIXES
from .data import municipalities
from .names import NameSampler, Person, full_surname
from .variations import (
    addition_as_typed,
    date_variant,
    given_name_variant,
    particle_variant,
    typo,
)
from .writer import PERSON_COLUMNS, TRUTH_DIR, TRUTH_PERSON_COLUMNS, CsvSink

CLUSTER_SIZES = (1, 2, 3, 4, 5)
CLUSTER_SHARE = (0.62, 0.20, 0.10, 0.05, 0.03)  # mean 1.67 records per person
FIRST_RECORD_CORRUPTED = 0.2
CORRUPTION_COUNT = ((1, 0.65), (2, 0.3), (3, 0.05))
# Relative weight of each corruption when one is drawn.
CORRUPTIONS = {
    "typfout_achternaam": 12,
    "typfout_voornaam": 10,
    "initialen": 10,
    "roepnaam": 10,
    "voorvoegsel": 8,
    "dubbele_naam": 5,
    "naam_omgedraaid": 2,
    "geboortedatum_fout": 7,
    "geen_geboortedatum": 6,
    "geen_postcode": 6,
    "postcode_fout": 4,
    "verhuisd": 8,
    "huisnummer_fout": 4,
    "toevoeging": 4,
    "geen_woonplaats": 4,
}
HOUSEHOLD = 0.15
TWINS = 0.004
DOUBLE_SURNAME = 0.04


@dataclass
class Resident:
    person: Person
    postcode: str
    number: int
    addition: str
    town: str


@dataclass
class PersonRecordsResult:
    records: int
    persons: int
    seconds: float
    corruptions: Counter[str] = field(default_factory=Counter)


class AddressMaker:
    """Fictitious but consistent addresses: postcode in the municipality's PC4 range."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        table = list(municipalities().values())
        self.towns = [m.town for m in table]
        self.ranges = [(m.pc4_first, m.pc4_last) for m in table]
        self.cumulative = list(np.cumsum([m.population for m in table]))

    def make(self) -> tuple[str, int, str, str]:
        rng = self.rng
        i = rng.choices(range(len(self.towns)), cum_weights=self.cumulative)[0]
        first, last = self.ranges[i]
        postcode = f"{rng.randint(first, last)}{rng.choice(PC6_SUFFIXES)}"
        number = max(1, int(rng.lognormvariate(3.0, 1.0)))
        addition = ""
        if rng.random() < 0.15:
            addition = rng.choice(["a", "b", "1", "2", "3", "H", "A", "bis"])
        return postcode, min(number, 9999), addition, self.towns[i]


def _residents(n_persons: int, seed: int, peildatum: date) -> list[Resident]:
    rng = random.Random(f"persons:{seed}")
    sampler = NameSampler(np.random.default_rng([seed, 11]))
    people = sampler.people(n_persons, 1, peildatum, mean_age=47, sd=18, male_share=0.5)
    extra = sampler.people(max(1, n_persons // 20), 0, peildatum)
    maker = AddressMaker(rng)
    residents: list[Resident] = []
    for i, person in enumerate(people):
        if residents and rng.random() < HOUSEHOLD:
            mate = residents[-1]
            if rng.random() < 0.7:
                person.particle, person.surname = mate.person.particle, mate.person.surname
            if rng.random() < TWINS / HOUSEHOLD:
                person.dob = mate.person.dob
            residents.append(Resident(person, mate.postcode, mate.number, mate.addition, mate.town))
            continue
        if rng.random() < DOUBLE_SURNAME:
            other = extra[i % len(extra)]
            person.surname = f"{person.surname}-{full_surname(other.particle, other.surname)}"
        postcode, number, addition, town = maker.make()
        residents.append(Resident(person, postcode, number, addition, town))
    return residents


def _corrupt(
    row: list[str], resident: Resident, kind: str, rng: random.Random, maker: AddressMaker
) -> bool:
    """Apply one corruption in place; False when it does not apply to this record."""
    person = resident.person
    if kind == "typfout_achternaam":
        row[2] = typo(row[2], rng)
    elif kind == "typfout_voornaam":
        row[0] = typo(row[0], rng)
    elif kind == "initialen":
        row[0] = given_name_variant(person.first_names, rng)
    elif kind == "roepnaam":
        if " " not in row[0]:
            return False
        row[0] = row[0].split()[0]
    elif kind == "voorvoegsel":
        if not row[1]:
            return False
        if rng.random() < 0.35:
            row[1], row[2] = "", f"{row[1]} {row[2]}"
        else:
            row[1] = particle_variant(row[1], rng)
    elif kind == "dubbele_naam":
        if "-" not in row[2]:
            return False
        row[2] = row[2].split("-")[0]
    elif kind == "naam_omgedraaid":
        row[0], row[2] = row[2], row[0].split()[0]
        row[1] = ""
    elif kind == "geboortedatum_fout":
        if not row[3]:
            return False
        row[3] = date_variant(row[3], rng)
    elif kind == "geen_geboortedatum":
        row[3] = ""
    elif kind == "geen_postcode":
        row[4] = ""
    elif kind == "postcode_fout":
        if not row[4]:
            return False
        row[4] = row[4][:4] + rng.choice(PC6_SUFFIXES)
    elif kind == "verhuisd":
        postcode, number, addition, town = maker.make()
        row[4], row[5], row[6], row[7] = postcode, str(number), addition, town
    elif kind == "huisnummer_fout":
        row[5] = str(max(1, int(row[5]) + rng.choice([-2, -1, 1, 2, 10])))
    elif kind == "toevoeging":
        if not row[6]:
            return False
        row[6] = addition_as_typed("", row[6], rng).strip() or row[6]
    elif kind == "geen_woonplaats":
        row[7] = ""
    return True


def generate_person_records(
    out: Path, n: int, seed: int = 1, peildatum: date = date(2026, 11, 1)
) -> PersonRecordsResult:
    started = time.perf_counter()
    rng = random.Random(f"person-records:{seed}")
    sizes: list[int] = []
    total = 0
    while total < n:
        size = min(n - total, rng.choices(CLUSTER_SIZES, CLUSTER_SHARE)[0])
        sizes.append(size)
        total += size
    residents = _residents(len(sizes), seed, peildatum)
    maker = AddressMaker(rng)
    kinds, weights = list(CORRUPTIONS), list(CORRUPTIONS.values())
    counts = [c for c, _ in CORRUPTION_COUNT]
    count_weights = [w for _, w in CORRUPTION_COUNT]
    applied: Counter[str] = Counter()
    records: list[tuple[list[str], str]] = []
    for resident, size in zip(residents, sizes, strict=True):
        person = resident.person
        for k in range(size):
            row = [
                person.first_names,
                person.particle,
                person.surname,
                person.dob,
                resident.postcode,
                str(resident.number),
                resident.addition,
                resident.town,
            ]
            if k == 0:
                todo = 1 if rng.random() < FIRST_RECORD_CORRUPTED else 0
            else:
                todo = rng.choices(counts, count_weights)[0]
            done = 0
            while done < todo:
                kind = rng.choices(kinds, weights)[0]
                if _corrupt(row, resident, kind, rng, maker):
                    applied[kind] += 1
                    done += 1
            records.append((row, person.person_id))
    order = list(range(len(records)))
    rng.shuffle(order)
    with (
        CsvSink(out / "personen.csv", PERSON_COLUMNS) as data,
        CsvSink(out / TRUTH_DIR / "personen.csv", TRUTH_PERSON_COLUMNS) as truth,
    ):
        for position, index in enumerate(order, start=1):
            row, person_id = records[index]
            record_id = f"R{position:08d}"
            data.write([record_id, *row])
            truth.write([record_id, person_id])
    return PersonRecordsResult(
        records=len(records),
        persons=len(sizes),
        seconds=time.perf_counter() - started,
        corruptions=applied,
    )
