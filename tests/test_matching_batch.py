"""The batch linker's parts: integer tools, blocking, vectorised normalisers, levels, the
person corrections (swapped names, capitals as initials, full names, households) and the
clustering."""

from __future__ import annotations

import itertools
import string

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import DamerauLevenshtein

from weerbaar.matching import blocking, cluster, features, levels, model, names, people, scoring
from weerbaar.matching import codes as kit
from weerbaar.matching.blocking import Rule
from weerbaar.matching.compare import compare_person
from weerbaar.matching.linker import PERSONS, dedupe

small_ints = st.lists(st.integers(0, 40), min_size=0, max_size=60)


@given(small_ints)
def test_factorize_and_group_agree_with_numpy(values: list[int]) -> None:
    key = np.array(values, dtype=np.int64)
    distinct, inverse = kit.factorize(key)
    expected, expected_inverse = np.unique(key, return_inverse=True)
    assert distinct.tolist() == expected.tolist()
    assert inverse.tolist() == expected_inverse.ravel().tolist()
    order, _starts, sizes = kit.group(key)
    assert sizes.tolist() == np.unique(key, return_counts=True)[1].tolist()
    assert sorted(order.tolist()) == list(range(len(values)))
    assert kit.distinct(key).tolist() == expected.tolist()


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 1_000_000)), max_size=40))
def test_combine_gives_equal_codes_to_equal_tuples(rows: list[tuple[int, int]]) -> None:
    if not rows:
        return
    a = np.array([r[0] for r in rows])
    b = np.array([r[1] for r in rows])
    key = kit.combine([a, b, b, b])
    for (x, y), (p, q) in itertools.combinations(zip(rows, key.tolist(), strict=True), 2):
        assert (x == y) == (p == q)


def _brute_pairs(
    columns: list[list[int]], max_block: int, source: list[int]
) -> set[tuple[int, int]]:
    count = len(columns[0])
    keys = [tuple(c[k] for c in columns) for k in range(count)]
    sizes: dict[tuple[int, ...], int] = {}
    for key in keys:
        if min(key) >= 0:
            sizes[key] = sizes.get(key, 0) + 1
    found = set()
    for a, b in itertools.combinations(range(count), 2):
        key = keys[a]
        if min(key) < 0 or key != keys[b] or sizes[key] > max_block:
            continue
        if max(source) and source[a] == source[b]:
            continue
        found.add((a, b) if not max(source) or source[a] == 0 else (b, a))
    return found


@settings(max_examples=60)
@given(
    st.lists(st.tuples(st.integers(-1, 3), st.integers(0, 2), st.integers(0, 1)), max_size=40),
    st.integers(2, 6),
)
def test_candidate_pairs_are_the_pairs_sharing_a_block(
    rows: list[tuple[int, int, int]], max_block: int
) -> None:
    if not rows:
        return
    first = [r[0] for r in rows]
    second = [r[1] for r in rows]
    codes = {"a.value": np.array(first, np.int32), "b.value": np.array(second, np.int32)}
    rules = [Rule(("a.value", "b.value"), max_block=max_block), Rule(("b.value",), max_block=3)]
    for source in ([0] * len(rows), [r[2] for r in rows]):
        i, j = blocking.candidate_pairs(codes, rules, np.array(source, np.int8))
        expected = _brute_pairs([first, second], max_block, source) | _brute_pairs(
            [second], 3, source
        )
        assert set(zip(i.tolist(), j.tolist(), strict=True)) == expected
        assert len(i) == len(expected)


name_text = st.text(alphabet="AaBbJjPpVvEe .-'ëD", max_size=24)
plain_text = st.lists(
    st.text(alphabet="AaBbJjPpVvEeNnDd", min_size=1, max_size=8), min_size=1, max_size=4
).map(" ".join)


@settings(max_examples=200)
@given(st.lists(st.one_of(name_text, plain_text, st.sampled_from(["van der", "De", "JAT"]))))
def test_plain_paths_give_what_the_python_rules_give(values: list[str]) -> None:
    for kind in ("first_names", "surname"):
        raw = features.code_column(pl.Series(values, dtype=pl.String))
        function, derived_names = features.DERIVATIONS[kind]
        slow = features.derive(raw, function, len(derived_names))
        condition, expressions = features.plain.PLAIN[kind]
        fast = features.derive_plain(raw, function, derived_names, condition(), expressions())
        for a, b in zip(slow, fast, strict=True):
            assert features.texts(a)[a.codes].tolist() == features.texts(b)[b.codes].tolist()


