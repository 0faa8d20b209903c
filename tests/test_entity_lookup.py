"""The lookup index finds registry records from what an analist types: names with a slip,
a street without postcode, a company known only by its postal address, a person whose surname
starts with a word that is no particle; the index is rebuilt per target."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from weerbaar.entities import index, resolve
from weerbaar.entities.models import LookupKey
from weerbaar.registry.models import Address, Company, Officer
from weerbaar.signals.models import Subject

pytestmark = pytest.mark.django_db


def company(kvk: str, name: str, **extra: object) -> Company:
    return Company.objects.create(
        kvk_number=kvk,
        branch_number=f"0000{kvk}",
        name=name,
        legal_form="Besloten Vennootschap",
        **extra,
    )


def address(nd: str, street: str, number: int, postcode: str, town: str) -> Address:
    return Address.objects.create(
        number_designation_id=nd,
        object_id=nd,
        municipality_code="0590",
        street=street,
        house_number=number,
        postcode=postcode,
        town=town,
    )


@pytest.fixture
def registry(db: None) -> None:
    address("0590200000000001", "Burgemeester de Jongstraat", 7, "3351AB", "Papendrecht")
    address("0590200000000002", "Burgemeester de Jongstraat", 7, "3312CD", "Dordrecht")
    company(
        "11111111",
        "Kompas Interim B.V.",
        visit_street="Burgemeester de Jongstraat",
        visit_house_number=7,
        visit_postcode="3351AB",
        visit_town="Papendrecht",
    )
    company(
        "22222222",
        "Vereniging van Eigenaars Gebouw Het Hof",
        postal_street="Eemhof",
        postal_house_number=4,
        postal_postcode="1673ED",
        postal_town="Haarlem",
    )
    Officer.objects.create(
        kvk_number="11111111",
        first_names="Mourad",
        surname="El Moussaoui",
        date_of_birth=date(1971, 7, 27),
        role="eigenaar",
        person_key="p-mourad",
    )
    Officer.objects.create(
        kvk_number="11111111",
        first_names="R.",
        surname="Tran",
        date_of_birth=date(1992, 12, 6),
        role="bestuurder",
        person_key="p-tran",
    )
    index.rebuild()


def keys_for(**fields: object) -> list[str]:
    return [c.key for c in resolve.candidates(Subject(**fields))]


LONG = "Stichting tot Bevordering van de Belangen der Bewoners van het Oude Centrum Noordoost en Omstreken"


def test_company_with_a_typo_and_no_address(registry: None) -> None:
    assert keys_for(kind="bedrijf", name="Konpas Interim")[:1] == ["kvk:11111111"]
    assert keys_for(kind="bedrijf", name="kompas interrim bv")[:1] == ["kvk:11111111"]
    company("33333333", LONG)
    index.rebuild([LookupKey.Target.COMPANY])
    assert keys_for(kind="bedrijf", name=LONG.upper())[:1] == ["kvk:33333333"]


def test_street_and_town_without_postcode(registry: None) -> None:
    found = keys_for(kind="adres", street="Burg. de Jongstr.", house_number=7, city="Dordrecht")
    assert found[0] == "bag:0590200000000002"
    company_found = keys_for(
        kind="bedrijf",
        name="Interim",
        street="Burgemeester de Jongstraat",
        house_number=7,
        city="Papendrecht",
    )
    assert "kvk:11111111" in company_found


@pytest.mark.parametrize("postcode", ["1011AB", "9901AB", "9999ZZ"])
def test_street_keys_cover_every_postcode(registry: None, postcode: str) -> None:
    # The street pages go by the first two digits; 99xx once fell after the last page.
    address("1880200000000009", "Hoofdstraat", 3, postcode, "Appingedam")
    index.rebuild([LookupKey.Target.STREET])
    found = keys_for(kind="adres", street="Hoofdstraat", house_number=3, city="Appingedam")
    assert found[:1] == ["bag:1880200000000009"]


def test_company_known_only_by_its_postal_address(registry: None) -> None:
    found = resolve.candidates(
        Subject(kind="bedrijf", name="VvE Het Hof", postcode="1673 ed", house_number=4)
    )
    assert found[0].key == "kvk:22222222"
    assert any(r["text"] == "Zelfde postcode en huisnummer" for r in found[0].reasons)


def test_person_surname_with_a_leading_word_and_date_typos(registry: None) -> None:
    assert keys_for(kind="persoon", name="Mourad El Moussaoui")[:1] == ["persoon:p-mourad"]
    tran = resolve.candidates(
        Subject(kind="persoon", name="Rania Tan", date_of_birth=date(1992, 12, 6))
    )
    assert tran[0].key == "persoon:p-tran"
    swapped = keys_for(kind="persoon", name="R. Tran", date_of_birth=date(1992, 6, 12))
    assert swapped[:1] == ["persoon:p-tran"]


def test_rebuild_one_target_keeps_the_others(registry: None) -> None:
    before = dict(
        (target, LookupKey.objects.filter(target=target).count()) for target in ("c", "o", "s")
    )
    assert all(before.values())
    written = index.rebuild([LookupKey.Target.OFFICER])
    assert written == {"o": before["o"]}
    after = {t: LookupKey.objects.filter(target=t).count() for t in ("c", "o", "s")}
    assert after == before


def test_person_without_date_of_birth_found_through_their_company(registry: None) -> None:
    for n, first in enumerate(["Erkan", "Ebru", "Elif", "Emre"]):
        Officer.objects.create(
            kvk_number=f"4444444{n}",
            first_names=first,
            surname="Kaya",
            role="eigenaar",
            person_key=f"p-kaya-{n}",
        )
    Officer.objects.create(
        kvk_number="55555555", first_names="Erkan", surname="Kara", role="eigenaar",
        person_key="p-kara",
    )  # fmt: skip
    index.rebuild([LookupKey.Target.OFFICER])
    # A slip in a short surname ("Kata"), no date of birth: the company names the person.
    found = resolve.candidates(Subject(kind="persoon", name="E. Kata", kvk_number="55555555"))
    assert found[0].key == "persoon:p-kara"
    assert any(r["text"] == "Functionaris van dit bedrijf" for r in found[0].reasons)
    without = keys_for(kind="persoon", name="E. Kata")
    assert without[:1] != ["persoon:p-kara"], "the name alone does not single Erkan Kara out"


def test_surname_of_several_words_after_initials(registry: None) -> None:
    Officer.objects.create(
        kvk_number="66666666", first_names="Pieter", surname="Tjon A Fong", role="vennoot",
        person_key="p-tjon",
    )  # fmt: skip
    Officer.objects.create(
        kvk_number="66666667", first_names="Parisa", surname="Fong", role="vennoot",
        person_key="p-fong",
    )  # fmt: skip
    index.rebuild([LookupKey.Target.OFFICER])
    assert keys_for(kind="persoon", name="P Tjon A Fong", kvk_number="66666666")[:1] == [
        "persoon:p-tjon"
    ]
    assert keys_for(kind="persoon", name="P. Tjon A Fong")[:1] == ["persoon:p-tjon"]


def test_abbreviated_title_in_a_street_without_postcode(registry: None) -> None:
    address("0590200000000003", "Professor Rietmategracht", 52, "1926AE", "Amsterdam")
    address("0590200000000004", "Rietmategracht", 52, "1927AB", "Amsterdam")
    index.rebuild([LookupKey.Target.STREET])
    found = keys_for(kind="adres", street="Prof. Rietmategracht", house_number=52, city="Amsterdam")
    assert found[:1] == ["bag:0590200000000003"]
    address("0590200000000005", "Smidsplein", 50, "3411AB", "Lopik")
    index.rebuild([LookupKey.Target.STREET])
    found = keys_for(kind="adres", street="Smidspl.", house_number=50, city="Lopik")
    assert found[:1] == ["bag:0590200000000005"]


def test_a_typo_that_leaves_only_a_common_half_of_the_name(registry: None) -> None:
    # 120 names that share the second half ("erbouw") with the one sought, created first.
    letters = "bcdfghklmnprstvwz"
    for n in range(120):
        head = "".join(letters[(n * 7 + k * 3) % len(letters)] for k in range(3)) + "ing"
        company(f"7{n:07d}", f"{head.capitalize()}erbouw")
    company("79999999", "Sprenger Bouw")
    index.rebuild([LookupKey.Target.COMPANY])
    # "Sorenger": the first half is spoilt, the second is shared by all 121.
    assert "kvk:79999999" in keys_for(kind="bedrijf", name="Sorenger Bouw")[:3]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the table swap is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_rewrite_refuses_a_table_whose_constraints_it_would_drop() -> None:
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE swap_probe (id bigint PRIMARY KEY, n int CHECK (n >= 0))")
        try:
            with pytest.raises(RuntimeError, match="swap_probe_n_check"):
                index.rewrite_table(cursor, "swap_probe", "INSERT INTO {build} VALUES (1, 1)")
            cursor.execute("SELECT to_regclass('swap_probe_build')")
            assert cursor.fetchone() == (None,)  # nothing left half-made
        finally:
            cursor.execute("DROP TABLE swap_probe")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the table swap is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_rewrite_keeps_the_privileges_other_roles_have_on_the_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user"
        )
        if not cursor.fetchone()[0]:
            pytest.skip("the test database user cannot create a role")
        cursor.execute("CREATE ROLE weerbaar_swap_reader NOLOGIN")
        cursor.execute(
            "CREATE TABLE swap_probe (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY)"
        )
        try:
            cursor.execute("GRANT SELECT, INSERT ON swap_probe TO weerbaar_swap_reader")
            cursor.execute("GRANT USAGE ON SEQUENCE swap_probe_id_seq TO weerbaar_swap_reader")
            index.rewrite_table(cursor, "swap_probe", "INSERT INTO {build} VALUES (1)")
            cursor.execute(
                "SELECT has_table_privilege('weerbaar_swap_reader', 'swap_probe', 'SELECT'), "
                "has_table_privilege('weerbaar_swap_reader', 'swap_probe', 'INSERT'), "
                "has_table_privilege('weerbaar_swap_reader', 'swap_probe', 'DELETE'), "
                "has_sequence_privilege('weerbaar_swap_reader', 'swap_probe_id_seq', 'USAGE')"
            )
            assert cursor.fetchone() == (True, True, False, True)
            cursor.execute("SELECT count(*) FROM swap_probe")
            assert cursor.fetchone() == (1,)
        finally:
            cursor.execute("DROP TABLE IF EXISTS swap_probe")
            cursor.execute("DROP ROLE weerbaar_swap_reader")
