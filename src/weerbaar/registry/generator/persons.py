"""The people behind the companies: owners, partners, directors, families and front men.

People are created per municipality and live at one of its homes. Some start more than one
company (chosen again with a probability that grows with what they already have), partners in
a firm are often family (same surname, same address), and a small national pool of front men
("katvangers") sits on the boards of many companies, mostly at holding addresses.
Each time a person is written as an officer the name may be written a little differently,
as happens when registrations are made years apart.
"""

from __future__ import annotations

import random
from datetime import date

from .names import NameSampler, Person
from .variations import date_variant, given_name_variant, particle_variant, typo

# Chance per written officer row (see docs/registry-generator.md).
OFFICER_VARIATION = {
    "initialen": 0.06,
    "voorvoegsel": 0.04,
    "typfout_achternaam": 0.015,
    "typfout_voornaam": 0.015,
    "geen_geboortedatum": 0.08,
    "geboortedatum_fout": 0.005,
}
REPEAT_OWNER = 0.09


class PersonPool:
    """Creates people on demand and remembers who already holds a role where."""

    def __init__(self, sampler: NameSampler, rng: random.Random, peildatum: date) -> None:
        self.sampler = sampler
        self.rng = rng
        self.peildatum = peildatum
        self.next_pid = 1
        self._batch: list[Person] = []
        self.local_officers: list[Person] = []
        self.front_men: list[Person] = []
        self._front_picks: list[Person] = []
        self._front_boards: dict[int, int] = {}
        self._front_cap: dict[int, int] = {}

    def _draw(self) -> Person:
        if not self._batch:
            self._batch = self.sampler.people(4096, 0, self.peildatum)
            self._batch.reverse()
        person = self._batch.pop()
        person.pid = self.next_pid
        self.next_pid += 1
        return person

    def new_person(self, municipality: str, home: int) -> Person:
        person = self._draw()
        person.municipality = municipality
        person.home = home
        return person

    def start_municipality(self) -> None:
        self.local_officers = []

    def owner(self, municipality: str, home: int) -> Person:
        """A person starting a company: often new, sometimes someone who already has one."""
        if self.local_officers and self.rng.random() < REPEAT_OWNER:
            return self.rng.choice(self.local_officers)
        return self.new_person(municipality, home)

    def relative(self, person: Person) -> Person:
        """A spouse, child or sibling: same address, often the same surname."""
        other = self._draw()
        other.municipality = person.municipality
        other.home = person.home
        same_name = self.rng.random() < 0.7
        if same_name:
            other.particle, other.surname, other.origin = (
                person.particle,
                person.surname,
                person.origin,
            )
        return other

    def make_front_men(self, count: int) -> None:
        self.front_men = [self.new_person("", -1) for _ in range(count)]
        self._front_picks = list(self.front_men)
        self._front_boards = {p.pid: 0 for p in self.front_men}
        self._front_cap = {
            p.pid: min(80, 8 + int(self.rng.paretovariate(1.2) * 6)) for p in self.front_men
        }

    def front_man(self) -> Person | None:
        """Preferential but capped: one with many boards is likelier to get another."""
        if not self._front_picks:
            return None
        person = self.rng.choice(self._front_picks)
        self._front_boards[person.pid] += 1
        if self._front_boards[person.pid] >= self._front_cap[person.pid]:
            self._front_picks = [p for p in self._front_picks if p.pid != person.pid]
        elif self.rng.random() < 0.5:
            self._front_picks.append(person)
        return person

    def remember(self, person: Person) -> None:
        if person.municipality:
            self.local_officers.append(person)


def written(person: Person, rng: random.Random) -> tuple[tuple[str, str, str, str], list[str]]:
    """The officer columns for one appearance of ``person``, and the variations applied."""
    applied: list[str] = []
    first, particle, surname, dob = (
        person.first_names,
        person.particle,
        person.surname,
        person.dob,
    )
    rates = OFFICER_VARIATION
    if rng.random() < rates["initialen"]:
        first = given_name_variant(first, rng)
        applied.append("initialen")
    if particle and rng.random() < rates["voorvoegsel"]:
        if rng.random() < 0.3:
            surname, particle = f"{particle} {surname}", ""
        else:
            particle = particle_variant(particle, rng)
        applied.append("voorvoegsel")
    if rng.random() < rates["typfout_achternaam"]:
        surname = typo(surname, rng)
        applied.append("typfout_achternaam")
    if rng.random() < rates["typfout_voornaam"]:
        first = typo(first, rng)
        applied.append("typfout_voornaam")
    if rng.random() < rates["geen_geboortedatum"]:
        dob = ""
        applied.append("geen_geboortedatum")
    elif rng.random() < rates["geboortedatum_fout"]:
        dob = date_variant(dob, rng)
        applied.append("geboortedatum_fout")
    return (first, particle, surname, dob), applied