@given(plain_text)
def test_first_names_shortcut_equals_the_full_rules(text: str) -> None:
    shortcut = names.split_first_names(text)
    original = names._plain_names
    try:
        names._plain_names = lambda _text: None  # type: ignore[assignment]
        assert names.split_first_names(text) == shortcut
    finally:
        names._plain_names = original


@given(st.text(alphabet=string.digits, min_size=8, max_size=8), st.data())
def test_one_digit_apart_is_one_edit(date: str, data: st.DataObject) -> None:
    kind = data.draw(st.integers(0, 2))
    position = data.draw(st.integers(0, 6))
    chars = list(date)
    if kind == 0:
        chars[position] = data.draw(st.sampled_from(string.digits))
    elif kind == 1:
        chars[position], chars[position + 1] = chars[position + 1], chars[position]
    else:
        chars = list(data.draw(st.text(alphabet=string.digits, min_size=8, max_size=8)))
    other = "".join(chars)
    got = levels.one_digit_apart(np.array([int(date, 16)]), np.array([int(other, 16)]))
    assert bool(got[0]) == (DamerauLevenshtein.distance(date, other) <= 1)


def test_initials_that_skip_a_middle_one_still_fit() -> None:
    assert levels.fitting_initials("bj", "blj")
    assert levels.fitting_initials("j", "jp")
    assert not levels.fitting_initials("jp", "pj")
    assert not levels.fitting_initials("", "j")


def _levels(rows: list[dict[str, str]]) -> dict[str, str]:
    """The level names of the pair (record 0, record 1) under PERSONS."""
    frame = pl.DataFrame(rows)
    prepared = scoring.prepare(frame, PERSONS)
    matrix = scoring.Scorer(prepared, PERSONS).level_matrix(
        np.array([0], np.int32), np.array([1], np.int32)
    )
    return {
        c.name: levels.LEVEL_NAMES[c.kind][level] if level >= 0 else "missing"
        for c, level in zip(PERSONS.comparisons, matrix[0].tolist(), strict=True)
    }


BASE = {
    "first_names": "Douwe Adrianus",
    "surname_prefix": "",
    "surname": "Wolters",
    "date_of_birth": "1969-05-04",
    "postcode": "8410JV",
    "house_number": "4",
    "town": "Zwolle",
}


@pytest.mark.parametrize(
    ("first_names", "surname", "first_level"),
    [
        ("Woletrs", "Douwe", "close"),  # swapped, and a typo in the surname
        ("Wolters", "Dowue", "close"),  # swapped, and a typo in the first name
        ("Wolters", "D.", "compatible"),  # swapped, initial in the surname field
        ("van der Wolters", "Douwe", "close"),  # swapped with a particle
    ],
)
def test_names_written_the_wrong_way_round_count_as_close(
    first_names: str, surname: str, first_level: str
) -> None:
    found = _levels([BASE, {**BASE, "first_names": first_names, "surname": surname}])
    assert found["first_names"] == first_level
    assert found["surname"] == "close"


def test_other_people_at_one_address_are_not_swapped_names() -> None:
    found = _levels([BASE, {**BASE, "first_names": "Karel", "surname": "Jansen"}])
    assert found["first_names"] == "different"
    assert found["surname"] == "different"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Johanna Antonia Theodora", "JAT", "same_initials"),
        ("Anna", "AAMG", "compatible"),
        ("Johannes Dirk", "Johannes", "same_first"),
        ("DouweAdrianus", "Douwe Adrianus", "close"),
        ("Coenelis", "Cornekis", "similar"),  # two slips
        ("Els", "Peter", "different"),
    ],
)
def test_first_name_levels(a: str, b: str, expected: str) -> None:
    found = _levels([{**BASE, "first_names": a}, {**BASE, "first_names": b}])
    assert found["first_names"] == expected
    assert (
        compare_person({**BASE, "first_names": a}, {**BASE, "first_names": b}).reasons[0].outcome
        == expected
    )


