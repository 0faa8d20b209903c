"""Matching: blocking keys, explained single comparisons, batch linkage and deduplication."""

from __future__ import annotations

import random
import string

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from weerbaar.matching import cluster, keys
from weerbaar.matching.compare import compare_address, compare_company, compare_person
from weerbaar.matching.linker import PERSONS, dedupe, link


def _edit(text: str, position: int, kind: int, letter: str) -> str:
    position %= len(text)
    if kind == 0:
        return text[:position] + letter + text[position + 1 :]
    if kind == 1:
        return text[:position] + text[position + 1 :]
    if kind == 2:
        return text[:position] + letter + text[position:]
    swapped = text[position + 1 : position + 2] + text[position]
    return text[:position] + swapped + text[position + 2 :]


@settings(max_examples=300)
@given(
    name=st.text(string.ascii_lowercase, min_size=5, max_size=24),
    position=st.integers(0, 30),
    kind=st.integers(0, 3),
    letter=st.sampled_from(string.ascii_lowercase),
)
def test_one_typo_keeps_a_key_in_common(name: str, position: int, kind: int, letter: str) -> None:
    typed = _edit(name, position, kind, letter)
    assert keys.company_keys(name) & keys.company_keys(typed)
    assert keys.person_keys("Jan", "", name) & keys.person_keys("J.", "", typed)


@given(
    first=st.text(string.ascii_letters + " .", max_size=30),
    surname=st.text(string.ascii_letters + " -", max_size=40),
)
def test_few_short_keys_per_record(first: str, surname: str) -> None:
    found = keys.person_keys(first, "van der", surname, "1971-05-30", "1234AB")
    assert len(found) <= 8
    assert all(len(key) <= keys.MAX_KEY for key in found)
    company = keys.company_keys(f"{surname} B.V.", "1234AB", "12")
    assert len(company) <= 8


def test_keys_ignore_written_variants() -> None:
    assert keys.company_keys("Jansen Holding B.V.") == keys.company_keys("JANSEN HOLDING BV")
    assert keys.person_keys("J.P.", "v.d.", "Berg", "30-5-1971") == keys.person_keys(
        "Johannes Petrus", "", "van der Berg", "1971-05-30"
    )
    assert "ca:1234AB12" in keys.company_keys("X", "1234 ab", "12a")
    assert keys.address_keys("1234ab", "12 A-3") >= {"ap:1234AB12", "ax:1234AB12A-3"}


def test_person_match_explains_in_dutch() -> None:
    query = {"first_names": "J.P.", "surname": "van der Berg", "date_of_birth": "1971-05-30"}
    record = {
        "first_names": "Johannes Petrus",
        "surname_prefix": "van der",
        "surname": "Berg",
        "date_of_birth": "1971-05-30",
    }
    match = compare_person(query, record)
    texts = [r.text_nl for r in match.reasons]
    assert "Voorletters komen overeen (J.P.)" in texts
    assert "Geboortedatum gelijk" in texts
    assert match.score > 0.9
    assert match.confidence in {"hoog", "gemiddeld"}
    swapped = compare_person({**query, "date_of_birth": "1971-30-05"}, record)
    assert swapped.score < match.score
    day_month = compare_person(
        {**query, "date_of_birth": "1971-05-03"}, {**record, "date_of_birth": "1971-03-05"}
    )
    assert "Geboortedatum wijkt af (dag en maand verwisseld)" in [
        r.text_nl for r in day_month.reasons
    ]
    other = compare_person(query, {**record, "first_names": "Karel", "date_of_birth": "1980-01-01"})
    assert other.score < 0.01
    assert other.confidence == "laag"


def test_company_match_ignores_legal_form() -> None:
    match = compare_company(
        {"name": "Jansen Holding BV", "postcode": "1234 ab", "house_number": "12"},
        {"name": "Jansen Holding Besloten Vennootschap", "postcode": "1234AB", "house_number": 12},
    )
    texts = [r.text_nl for r in match.reasons]
    assert "Naam gelijk" in texts
    assert "Rechtsvorm genegeerd: B.V." in texts
    assert "Zelfde postcode en huisnummer" in texts
    assert match.confidence == "hoog"
    typo = compare_company({"name": "Snackbar De Hoek"}, {"name": "Snakbar de Hoek V.O.F."})
    assert any(r.outcome == "close" and "%" in r.text_nl for r in typo.reasons)
    assert 0 < typo.score < match.score


def test_address_match_sees_additions() -> None:
    same = compare_address(
        {"postcode": "1234ab", "house_number": "12 A-3"},
        {
            "postcode": "1234AB",
            "house_number": 12,
            "house_letter": "A",
            "house_number_addition": "3",
        },
    )
    other_flat = compare_address(
        {"postcode": "1234ab", "house_number": "12-2"},
        {"postcode": "1234AB", "house_number": 12, "house_number_addition": "3"},
    )
    assert same.score > 0.98
    assert other_flat.score < same.score
    assert "toevoeging wijkt af" in other_flat.reasons[0].text_nl


