"""Entities: subjects linked to KvK/BAG records with reasons, suggestions confirmed or rejected
(and remembered), cross-references through the gates, references to other municipalities
only where the region agreed, merge and unmerge with history, and the API."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from weerbaar.audit.models import Action, AuditEntry
from weerbaar.core.testing import assert_cannot_change, assert_isolated, login, token_client
from weerbaar.entities import actions, index
from weerbaar.entities.models import Entity, EntityLink, LinkStatus, MatchDecision
from weerbaar.registry.models import Address, Company, Officer
from weerbaar.signals import actions as signal_actions

pytestmark = pytest.mark.django_db

OUTSIDERS = ("regisseur_dordrecht", "medewerker", "partner", "bestuurder", "platformbeheerder")


def company(kvk, name, postcode="3351AB", number=12, **extra):  # type: ignore[no-untyped-def]
    values = {
        "kvk_number": kvk,
        "branch_number": extra.pop("branch_number", f"0000{kvk}"),
        "name": name,
        "legal_form": "Besloten Vennootschap",
        "sbi_main": "5610",
        "registered_on": date(2025, 12, 1),
        "visit_street": "Markt",
        "visit_house_number": number,
        "visit_postcode": postcode,
        "visit_town": "Papendrecht",
        **extra,
    }
    return Company.objects.create(**values)


@pytest.fixture
def registry(db):  # type: ignore[no-untyped-def]
    Address.objects.create(
        number_designation_id="0590200000000012",
        object_id="0590010000000012",
        municipality_code="0590",
        street="Markt",
        house_number=12,
        postcode="3351AB",
        town="Papendrecht",
        uses="woonfunctie",
        floor_area=90,
    )
    hoek = company("69599084", "Snackbar De Hoek B.V.", trade_names="De Hoek")
    for n, name in enumerate(("Vastgoed Markt B.V.", "Markt Holding B.V.", "Kapsalon Markt")):
        company(f"7000000{n}", name)
    company("81234567", "Autobedrijf Van den Berg", postcode="3352CD", number=3, sbi_main="4511")
    company("81234568", "Autobedrijf Van den Berg", postcode="3352CE", number=5, sbi_main="4511")
    for kvk in ("69599084", "70000000", "70000001"):
        Officer.objects.create(
            kvk_number=kvk,
            first_names="Johannes",
            surname_prefix="van der",
            surname="Meer",
            date_of_birth=date(1971, 5, 30),
            role="bestuurder",
            person_key="p-meer",
        )
    index.rebuild()
    return hoek


def file_signal(world, *subjects, municipality=None):  # type: ignore[no-untyped-def]
    user = world["regisseur"] if municipality is None else world["regisseur_dordrecht"]
    return signal_actions.create_signal(
        user,
        signal_actions.NewSignal(
            municipality=municipality or world.papendrecht,
            channel="medewerker",
            description="Veel bezoek 's nachts bij de snackbar",
            subjects=list(subjects),
        ),
    )


HOEK = {"kind": "bedrijf", "name": "Snackbar de Hoek BV", "postcode": "3351 ab", "house_number": 12}


def links_of(signal):  # type: ignore[no-untyped-def]
    return list(EntityLink.objects.filter(signal_subject__signal=signal).select_related("entity"))


def test_subject_is_linked_to_the_registry_with_reasons(world, registry):  # type: ignore[no-untyped-def]
    signal = file_signal(world, HOEK)
    [link] = [lk for lk in links_of(signal) if lk.status == LinkStatus.AUTO]
    assert link.entity.key == "kvk:69599084"
    assert link.entity.from_registry
    assert link.score >= actions.AUTO_LINK
    assert link.reasons and all(r["text"] for r in link.reasons)


def test_signal_page_shows_enrichment_facts_with_source(world, registry):  # type: ignore[no-untyped-def]
    signal = file_signal(world, HOEK)
    page = login(Client(), world["analist"]).get(reverse("signals:detail", args=[signal.pk]))
    body = page.content.decode()
    assert "Verrijking uit KvK en BAG" in body
    assert "Snackbar De Hoek B.V." in body
    assert "Ingeschreven sinds 01-12-2025" in body
    assert "3 andere bedrijven ingeschreven op hetzelfde adres" in body
    assert "Bedrijf op een adres met alleen een woonfunctie" in body
    assert "ook functionaris bij 2 andere bedrijven" in body
    assert "bron: KvK Handelsregister" in body


def test_ambiguous_name_becomes_suggestions_and_a_decision_is_remembered(world, registry):  # type: ignore[no-untyped-def]
    vague = {"kind": "bedrijf", "name": "Autobedrijf v.d. Berg"}
    first = file_signal(world, vague)
    suggestions = [lk for lk in links_of(first) if lk.status == LinkStatus.SUGGESTED]
    assert {lk.entity.key for lk in suggestions} >= {"kvk:81234567", "kvk:81234568"}
    wrong = next(lk for lk in suggestions if lk.entity.key == "kvk:81234568")
    right = next(lk for lk in suggestions if lk.entity.key == "kvk:81234567")
    client = login(Client(), world["analist"])
    url = reverse("entities:decide-link", args=[wrong.pk])
    assert client.post(url, {"besluit": "afwijzen"}).status_code == 302
    client.post(reverse("entities:decide-link", args=[right.pk]), {"besluit": "bevestigen"})
    right.refresh_from_db()
    assert right.status == LinkStatus.CONFIRMED and right.decided_by == world["analist"]
    assert MatchDecision.objects.filter(entity__key="kvk:81234568", confirmed=False).exists()
    # A later signal about the same subject: the verdicts apply without asking again.
    later = links_of(file_signal(world, vague))
    assert [lk.entity.key for lk in later if lk.status == LinkStatus.CONFIRMED] == ["kvk:81234567"]
    assert not [lk for lk in later if lk.entity.key == "kvk:81234568"]
    assert (
        AuditEntry.objects.filter(action=Action.UPDATE, object_type="entities.EntityLink").count()
        == 2
    )


def test_address_and_vehicle_subjects_link(world, registry):  # type: ignore[no-untyped-def]
    address = {"kind": "adres", "street": "Markt", "house_number": 12, "postcode": "3351AB"}
    car = {"kind": "voertuig", "licence_plate": "12-ab-34"}
    one = file_signal(world, address, car)
    two = file_signal(world, {"kind": "voertuig", "licence_plate": "12AB34"})
    keys = {lk.entity.key for lk in links_of(one) if lk.status == LinkStatus.AUTO}
    assert "bag:0590200000000012" in keys
    [plate] = [k for k in keys if k.startswith("kenteken:")]
    assert [lk.entity.key for lk in links_of(two)] == [plate]


def test_a_plate_that_is_not_dutch_still_gets_a_key_that_fits_in_a_url() -> None:
    # Forms refuse such plates; data that bypassed them (older imports) must not break URLs.
    from weerbaar.entities.resolve import local_key
    from weerbaar.signals.models import Subject

    foreign = Subject(kind="voertuig", licence_plate="B/MX 1234 (D)")
    assert local_key(foreign) == "kenteken:BMX1234D"
    assert reverse("entities:detail", args=[local_key(foreign)])
    assert local_key(Subject(kind="voertuig", licence_plate="12-ab-34")) == "kenteken:12AB34"
    assert local_key(Subject(kind="voertuig", licence_plate="//")) == ""  # nothing to key on


def test_entity_page_cross_references_respect_the_gates(world, registry):  # type: ignore[no-untyped-def]
    signal = file_signal(world, HOEK)
    url = reverse("entities:detail", args=["kvk:69599084"])
    assert_isolated(
        url,
        owner=world["analist"],
        outsiders=[world[name] for name in OUTSIDERS],
        markers=[signal.reference],
    )


def test_reference_to_another_municipality_only_when_the_region_agreed(world, registry):  # type: ignore[no-untyped-def]
    signal = file_signal(world, HOEK)
    client = login(Client(), world["regisseur_dordrecht"])
    file_signal(world, HOEK, municipality=world.dordrecht)
    url = reverse("entities:detail", args=["kvk:69599084"])
    assert "Ook bekend bij gemeente" not in client.get(url).content.decode()
    world.region.shares_references = True
    world.region.save()
    body = client.get(url).content.decode()
    assert "Ook bekend bij gemeente <strong>Papendrecht</strong>" in body
    assert world["regisseur"].email in body
    assert signal.reference not in body  # a reference, never the content


def test_merge_and_unmerge_keep_history(world, registry):  # type: ignore[no-untyped-def]
    one = file_signal(
        world, {"kind": "persoon", "name": "Piet Jansen", "date_of_birth": date(1980, 1, 2)}
    )
    two = file_signal(
        world, {"kind": "persoon", "name": "P. Janssen", "date_of_birth": date(1980, 1, 2)}
    )
    [a] = [lk.entity for lk in links_of(one)]
    [b] = [lk.entity for lk in links_of(two)]
    assert a != b
    analist = world["analist"]
    file_signal(world, HOEK)
    with pytest.raises(ValidationError, match="dezelfde soort"):
        actions.merge(analist, a, Entity.objects.get(key="kvk:69599084"), "zelfde persoon")
    merge = actions.merge(analist, b, a, "Zelfde geboortedatum, typefout in achternaam")
    page = login(Client(), analist).get(reverse("entities:detail", args=[a.key])).content.decode()
    assert one.reference in page and two.reference in page
    assert "Zelfde geboortedatum, typefout in achternaam" in page
    actions.unmerge(analist, merge)
    b.refresh_from_db()
    assert b.merged_into is None
    merge.refresh_from_db()
    assert merge.undone_by == analist
    page = login(Client(), analist).get(reverse("entities:detail", args=[a.key])).content.decode()
    assert two.reference not in page
    with pytest.raises(PermissionDenied):
        actions.merge(world["regisseur_dordrecht"], b, a, "poging")


def test_merge_form_errors_are_dutch_and_keep_input(world, registry):  # type: ignore[no-untyped-def]
    one = file_signal(world, {"kind": "voertuig", "licence_plate": "99-xx-99"})
    [entity] = [lk.entity for lk in links_of(one)]
    response = login(Client(), world["analist"]).post(
        reverse("entities:merge", args=[entity.key]),
        {"samenvoegen-target": "kvk:69599084", "samenvoegen-reason": "test"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        "Alleen entiteiten van dezelfde soort" in body or "Geen entiteit met deze sleutel" in body
    )
    assert 'value="kvk:69599084"' in body


def test_outsiders_cannot_decide_links(world, registry):  # type: ignore[no-untyped-def]
    signal = file_signal(world, {"kind": "bedrijf", "name": "Autobedrijf v.d. Berg"})
    link = next(lk for lk in links_of(signal) if lk.status == LinkStatus.SUGGESTED)
    assert_cannot_change(
        reverse("entities:decide-link", args=[link.pk]),
        {"besluit": "bevestigen"},
        outsiders=[world[name] for name in ("regisseur_dordrecht", "medewerker", "partner")],
        unchanged=lambda: EntityLink.objects.get(pk=link.pk).status,
    )


def test_search_finds_registry_records_with_reasons(world, registry):  # type: ignore[no-untyped-def]
    client = login(Client(), world["analist"])
    body = client.get(reverse("entities:search"), {"q": "snackbar de hoek"}).content.decode()
    assert "Snackbar De Hoek B.V. (KvK 69599084)" in body
    body = client.get(reverse("entities:search"), {"q": "3351 AB 12"}).content.decode()
    assert "Markt 12" in body
    for name in ("medewerker", "partner", "bestuurder"):
        assert login(Client(), world[name]).get(reverse("entities:search")).status_code == 403


def test_api_entities_links_and_decisions(world, registry):  # type: ignore[no-untyped-def]
    signal = file_signal(world, HOEK, {"kind": "bedrijf", "name": "Autobedrijf v.d. Berg"})
    api = token_client(world["analist"])
    found = api.get("/api/v1/entities/", {"q": "Snackbar de Hoek"}).json()
    assert found[0]["key"] == "kvk:69599084" and found[0]["reasons"]
    detail = api.get("/api/v1/entities/kvk:69599084/").json()
    assert signal.reference in detail["signals"]
    assert any("hetzelfde adres" in f["text"] for f in detail["facts"])
    links = api.get(
        "/api/v1/entity-links/", {"signal": signal.reference, "status": "voorstel"}
    ).json()
    pk = links["results"][0]["id"] if isinstance(links, dict) else links[0]["id"]
    confirmed = api.post(f"/api/v1/entity-links/{pk}/confirm/").json()
    assert confirmed["status"] == "bevestigd"
    assert_isolated(
        "/api/v1/entities/kvk:69599084/",
        owner=world["analist"],
        outsiders=[world[name] for name in ("regisseur_dordrecht", "partner")],
        markers=[signal.reference],
        api=True,
    )
    assert_isolated(
        f"/api/v1/entity-links/?signal={signal.reference}",
        owner=world["analist"],
        outsiders=[world[name] for name in ("regisseur_dordrecht", "partner")],
        markers=[signal.reference],
        api=True,
    )


def test_officers_written_differently_become_one_person(db):  # type: ignore[no-untyped-def]
    from weerbaar.entities.persons import resolve_officers

    same = [
        ("Johannes", "van der", "Meer", date(1971, 5, 30)),
        ("J.", "v.d.", "Meer", date(1971, 5, 30)),
        ("Johannes", "", "Van Der Meer", date(1971, 5, 30)),
    ]
    others = [
        ("Johannes", "van der", "Meer", date(1948, 2, 11)),  # his father
        ("Fatima", "", "El Amrani", date(1985, 9, 1)),
        ("Pieter", "de", "Vries", date(1990, 12, 24)),
        ("Anna", "", "Bakker", date(1979, 3, 3)),
    ]
    rows = same + others
    for n, (first, prefix, surname, born) in enumerate(rows):
        Officer.objects.create(
            kvk_number=f"8000000{n}",
            first_names=first,
            surname_prefix=prefix,
            surname=surname,
            date_of_birth=born,
            role="bestuurder",
        )
    assert resolve_officers() == len(rows)
    keys = list(Officer.objects.order_by("pk").values_list("person_key", flat=True))
    assert len(set(keys[:3])) == 1
    assert len(set(keys)) == 1 + len(others)
    assert resolve_officers() == 0  # stable