def test_postcode_typo_with_the_same_house_number() -> None:
    found = _levels([BASE, {**BASE, "postcode": "8410XX"}])
    assert found["address"] == "same_number_area"
    assert _levels([BASE, {**BASE, "postcode": "", "house_number": "6"}])["address"] == (
        "same_area"
    )
    texts = [r.text_nl for r in compare_person(BASE, {**BASE, "postcode": "8410XX"}).reasons]
    assert "Zelfde huisnummer en woonplaats of postcodegebied, postcode wijkt af" in texts


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        ("1996-05-04", "typo"),
        ("1969-04-05", "typo"),
        ("1969-05-14", "typo"),
        ("1969-08-14", "near"),
    ],
)
def test_date_typos(other: str, expected: str) -> None:
    assert _levels([BASE, {**BASE, "date_of_birth": other}])["date_of_birth"] == expected


def test_a_full_name_many_people_share_weighs_less() -> None:
    # "Murat Korkmaz" is five people (five dates); "Murat" and "Korkmaz" are rare apart.
    first = ["Murat"] * 5 + ["Jan"] * 95
    last = ["Korkmaz"] * 5 + [f"Naam{k}" for k in range(95)]
    dates = [f"19{50 + k % 40}-01-0{1 + k % 9}" for k in range(100)]
    frame = pl.DataFrame({"f": first, "s": last, "d": dates})
    given, family, born = (
        features.prepare(frame, kind, (col,))["value"]
        for kind, col in (("first_names", "f"), ("surname", "s"), ("date", "d"))
    )
    exact = np.array([True, True])
    pair_firsts = np.array([0, 10], np.int32)
    bits = people.full_name_bits(given, family, born, exact, pair_firsts, limit=5.0)
    assert bits[0] < -1.0  # Murat Korkmaz: common as a full name
    assert bits[1] == 0.0  # Jan Naam10: one person


def test_household_corrections_lower_surname_and_date_at_one_address() -> None:
    columns = people.Columns(surname=1, place=3, surname_top=4, place_top=4, date=2, date_top=3)
    fields = [
        model.FieldWeights(n, np.full(size, 1 / size), np.full(size, 0.001))
        for n, size in (("f", 7), ("s", 5), ("d", 4), ("a", 5))
    ]
    fitted = model.Model(fields=fields, prior=1e-6, household=people.Household(0.6, 0.02))
    matrix = np.array([[6, 4, 3, 4], [6, 4, 3, 0]], dtype=np.int8)
    bits = people.household_bits(matrix, fitted, columns)
    assert bits[0] == pytest.approx(np.log2(0.001 / 0.6) + np.log2(0.001 / 0.02))
    assert bits[1] == 0.0  # another address: no household


def test_contraction_joins_groups_only_when_the_evidence_sums_up() -> None:
    i = np.array([0, 1, 0], dtype=np.int32)
    j = np.array([1, 2, 2], dtype=np.int32)
    # 0~1 and 1~2 strong; 0 and 2 doubtful (-3 bits): 2 still joins (5 - 3 > 0).
    joined = cluster.clusters(3, i, j, np.array([8.0, 5.0, -3.0]), 0.0, -13.0)
    assert len(set(joined.tolist())) == 1
    # 0 and 2 clearly differ (-8): 5 - 8 < 0, so 2 stays apart.
    apart = cluster.clusters(3, i, j, np.array([8.0, 5.0, -8.0]), 0.0, -13.0)
    assert apart[0] == apart[1] != apart[2]


def test_dedupe_joins_swapped_and_capital_initials() -> None:
    rows = [
        {"id": "a", **BASE},
        {"id": "b", **BASE, "first_names": "Wolters", "surname": "Douwe"},
        {"id": "c", **BASE, "first_names": "DAW", "postcode": "8410JX"},
        {"id": "d", **BASE, "first_names": "Karel", "date_of_birth": "1971-02-03"},
    ]
    others = [
        {
            "id": f"x{k}",
            "first_names": f"Piet{k}",
            "surname_prefix": "",
            "surname": f"Jansen{k % 7}",
            "date_of_birth": f"{1940 + k % 50}-0{1 + k % 9}-1{k % 10}",
            "postcode": f"{1000 + k}AB",
            "house_number": str(k % 30 + 1),
            "town": "Utrecht",
        }
        for k in range(300)
    ]
    clusters = dict(dedupe(pl.DataFrame(rows + others), PERSONS).clusters.iter_rows())
    assert clusters["a"] == clusters["b"] == clusters["c"]
    assert clusters["d"] != clusters["a"]
