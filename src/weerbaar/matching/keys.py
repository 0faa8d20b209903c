"""Blocking keys for the interactive index: a few per record, shared despite one typo.

A record is stored under 3-8 keys; a query computes its keys with the same function and
looks them up (``key IN (...)``). Any single edit (a wrong, missing, extra or swapped letter)
leaves at least one key intact: a name of length L is also keyed by its halves at lengths L
and L-1 (pigeonhole: one edit spoils at most one half, and a deletion or insertion is caught
by the neighbouring length). Keys combine a name with an initial, a date or a postcode where
they can, so that no key is shared by thousands of records.
"""

from __future__ import annotations

import datetime as dt

from . import normalize as nl

MAX_KEY = 60
MIN_HALVES = 4  # shorter names are keyed whole: their halves would be too common


def _halves(tag: str, text: str, suffix: str = "") -> set[str]:
    """Two halves of ``text`` at lengths L and L-1, tagged with the length they belong to."""
    found = set()
    for length in (len(text), len(text) - 1):
        if length < MIN_HALVES:
            continue
        cut = length // 2
        head, tail = text[:cut], text[len(text) - (length - cut) :]
        found.add(f"{tag}1:{length}:{head}{suffix}")
        found.add(f"{tag}2:{length}:{tail}{suffix}")
    return found


def _limit(keys: set[str]) -> set[str]:
    return {key[:MAX_KEY] for key in keys if key}


def company_keys(
    name: str | None, postcode: str | None = None, house_number: str | int | None = None
) -> set[str]:
    """Exact core name, its halves, and the address: "Jansen Holding B.V." → core "jansen"."""
    company = nl.normalize_company_name(name)
    core = company.compact
    keys = set()
    if core:
        keys.add(f"cn:{core}")
        keys |= _halves("ch", core)
    code = nl.normalize_postcode(postcode)
    house = nl.normalize_house_number(house_number) if house_number is not None else None
    if code and house:
        keys.add(f"ca:{code}{house.number}")
    return _limit(keys)


def person_keys(
    first_names: str | None,
    surname_prefix: str | None,
    surname: str | None,
    date_of_birth: str | dt.date | None = None,
    postcode: str | None = None,
) -> set[str]:
    """Surname with initial and date of birth; the date with the initial (for surname typos);
    the surname's halves with the initial (for typos when the date is unknown)."""
    name = nl.normalize_person_name(first_names, surname_prefix, surname)
    core = name.surname_core
    initial = name.initials[:1]
    born = nl.parse_date(date_of_birth)
    keys = set()
    if core:
        keys.add(f"pn:{core}|{initial}")
        keys |= _halves("ph", core, f"|{initial}")
    if born:
        keys.add(f"pb:{born:%Y%m%d}|{initial}")
        if core:
            keys.add(f"pd:{core}|{born:%Y%m%d}")
    code = nl.normalize_postcode(postcode)
    if code and core:
        keys.add(f"pp:{code}|{nl.skeleton(core)[:3]}")
    return _limit(keys)


def address_keys(
    postcode: str | None,
    house_number: str | int | None,
    house_letter: str | None = None,
    house_number_addition: str | None = None,
    street: str | None = None,
    town: str | None = None,
) -> set[str]:
    """Postcode + number (with and without letter/addition); street + number + town."""
    house = nl.normalize_house_number(
        house_number if house_number is not None else None, house_letter, house_number_addition
    )
    code = nl.normalize_postcode(postcode)
    keys = set()
    if code and house:
        keys.add(f"ap:{code}{house.number}")
        keys.add(f"ax:{code}{house}")
    place = nl.compact(town or "")
    road = nl.compact(nl.normalize_street(street))
    if house and road and place:
        keys.add(f"as:{road}{house.number}|{place}")
        keys.add(f"ak:{nl.skeleton(road)}{house.number}|{place}")
    return _limit(keys)
