"""LIO: planning, the agenda, sharing per item, decisions that open cases, minutes per recipient."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pypdfium2 as pdfium
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weerbaar.audit.models import Action, AuditEntry
from weerbaar.cases.models import Case
from weerbaar.core.testing import assert_cannot_change, assert_isolated, login
from weerbaar.lio import actions, minutes
from weerbaar.lio.models import AgendaItem, Decision, Meeting
from weerbaar.lio.schedule import occurrences
from weerbaar.signals import actions as signal_actions
from weerbaar.signals.models import Signal

from .factories import PartnerOrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def signal(world, description):  # type: ignore[no-untyped-def]
    new = signal_actions.NewSignal(
        municipality=world.papendrecht,
        channel="medewerker",
        description=description,
        subjects=[{"kind": "bedrijf", "name": "Autobedrijf Snel", "kvk_number": "87654321"}],
    )
    return signal_actions.create_signal(world["regisseur"], new)


@pytest.fixture
def lio(world):  # type: ignore[no-untyped-def]
    """A meeting with the police taking part, one item shared with it and one that is not."""
    regisseur = world["regisseur"]
    meeting = actions.schedule_meeting(
        regisseur,
        world.papendrecht,
        title="LIO Papendrecht",
        starts_at=timezone.now() + timedelta(days=2),
    )
    actions.add_organisation(
        regisseur, meeting, world.police, legal_basis="Partij bij het RIEC-convenant"
    )
    shared = actions.add_item(
        regisseur, meeting, signal=signal(world, "Garage met veel contant geld")
    )
    private = actions.add_item(
        regisseur, meeting, signal=signal(world, "Zorgmelding over bewoner Dijkstraat")
    )
    actions.share_item(regisseur, shared, [world.police])
    return meeting, shared, private


def test_monthly_series_keeps_the_weekday():
    first = datetime(2026, 12, 8, 9, 30)  # second Tuesday
    dates = occurrences(first, "maandelijks_weekdag", 4)
    assert [d.date().isoformat() for d in dates] == [
        "2026-12-08",
        "2027-01-12",
        "2027-02-09",
        "2027-03-09",
    ]
    assert all(d.weekday() == 1 and d.hour == 9 for d in dates)


def test_planning_a_series_creates_the_meetings(world):
    first = timezone.now() + timedelta(days=7)
    series = actions.plan_series(
        world["regisseur"],
        world.papendrecht,
        name="LIO",
        recurrence="maandelijks_weekdag",
        first_starts_at=first,
        count=6,
    )
    assert series.meetings.count() == 6
    with pytest.raises(ValidationError):
        actions.plan_series(
            world["regisseur"],
            world.papendrecht,
            name="LIO",
            recurrence="maandelijks_weekdag",
            first_starts_at=timezone.now() - timedelta(days=1),
        )


def test_agenda_is_built_from_marked_signals_and_cases_due(world):
    regisseur = world["regisseur"]
    marked = signal(world, "Gemarkeerd voor het LIO")
    for status in ("in_behandeling", "lio"):
        signal_actions.change_status(regisseur, marked, status)
    signal(world, "Niet gemarkeerd")
    from weerbaar.cases import actions as case_actions

    case = case_actions.open_case(regisseur, world.papendrecht, title="Casus ter bespreking")
    case_actions.update_case(
        regisseur, case, version=case.version, changes={"review_on": timezone.localdate()}
    )
    meeting = actions.schedule_meeting(
        regisseur, world.papendrecht, title="LIO", starts_at=timezone.now() + timedelta(days=1)
    )
    assert actions.build_agenda(regisseur, meeting) == 2
    kinds = sorted(AgendaItem.objects.filter(meeting=meeting).values_list("kind", flat=True))
    assert kinds == ["casus", "signaal"]
    assert actions.build_agenda(regisseur, meeting) == 0  # nothing twice


def test_items_are_shared_only_with_participants_that_have_a_legal_basis(world, lio):
    meeting, _shared, private = lio
    stranger = PartnerOrganisationFactory(
        name="Belastingdienst", municipalities=[world.papendrecht]
    )
    with pytest.raises(ValidationError):
        actions.share_item(world["regisseur"], private, [stranger])
    with pytest.raises(ValidationError):
        actions.add_organisation(world["regisseur"], meeting, stranger, legal_basis="")
    assert not private.shared_with.exists()


def test_partner_sees_only_its_items_in_the_meeting(world, lio):
    meeting, _shared, _private = lio
    url = reverse("lio:detail", args=[meeting.pk])
    body = login(Client(), world["partner"]).get(url).content.decode()
    assert "Garage met veel contant geld" in body
    assert "Dijkstraat" not in body
    present = login(Client(), world["partner"]).get(
        reverse("lio:present", args=[meeting.pk]) + "?voor=intern"
    )
    assert "Dijkstraat" not in present.content.decode()  # a partner cannot ask for more
    # Another municipality, the medewerker and a partner not taking part see nothing.
    other_police = UserFactory(
        username="politie-elders",
        partner=True,
        partner_organisation=PartnerOrganisationFactory(
            name="Politie Zeeland", municipalities=[world.papendrecht]
        ),
    )
    assert_isolated(
        url,
        owner=world["regisseur"],
        outsiders=[
            world["regisseur_dordrecht"],
            world["medewerker"],
            world["bestuurder"],
            other_police,
        ],
        markers=["Garage met veel contant geld", "Dijkstraat"],
    )


def test_projector_view_shows_only_what_everyone_may_see(world, lio):
    meeting, _shared, _private = lio
    client = login(Client(), world["regisseur"])
    body = client.get(reverse("lio:present", args=[meeting.pk])).content.decode()
    assert "Garage met veel contant geld" in body and "Dijkstraat" not in body
    assert "1 punt niet getoond" in body
    internal = client.get(reverse("lio:present", args=[meeting.pk]) + "?voor=intern")
    assert "Dijkstraat" in internal.content.decode()


def test_decision_opens_a_case_in_one_step(world, lio):
    meeting, shared, _private = lio
    client = login(Client(), world["regisseur"])
    response = client.post(
        reverse("lio:item_decide", args=[meeting.pk, shared.pk]),
        {
            f"besluit-{shared.pk}-kind": "casus",
            f"besluit-{shared.pk}-rationale": "Meerdere signalen over contant geld",
            f"besluit-{shared.pk}-case_title": "Autobedrijf Snel",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(item=shared)
    case = Case.objects.get()
    assert decision.case == case and case.title == "Autobedrijf Snel"
    assert case.subjects.filter(kvk_number="87654321").exists()
    assert Signal.objects.get(pk=shared.signal_id).status == "besloten"
    # Deciding twice is refused.
    with pytest.raises(ValidationError):
        actions.decide(world["regisseur"], shared, kind="monitoren", rationale="nogmaals")


def test_a_decision_needs_a_rationale_and_loses_no_input(world, lio):
    meeting, shared, _private = lio
    client = login(Client(), world["regisseur"])
    response = client.post(
        reverse("lio:item_decide", args=[meeting.pk, shared.pk]),
        {f"besluit-{shared.pk}-kind": "partner", f"besluit-{shared.pk}-rationale": "Voor de FIOD"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Kies de partner die het overneemt" in body and "Voor de FIOD" in body
    assert not Decision.objects.exists()


def test_passing_to_a_partner_shares_the_signal_with_it(world, lio):
    _meeting, _shared, private = lio
    actions.decide(
        world["regisseur"], private, kind="partner", rationale="Politietaak", partner=world.police
    )
    signal = Signal.objects.get(pk=private.signal_id)
    assert signal.status == "overgedragen" and world.police in signal.shared_with.all()


def test_partners_cannot_prepare_or_decide(world, lio):
    meeting, shared, _private = lio
    with pytest.raises(PermissionDenied):
        actions.decide(world["partner"], shared, kind="geen_actie", rationale="x")
    assert_cannot_change(
        reverse("lio:item_decide", args=[meeting.pk, shared.pk]),
        {f"besluit-{shared.pk}-kind": "geen_actie", f"besluit-{shared.pk}-rationale": "x"},
        outsiders=[world["partner"], world["regisseur_dordrecht"], world["medewerker"]],
        unchanged=lambda: Decision.objects.count(),
    )


def test_action_items_need_an_owner_and_a_date_after_the_meeting(world, lio):
    meeting, shared, _private = lio
    with pytest.raises(ValidationError) as exc:
        actions.add_action_item(
            world["regisseur"],
            meeting,
            description="Bibob-toets",
            due_on=timezone.localdate() - timedelta(days=5),
        )
    assert "owner" in exc.value.message_dict and "due_on" in exc.value.message_dict
    action = actions.add_action_item(
        world["regisseur"],
        meeting,
        description="Politie checkt kentekens",
        due_on=timezone.localdate() + timedelta(days=14),
        owner_organisation=world.police,
        item=shared,
    )
    assert action.pk


def pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(io.BytesIO(data))
    text = "".join(page.get_textpage().get_text_range() for page in document)
    # Render the first page: a real, non-empty PDF.
    image = document[0].render(scale=1).to_pil()
    assert image.width > 500 and image.getextrema() != ((255, 255), (255, 255), (255, 255))
    return text


def test_minutes_are_a_real_pdf_filtered_per_recipient(world, lio):
    meeting, shared, private = lio
    actions.decide(world["regisseur"], shared, kind="monitoren", rationale="Volgen via politie")
    actions.add_action_item(
        world["regisseur"],
        meeting,
        description="Kentekens natrekken",
        due_on=timezone.localdate() + timedelta(days=10),
        owner_organisation=world.police,
        item=shared,
    )
    actions.add_action_item(
        world["regisseur"],
        meeting,
        description="Huisbezoek sociaal team",
        due_on=timezone.localdate() + timedelta(days=10),
        owner=world["analist"],
        item=private,
    )
    internal = pdf_text(minutes.render_pdf(meeting, minutes.internal()))
    assert "Dijkstraat" in internal and "Garage met veel contant geld" in internal
    assert "Huisbezoek sociaal team" in internal
    police = pdf_text(minutes.render_pdf(meeting, minutes.for_organisation(world.police)))
    assert "Garage met veel contant geld" in police and "Kentekens natrekken" in police
    assert "Dijkstraat" not in police and "Huisbezoek" not in police

    # Through the page: a partner always gets its own version, whatever it asks for.
    response = login(Client(), world["partner"]).get(
        reverse("lio:minutes", args=[meeting.pk]) + "?voor=intern"
    )
    assert response["Content-Type"] == "application/pdf"
    body = pdf_text(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert "Dijkstraat" not in body and "Garage" in body
    assert AuditEntry.objects.filter(action=Action.EXPORT, object_type="lio.Meeting").exists()


def test_a_final_meeting_cannot_be_changed(world, lio):
    meeting, _shared, private = lio
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    meeting.refresh_from_db()
    actions.set_status(world["regisseur"], meeting, "gehouden")
    actions.set_status(world["regisseur"], meeting, "vastgesteld")
    with pytest.raises(ValidationError):
        actions.share_item(world["regisseur"], private, [world.police])


def test_meeting_pages_render_for_the_preparer(world, lio):
    meeting, _shared, _private = lio
    client = login(Client(), world["regisseur"])
    assert client.get(reverse("lio:list")).status_code == 200
    page = client.get(reverse("lio:detail", args=[meeting.pk]))
    assert page.status_code == 200 and "Besluit vastleggen" in page.content.decode()


def test_api_shows_a_partner_only_its_items_and_decisions(world, lio):
    from weerbaar.core.testing import token_client

    meeting, shared, private = lio
    actions.decide(world["regisseur"], private, kind="geen_actie", rationale="Zorgdomein")
    partner = token_client(world["partner"])
    body = partner.get(f"/api/v1/lio-meetings/{meeting.pk}/").json()
    assert [i["id"] for i in body["items"]] == [shared.pk]
    read = AuditEntry.objects.filter(action=Action.READ, object_type="lio.AgendaItem")
    assert read.filter(actor_id=world["partner"].pk, object_id=str(shared.pk)).exists()
    assert partner.get("/api/v1/lio-decisions/").json()["count"] == 0
    created = token_client(world["regisseur"]).post(
        "/api/v1/lio-decisions/",
        {"item": shared.pk, "kind": "casus", "rationale": "Samen oppakken"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["case"].startswith("GM0590-CAS-")
    decisions = partner.get("/api/v1/lio-decisions/").json()
    assert decisions["count"] == 1 and decisions["results"][0]["case"] is None
    refused = partner.post(
        "/api/v1/lio-decisions/",
        {"item": shared.pk, "kind": "geen_actie", "rationale": "x"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    outsider = token_client(world["regisseur_dordrecht"]).get(f"/api/v1/lio-meetings/{meeting.pk}/")
    assert outsider.status_code == 404


def test_decision_plans_an_incidental_inspection_after_the_signal(world, lio):
    from weerbaar.inspections.models import Inspection

    meeting, shared, _private = lio
    with pytest.raises(ValidationError) as exc:
        actions.decide(world["regisseur"], shared, kind="controle", rationale="Eerst kijken")
    assert "inspection_on" in exc.value.message_dict
    day = timezone.localdate() + timedelta(days=10)
    decision = actions.decide(
        world["regisseur"], shared, kind="controle", rationale="Eerst kijken", inspection_on=day
    )
    inspection = Inspection.objects.get()
    assert decision.inspection == inspection
    assert (inspection.kind, inspection.planned_on, inspection.signal_id) == (
        "incidenteel",
        day,
        shared.signal_id,
    )
    page = login(Client(), world["regisseur"]).get(reverse("lio:detail", args=[meeting.pk]))
    assert inspection.reference in page.content.decode()


def test_retention_deletes_old_meetings_with_their_agenda_but_keeps_the_case(world, lio):
    from weerbaar.lio import retention

    meeting, shared, _private = lio
    decision = actions.decide(world["regisseur"], shared, kind="casus", rationale="Oppakken")
    assert retention.purge() == 0
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(days=800))
    assert retention.purge() == 1
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not AgendaItem.objects.filter(meeting=meeting.pk).exists()
    assert not Decision.objects.filter(pk=decision.pk).exists()
    assert Case.objects.filter(pk=decision.case_id).exists()  # lives on under its own retention
    entry = AuditEntry.objects.get(action=Action.DELETE, object_type="lio.Meeting")
    assert entry.detail["count"] == 1 and "Garage" not in str(entry.detail)


def test_teams_and_people_are_invited(world, lio):
    from weerbaar.organisations.models import Team

    meeting, _shared, _private = lio
    team = Team.objects.get(municipality=world.papendrecht)
    client = login(Client(), world["regisseur"])
    response = client.post(
        reverse("lio:attendees", args=[meeting.pk]),
        {
            "deelnemers-teams": [team.pk],
            "deelnemers-attendees": [world["analist"].pk, world["partner"].pk],
        },
    )
    assert response.status_code == 302
    assert list(meeting.teams.all()) == [team]
    assert set(meeting.attendees.values_list("user__username", flat=True)) == {"analist", "partner"}
    other_team = Team.objects.get(municipality=world.dordrecht)
    with pytest.raises(ValidationError):
        actions.set_attendees(world["regisseur"], meeting, [], teams=[other_team])
    text = pdf_text(minutes.render_pdf(meeting, minutes.internal()))
    assert team.name in text
