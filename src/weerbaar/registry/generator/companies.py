"""KvK registrations for one municipality: companies, their branches and their officers.

Branches follow their trade: shops and horeca in business streets, workshops on the estate,
freelancers at home, holdings at the owner's home or at a "holding address" where tens of
companies are registered. Directors of BVs often own a holding too; a few national chains
open branches everywhere; front men sit on many boards.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial
from typing import Any

import numpy as np

from .addresses import (
    FARM,
    HOME,
    INDUSTRY,
    OFFICE,
    PC6_SUFFIXES,
    SHOP,
    AddressBlock,
    AddressRecord,
)
from .data import sbi_groups
from .legal import NO_BRANCH, PROFILES, officer_roles, written_form
from .names import Person
from .naming import CompanyNamer
from .persons import PersonPool, written
from .queries import CompanySample, PersonSample, Samples
from .variations import abbreviate_street, typo
from .writer import CsvSink

PLACEMENT = {
    "horeca": ((SHOP, 0.88), (HOME, 0.07), (INDUSTRY, 0.05)),
    "winkel": ((SHOP, 0.85), (HOME, 0.12), (OFFICE, 0.03)),
    "thuis": ((HOME, 0.8), (OFFICE, 0.15), (SHOP, 0.05)),
    "industrie": ((INDUSTRY, 0.65), (HOME, 0.2), (FARM, 0.1), (OFFICE, 0.05)),
    "kantoor": ((OFFICE, 0.6), (HOME, 0.35), (SHOP, 0.05)),
    "landelijk": ((FARM, 0.85), (HOME, 0.15)),
    "holding": ((HOME, 0.65), (OFFICE, 0.35)),
    "woon": ((HOME, 0.6), (OFFICE, 0.25), (SHOP, 0.15)),
}
_PLACEMENT_CUM = {
    key: ([c for c, _ in options], list(itertools.accumulate(w for _, w in options)))
    for key, options in PLACEMENT.items()
}
HUB_GROUPS = {"holding", "vastgoed", "groothandel", "financieel", "personeel"}
CHAIN_GROUPS = {
    "supermarkt",
    "snackbar",
    "restaurant",
    "kapper",
    "telecom",
    "detailhandel",
    "autohandel",
    "personeel",
    "sport",
    "logies",
    "nagelstudio",
}
# Rates (documented in docs/registry-generator.md).
DISSOLVED = 0.03
OWN_HOLDING = 0.25
SECOND_BRANCH = 0.04
NEW_CHAIN = 0.01
CHAIN_BRANCHES = 0.008
SBI_OTHER = 0.25
ADDRESS_VARIATION = (
    ("afkorting", 0.03),
    ("typfout", 0.01),
    ("toevoeging", 0.02),
    ("geen_postcode", 0.015),
    ("verouderd", 0.015),
)
KVK_MULTIPLIER = 7_368_791
BRANCH_MULTIPLIER = 4_294_967_291


@dataclass
class Company:
    """One KvK number (the legal entity or sole proprietorship)."""

    kvk: str
    legal: str
    legal_written: str
    name: str
    trade_names: list[str]
    group: dict[str, Any]
    sbi_main: str
    sbi_other: list[str]
    registered: date
    started: date
    ended: date | None
    officers: list[tuple[Person, str, date]] = field(default_factory=list)


@dataclass
class Hub:
    index: int
    capacity: int
    used: int = 0


class Numbers:
    """Unique, random-looking KvK and branch numbers from a counter (an affine permutation)."""

    def __init__(
        self, seed: int, stream: int = 0, streams: int = 1, kvk_next: int = 0, branch_next: int = 0
    ) -> None:
        # Parallel parts of a run each use their own residue class of the counter.
        self.stream, self.streams = stream, streams
        self.kvk_offset = (seed * 1_234_577) % 90_000_000
        self.branch_offset = (seed * 98_765_431) % 90_000_000_000
        self.kvk_next = kvk_next
        self.branch_next = branch_next

    def kvk(self) -> str:
        index = self.kvk_next * self.streams + self.stream
        value = 10_000_000 + (index * KVK_MULTIPLIER + self.kvk_offset) % 90_000_000
        self.kvk_next += 1
        return f"{value:08d}"

    def branch(self) -> str:
        index = self.branch_next * self.streams + self.stream
        raw = index * BRANCH_MULTIPLIER + self.branch_offset
        value = 1_000_000_000 + raw % 90_000_000_000
        self.branch_next += 1
        return f"{value:012d}"


class CompanyFactory:
    """Writes the companies of one municipality after another, sharing people and chains."""

    def __init__(
        self,
        pool: PersonPool,
        rng: random.Random,
        numbers: Numbers,
        peildatum: date,
        sinks: dict[str, CsvSink],
        samples: Samples,
    ) -> None:
        self.pool = pool
        self.rng = rng
        self.numbers = numbers
        self.peildatum = peildatum
        self.sinks = sinks
        self.samples = samples
        self.namer = CompanyNamer(rng, self._other_first_name)
        self.chains: list[Company] = []
        groups = sbi_groups()
        self._choices = [(g, code) for g in groups for code in g["codes"]]
        weights = np.array([g["codes"][code] for g, code in self._choices], dtype=float)
        self._p = weights / weights.sum()
        self.rows = 0
        self.officer_rows = 0
        self._call_names: dict[str, list[str]] = {}

    def _other_first_name(self, gender: str) -> str:
        if not self._call_names:
            for person in self.pool.sampler.people(2000, 0, self.peildatum, male_share=0.5):
                self._call_names.setdefault(person.gender, []).append(person.first_names.split()[0])
        return self.rng.choice(self._call_names[gender])

    # -- placing -------------------------------------------------------------------------

    def _address(self, block: AddressBlock, category: int) -> int:
        indices = block.by_category.get(category)
        if indices is None or len(indices) == 0:
            indices = block.by_category.get(HOME)
        if indices is None or len(indices) == 0:
            return self.rng.randrange(len(block))
        return int(indices[self.rng.randrange(len(indices))])

    def _place(self, block: AddressBlock, placement: str) -> tuple[int, int]:
        categories, cumulative = _PLACEMENT_CUM[placement]
        category = self.rng.choices(categories, cum_weights=cumulative)[0]
        return self._address(block, category), category

    def _hub(self, hubs: list[Hub]) -> Hub | None:
        open_hubs = [h for h in hubs if h.used < h.capacity]
        if not open_hubs:
            return None
        hungry = [h for h in open_hubs if h.used < 20]
        if hungry and self.rng.random() < 0.9:
            return self.rng.choice(hungry)
        return self.rng.choice(open_hubs) if self.rng.random() < 0.35 else None

    # -- dates ---------------------------------------------------------------------------

    def _dates(self, legal: str) -> tuple[date, date, date | None]:
        rng = self.rng
        mean = 20.0 if legal in ("stichting", "vereniging") else 9.0
        age = min(60.0, rng.expovariate(1 / mean))
        registered = self.peildatum - timedelta(days=int(age * 365.25) + 1)
        started = (
            registered - timedelta(days=rng.randint(0, 60)) if rng.random() < 0.3 else registered
        )
        ended = None
        if rng.random() < DISSOLVED:
            span = (self.peildatum - registered).days
            ended = registered + timedelta(days=rng.randint(1, max(1, span - 1)))
        return registered, started, ended

    # -- one municipality ----------------------------------------------------------------

    def municipality(self, block: AddressBlock, n_rows: int) -> None:
        rng = self.rng
        self.pool.start_municipality()
        self.namer.start_municipality()
        n_hubs = 0 if n_rows < 200 else max(1, round(n_rows / 1500))
        hubs = [
            Hub(self._address(block, OFFICE), min(400, 20 + int(rng.paretovariate(1.3) * 10)))
            for _ in range(n_hubs)
        ]
        done = 0
        chain_rows = int(n_rows * CHAIN_BRANCHES) if self.chains else 0
        for _ in range(chain_rows):
            chain = rng.choice(self.chains)
            index, _category = self._place(block, PLACEMENT_FOR_CHAIN)
            self._write_branch(chain, block, index, has_branch=True)
            done += 1
        picks = np.random.default_rng(rng.getrandbits(64)).choice(
            len(self._choices), size=max(n_rows, 1), p=self._p
        )
        k = 0
        while done < n_rows:
            group, code = self._choices[int(picks[k % len(picks)])]
            k += 1
            done += self._company(block, group, code, hubs, n_rows - done)

    def _company(
        self, block: AddressBlock, group: dict[str, Any], code: str, hubs: list[Hub], room: int
    ) -> int:
        rng = self.rng
        profile = PROFILES[group["rechtsvorm"]]
        legal = rng.choices(list(profile), list(profile.values()))[0]
        hub = None
        if group["naam"] in HUB_GROUPS and legal in ("bv", "nv", "stichting"):
            hub = self._hub(hubs)
        if hub is not None:
            index, category = hub.index, OFFICE
            hub.used += 1
        else:
            index, category = self._place(block, group["locatie"])
        home = index if category == HOME else self._address(block, HOME)
        officers = self._officers(legal, block, home, at_hub=hub is not None)
        owner = officers[0][0]
        record = block.record(index)
        trade = self.namer.trade_name(group, code, owner, record.town, record.street, record.number)
        name = self.namer.registered_name(
            legal, trade, group, owner, [p for p, _ in officers], record.town
        )
        trade_names = [trade] if trade == name else [trade, name] if rng.random() < 0.5 else [trade]
        if rng.random() < 0.1:
            extra = self.namer.trade_name(
                group, code, owner, record.town, record.street, record.number
            )
            if extra not in trade_names:
                trade_names.append(extra)
        registered, started, ended = self._dates(legal)
        other = [c for c in group["codes"] if c != code]
        sbi_other = (
            rng.sample(other, min(len(other), rng.randint(1, 2)))
            if other and rng.random() < SBI_OTHER
            else []
        )
        company = Company(
            kvk=self.numbers.kvk(),
            legal=legal,
            legal_written=written_form(legal, rng),
            name=name,
            trade_names=trade_names,
            group=group,
            sbi_main=code,
            sbi_other=sbi_other,
            registered=registered,
            started=started,
            ended=ended,
        )
        company.officers = [
            (person, role, started if i == 0 or rng.random() < 0.8 else self._later(registered))
            for i, (person, role) in enumerate(officers)
        ]
        has_branch = not (rng.random() < NO_BRANCH.get(legal, 0.0)) or hub is not None
        self._write_company(company, block, index, has_branch, record)
        rows = 1
        if legal == "bv" and group["naam"] in CHAIN_GROUPS:
            if rows < room and rng.random() < SECOND_BRANCH:
                self._write_branch(company, block, self._place(block, group["locatie"])[0], True)
                rows += 1
            if rng.random() < NEW_CHAIN:
                self.chains.append(company)
        if (
            legal == "bv"
            and group["naam"] != "holding"
            and rows < room
            and rng.random() < OWN_HOLDING
        ):
            rows += self._holding(owner, block, registered)
        return rows

    def _later(self, registered: date) -> date:
        span = max(1, (self.peildatum - registered).days)
        return registered + timedelta(days=self.rng.randint(0, span))

    def _officers(
        self, legal: str, block: AddressBlock, home: int, at_hub: bool
    ) -> list[tuple[Person, str]]:
        rng = self.rng
        roles = officer_roles(legal, rng)
        result: list[tuple[Person, str]] = []
        code = block.info.code
        for i, role in enumerate(roles):
            person: Person | None = None
            if legal in ("bv", "nv", "stichting") and rng.random() < (0.4 if at_hub else 0.008):
                person = self.pool.front_man()
            family_firm = legal in ("vof", "maatschap", "cv", "eenmanszaak")
            if person is None and i > 0 and family_firm and rng.random() < 0.6:
                person = self.pool.relative(result[0][0])
            if person is None:
                person = self.pool.owner(code, home if i == 0 else self._address(block, HOME))
            if any(person is p for p, _ in result):
                person = self.pool.new_person(code, self._address(block, HOME))
            result.append((person, role))
        return result

    def _holding(self, owner: Person, block: AddressBlock, since: date) -> int:
        rng = self.rng
        index = owner.home if owner.home >= 0 and owner.municipality == block.info.code else -1
        if index < 0:
            index = self._address(block, HOME)
        registered = since - timedelta(days=rng.randint(0, 400))
        company = Company(
            kvk=self.numbers.kvk(),
            legal="bv",
            legal_written=written_form("bv", rng),
            name=self.namer.holding_name(owner),
            trade_names=[],
            group={"naam": "holding"},
            sbi_main="6420",
            sbi_other=["6810"] if rng.random() < 0.15 else [],
            registered=registered,
            started=registered,
            ended=None,
            officers=[(owner, "bestuurder", registered)],
        )
        company.trade_names = [company.name]
        self._write_company(company, block, index, has_branch=rng.random() < 0.3)
        return 1

    # -- writing -------------------------------------------------------------------------

    def _write_company(
        self,
        company: Company,
        block: AddressBlock,
        index: int,
        has_branch: bool,
        record: AddressRecord | None = None,
    ) -> None:
        self._write_branch(company, block, index, has_branch, record)
        sink = self.sinks["officers"]
        truth = self.sinks["truth_officers"]
        for person, role, since in company.officers:
            (first, particle, surname, dob), _ = written(person, self.rng)
            line = sink.write((company.kvk, first, particle, surname, dob, role, since.isoformat()))
            truth.write((line, company.kvk, person.person_id))
            self.officer_rows += 1
            self.pool.remember(person)
            if person.home >= 0 and person.municipality == block.info.code:
                self.samples.persons.offer(
                    partial(self._person_sample, person, block, company.kvk, index, has_branch)
                )

    def _person_sample(
        self, person: Person, block: AddressBlock, kvk: str, index: int, has_branch: bool
    ) -> PersonSample:
        previous = block.record(self._address(block, HOME))
        # The company the sample was drawn from: what a signal mentions the person with.
        at = block.record(index) if has_branch else None
        return PersonSample(person, block.record(person.home), previous, kvk, at)

    def _write_branch(
        self,
        company: Company,
        block: AddressBlock,
        index: int,
        has_branch: bool,
        record: AddressRecord | None = None,
    ) -> None:
        rng = self.rng
        record = record or block.record(index)
        branch = self.numbers.branch() if has_branch else ""
        fields, variation = self._written_address(block, record)
        empty = ["", "", "", "", "", ""]
        if has_branch:
            visit, post = fields, self._postal(block, fields)
        else:
            visit, post = empty, fields
        self.sinks["kvk"].write(
            (
                company.kvk,
                branch,
                company.name,
                "|".join(company.trade_names),
                company.legal_written,
                company.sbi_main,
                "|".join(company.sbi_other),
                company.registered.isoformat(),
                company.started.isoformat(),
                company.ended.isoformat() if company.ended else "",
                *visit,
                *post,
            )
        )
        self.sinks["truth_branches"].write(
            (company.kvk, branch, record.nd_id, "bezoek" if has_branch else "post", variation)
        )
        self.rows += 1
        if company.ended is None:
            self.samples.companies.offer(
                lambda: CompanySample(
                    company.kvk,
                    branch,
                    company.name,
                    company.trade_names,
                    company.legal,
                    record,
                    block.record(self._address(block, rng.choice([HOME, OFFICE, SHOP]))),
                )
            )

    def _written_address(self, block: AddressBlock, record: AddressRecord) -> tuple[list[str], str]:
        """The address as the register holds it, sometimes not quite the BAG's version."""
        rng = self.rng
        street, letter, addition, postcode = (
            record.street,
            record.letter,
            record.addition,
            record.postcode,
        )
        variation = ""
        r = rng.random()
        for name, rate in ADDRESS_VARIATION:
            if r < rate:
                variation = name
                break
            r -= rate
        if variation == "afkorting":
            street = abbreviate_street(street, rng)
        elif variation == "typfout":
            street = typo(street, rng)
        elif variation == "toevoeging" and letter:
            letter, addition = "", letter.upper()
        elif variation == "toevoeging" and addition:
            addition = {"H": "hs", "1": "I", "2": "II", "3": "III"}.get(addition, f"-{addition}")[
                :4
            ]
        elif variation == "geen_postcode":
            postcode = ""
        elif variation == "verouderd":
            if rng.random() < 0.5:
                street = block.street_names[rng.randrange(len(block.street_names))]
            else:
                suffix = PC6_SUFFIXES[(PC6_SUFFIXES.index(postcode[4:]) + 1) % len(PC6_SUFFIXES)]
                postcode = postcode[:4] + suffix
        elif variation == "toevoeging":
            variation = ""
        fields = [street, str(record.number), letter, addition, postcode, record.town]
        return fields, variation

    def _postal(self, block: AddressBlock, visit: list[str]) -> list[str]:
        rng = self.rng
        r = rng.random()
        if r < 0.85:
            return ["", "", "", "", "", ""]
        if r < 0.93:
            return list(visit)
        if r < 0.98:
            pc4 = rng.randint(block.info.pc4_first, block.info.pc4_last)
            suffix = rng.choice(PC6_SUFFIXES)
            return ["Postbus", str(rng.randint(1, 9999)), "", "", f"{pc4}{suffix}", block.towns[0]]
        other = block.record(self._address(block, HOME))
        return [
            other.street,
            str(other.number),
            other.letter,
            other.addition,
            other.postcode,
            other.town,
        ]


PLACEMENT_FOR_CHAIN = "winkel"
