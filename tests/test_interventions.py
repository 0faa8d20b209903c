"""Interventions on a case: registering them, date rules, need-to-know, reminders, edits that
cross, the audit log and retention."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weerbaar.audit.models import Action, AuditEntry
from weerbaar.cases import actions as case_actions
from weerbaar.cases import retention
from weerbaar.cases.models import Case, CaseEvent
from weerbaar.core.schedule import JOBS
from weerbaar.core.testing import assert_cannot_change, assert_isolated, login, token_client
from weerbaar.interventions import actions
from weerbaar.interventions.models import Intervention
from weerbaar.interventions.reminders import send_closure_reminders
from weerbaar.notifications.models import Notification

from .test_cases import open_case, signal

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def days(n: int) -> date:
    return TODAY() + timedelta(days=n)


def closure(world, case, **kwargs):  # type: ignore[no-untyped-def]
    values = {
        "kind": "sluiting_13b",
        "status": "in_uitvoering",
        "decided_on": days(-20),
        "starts_on": days(-10),
        "duration_months": 3,
        "description": "Sluiting loods Industrieweg 7",
    }
    return actions.register_intervention(world["regisseur"], case, **{**values, **kwargs})


def bibob(world, case, **kwargs):  # type: ignore[no-untyped-def]
    values = {"kind": "bibob", "description": "Bibob-advies exploitatievergunning"}
    return actions.register_intervention(world["regisseur"], case, **{**values, **kwargs})


def test_register_a_13b_closure_from_the_case_page_and_a_bibob_advice(world):
    case = open_case(world, signal(world))
    client = login(Client(), world["analist"])
    response = client.post(
        reverse("interventions:add", args=[case.pk]),
        {
            "interventie-kind": "sluiting_13b",
            "interventie-status": "besloten",
            "interventie-decided_on": days(-3).isoformat(),
            "interventie-starts_on": "2026-01-31",
            "interventie-duration_months": "6",
            "interventie-description": "Sluiting woning Dorpsstraat 3",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == f"/casussen/{case.pk}/#interventies"
    closed = Intervention.objects.get(case=case)
    assert closed.legal_basis == "Opiumwet art. 13b"  # prefilled from the kind
    assert closed.executor is None and closed.executor_label == "de gemeente zelf"
    assert closed.ends_on == date(2026, 7, 31)  # six months, same day
    assert closed.created_by == world["analist"]

    advice = bibob(world, case, executor=world.police, legal_basis="Wet Bibob art. 9 (LBB)")
    assert advice.legal_basis == "Wet Bibob art. 9 (LBB)"  # the row keeps its own basis
    assert advice.status == "voorbereiding"

    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    for text in (
        "Sluiting woning Dorpsstraat 3",
        "Opiumwet art. 13b",
        "31-07-2026",
        "Bibob-advies exploitatievergunning",
        "Politie Drechtsteden",
        "In voorbereiding",
        "Interventie registreren",  # the form, fetched when opened
    ):
        assert text in page, text
    form_url = reverse("cases:form", args=[case.pk, "interventie"])
    assert form_url in page
    form = client.get(form_url, headers={"HX-Request": "true"}).content.decode()
    assert 'id="id_interventie-kind"' in form and "<html" not in form  # a fragment, unique ids
    assert "Opiumwet art. 13b" in form  # with the legal bases per kind below it
    events = CaseEvent.objects.filter(case=case, part="interventions")
    assert events.count() == 2 and events.filter(text__contains="Bibob").exists()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"kind": "bibob", "decided_on": days(-5), "objection_on": days(-8)},
            "objection_on",
            "Het bezwaar kan niet eerder zijn ingediend dan het besluit",
        ),
        (
            {"kind": "bibob", "decided_on": days(-5), "appeal_on": days(-6)},
            "appeal_on",
            "Het beroep kan niet eerder zijn ingesteld dan het besluit",
        ),
        (
            {
                "kind": "bibob",
                "decided_on": days(-30),
                "objection_on": days(-10),
                "appeal_on": days(-20),
            },
            "appeal_on",
            "Het beroep kan niet eerder zijn ingesteld dan het bezwaar",
        ),
        (
            {"kind": "sluiting_174a", "starts_on": days(10), "ends_on": days(5)},
            "ends_on",
            "De sluiting moet eindigen na de dag waarop hij ingaat",
        ),
        (
            {"kind": "bestuurlijke_boete", "status": "besloten", "decided_on": days(2)},
            "decided_on",
            "De besluitdatum ligt in de toekomst",
        ),
        (
            {"kind": "bestuurlijke_boete", "status": "besloten"},
            "decided_on",
            "Vul de besluitdatum in",
        ),
        (
            {"kind": "bibob", "starts_on": days(1), "duration_months": 3},
            "starts_on",
            "Alleen een sluiting",
        ),
        ({"kind": "overig"}, "legal_basis", "Vermeld de wettelijke grondslag"),
    ],
)
def test_dates_in_the_wrong_order_are_refused_in_dutch_and_nothing_is_saved(
    world, values, field, message
):
    case = open_case(world, signal(world))
    entries, events = AuditEntry.objects.count(), CaseEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        actions.register_intervention(world["regisseur"], case, **values)
    assert message in " ".join(exc.value.message_dict[field])
    assert not Intervention.objects.exists()
    assert AuditEntry.objects.count() == entries and CaseEvent.objects.count() == events


def test_bad_input_on_the_case_page_keeps_the_form_and_saves_nothing(world):
    case = open_case(world, signal(world))
    response = login(Client(), world["regisseur"]).post(
        reverse("interventions:add", args=[case.pk]),
        {
            "interventie-kind": "herstelsanctie",
            "interventie-status": "besloten",
            "interventie-decided_on": days(-2).isoformat(),
            "interventie-objection_on": days(-9).isoformat(),
            "interventie-outcome": "Last onder dwangsom van 5000 euro",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Het bezwaar kan niet eerder zijn ingediend dan het besluit" in body
    assert "Last onder dwangsom van 5000 euro" in body  # the input is still there
    assert "Casus " + case.reference in body  # on the case page itself
    assert not Intervention.objects.exists()
    # A field the form checks itself (a date that is no date) also re-renders with errors.
    response = login(Client(), world["regisseur"]).post(
        reverse("interventions:add", args=[case.pk]),
        {"interventie-kind": "bibob", "interventie-decided_on": "gisteren"},
    )
    assert response.status_code == 400 and "gisteren" in response.content.decode()


def test_status_follows_the_table(world):
    case = open_case(world, signal(world))
    item = bibob(world, case)
    with pytest.raises(ValidationError) as exc:
        actions.update_intervention(
            world["regisseur"], item, version=item.version, changes={"status": "in_uitvoering"}
        )
    assert "kan een interventie niet naar" in str(exc.value)
    item = actions.update_intervention(
        world["regisseur"],
        item,
        version=item.version,
        changes={"status": "besloten", "decided_on": days(-1)},
    )
    item = actions.update_intervention(
        world["regisseur"], item, version=item.version, changes={"status": "ingetrokken"}
    )
    assert item.status == "ingetrokken" and item.version == 3
    with pytest.raises(ValidationError):
        actions.update_intervention(
            world["regisseur"], item, version=item.version, changes={"status": "besloten"}
        )


def test_changing_the_kind_takes_the_new_default_legal_basis(world):
    case = open_case(world, signal(world))
    item = bibob(world, case)
    item = actions.update_intervention(
        world["regisseur"], item, version=item.version, changes={"kind": "sluiting_174a"}
    )
    assert item.legal_basis == "Gemeentewet art. 174a"
    item = actions.update_intervention(
        world["regisseur"],
        item,
        version=item.version,
        changes={"legal_basis": "Gemeentewet art. 174a lid 1; APV art. 2:30"},
    )
    item = actions.update_intervention(
        world["regisseur"], item, version=item.version, changes={"kind": "sluiting_13b"}
    )
    assert item.legal_basis == "Gemeentewet art. 174a lid 1; APV art. 2:30"  # own text kept


def test_partner_sees_interventions_only_when_shared_and_another_municipality_never(world):
    shared = open_case(world, signal(world), title="Casus met gedeelde interventies")
    unshared = open_case(world, signal(world, "Ander signaal"), title="Casus zonder")
    visible = closure(world, shared, description="Sluiting gedeeld pand")
    hidden = bibob(world, unshared, description="Bibob niet gedeeld")
    case_actions.add_partner(
        world["regisseur"],
        shared,
        world.police,
        legal_basis="RIEC-convenant",
        parts=["interventions"],
    )
    case_actions.add_partner(
        world["regisseur"], unshared, world.police, legal_basis="RIEC-convenant", parts=["tasks"]
    )
    partner = login(Client(), world["partner"])
    page = partner.get(reverse("cases:detail", args=[shared.pk])).content.decode()
    assert "Sluiting gedeeld pand" in page and 'id="interventies"' in page
    assert "Interventie registreren" not in page and "Bewerken" not in page  # read-only
    other = partner.get(reverse("cases:detail", args=[unshared.pk])).content.decode()
    assert "Casus zonder" in other  # the case itself is shared ...
    assert 'id="interventies"' not in other and "Bibob niet gedeeld" not in other  # ... not this

    api = token_client(world["partner"])
    listing = api.get("/api/v1/interventions/").json()
    assert [row["id"] for row in listing["results"]] == [visible.pk]
    assert api.get(f"/api/v1/interventions/{hidden.pk}/").status_code == 404
    assert api.get(f"/api/v1/interventions/{visible.pk}/").json()["case"] == shared.reference

    outsiders = [world["regisseur_dordrecht"], world["medewerker"], world["bestuurder"]]
    assert_isolated(
        reverse("cases:detail", args=[unshared.pk]),
        owner=world["analist"],
        outsiders=[*outsiders, world["partner"]],
        markers=["Bibob niet gedeeld"],
    )
    for url in (f"/api/v1/interventions/{hidden.pk}/", "/api/v1/interventions/"):
        assert_isolated(
            url,
            owner=world["analist"],
            outsiders=[world["regisseur_dordrecht"], world["partner"]],
            markers=["Bibob niet gedeeld"],
            api=True,
        )
    # Nobody but a case worker of the municipality changes anything.
    assert_cannot_change(
        reverse("interventions:add", args=[shared.pk]),
        {"interventie-kind": "bibob"},
        outsiders=[world["partner"], world["regisseur_dordrecht"], world["medewerker"]],
        unchanged=lambda: Intervention.objects.count(),
    )
    assert_cannot_change(
        reverse("interventions:edit", args=[shared.pk, visible.pk]),
        {"interventie-kind": "bibob", "interventie-version": visible.version},
        outsiders=[world["partner"], world["regisseur_dordrecht"]],
        unchanged=lambda: Intervention.objects.get(pk=visible.pk).version,
    )
    refused = api.patch(
        f"/api/v1/interventions/{visible.pk}/",
        {"version": visible.version, "outcome": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    with pytest.raises(PermissionDenied):
        actions.register_intervention(world["regisseur_dordrecht"], shared, kind="bibob")


def test_closure_reminder_before_the_end_is_sent_once(world):
    assert "intervention_closure_reminders" in JOBS
    case = open_case(world, signal(world))
    soon = closure(world, case, duration_months=None, ends_on=days(10))
    closure(world, case, duration_months=None, ends_on=days(30))  # not yet
    closure(world, case, duration_months=None, ends_on=days(5), status="afgerond")  # done
    assert send_closure_reminders() == 1
    assert send_closure_reminders() == 0
    messages = Notification.objects.filter(recipient=world["regisseur"], kind="interventie")
    assert messages.count() == 1
    assert (
        case.reference in messages.get().text
        and days(10).strftime("%d-%m-%Y") in messages.get().text
    )
    # Extended: the new end date gets its own reminder, once.
    soon = actions.update_intervention(
        world["regisseur"], soon, version=soon.version, changes={"ends_on": days(12)}
    )
    assert send_closure_reminders() == 1 and send_closure_reminders() == 0


def test_the_reminder_period_is_a_setting(world, settings):
    settings.INTERVENTION_CLOSURE_REMINDER_DAYS = 40
    case = open_case(world, signal(world))
    closure(world, case, duration_months=None, ends_on=days(30))
    page = login(Client(), world["regisseur"]).get(reverse("cases:detail", args=[case.pk]))
    assert "sluiting eindigt binnenkort" in page.content.decode()
    assert send_closure_reminders() == 1


def test_a_stale_edit_gives_409_and_keeps_the_input(world):
    case = open_case(world, signal(world))
    item = bibob(world, case)
    url = reverse("interventions:edit", args=[case.pk, item.pk])
    first, second = login(Client(), world["regisseur"]), login(Client(), world["analist"])
    form = first.get(url)
    assert form.status_code == 200 and "Bibob-advies exploitatievergunning" in form.content.decode()
    base = {
        "interventie-kind": "bibob",
        "interventie-status": "voorbereiding",
        "interventie-version": item.version,
    }
    saved = first.post(url, {**base, "interventie-outcome": "Advies: ernstig gevaar"})
    assert saved.status_code == 302
    response = second.post(url, {**base, "interventie-outcome": "Advies: geen gevaar"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Iemand anders heeft deze interventie intussen gewijzigd" in body
    assert "Advies: geen gevaar" in body  # the second editor's input is still there
    assert "Advies: ernstig gevaar" in body  # next to what is stored now
    assert Intervention.objects.get(pk=item.pk).outcome == "Advies: ernstig gevaar"
    version = Intervention.objects.get(pk=item.pk).version
    again = second.post(
        url, {**base, "interventie-version": version, "interventie-outcome": "Advies: geen gevaar"}
    )
    assert again.status_code == 302
    assert Intervention.objects.get(pk=item.pk).outcome == "Advies: geen gevaar"
    # Bad input on the edit page: 400, input kept, nothing saved.
    version = Intervention.objects.get(pk=item.pk).version
    bad = second.post(
        url,
        {
            **base,
            "interventie-version": version,
            "interventie-status": "besloten",
            "interventie-outcome": "Besloten zonder datum",
        },
    )
    assert bad.status_code == 400 and "Besloten zonder datum" in bad.content.decode()
    assert Intervention.objects.get(pk=item.pk).status == "voorbereiding"


def test_api_registers_filters_and_refuses_a_stale_patch(world):
    case = open_case(world, signal(world))
    other = open_case(world, signal(world, "Tweede"), title="Tweede casus")
    bibob(world, other)
    client = token_client(world["analist"])
    created = client.post(
        "/api/v1/interventions/",
        {
            "case": case.reference,
            "kind": "sluiting_174a",
            "status": "besloten",
            "decided_on": days(-1).isoformat(),
            "starts_on": "2026-03-31",
            "duration_months": 3,
            "executor": world.police.pk,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["legal_basis"] == "Gemeentewet art. 174a" and body["ends_on"] == "2026-06-30"
    assert body["executor_name"] == "Politie Drechtsteden" and body["case"] == case.reference
    listing = client.get("/api/v1/interventions/", {"case": case.reference}).json()
    assert [r["id"] for r in listing["results"]] == [body["id"]]
    assert client.get("/api/v1/interventions/", {"kind": "bibob"}).json()["count"] == 1
    assert client.get("/api/v1/interventions/", {"status": "besloten"}).json()["count"] == 1
    bad = client.post(
        "/api/v1/interventions/",
        {"case": case.reference, "kind": "bibob", "decided_on": days(3).isoformat()},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "toekomst" in bad.json()["decided_on"][0]
    url = f"/api/v1/interventions/{body['id']}/"
    ok = client.patch(
        url,
        {"version": body["version"], "objection_on": TODAY().isoformat()},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["version"] == body["version"] + 1
    stale = client.patch(
        url, {"version": body["version"], "outcome": "Oud"}, content_type="application/json"
    )
    assert stale.status_code == 409 and "gewijzigd" in stale.json()["detail"]
    assert Intervention.objects.get(pk=body["id"]).outcome == ""


def test_audit_entries_are_written_without_content(world):
    case = open_case(world, signal(world))
    item = closure(world, case)
    actions.update_intervention(
        world["regisseur"],
        item,
        version=item.version,
        changes={"status": "afgerond", "outcome": "Pand na drie maanden heropend"},
    )
    entries = AuditEntry.objects.filter(object_type="interventions.Intervention")
    created = entries.get(action=Action.CREATE)
    assert created.object_id == str(item.pk) and created.municipality == world.papendrecht
    assert created.detail["case"] == case.reference and created.detail["kind"] == "sluiting_13b"
    updated = entries.get(action=Action.UPDATE)
    assert sorted(updated.changed_fields) == ["outcome", "status"]
    assert updated.detail["from"] == "in_uitvoering" and updated.detail["to"] == "afgerond"
    assert "heropend" not in str(updated.detail) + updated.object_repr  # no content in the log


def test_case_retention_deletes_the_interventions(world):
    case = open_case(world, signal(world))
    kept = open_case(world, signal(world, "Lopend"), title="Lopend")
    closure(world, case)
    survivor = bibob(world, kept)
    case_actions.change_phase(world["regisseur"], case, "afgesloten", result="interventie")
    Case.objects.filter(pk=case.pk).update(retain_until=TODAY() - timedelta(days=1))
    assert retention.purge() == 1
    assert list(Intervention.objects.all()) == [survivor]
