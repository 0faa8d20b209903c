"""Integral inspections: planning against a yearly target, the target list, findings that
become signals, need-to-know for partners, and Dutch errors that keep the input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from weerbaar.accounts.roles import Perm
from weerbaar.audit.models import Action, AuditEntry
from weerbaar.cases import actions as case_actions
from weerbaar.core.testing import assert_cannot_change, assert_isolated, login, token_client
from weerbaar.inspections import actions
from weerbaar.inspections.models import (
    Finding,
    Inspection,
    InspectionObject,
    InspectionTarget,
    StatusChange,
)
from weerbaar.inspections.stats import held_against_target
from weerbaar.signals import actions as signal_actions
from weerbaar.signals.models import Signal

from .factories import PartnerOrganisationFactory

pytestmark = pytest.mark.django_db

TODAY = "2026-06-15 10:00:00"
OUTSIDERS = (
    "regisseur_dordrecht",
    "medewerker",
    "bestuurder",
    "beheerder",
    "regionaal_analist",
    "platformbeheerder",
)


def plan(world, title="Controle bedrijventerrein Oost", **kwargs):  # type: ignore[no-untyped-def]
    return actions.plan_inspection(
        world["regisseur"],
        world.papendrecht,
        kind=kwargs.pop("kind", "planmatig"),
        title=title,
        planned_on=kwargs.pop("planned_on", timezone.localdate() - timedelta(days=2)),
        **kwargs,
    )


def add_target(world, inspection, **values):  # type: ignore[no-untyped-def]
    values = values or {
        "name": "Autobedrijf De Snelle Draai",
        "kvk_number": "8765 4321",
        "street": "Industrieweg",
        "house_number": 12,
        "postcode": "3356 lk",
        "city": "Papendrecht",
    }
    return actions.add_object(world["regisseur"], inspection, values)


def hold(world, inspection, held_on=None):  # type: ignore[no-untyped-def]
    return actions.change_status(
        world["regisseur"], inspection, "gehouden", held_on=held_on or timezone.localdate()
    )


FINDING = {
    "violations_found": True,
    "violations": "Geen omgevingsvergunning voor de spuiterij",
    "observations": "Acht auto's zonder kenteken in de werkplaats; geen administratie",
    "follow_up": "last_onder_dwangsom",
    "follow_up_note": "",
}


@time_machine.travel(TODAY, tick=False)
def test_plan_hold_and_record_a_finding(world):
    inspection = plan(world, partners=[world.police])
    assert inspection.reference == "GM0590-CTL-2026-0001" and inspection.status == "gepland"
    target = add_target(world, inspection)
    assert target.kvk_number == "87654321" and target.postcode == "3356LK"
    assert target.match_key == "bedrijf:kvk:87654321"
    with pytest.raises(ValidationError) as exc:  # findings only once held
        actions.record_finding(world["regisseur"], target, FINDING)
    assert "gehouden" in str(exc.value)
    inspection = hold(world, inspection)
    assert inspection.held_on == date(2026, 6, 15)
    finding = actions.record_finding(world["analist"], target, FINDING)
    assert finding.violations_found and finding.follow_up == "last_onder_dwangsom"
    # Correcting it edits the same finding.
    again = actions.record_finding(world["analist"], target, {**FINDING, "follow_up": "sluiting"})
    assert again.pk == finding.pk and Finding.objects.count() == 1
    with pytest.raises(ValidationError) as exc:
        actions.change_status(world["regisseur"], inspection, "afgerond")
    assert "Vat de resultaten samen" in str(exc.value)
    done = actions.change_status(
        world["regisseur"], inspection, "afgerond", results_summary="1 overtreding, 1 sluiting"
    )
    assert done.status == "afgerond"
    assert list(
        StatusChange.objects.filter(inspection=inspection).values_list("to_status", flat=True)
    ) == ["gepland", "gehouden", "afgerond"]
    audited = set(
        AuditEntry.objects.filter(
            object_type__startswith="inspections.", action__in=[Action.CREATE, Action.UPDATE]
        ).values_list("object_type", flat=True)
    )
    assert audited == {
        "inspections.Inspection",
        "inspections.InspectionObject",
        "inspections.Finding",
    }
    # Completed: the findings are closed until it is reopened.
    with pytest.raises(ValidationError):
        actions.record_finding(world["regisseur"], target, FINDING)


def test_the_whole_flow_through_the_screens(world):
    client = login(Client(), world["regisseur"])
    assert client.get(reverse("inspections:create")).status_code == 200
    planned_on = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(
        reverse("inspections:create"),
        {
            "kind": "hennep",
            "title": "Hennepscan Oostpolder",
            "area": "Oostpolder",
            "planned_on": planned_on,
            "partners": [world.police.pk],
        },
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/controles/{inspection.pk}/"
    assert list(inspection.partners.all()) == [world.police]
    url = reverse("inspections:detail", args=[inspection.pk])
    client.post(
        reverse("inspections:object_add", args=[inspection.pk]),
        {"object-street": "Polderweg", "object-house_number": "3", "object-city": "Papendrecht"},
    )
    target = InspectionObject.objects.get()
    response = client.post(
        reverse("inspections:status", args=[inspection.pk]),
        {"status-target": "gehouden", "status-held_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    prefix = f"bevinding-{target.pk}"
    assert f'id="id_{prefix}-observations"' in page  # prefixed: unique ids per target
    response = client.post(
        reverse("inspections:finding", args=[inspection.pk, target.pk]),
        {
            f"{prefix}-violations_found": "nee",
            f"{prefix}-observations": "Zolder afgeschermd met folie, sterke geur",
            f"{prefix}-follow_up": "partner",
            f"{prefix}-follow_up_note": "Politie gaat binnentreden",
        },
    )
    assert response.status_code == 302
    assert "Signaal maken" in client.get(url).content.decode()
    assert 'href="/controles/"' in client.get("/").content.decode()  # the navigation entry
    # Editing the planning keeps the same record and writes the summary.
    edit = reverse("inspections:edit", args=[inspection.pk])
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {
            "kind": "hennep",
            "title": "Hennepscan Oostpolder",
            "planned_on": planned_on,
            "partners": [world.police.pk],
            "results_summary": "Eén zolder met sporen van teelt",
        },
    )
    assert response.status_code == 302
    assert Inspection.objects.get().results_summary == "Eén zolder met sporen van teelt"


def test_plan_from_a_signal_page_link_is_prefilled(world):
    signal = signal_actions.create_signal(
        world["regisseur"],
        signal_actions.NewSignal(
            municipality=world.papendrecht, channel="medewerker", description="Hennepgeur Dijkweg"
        ),
    )
    client = login(Client(), world["analist"])
    page = client.get(reverse("inspections:create"), {"signaal": signal.pk}).content.decode()
    assert "Hennepgeur Dijkweg" in page and 'value="incidenteel" selected' in page
    # Another municipality's signal is not offered.
    other = login(Client(), world["regisseur_dordrecht"])
    page = other.get(reverse("inspections:create"), {"signaal": signal.pk}).content.decode()
    assert "Hennepgeur Dijkweg" not in page


@time_machine.travel(TODAY, tick=False)
def test_a_finding_becomes_a_signal_once(world):
    inspection = plan(world)
    target = add_target(world, inspection)
    hold(world, inspection)
    actions.record_finding(world["regisseur"], target, FINDING)
    client = login(Client(), world["analist"])
    url = reverse("inspections:finding_signal", args=[inspection.pk, target.pk])
    response = client.post(url)
    signal = Signal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "signals:detail", args=[signal.pk]
    )
    assert signal.channel == "controle" and signal.municipality == world.papendrecht
    assert inspection.reference in signal.description
    assert "Geen omgevingsvergunning" in signal.description
    assert (signal.street, signal.house_number, signal.postcode) == ("Industrieweg", 12, "3356LK")
    kinds = sorted(signal.subjects.values_list("kind", "match_key"))
    assert kinds == [("adres", "adres:3356LK:12:"), ("bedrijf", "bedrijf:kvk:87654321")]
    assert Finding.objects.get().signal == signal
    # A second click makes nothing new.
    client.post(url)
    with pytest.raises(ValidationError) as exc:
        actions.signal_from_finding(world["regisseur"], Finding.objects.get())
    assert signal.reference in str(exc.value)
    assert Signal.objects.count() == 1
    # The signal page shows where it came from.
    page = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert inspection.reference in page
    linked = AuditEntry.objects.filter(
        object_type="inspections.Finding", action=Action.UPDATE, object_id=str(target.finding.pk)
    ).get()
    assert linked.changed_fields == ["signal"] and linked.detail["signal"] == signal.reference
    assert (
        AuditEntry.objects.filter(object_type="signals.Signal", action=Action.CREATE).count() == 1
    )


@time_machine.travel(TODAY, tick=False)
def test_held_against_the_yearly_target(world):
    actions.set_target(world["regisseur"], world.papendrecht, year=2026, planned_count=4)
    for n in range(3):
        hold(world, plan(world, f"Controle {n}", planned_on=date(2026, 3, n + 1)))
    plan(world, "Nog niet gehouden", planned_on=date(2026, 9, 1))
    cancelled = plan(world, "Afgeblazen", planned_on=date(2026, 5, 1))
    actions.change_status(world["regisseur"], cancelled, "geannuleerd", note="Te weinig politie")
    last_year = plan(world, "Vorig jaar", planned_on=date(2025, 11, 1))
    hold(world, last_year, held_on=date(2025, 11, 1))
    actions.plan_inspection(
        world["regisseur_dordrecht"],
        world.dordrecht,
        kind="dhw",
        title="Dordrecht telt niet mee",
        planned_on=date(2026, 3, 1),
    )
    assert held_against_target(world.papendrecht, 2026) == (3, 4)
    assert held_against_target(world.papendrecht, 2025) == (1, 0)
    body = login(Client(), world["regisseur"]).get(reverse("inspections:list")).content.decode()
    assert "3 van 4 gehouden in 2026" in body
    # Changing the target goes through the form, with Dutch errors on bad input.
    client = login(Client(), world["analist"])
    bad = client.post(
        reverse("inspections:target"), {"doel-year": "2026", "doel-planned_count": "-1"}
    )
    assert bad.status_code == 400 and "minstens 0" in bad.content.decode()
    ok = client.post(
        reverse("inspections:target"), {"doel-year": "2026", "doel-planned_count": "6"}
    )
    assert ok.status_code == 302 and held_against_target(world.papendrecht, 2026) == (3, 6)
    assert AuditEntry.objects.filter(object_type="inspections.InspectionTarget").count() == 2


def test_inspections_are_isolated_per_municipality_role_and_partner(world):
    inspection = plan(world, "Controle Geheimeweg")  # the police do not take part
    target = add_target(
        world, inspection, name="Kapsalon Geheim", street="Geheimeweg", house_number=1
    )
    hold(world, inspection)
    actions.record_finding(world["regisseur"], target, FINDING)
    actions.set_target(world["regisseur"], world.papendrecht, year=2026, planned_count=4)
    markers = ["Controle Geheimeweg", inspection.reference, "Kapsalon Geheim"]
    outsiders = [world[name] for name in OUTSIDERS] + [world["partner"]]
    for url in (reverse("inspections:list"), reverse("inspections:detail", args=[inspection.pk])):
        assert_isolated(url, owner=world["analist"], outsiders=outsiders, markers=markers[:2])
    assert_isolated(
        reverse("inspections:detail", args=[inspection.pk]),
        owner=world["regisseur"],
        outsiders=outsiders,
        markers=markers,
    )
    assert_isolated(
        f"/api/v1/inspections/{inspection.pk}/",
        owner=world["analist"],
        outsiders=[u for u in outsiders if u.has_role_perm(Perm.USE_API_TOKENS)],
        markers=markers,
        api=True,
    )
    for model in (Inspection, InspectionObject, Finding, InspectionTarget):
        assert model.objects.for_user(world["analist"]).count() == 1
        for user in outsiders:
            assert not model.objects.for_user(user).exists(), (model, user.username)


@time_machine.travel(TODAY, tick=False)
def test_participating_partner_reads_but_cannot_change(world):
    shared = plan(world, "Gezamenlijke controle", partners=[world.police])
    other = plan(world, "Zonder politie")
    target = add_target(world, shared)
    hold(world, shared)
    actions.record_finding(world["regisseur"], target, FINDING)
    partner = login(Client(), world["partner"])
    listing = partner.get(reverse("inspections:list")).content.decode()
    assert "Gezamenlijke controle" in listing and "Zonder politie" not in listing
    page = partner.get(reverse("inspections:detail", args=[shared.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Autobedrijf De Snelle Draai" in body and "Geen omgevingsvergunning" in body
    assert "Signaal maken" not in body and "Bevinding opslaan" not in body
    assert partner.get(reverse("inspections:detail", args=[other.pk])).status_code == 404
    api = token_client(world["partner"]).get(f"/api/v1/inspections/{shared.pk}/").json()
    assert api["targets"][0]["finding"]["violations"] == FINDING["violations"]
    assert api["signal"] is None and api["case"] is None
    assert_cannot_change(
        reverse("inspections:object_add", args=[shared.pk]),
        {"object-name": "Ander bedrijf"},
        outsiders=[world["partner"], world["regisseur_dordrecht"], world["medewerker"]],
        unchanged=lambda: InspectionObject.objects.count(),
    )
    assert_cannot_change(
        reverse("inspections:finding_signal", args=[shared.pk, target.pk]),
        {},
        outsiders=[world["partner"], world["regisseur_dordrecht"], world["bestuurder"]],
        unchanged=lambda: Signal.objects.count(),
    )
    assert_cannot_change(
        reverse("inspections:status", args=[shared.pk]),
        {"status-target": "afgerond", "status-results_summary": "klaar"},
        outsiders=[world["partner"]],
        unchanged=lambda: Inspection.objects.get(pk=shared.pk).status,
    )
    refused = token_client(world["partner"]).post(
        "/api/v1/inspections/",
        {"kind": "dhw", "title": "x", "planned_on": "2026-07-01"},
        content_type="application/json",
    )
    assert refused.status_code == 403


def test_only_partners_working_with_the_municipality_take_part(world):
    stranger = PartnerOrganisationFactory(name="Politie Limburg", municipalities=[world.elsewhere])
    with pytest.raises(ValidationError) as exc:
        plan(world, partners=[stranger])
    assert "samen" in str(exc.value)
    with pytest.raises(PermissionDenied):
        actions.plan_inspection(
            world["regisseur_dordrecht"],
            world.papendrecht,
            kind="dhw",
            title="x",
            planned_on=timezone.localdate(),
        )
    for role in ("medewerker", "bestuurder", "beheerder", "partner"):
        with pytest.raises(PermissionDenied):
            actions.plan_inspection(
                world[role],
                world.papendrecht,
                kind="dhw",
                title="x",
                planned_on=timezone.localdate(),
            )
    assert not Inspection.objects.exists()


def test_bad_input_is_refused_in_dutch_and_nothing_is_lost(world):
    client = login(Client(), world["regisseur"])
    response = client.post(
        reverse("inspections:create"),
        {"kind": "dhw", "title": "Alcoholcontrole sportkantine", "planned_on": "31-02-2026"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Alcoholcontrole sportkantine" in body and "Voer een geldige datum in" in body
    assert not Inspection.objects.exists()
    inspection = plan(world)
    response = client.post(
        reverse("inspections:object_add", args=[inspection.pk]),
        {"object-name": "Nagelstudio Glans", "object-postcode": "12345", "object-kvk_number": "12"},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Nagelstudio Glans" in body and "Geen geldige postcode" in body
    assert "8 cijfers" in body
    assert not InspectionObject.objects.exists()
    target = add_target(world, inspection)
    duplicate = client.post(
        reverse("inspections:object_add", args=[inspection.pk]),
        {"object-name": "Zelfde", "object-kvk_number": "87654321"},
    )
    assert (
        duplicate.status_code == 400
        and "staat al op de controlelijst" in duplicate.content.decode()
    )
    hold(world, inspection)
    prefix = f"bevinding-{target.pk}"
    response = client.post(
        reverse("inspections:finding", args=[inspection.pk, target.pk]),
        {
            f"{prefix}-violations_found": "ja",
            f"{prefix}-observations": "Achterdeur met camera's",
            f"{prefix}-follow_up": "overig",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Beschrijf welke overtredingen" in body and "Achterdeur met camera" in body
    assert "Licht het vervolg toe" in body
    assert not Finding.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_dates_in_the_wrong_order_are_refused(world):
    inspection = plan(world, planned_on=date(2026, 6, 10))
    client = login(Client(), world["regisseur"])
    response = client.post(
        reverse("inspections:status", args=[inspection.pk]),
        {"status-target": "gehouden", "status-held_on": "2026-06-20"},
    )
    assert (
        response.status_code == 400
        and "Deze datum ligt in de toekomst" in response.content.decode()
    )
    with pytest.raises(ValidationError) as exc:
        hold(world, inspection, held_on=date(2026, 6, 1))
    assert "vóór de geplande datum" in str(exc.value)
    with pytest.raises(ValidationError):
        actions.change_status(world["regisseur"], inspection, "gehouden", held_on=None)
    assert Inspection.objects.get(pk=inspection.pk).status == "gepland"
    hold(world, inspection, held_on=date(2026, 6, 12))
    with pytest.raises(ValidationError) as exc:
        actions.update_inspection(
            world["regisseur"], inspection, changes={"planned_on": date(2026, 6, 14)}
        )
    assert "na de datum" in str(exc.value)
    with pytest.raises(ValidationError):  # not in the table
        actions.change_status(world["regisseur"], inspection, "geannuleerd", note="x")


@time_machine.travel(TODAY, tick=False)
def test_links_to_signal_and_case_and_the_api(world):
    signal = signal_actions.create_signal(
        world["regisseur"],
        signal_actions.NewSignal(
            municipality=world.papendrecht, channel="medewerker", description="Loods met busjes"
        ),
    )
    case = case_actions.open_case(world["regisseur"], world.papendrecht, title="Loods Oost")
    client = token_client(world["analist"])
    response = client.post(
        "/api/v1/inspections/",
        {
            "kind": "incidenteel",
            "title": "Controle na signaal",
            "planned_on": "2026-06-16",
            "partners": [world.police.pk],
            "signal": signal.reference,
            "case": case.reference,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["signal"] == signal.reference and body["case"] == case.reference
    assert body["partners"] == ["Politie Drechtsteden"] and body["status"] == "gepland"
    listing = client.get("/api/v1/inspections/?status=gepland&kind=incidenteel&year=2026").json()
    assert [row["reference"] for row in listing["results"]] == [body["reference"]]
    bad = client.post(
        "/api/v1/inspections/",
        {"kind": "dhw", "title": " ", "planned_on": "2026-06-16"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    # Another municipality's signal cannot be linked.
    other = signal_actions.create_signal(
        world["regisseur_dordrecht"],
        signal_actions.NewSignal(
            municipality=world.dordrecht, channel="medewerker", description="Elders"
        ),
    )
    with pytest.raises(ValidationError):
        plan(world, signal=other)
    # The case page lists the inspection.
    page = login(Client(), world["regisseur"]).get(reverse("cases:detail", args=[case.pk]))
    assert body["reference"] in page.content.decode()


def test_list_filters_and_query_count_does_not_grow_with_rows(world):
    plan(world, "Planmatig A", kind="planmatig")
    plan(world, "DHW B", kind="dhw")
    client = login(Client(), world["regisseur"])
    body = client.get(reverse("inspections:list"), {"kind": "dhw"}).content.decode()
    assert "DHW B" in body and "Planmatig A" not in body
    body = client.get(reverse("inspections:list"), {"status": "gehouden"}).content.decode()
    assert "DHW B" not in body and "Geen controles gevonden" in body

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("inspections:list")).status_code == 200
        return len(captured)

    few = queries()
    for n in range(8):
        plan(world, f"Extra {n}")
    assert queries() == few


def test_follow_up_enforcement_becomes_an_intervention_on_the_case(world):
    from weerbaar.cases import actions as case_actions
    from weerbaar.interventions.models import Intervention

    case = case_actions.open_case(world["regisseur"], world.papendrecht, title="Spuiterij")
    without_case = plan(world, title="Zonder casus")
    inspection = plan(world, case=case)
    for item in (inspection, without_case):
        target = add_target(world, item)
        hold(world, item)
        actions.record_finding(world["regisseur"], target, FINDING)
    finding = Finding.objects.get(target__inspection=inspection)
    client = login(Client(), world["regisseur"])
    page = client.get(reverse("inspections:detail", args=[inspection.pk])).content.decode()
    assert "Interventie registreren op casus" in page
    url = reverse("inspections:finding_intervention", args=[inspection.pk, finding.target_id])
    assert_cannot_change(
        url,
        {"kind": "herstelsanctie"},
        outsiders=[world["partner"], world["regisseur_dordrecht"], world["medewerker"]],
        unchanged=lambda: Intervention.objects.count(),
    )
    assert client.post(url, {"kind": "herstelsanctie"}).status_code == 302
    intervention = Intervention.objects.get()
    assert intervention.case == case and intervention.kind == "herstelsanctie"
    finding.refresh_from_db()
    assert finding.intervention == intervention
    client.post(url, {"kind": "herstelsanctie"})  # twice: still one
    assert Intervention.objects.count() == 1
    other = Finding.objects.get(target__inspection=without_case)
    with pytest.raises(ValidationError) as exc:
        actions.intervention_from_finding(world["regisseur"], other, kind="waarschuwing")
    assert "casus" in str(exc.value)


def test_retention_deletes_old_completed_inspections_unless_their_case_is_open(world):
    from weerbaar.cases import actions as case_actions
    from weerbaar.inspections import retention
    from weerbaar.inspections.models import Inspection

    open_case = case_actions.open_case(world["regisseur"], world.papendrecht, title="Loopt nog")
    old = plan(world, title="Oud", planned_on=timezone.localdate() - timedelta(days=30))
    kept = plan(world, title="Bij lopende casus", case=open_case)
    for item in (old, kept):
        actions.change_status(world["regisseur"], item, "geannuleerd", note="Geen capaciteit")
    Inspection.objects.filter(pk__in=[old.pk, kept.pk]).update(
        planned_on=timezone.localdate() - timedelta(days=6 * 366)
    )
    assert retention.purge() == 1
    assert not Inspection.objects.filter(pk=old.pk).exists()
    assert Inspection.objects.filter(pk=kept.pk).exists()
    entry = AuditEntry.objects.get(action=Action.DELETE, object_type="inspections.Inspection")
    assert entry.detail["references"] == [old.reference]
