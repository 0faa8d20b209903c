"""The lookup index finds registry records from what an analist types: names with a slip,
a street without postcode, a company known only by its postal address, a person whose surname
starts with a word that is no particle; the index is rebuilt per target."""

from __future__ import annotations

from datetime import date

import pytest

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
