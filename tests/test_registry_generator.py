"""``weerbaar generate-registry``: documented formats, ground truth, variations, --from, --persons."""

from __future__ import annotations

import csv
import hashlib
import random
import re
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from weerbaar.registry.generator.addresses import USES
from weerbaar.registry.generator.data import sbi_groups
from weerbaar.registry.generator.lexicon import brand_word, place_name
from weerbaar.registry.generator.names import NameSampler
from weerbaar.registry.generator.namestats import name_key, name_stats
from weerbaar.registry.generator.naming import CompanyNamer
from weerbaar.registry.generator.writer import (
    BAG_COLUMNS,
    KVK_COLUMNS,
    OFFICER_COLUMNS,
    PERSON_COLUMNS,
    QUERY_COLUMNS,
)
from weerbaar.registry.sbi import label

CODES = "GM0590,GM0505"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
POSTCODE = re.compile(r"^[1-9]\d{3}[A-Z]{2}$")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.csv"))
    }


def _generate(out: Path, *extra: str, **options: object) -> Path:
    call_command(
        "generate_registry",
        "--out",
        str(out),
        *extra,
        stdout=open("/dev/null", "w"),  # noqa: SIM115
        **options,
    )
    return out


@pytest.fixture(scope="module")
def extract(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(
        tmp_path_factory.mktemp("gen") / "a",
        "--municipalities",
        CODES,
        "--addresses",
        "4000",
        "--companies",
        "1400",
        "--workers",
        "1",
    )


@pytest.fixture(scope="module")
def newer(extract: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generate(tmp_path_factory.mktemp("gen") / "b", "--from", str(extract))


def test_files_have_the_documented_columns_and_formats(extract: Path) -> None:
    assert _header(extract / "bag_adressen.csv") == list(BAG_COLUMNS)
    assert _header(extract / "kvk_vestigingen.csv") == list(KVK_COLUMNS)
    assert _header(extract / "kvk_functionarissen.csv") == list(OFFICER_COLUMNS)
    bag = _rows(extract / "bag_adressen.csv")
    assert len(bag) == 4000
    assert {r["gemeentecode"] for r in bag} == {"0590", "0505"}
    assert len({r["nummeraanduiding_id"] for r in bag}) == len(bag)
    keys = {(r["postcode"], r["huisnummer"], r["huisletter"], r["toevoeging"]) for r in bag}
    assert len(keys) == len(bag), "an address (postcode, number, letter, addition) is unique"
    for row in bag:
        assert re.fullmatch(r"\d{16}", row["nummeraanduiding_id"])
        assert re.fullmatch(r"\d{16}", row["verblijfsobject_id"])
        assert POSTCODE.match(row["postcode"])
        assert 1 <= int(row["huisnummer"]) <= 99999
        assert len(row["huisletter"]) <= 1 and len(row["toevoeging"]) <= 4
        assert all(use in (*USES[:10], "celfunctie") for use in row["gebruiksdoel"].split("|"))
        assert 51.5 < float(row["lat"]) < 52.1 and 4.4 < float(row["lon"]) < 5.0
        assert 80_000 < float(row["rd_x"]) < 130_000 and 400_000 < float(row["rd_y"]) < 450_000
    kvk = _rows(extract / "kvk_vestigingen.csv")
    assert len(kvk) == 1400
    for row in kvk:
        assert re.fullmatch(r"\d{8}", row["kvk_nummer"])
        assert re.fullmatch(r"(\d{12})?", row["vestigingsnummer"])
        assert row["statutaire_naam"] and row["rechtsvorm"] and label(row["sbi_hoofd"])
        assert DATE.match(row["datum_inschrijving"]) and DATE.match(row["datum_aanvang"])
        assert row["datum_opheffing"] == "" or DATE.match(row["datum_opheffing"])
        for code in filter(None, row["sbi_overig"].split("|")):
            assert label(code)
    branches = [(r["kvk_nummer"], r["vestigingsnummer"]) for r in kvk if r["vestigingsnummer"]]
    assert len(set(branches)) == len(branches)
    officers = _rows(extract / "kvk_functionarissen.csv")
    assert 1.15 < len(officers) / len(kvk) < 1.45, "about 1.3 officers per registration"
    assert {r["kvk_nummer"] for r in officers} == {r["kvk_nummer"] for r in kvk}
    for row in officers:
        assert row["geslachtsnaam"] and row["functie"] and DATE.match(row["datum_aanvang"])
        assert row["geboortedatum"] == "" or DATE.match(row["geboortedatum"])


def test_truth_files_point_at_rows_that_exist(extract: Path) -> None:
    bag_ids = {r["nummeraanduiding_id"] for r in _rows(extract / "bag_adressen.csv")}
    kvk = _rows(extract / "kvk_vestigingen.csv")
    branches = _rows(extract / "truth" / "vestigingen_adres.csv")
    assert len(branches) == len(kvk)
    for row, truth in zip(kvk, branches, strict=True):
        assert (row["kvk_nummer"], row["vestigingsnummer"]) == (
            truth["kvk_nummer"],
            truth["vestigingsnummer"],
        )
        assert truth["nummeraanduiding_id"] in bag_ids
    lines = (extract / "kvk_functionarissen.csv").read_text(encoding="utf-8").splitlines()
    truth_officers = _rows(extract / "truth" / "functionarissen.csv")
    assert len(truth_officers) == len(lines) - 1
    for truth in truth_officers[::7]:
        assert lines[int(truth["regelnummer"]) - 1].startswith(truth["kvk_nummer"] + ",")
    persons = {r["person_id"] for r in truth_officers}
    queries = _rows(extract / "truth" / "queries.csv")
    assert _header(extract / "truth" / "queries.csv") == list(QUERY_COLUMNS)
    assert len(queries) >= 1000
    company_keys = {(r["kvk_nummer"], r["vestigingsnummer"]) for r in kvk}
    for query in queries:
        if query["soort"] == "bedrijf":
            assert (query["kvk_nummer"], query["vestigingsnummer"]) in company_keys
        elif query["soort"] == "persoon":
            assert query["person_id"] in persons and query["naam"]
        else:
            assert query["soort"] == "adres" and query["nummeraanduiding_id"] in bag_ids


def test_the_same_seed_gives_the_same_files_whatever_the_number_of_processes(
    extract: Path, tmp_path: Path
) -> None:
    again = _generate(
        tmp_path / "same",
        "--municipalities",
        CODES,
        "--addresses",
        "4000",
        "--companies",
        "1400",
        "--workers",
        "2",
    )
    assert _digest(again) == _digest(extract)
    other = _generate(
        tmp_path / "other", "--municipalities", CODES, "--addresses", "4000",
        "--companies", "1400", "--seed", "2", "--workers", "1",
    )  # fmt: skip
    assert _digest(other)["bag_adressen.csv"] != _digest(extract)["bag_adressen.csv"]


def test_realistic_structure_and_variations(extract: Path) -> None:
    kvk = _rows(extract / "kvk_vestigingen.csv")
    first: dict[str, dict[str, str]] = {}
    for row in kvk:
        first.setdefault(row["kvk_nummer"], row)
    forms = Counter(r["rechtsvorm"] for r in first.values())
    assert forms.most_common(1)[0][0] == "Eenmanszaak"
    assert forms["Eenmanszaak"] / len(first) > 0.4
    assert {"Stichting", "Vennootschap onder firma"} <= set(forms)
    assert any(r.startswith("Besloten") for r in forms)
    sbi = Counter(r["sbi_hoofd"] for r in kvk)
    assert {"6420", "56101", "96022", "4120"} <= set(sbi)
    assert any(r["statutaire_naam"].endswith(" Holding B.V.") for r in kvk)
    assert any(r["datum_opheffing"] for r in kvk), "some companies are dissolved"
    truth = _rows(extract / "truth" / "vestigingen_adres.csv")
    per_address = Counter(r["nummeraanduiding_id"] for r in truth)
    assert per_address.most_common(1)[0][1] >= 20, "a holding address with 20+ companies"
    variation = Counter(r["variatie"] for r in truth)
    assert 0.05 < 1 - variation[""] / len(truth) < 0.15
    assert {"afkorting", "verouderd", "geen_postcode"} <= set(variation)
    uses = Counter(r["gebruiksdoel"] for r in _rows(extract / "bag_adressen.csv"))
    assert uses.most_common(1)[0][0] == "woonfunctie"
    assert {"winkelfunctie", "kantoorfunctie", "industriefunctie"} <= set(uses)
    roles = Counter(r["person_id"] for r in _rows(extract / "truth" / "functionarissen.csv"))
    assert max(roles.values()) >= 10, "a front man with many companies"
    assert sum(1 for v in roles.values() if v > 1) > 0.05 * len(roles)
    queries = _rows(extract / "truth" / "queries.csv")
    applied = Counter(v for q in queries for v in q["variaties"].split("|") if v)
    expected = {
        "handelsnaam", "zonder_rechtsvorm", "rechtsvorm_variant", "typfout", "geen_postcode",
        "verhuisd", "toevoeging_variant", "initialen", "voorvoegsel", "geen_geboortedatum",
    }  # fmt: skip
    assert expected <= set(applied)
    assert 0.15 < applied["geen_postcode"] / len(queries) < 0.4


def test_company_names_are_diverse_and_unique_within_a_municipality(extract: Path) -> None:
    kvk = _rows(extract / "kvk_vestigingen.csv")
    truth = _rows(extract / "truth" / "vestigingen_adres.csv")
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row, where in zip(kvk, truth, strict=True):
        municipality = where["nummeraanduiding_id"][:4]
        for name in [row["statutaire_naam"], *row["handelsnamen"].split("|")]:
            if name:
                holders[(municipality, name_key(name))].add(row["kvk_nummer"])
    shared = [names for names in holders.values() if len(names) > 1]
    assert len(shared) <= 0.01 * len(holders), "a trade name is taken once per municipality"
    stats = name_stats(extract / "kvk_vestigingen.csv")
    assert stats.names > 0.95 * stats.companies
    assert stats.top[0][1] <= 3 and stats.names_over[10] == 0


def test_brand_words_are_made_up_not_drawn_from_a_short_list() -> None:
    rng = random.Random(3)
    own = ["Pixel", "Kleur", "Beeld", "Lijn", "Vorm", "Inkt", "Licht", "Pen", "Lens", "Canvas"]
    words = Counter(brand_word(rng, own) for _ in range(50_000))
    # A branch word alone ("Studio Canvas") was 1 in 10 here; now 1 in 200 at most.
    assert words.most_common(1)[0][1] < 0.005 * 50_000
    assert len(words) > 5_000
    places = Counter(place_name(rng) for _ in range(20_000))
    assert places.most_common(1)[0][1] < 0.02 * 20_000 and len(places) > 400


def test_names_are_drawn_again_when_taken_in_the_municipality() -> None:
    rng = random.Random(5)
    namer = CompanyNamer(rng, lambda gender: "Fatima" if gender == "f" else "Mohamed")
    group = next(g for g in sbi_groups() if g["naam"] == "snackbar")
    people = NameSampler(np.random.default_rng(5)).people(3000, 0, date(2026, 11, 1))
    names = [namer.trade_name(group, "56102", p, "Tilburg", "Kerkstraat", 1) for p in people]
    assert len({n.lower() for n in names}) == len(names)
    namer.start_municipality()
    again = namer.trade_name(group, "56102", people[0], "Tilburg", "Kerkstraat", 1)
    assert again  # a new municipality may reuse a name; the set of taken names is empty again
    assert namer.used == {again.lower()}


def test_queries_carry_what_a_signal_carries(extract: Path) -> None:
    queries = _rows(extract / "truth" / "queries.csv")
    roles = {
        (r["kvk_nummer"], r["person_id"]) for r in _rows(extract / "truth" / "functionarissen.csv")
    }
    bag = {r["nummeraanduiding_id"]: r for r in _rows(extract / "bag_adressen.csv")}
    branch_numbers: dict[str, set[str]] = defaultdict(set)  # kvk -> house numbers
    for row in _rows(extract / "truth" / "vestigingen_adres.csv"):
        if row["adres"] == "bezoek":
            branch_numbers[row["kvk_nummer"]].add(bag[row["nummeraanduiding_id"]]["huisnummer"])
    numbers_of: dict[str, set[str]] = defaultdict(set)  # person -> their companies' numbers
    for kvk_number, person in roles:
        numbers_of[person] |= branch_numbers[kvk_number]
    undated = [q for q in queries if q["soort"] == "persoon" and not q["geboortedatum"]]
    assert len(undated) > 40
    context = Counter()
    for query in undated:
        applied = set(query["variaties"].split("|"))
        kind = applied & {"adres_bedrijf", "bij_bedrijf", "geen_context"}
        assert len(kind) == 1, query
        context.update(kind)
        if "bij_bedrijf" in applied:
            assert (query["bij_kvk_nummer"], query["person_id"]) in roles
        if "adres_bedrijf" in applied:
            assert query["huisnummer"] in numbers_of[query["person_id"]]
    assert context["adres_bedrijf"] and context["bij_bedrijf"]
    assert context["geen_context"] < 0.25 * len(undated)
    for query in queries:
        if query["soort"] != "persoon" or query["geboortedatum"]:
            assert query["bij_kvk_nummer"] == ""
        if query["straat"] and not query["postcode"]:
            assert query["plaats"], "a street and number without postcode keeps its town"


def test_a_person_is_written_differently_across_companies(extract: Path) -> None:
    officers = _rows(extract / "kvk_functionarissen.csv")
    truth = _rows(extract / "truth" / "functionarissen.csv")
    spellings: dict[str, set[tuple[str, str, str, str]]] = defaultdict(set)
    for officer, key in zip(officers, truth, strict=True):
        spellings[key["person_id"]].add(
            (officer["voornamen"], officer["voorvoegsel"], officer["geslachtsnaam"],
             officer["geboortedatum"])
        )  # fmt: skip
    repeated = [s for s in spellings.values() if len(s) > 1]
    assert repeated, "some people are written in more than one way"


def test_a_newer_extract_changes_what_real_extracts_change(extract: Path, newer: Path) -> None:
    old = _rows(extract / "kvk_vestigingen.csv")
    new = _rows(newer / "kvk_vestigingen.csv")
    old_numbers = {r["kvk_nummer"] for r in old}
    new_numbers = {r["kvk_nummer"] for r in new}
    assert old_numbers - new_numbers, "some companies are gone from the file"
    assert new_numbers - old_numbers, "new companies"
    ended_before = {r["kvk_nummer"] for r in old if r["datum_opheffing"]}
    ended_now = {r["kvk_nummer"] for r in new if r["datum_opheffing"]}
    assert ended_now - ended_before, "some companies are dissolved"
    old_names = {r["kvk_nummer"]: r["statutaire_naam"] for r in old}
    assert any(
        old_names.get(r["kvk_nummer"], r["statutaire_naam"]) != r["statutaire_naam"] for r in new
    )
    truth = _rows(newer / "truth" / "vestigingen_adres.csv")
    assert any(r["variatie"] == "verhuisd" for r in truth)
    bag_old = {r["nummeraanduiding_id"] for r in _rows(extract / "bag_adressen.csv")}
    bag_new = {r["nummeraanduiding_id"] for r in _rows(newer / "bag_adressen.csv")}
    assert bag_old - bag_new and bag_new - bag_old
    assert {r["nummeraanduiding_id"] for r in truth} <= bag_new
    lines = (newer / "kvk_functionarissen.csv").read_text(encoding="utf-8").splitlines()
    officers_truth = _rows(newer / "truth" / "functionarissen.csv")
    assert len(officers_truth) == len(lines) - 1
    for row in officers_truth[::5]:
        assert lines[int(row["regelnummer"]) - 1].startswith(row["kvk_nummer"] + ",")
    queries = _rows(newer / "truth" / "queries.csv")
    assert len(queries) > 1000
    assert {(q["kvk_nummer"]) for q in queries if q["kvk_nummer"]} <= new_numbers
    assert {q["nummeraanduiding_id"] for q in queries if q["nummeraanduiding_id"]} <= bag_new


def test_person_dataset_has_duplicates_and_truth(tmp_path: Path) -> None:
    out = _generate(tmp_path / "p", "--persons", "3000")
    records = _rows(out / "personen.csv")
    assert _header(out / "personen.csv") == list(PERSON_COLUMNS)
    truth = {r["record_id"]: r["person_id"] for r in _rows(out / "truth" / "personen.csv")}
    assert len(records) == 3000 and set(truth) == {r["record_id"] for r in records}
    sizes = Counter(truth.values())
    assert 0.55 < len(sizes) / 3000 < 0.66
    assert set(sizes.values()) <= {1, 2, 3, 4, 5}
    clusters: dict[str, list[dict[str, str]]] = defaultdict(list)
    for record in records:
        clusters[truth[record["record_id"]]].append(record)
    pairs = [c for c in clusters.values() if len(c) > 1]
    identical = sum(
        1 for c in pairs if all(r | {"record_id": ""} == c[0] | {"record_id": ""} for r in c)
    )
    assert identical < 0.1 * len(pairs), "duplicates differ from each other"
    assert sum(1 for r in records if not r["geboortedatum"]) > 0.02 * len(records)
    assert sum(1 for r in records if not r["postcode"]) > 0.02 * len(records)


def test_bad_arguments_are_refused_in_dutch(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Onbekende gemeentecode"):
        _generate(tmp_path / "x", "--municipalities", "GM9999")
    with pytest.raises(CommandError, match="--all of --municipalities"):
        _generate(tmp_path / "y")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "file.txt").write_text("x")
    with pytest.raises(CommandError, match="niet leeg"):
        _generate(tmp_path / "full", "--all")


@pytest.mark.django_db(transaction=True)
def test_the_generated_files_import_cleanly_and_so_does_the_newer_extract(
    extract: Path, newer: Path
) -> None:
    if "import_kvk" not in get_commands() or "import_bag" not in get_commands():
        pytest.skip("the importers are not there yet")
    from weerbaar.registry.models import Address, Company, Officer

    sink = open("/dev/null", "w")  # noqa: SIM115
    for folder in (extract, newer):
        call_command("import_bag", str(folder / "bag_adressen.csv"), stdout=sink)
        call_command("import_kvk", str(folder / "kvk_vestigingen.csv"), stdout=sink)
        call_command("import_kvk", str(folder / "kvk_functionarissen.csv"), stdout=sink)
        if folder == extract:
            assert Address.objects.count() == 4000
            assert Company.objects.count() == 1400
    keys = {
        (r["kvk_nummer"], r["vestigingsnummer"])
        for folder in (extract, newer)
        for r in _rows(folder / "kvk_vestigingen.csv")
    }
    assert Company.objects.count() == len(keys), "a re-import never duplicates"
    assert Officer.objects.count() == len(_rows(newer / "kvk_functionarissen.csv"))
    gone = {r["kvk_nummer"] for r in _rows(extract / "kvk_vestigingen.csv")} - {
        r["kvk_nummer"] for r in _rows(newer / "kvk_vestigingen.csv")
    }
    assert Company.objects.filter(kvk_number__in=gone, dissolved=False).count() == 0
    assert Address.objects.filter(active=True).count() == len(_rows(newer / "bag_adressen.csv"))