FIRST = ["Johannes", "Maria", "Pieter", "Anna", "Willem", "Sanne", "Mohamed", "Fatima", "Kees"]
SECOND = ["Petrus", "Johanna", "Cornelis", "Elisabeth", "", ""]
SURNAMES = ["Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Yilmaz", "El Amrani"]


def _people(count: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    people = []
    for number in range(count):
        surname = rng.choice(SURNAMES) + ("" if number % 3 else f"{rng.choice('klmnr')}ink")
        prefix, _, core = surname.rpartition(" ")
        people.append(
            {
                "first_names": f"{rng.choice(FIRST)} {rng.choice(SECOND)}".strip(),
                "surname_prefix": prefix,
                "surname": core,
                "date_of_birth": f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-"
                f"{rng.randint(1, 28):02d}",
                "postcode": f"{rng.randint(1000, 9999)}{rng.choice('ABCD')}{rng.choice('EFGH')}",
                "house_number": str(rng.randint(1, 200)),
            }
        )
    return people


def _variant(person: dict[str, str], rng: random.Random) -> dict[str, str]:
    copy = dict(person)
    choice = rng.random()
    if choice < 0.3:
        copy["first_names"] = ".".join(n[0] for n in copy["first_names"].split()) + "."
    elif choice < 0.5:
        copy["surname"] = copy["surname"][:2] + copy["surname"][3:]
    elif choice < 0.6 and copy["surname_prefix"]:
        copy["surname"] = f"{copy['surname_prefix']} {copy['surname']}"
        copy["surname_prefix"] = ""
    elif choice < 0.8:
        year, month, day = copy["date_of_birth"].split("-")
        copy["date_of_birth"] = f"{int(day)}-{int(month)}-{year}"
    else:
        copy["postcode"], copy["house_number"] = "9999ZZ", "1"
    return copy


def test_link_finds_the_same_people_one_to_one() -> None:
    rng = random.Random(3)
    people = _people(400, seed=1)
    left = pl.DataFrame([{"id": f"L{n}", **p} for n, p in enumerate(people)])
    right = pl.DataFrame([{"id": f"R{n}", **_variant(p, rng)} for n, p in enumerate(people)])
    result = link(left, right, PERSONS)
    found = set(result.pairs.select("left_id", "right_id").iter_rows())
    truth = {(f"L{n}", f"R{n}") for n in range(len(people))}
    assert len(found & truth) / len(truth) > 0.95
    assert len(found & truth) / len(found) > 0.98
    assert result.pairs["left_id"].n_unique() == result.pairs.height


def test_dedupe_clusters_duplicates_not_housemates() -> None:
    rng = random.Random(5)
    people = _people(300, seed=2)
    rows = []
    for number, person in enumerate(people):
        rows.append({"id": f"P{number}a", "entity": number, **person})
        rows.append({"id": f"P{number}b", "entity": number, **_variant(person, rng)})
    housemate = {**people[0], "first_names": "Karel", "date_of_birth": "1950-01-01"}
    rows.append({"id": "housemate", "entity": -1, **housemate})
    frame = pl.DataFrame(rows)
    result = dedupe(frame.drop("entity"), PERSONS)
    clusters = dict(result.clusters.iter_rows())
    same = sum(clusters[f"P{n}a"] == clusters[f"P{n}b"] for n in range(len(people)))
    assert same / len(people) > 0.95
    assert clusters["housemate"] not in {clusters["P0a"], clusters["P0b"]}
    assert len(set(clusters.values())) >= len(people)


def test_clusters_do_not_chain_through_a_contradiction() -> None:
    # 0~1 and 1~2 are strong, but 0 and 2 clearly differ: 2 must not join 0.
    i = np.array([0, 1, 0], dtype=np.int32)
    j = np.array([1, 2, 2], dtype=np.int32)
    weight = np.array([20.0, 10.0, -30.0])
    labels = cluster.clusters(3, i, j, weight, threshold=3.0, conflict_below=-6.0)
    assert labels[0] == labels[1]
    assert labels[2] != labels[0]
    plain = cluster.clusters(3, i[:2], j[:2], weight[:2], threshold=3.0, conflict_below=-6.0)
    assert len(set(plain.tolist())) == 1


def test_one_to_one_takes_the_best_link_first() -> None:
    i = np.array([0, 0, 1], dtype=np.int32)
    j = np.array([5, 6, 5], dtype=np.int32)
    chosen = cluster.one_to_one(i, j, np.array([9.0, 4.0, 8.0]), threshold=1.0)
    assert chosen.tolist() == [True, False, False]
