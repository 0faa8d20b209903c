"""Signals: filing, deadlines, the workflow, the gate and triage through the pages."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weerbaar.audit.models import Action, AuditEntry
from weerbaar.core.testing import assert_cannot_change, assert_isolated, login
from weerbaar.signals import actions
from weerbaar.signals.deadlines import add_working_days, first_read_due
from weerbaar.signals.models import Phenomenon, Signal, StatusChange
from weerbaar.signals.workflow import Status

pytestmark = pytest.mark.django_db


def file(world, by="medewerker", description="Verdachte loods met dichtgeplakte ramen", **kwargs):  # type: ignore[no-untyped-def]
    user = world[by]
    new = actions.NewSignal(
        municipality=kwargs.pop("municipality", user.municipality or world.papendrecht),
        channel=kwargs.pop("channel", "medewerker"),
        description=description,
        **kwargs,
    )
    return actions.create_signal(user, new)


def test_working_days_skip_weekends_and_dutch_holidays():
    assert add_working_days(date(2026, 4, 2), 1) == date(
        2026, 4, 7
    )  # Good Friday, weekend, Easter Monday
    assert add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)  # Friday → Monday
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)  # Christmas


def test_filing_numbers_dates_and_logs(world):
    with time_machine.travel(
        datetime(2026, 11, 20, 16, 0, tzinfo=timezone.get_current_timezone()), tick=False
    ):
        first = file(world)
        second = file(world, by="regisseur")
    assert first.reference == "GM0590-2026-00001" and second.reference == "GM0590-2026-00002"
    assert timezone.localtime(first.first_read_due).date() == date(2026, 11, 23)
    assert first.status == Status.NEW and first.created_by == world["medewerker"]
    assert StatusChange.objects.filter(signal=first, to_status=Status.NEW).count() == 1
    entry = AuditEntry.objects.get(action=Action.CREATE, object_id=str(first.pk))
    assert entry.object_type == "signals.Signal" and entry.municipality == world.papendrecht
    assert "Verdachte" not in entry.canonical().decode()  # no content in the log


def test_bad_input_gets_dutch_messages_and_saves_nothing(world):
    with pytest.raises(ValidationError) as exc:
        file(
            world,
            location={"postcode": "0123 AB"},
            subjects=[
                {"kind": "bedrijf", "kvk_number": "123"},
                {"kind": "voertuig", "licence_plate": "XYZ"},
            ],
        )
    assert "postcode" in str(exc.value) or "Geen geldige postcode" in str(exc.value)
    assert (
        not Signal.objects.exists() and not AuditEntry.objects.filter(action=Action.CREATE).exists()
    )
    with pytest.raises(ValidationError, match="KvK-nummer bestaat uit 8 cijfers"):
        actions.clean_subject({"kind": "bedrijf", "kvk_number": "123"})
    with pytest.raises(ValidationError, match="Geen Nederlands kenteken"):
        actions.clean_subject({"kind": "voertuig", "licence_plate": "XYZ"})
    with pytest.raises(ValidationError, match="toekomst"):
        actions.clean_subject({"kind": "persoon", "name": "A", "date_of_birth": date(2999, 1, 1)})
    assert (
        actions.clean_subject({"kind": "voertuig", "licence_plate": "12-abc-3"})["licence_plate"]
        == "12ABC3"
    )


def test_subjects_get_match_keys(world):
    signal = file(
        world,
        subjects=[
            {
                "kind": "adres",
                "postcode": "3351 ab",
                "house_number": 12,
                "house_number_addition": "a",
            },
            {"kind": "bedrijf", "name": "Kapsalon X", "kvk_number": "12345678"},
        ],
    )
    assert sorted(signal.subjects.values_list("match_key", flat=True)) == [
        "adres:3351AB:12:a",
        "bedrijf:kvk:12345678",
    ]


def test_only_own_municipality_and_roles_that_report(world):
    with pytest.raises(PermissionDenied):
        file(world, by="medewerker", municipality=world.dordrecht)
    with pytest.raises(PermissionDenied):
        file(world, by="bestuurder")


def test_gate(world):
    mine = file(world, by="medewerker")
    colleague = file(world, by="regisseur", description="Van een collega")
    other = file(world, by="regisseur_dordrecht", description="In Dordrecht")
    visible = lambda who: set(Signal.objects.for_user(world[who]))
    assert visible("regisseur") == visible("analist") == {mine, colleague}
    assert visible("medewerker") == {mine}
    assert visible("regisseur_dordrecht") == {other}
    for who in ("bestuurder", "beheerder", "regionaal_analist", "platformbeheerder", "partner"):
        assert visible(who) == set(), who
    actions.update_triage(world["regisseur"], colleague, shared_with=[world.police])
    assert visible("partner") == {colleague}


def test_workflow_follows_the_table_and_keeps_history(world):
    signal = file(world)
    regisseur = world["regisseur"]
    with pytest.raises(ValidationError, match="kan een signaal niet"):
        actions.change_status(regisseur, signal, Status.ON_LIO_AGENDA)
    for target in (
        Status.IN_PROGRESS,
        Status.ENRICHED,
        Status.ON_LIO_AGENDA,
        Status.DECIDED,
        Status.CLOSED,
    ):
        signal = actions.change_status(regisseur, signal, target, note="stap")
    assert signal.closed_at is not None
    assert list(signal.history.values_list("to_status", flat=True)) == [
        "nieuw",
        "in_behandeling",
        "verrijkt",
        "lio",
        "besloten",
        "afgesloten",
    ]
    change = signal.history.last()
    with pytest.raises(PermissionError):
        change.save()
    with pytest.raises(PermissionDenied):
        actions.change_status(world["medewerker"], signal, Status.IN_PROGRESS)
    with pytest.raises(PermissionDenied):
        actions.change_status(world["regisseur_dordrecht"], signal, Status.IN_PROGRESS)


def test_staff_form_round_trip(world):
    medewerker = login(Client(), world["medewerker"])
    form = medewerker.get(reverse("signals:create")).content.decode()
    assert "Signaalkaarten" in form and "Hennepteelt" in form
    hemp = Phenomenon.objects.get(code="hennepteelt")
    data = {
        "description": "Warme ramen en gezoem bij de loods",
        "phenomena": [hemp.pk],
        "postcode": "3351 AB",
        "house_number": "12",
        "betrokkene-TOTAL_FORMS": "1",
        "betrokkene-INITIAL_FORMS": "0",
        "betrokkene-0-kind": "voertuig",
        "betrokkene-0-role": "gebruiker",
        "betrokkene-0-licence_plate": "12-ABC-3",
    }
    response = medewerker.post(reverse("signals:create"), data)
    assert response.status_code == 302
    signal = Signal.objects.get()
    assert signal.postcode == "3351AB" and signal.subjects.get().licence_plate == "12ABC3"
    own = medewerker.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert "Ontvangen" in own and "Verrijkt" not in own and "12ABC3" not in own  # coarse view only

    regisseur = login(Client(), world["regisseur"])
    queue = regisseur.get(reverse("signals:list")).content.decode()
    assert signal.reference in queue and "lezen vóór" in queue
    page = regisseur.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert "12ABC3" in page and "Hennepteelt" in page
    signal.refresh_from_db()
    assert signal.first_read_at is not None and signal.follow_up_due is not None
    regisseur.post(
        reverse("signals:status", args=[signal.pk]),
        {"target": "in_behandeling", "note": "Opgepakt"},
    )
    regisseur.post(reverse("signals:assign", args=[signal.pk]), {"handler": world["analist"].pk})
    signal.refresh_from_db()
    assert (signal.status, signal.handler) == ("in_behandeling", world["analist"])
    assert (
        "In behandeling"
        in medewerker.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    )


def test_staff_form_errors_keep_input(world):
    client = login(Client(), world["medewerker"])
    data = {
        "description": "Iets vreemds",
        "postcode": "99",
        "betrokkene-TOTAL_FORMS": "1",
        "betrokkene-INITIAL_FORMS": "0",
        "betrokkene-0-kind": "bedrijf",
        "betrokkene-0-role": "eigenaar",
        "betrokkene-0-kvk_number": "12",
    }
    response = client.post(reverse("signals:create"), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Iets vreemds" in body and "8 cijfers" in body
    assert not Signal.objects.exists()


def test_pages_are_isolated(world):
    signal = file(world, description="Papendrecht-geheim")
    detail = reverse("signals:detail", args=[signal.pk])
    outsiders = [
        world["regisseur_dordrecht"],
        world["bestuurder"],
        world["partner"],
        world["regionaal_analist"],
        world["platformbeheerder"],
    ]
    assert_isolated(
        detail, owner=world["regisseur"], outsiders=outsiders, markers=["Papendrecht-geheim"]
    )
    assert_isolated(
        reverse("signals:list"),
        owner=world["analist"],
        outsiders=[world["regisseur_dordrecht"]],
        markers=[signal.reference],
    )
    other_filer = file(world, by="regisseur", description="Van de regisseur")
    assert_isolated(
        reverse("signals:detail", args=[other_filer.pk]),
        owner=world["regisseur"],
        outsiders=[world["medewerker"]],
        markers=["Van de regisseur"],
    )


def test_triage_actions_are_closed_to_others(world):
    signal = file(world)
    state = lambda: (
        Signal.objects.filter(pk=signal.pk).values_list("status", "handler_id", "priority").get()
    )
    outsiders = [
        world["regisseur_dordrecht"],
        world["medewerker"],
        world["partner"],
        world["bestuurder"],
    ]
    assert_cannot_change(
        reverse("signals:status", args=[signal.pk]),
        {"target": "in_behandeling"},
        outsiders=outsiders,
        unchanged=state,
    )
    assert_cannot_change(
        reverse("signals:assign", args=[signal.pk]),
        {"handler": world["regisseur"].pk},
        outsiders=outsiders,
        unchanged=state,
    )
    assert_cannot_change(
        reverse("signals:triage", args=[signal.pk]),
        {"priority": "urgent"},
        outsiders=outsiders,
        unchanged=state,
    )


def test_first_read_due_uses_setting(settings):
    settings.SIGNAL_FIRST_READ_WORKING_DAYS = 2
    received = timezone.make_aware(datetime(2026, 11, 23, 9, 0))
    assert timezone.localtime(first_read_due(received)).date() == date(2026, 11, 25)


def test_reporter_identity_is_kept_apart_and_shown_to_the_regisseur_only(world):
    client = login(Client(), world["medewerker"])
    data = {
        "description": "Buurvrouw zag een busje",
        "reporter_name": "Mevrouw Voorbeeld",
        "reporter_phone": "0612345678",
        "betrokkene-TOTAL_FORMS": "0",
        "betrokkene-INITIAL_FORMS": "0",
    }
    assert client.post(reverse("signals:create"), data).status_code == 302
    signal = Signal.objects.get()
    assert signal.reporter.name == "Mevrouw Voorbeeld"
    assert "Mevrouw Voorbeeld" not in signal.description
    url = reverse("signals:detail", args=[signal.pk])
    assert "Mevrouw Voorbeeld" in login(Client(), world["regisseur"]).get(url).content.decode()
    assert "Mevrouw Voorbeeld" not in login(Client(), world["analist"]).get(url).content.decode()
    assert "Mevrouw Voorbeeld" not in client.get(url).content.decode()
    assert AuditEntry.objects.filter(
        action=Action.READ, object_type="signals.ReporterIdentity"
    ).exists()


def test_triage_adds_a_subject_and_hits_follow(world):
    first = file(
        world, subjects=[{"kind": "bedrijf", "name": "Kapsalon", "kvk_number": "12345678"}]
    )
    second = file(world, by="regisseur", description="Later signaal")
    client = login(Client(), world["regisseur"])
    response = client.post(
        reverse("signals:subject_add", args=[second.pk]),
        {"nieuw-kind": "bedrijf", "nieuw-role": "eigenaar", "nieuw-kvk_number": "1234 5678"},
    )
    assert response.status_code == 302
    page = client.get(reverse("signals:detail", args=[second.pk])).content.decode()
    assert first.reference in page  # now a hit on the KvK number
    bad = client.post(
        reverse("signals:subject_add", args=[second.pk]),
        {"nieuw-kind": "bedrijf", "nieuw-role": "eigenaar", "nieuw-kvk_number": "12"},
        follow=True,
    )
    assert "8 cijfers" in bad.content.decode()
    assert second.subjects.count() == 1
    outsider = login(Client(), world["regisseur_dordrecht"])
    assert (
        outsider.post(
            reverse("signals:subject_add", args=[second.pk]),
            {"nieuw-kind": "bedrijf", "nieuw-role": "eigenaar", "nieuw-name": "x"},
        ).status_code
        == 404
    )


def test_outline_for_the_location_map(world):
    from weerbaar.organisations.models import Boundary

    Boundary.objects.create(
        level="gemeente",
        code="GM0590",
        name="Papendrecht",
        geometry={"type": "Point", "coordinates": [4.69, 51.83]},
        min_lon=4.6,
        min_lat=51.8,
        max_lon=4.7,
        max_lat=51.9,
    )
    data = login(Client(), world["medewerker"]).get(reverse("signals:outline")).json()
    assert data["features"][0]["properties"]["name"] == "Papendrecht"
    other = login(Client(), world["regisseur_dordrecht"]).get(reverse("signals:outline")).json()
    assert other["features"] == []
    assert login(Client(), world["partner"]).get(reverse("signals:outline")).status_code == 403
