"""Dutch normalisation: names and particles, legal forms, postcodes, house numbers, plates,
dates. Property tests check that every written variant folds to one form."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from weerbaar.matching import normalize as nl
from weerbaar.matching.features import house_number_expr, postcode_expr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1234 ab", "1234AB"),
        ("1234AB", "1234AB"),
        (" 1234-ab ", "1234AB"),
        ("0123AB", None),
        ("1234SA", None),
        ("12345", None),
        ("", None),
        (None, None),
        ("1234AB\n", None),
    ],
)
def test_postcode(value: str | None, expected: str | None) -> None:
    assert nl.normalize_postcode(value) == expected


@given(
    digits=st.integers(1000, 9999),
    letters=st.text("ABCDEFGHJKLMNPRTUVWXYZabcdefghjklmnprtuvwxyz", min_size=2, max_size=2),
    space=st.sampled_from(["", " ", "  ", "-", " - "]),
)
def test_every_written_postcode_folds_to_one(digits: int, letters: str, space: str) -> None:
    canonical = f"{digits}{letters.upper()}"
    assert nl.normalize_postcode(f"{digits}{space}{letters}") == canonical
    assert nl.normalize_postcode(canonical) == canonical


@settings(max_examples=300)
@given(st.lists(st.text(alphabet="0123456789 abAB-\t\n\u00a0xSsDd", max_size=9), max_size=20))
def test_postcode_expression_equals_python(values: list[str]) -> None:
    """The batch linker's polars twin of the normaliser gives the same answers."""
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    vectorised = frame.select(postcode_expr("v")).to_series().to_list()
    assert vectorised == [nl.normalize_postcode(v) for v in values]


@settings(max_examples=300)
@given(st.lists(st.text(alphabet="0123456789 aA-/\tIIx", max_size=8), max_size=20))
def test_house_number_expression_equals_python(values: list[str]) -> None:
    frame = pl.DataFrame({"v": values}, schema={"v": pl.String})
    vectorised = frame.select(house_number_expr("v")).to_series().to_list()
    expected = []
    for value in values:
        house = nl.normalize_house_number(value)
        expected.append(str(house.number) if house else None)
    assert vectorised == expected


@pytest.mark.parametrize(
    ("written", "number", "letter", "addition"),
    [
        ("12", 12, None, None),
        ("12a", 12, "A", None),
        ("12-a", 12, "A", None),
        ("12-2", 12, None, "2"),
        ("12 2", 12, None, "2"),
        ("12 II", 12, None, "2"),
        ("12/3", 12, None, "3"),
        ("12bis", 12, None, "BIS"),
        ("12 A-3", 12, "A", "3"),
        ("12A3", 12, "A", "3"),
        ("7 hs", 7, None, "HS"),
    ],
)
def test_house_number_in_all_written_forms(
    written: str, number: int, letter: str | None, addition: str | None
) -> None:
    assert nl.normalize_house_number(written) == nl.HouseNumber(number, letter, addition)


def test_house_number_fields_merge_and_bounds() -> None:
    assert nl.normalize_house_number("12", "a", "III") == nl.HouseNumber(12, "A", "3")
    assert nl.normalize_house_number(12) == nl.HouseNumber(12)
    assert nl.normalize_house_number("0") is None
    assert nl.normalize_house_number("100000") is None
    assert nl.normalize_house_number("abc") is None


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("ab12cd", "AB-12-CD"),
        ("AB 12 CD", "AB-12-CD"),
        ("12-abc-3", "12-ABC-3"),
        ("1abc23", "1-ABC-23"),
        ("xx999x", "XX-999-X"),
        ("g123bb", "G-123-BB"),
        ("99xx99", "99-XX-99"),
        ("123456", None),
        ("ABCDEF", None),
        ("", None),
    ],
)
def test_licence_plate_sidecodes(written: str, canonical: str | None) -> None:
    assert nl.normalize_plate(written) == canonical


@given(st.from_regex(r"[A-Z]{2}[0-9]{2}[A-Z]{2}|[0-9]{2}[A-Z]{3}[0-9]", fullmatch=True))
def test_plate_written_any_way_is_one_plate(plate: str) -> None:
    canonical = nl.normalize_plate(plate)
    assert canonical is not None
    assert nl.normalize_plate(canonical.lower()) == canonical
    assert nl.normalize_plate(" ".join(canonical.split("-"))) == canonical


@pytest.mark.parametrize(
    "written", ["1971-05-30", "30-05-1971", "30-5-1971", "30/05/1971", "19710530", "30.5.1971"]
)
def test_dates_iso_and_day_first(written: str) -> None:
    assert nl.parse_date(written) == dt.date(1971, 5, 30)


def test_impossible_dates_are_none() -> None:
    assert nl.parse_date("31-02-2001") is None
    assert nl.parse_date("morgen") is None
    assert nl.parse_date(dt.datetime(2001, 5, 30, 12)) == dt.date(2001, 5, 30)


@pytest.mark.parametrize(
    ("prefix", "surname", "expected_prefix", "expected_parts"),
    [
        ("van der", "Berg", "van der", ("berg",)),
        ("", "van der Berg", "van der", ("berg",)),
        (None, "Berg, van der", "van der", ("berg",)),
        ("", "Berg van der", "van der", ("berg",)),
        ("v.d.", "Berg", "van der", ("berg",)),
        ("V/D", "Berg", "van der", ("berg",)),
        ("In T", "Veld", "in 't", ("veld",)),
        ("i.t.", "Veld", "in 't", ("veld",)),
        ("", "VAN DIJK", "van", ("dijk",)),
        ("", "Jansen-de Vries", "", ("jansen", "vries")),
        ("van", "Dijk - de Vries", "van", ("dijk", "vries")),
        ("", "Müller", "", ("muller",)),
    ],
)
def test_surname_particles_in_any_form(
    prefix: str | None, surname: str, expected_prefix: str, expected_parts: tuple[str, ...]
) -> None:
    name = nl.normalize_person_name("", prefix, surname)
    assert name.prefix == expected_prefix
    assert name.surname_parts == expected_parts


def test_particle_keys_forgive_de_der_den() -> None:
    assert nl.prefix_key("v.d.") == nl.prefix_key("van den") == nl.prefix_key("Van De")
    assert nl.prefix_key("ter") != nl.prefix_key("van")


@pytest.mark.parametrize(
    ("written", "names", "initials"),
    [
        ("Johannes Petrus", ("johannes", "petrus"), "jp"),
        ("J.P.", (), "jp"),
        ("J. P.", (), "jp"),
        ("JP", (), "jp"),
        ("Johannes P.", ("johannes",), "jp"),
        ("JOHANNES PETRUS", ("johannes", "petrus"), "jp"),
        ("Jan-Willem", ("jan", "willem"), "jw"),
        ("Maria (Mieke)", ("maria",), "m"),
        ("Élodie", ("elodie",), "e"),
    ],
)
def test_initials_versus_first_names(written: str, names: tuple[str, ...], initials: str) -> None:
    assert nl.split_first_names(written) == (names, initials)


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("J.P. van der Berg", ("J.P.", "van der", "Berg")),
        ("Berg, J.P. van der", ("J.P.", "van der", "Berg")),
        ("J. v.d. Berg", ("J.", "van der", "Berg")),
        ("Johannes in 't Veld", ("Johannes", "in 't", "Veld")),
        ("Piet Jansen", ("Piet", "", "Jansen")),
        ("Jan Jansen-de Vries", ("Jan", "", "Jansen-de Vries")),
        ("van Dijk", ("", "van", "Dijk")),
        ("Jansen", ("", "", "Jansen")),
        ("", ("", "", "")),
    ],
)
def test_split_a_written_full_name(full: str, expected: tuple[str, str, str]) -> None:
    assert nl.split_person_name(full) == expected


LEGAL_SPELLINGS = {
    "B.V.": [
        "B.V.",
        "BV",
        "b.v.",
        "B.V",
        "Besloten Vennootschap",
        "Besloten Vennootschap met beperkte aansprakelijkheid",
    ],
    "N.V.": ["N.V.", "NV", "Naamloze Vennootschap"],
    "V.O.F.": ["V.O.F.", "VOF", "v.o.f.", "Vennootschap onder firma"],
    "C.V.": ["C.V.", "CV", "Commanditaire Vennootschap"],
    "Coöperatie": ["Coöperatie", "Cooperatie"],
    "Stichting": ["Stichting", "Stg."],
    "Vereniging": ["Vereniging"],
    "Eenmanszaak": ["Eenmanszaak"],
}


@given(
    core=st.sampled_from(["Jansen", "De Hoek", "Bakkerij Visser", "Van Dijk Bouw"]),
    form_and_spelling=st.sampled_from(
        [(form, s) for form, spellings in LEGAL_SPELLINGS.items() for s in spellings]
    ),
    front=st.booleans(),
)
def test_legal_form_in_any_spelling_splits_off(
    core: str, form_and_spelling: tuple[str, str], front: bool
) -> None:
    form, spelling = form_and_spelling
    written = f"{spelling} {core}" if front else f"{core} {spelling}"
    company = nl.normalize_company_name(written)
    assert company.legal_form == form
    plain = nl.normalize_company_name(core)
    assert (company.core, company.tokens) == (plain.core, plain.tokens)


def test_holding_and_articles() -> None:
    company = nl.normalize_company_name("Jansen Holding B.V.")
    assert (company.core, company.legal_form, company.holding) == ("jansen", "B.V.", True)
    assert nl.normalize_company_name("Snackbar 't Hoekje").tokens == ("snackbar", "hoekje")
    assert nl.normalize_company_name("Jansen BV h.o.d.n. De Hoek").core == "jansen"
    assert nl.normalize_company_name("Jansen B.V. i.o.").legal_form == "B.V."
    assert nl.canonical_legal_form("Besloten Vennootschap") == "B.V."
    cooperative = nl.normalize_company_name("Coöperatie De Eendracht U.A.")
    assert (cooperative.core, cooperative.legal_form) == ("de eendracht", "Coöperatie")


@given(st.text(max_size=30))
def test_fold_is_idempotent_and_plain(text: str) -> None:
    folded = nl.fold(text)
    assert nl.fold(folded) == folded
    assert folded == folded.strip()
    assert all(c.isascii() for c in folded)


def test_skeleton_hears_dutch_spellings_alike() -> None:
    assert nl.skeleton("Jansen") == nl.skeleton("Janssen") == nl.skeleton("Janzen")
    assert nl.skeleton("Meijer") == nl.skeleton("Meyer")
    assert nl.skeleton("Cornelis") == nl.skeleton("Kornelis")
