"""Cases: opening from signals, need-to-know for partners, phases, edits that cross, retention."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from weerbaar.accounts.roles import Perm
from weerbaar.audit.models import Action, AuditEntry
from weerbaar.cases import actions, retention
from weerbaar.cases.models import Case, CaseEvent, CaseSubject, CaseTask
from weerbaar.cases.reminders import send_task_reminders
from weerbaar.core.testing import assert_cannot_change, assert_isolated, login, token_client
from weerbaar.notifications.models import Notification
from weerbaar.signals import actions as signal_actions
from weerbaar.signals import retention as signal_retention
from weerbaar.signals.models import Signal

from .factories import PartnerOrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def signal(world, description="Loods met verduisterde ramen", **kwargs):  # type: ignore[no-untyped-def]
    subjects = kwargs.pop(
        "subjects",
        [
            {"kind": "bedrijf", "name": "Loodsverhuur Zuid B.V.", "kvk_number": "12345678"},
            {"kind": "adres", "street": "Industrieweg", "house_number": 7, "postcode": "3356LK"},
        ],
    )
    new = signal_actions.NewSignal(
        municipality=world.papendrecht,
        channel="medewerker",
        description=description,
        subjects=subjects,
        **kwargs,
    )
    return signal_actions.create_signal(world["regisseur"], new)


def open_case(world, *signals, **kwargs):  # type: ignore[no-untyped-def]
    return actions.open_case(
        world["regisseur"],
        world.papendrecht,
        title=kwargs.pop("title", "Loodsverhuur Industrieweg"),
        signals=list(signals),
        **kwargs,
    )


def test_open_case_from_signals_takes_over_subjects_once(world):
    first = signal(world)
    second = signal(world, "Zelfde loods, nu vaak busjes 's nachts")
    case = open_case(world, first, second)
    assert case.reference.startswith("GM0590-CAS-") and case.phase == "verkenning"
    assert set(case.signals.all()) == {first, second}
    # Both signals have the same company and address: the case has each once.
    assert CaseSubject.objects.filter(case=case).count() == 2
    first.refresh_from_db()
    assert first.status == "besloten"
    assert AuditEntry.objects.filter(action=Action.CREATE, object_type="cases.Case").exists()
    assert CaseEvent.objects.filter(case=case, text__contains=first.reference).exists()


def test_open_case_from_the_signal_page_in_one_step(world):
    s = signal(world)
    client = login(Client(), world["analist"])
    url = reverse("cases:open_from_signal", args=[s.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "Loods", "lead": world["regisseur"].pk})
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/casussen/{case.pk}/"
    assert case.lead == world["regisseur"]
    assert Notification.objects.filter(recipient=world["regisseur"], kind="casus").exists()


def test_open_case_refuses_other_municipality_and_roles(world):
    s = signal(world)
    with pytest.raises(PermissionDenied):
        actions.open_case(world["regisseur_dordrecht"], world.dordrecht, title="x", signals=[s])
    with pytest.raises(PermissionDenied):
        actions.open_case(world["medewerker"], world.papendrecht, title="x", signals=[s])
    assert not Case.objects.exists()


def test_cases_are_isolated_per_municipality_and_role(world):
    case = open_case(world, signal(world), title="Casus Industrieweg Zeven")
    outsiders = [
        world["regisseur_dordrecht"],
        world["medewerker"],
        world["bestuurder"],
        world["partner"],
        world["regionaal_analist"],
        world["beheerder"],
        world["platformbeheerder"],
    ]
    markers = ["Casus Industrieweg Zeven", case.reference]
    for url in (reverse("cases:list"), reverse("cases:detail", args=[case.pk])):
        assert_isolated(url, owner=world["analist"], outsiders=outsiders, markers=markers)
    assert_isolated(
        f"/api/v1/cases/{case.pk}/",
        owner=world["analist"],
        outsiders=[u for u in outsiders if u.has_role_perm(Perm.USE_API_TOKENS)],
        markers=markers,
        api=True,
    )


def test_restricted_case_only_for_lead_and_team(world):
    case = open_case(world, signal(world), title="Gevoelige casus")
    actions.update_case(
        world["regisseur"], case, version=case.version, changes={"restricted": True}
    )
    analist = world["analist"]
    assert not Case.objects.for_user(analist).filter(pk=case.pk).exists()
    actions.set_members(world["regisseur"], case, [analist])
    assert Case.objects.for_user(analist).filter(pk=case.pk).exists()


def test_partner_sees_only_its_case_and_only_the_shared_parts(world):
    case = open_case(world, signal(world), title="Gedeelde casus")
    other = open_case(world, signal(world, "Ander signaal"), title="Niet gedeelde casus")
    actions.add_task(
        world["regisseur"], case, title="Huurcontract opvragen", due_on=date(2030, 1, 1)
    )
    membership = actions.add_partner(
        world["regisseur"],
        case,
        world.police,
        legal_basis="Partij bij het RIEC-convenant",
        parts=["subjects"],
    )
    partner = login(Client(), world["partner"])
    listing = partner.get(reverse("cases:list")).content.decode()
    assert "Gedeelde casus" in listing and "Niet gedeelde casus" not in listing
    assert f'href="{reverse("cases:detail", args=[case.pk])}"' in listing
    page = partner.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Loodsverhuur Zuid" in page  # subjects are shared
    assert "Huurcontract opvragen" not in page  # tasks are not
    assert "Partner Politie" not in page and "toegevoegd" not in page  # internal timeline
    assert partner.get(reverse("cases:detail", args=[other.pk])).status_code == 404
    api = token_client(world["partner"]).get(f"/api/v1/cases/{case.pk}/").json()
    assert api["subjects"] and api["tasks"] == [] and api["signals"] == []
    # A partner cannot change anything.
    assert_cannot_change(
        reverse("cases:task_add", args=[case.pk]),
        {"taak-title": "x", "taak-due_on": "2030-01-01"},
        outsiders=[world["partner"], world["regisseur_dordrecht"], world["medewerker"]],
        unchanged=lambda: CaseTask.objects.count(),
    )
    # Taken off the case: nothing any more.
    actions.remove_partner(world["regisseur"], membership)
    assert partner.get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_partner_must_work_with_the_municipality_and_give_a_legal_basis(world):
    case = open_case(world, signal(world))
    stranger = PartnerOrganisationFactory(name="Politie Limburg", municipalities=[world.elsewhere])
    with pytest.raises(ValidationError):
        actions.add_partner(world["regisseur"], case, stranger, legal_basis="convenant")
    with pytest.raises(ValidationError) as exc:
        actions.add_partner(world["regisseur"], case, world.police, legal_basis=" ")
    assert "grondslag" in str(exc.value) or "deelt" in str(exc.value)


def test_phases_follow_the_table_and_closing_needs_a_result(world):
    case = open_case(world, signal(world))
    with pytest.raises(ValidationError):
        actions.change_phase(world["regisseur"], case, "nazorg")
    with pytest.raises(ValidationError) as exc:
        actions.change_phase(world["regisseur"], case, "afgesloten")
    assert "resultaat" in str(exc.value)
    case = actions.change_phase(world["regisseur"], case, "analyse")
    case = actions.change_phase(world["regisseur"], case, "afgesloten", result="voorkomen")
    assert case.closed_on == timezone.localdate()
    assert case.retain_until == actions.retention_end(case.closed_on)
    assert case.retain_until.year == case.closed_on.year + 5
    reopened = actions.change_phase(world["regisseur"], case, "analyse")
    assert reopened.retain_until is None and reopened.result == ""


def test_two_editors_never_silently_overwrite_each_other(world):
    case = open_case(world, signal(world))
    url = reverse("cases:edit", args=[case.pk])
    first, second = login(Client(), world["regisseur"]), login(Client(), world["analist"])
    base = {"lead": world["regisseur"].pk, "version": case.version, "summary": ""}
    assert first.post(url, {**base, "title": "Titel van de regisseur"}).status_code == 302
    response = second.post(url, {**base, "title": "Titel van de analist"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Iemand anders heeft deze casus intussen gewijzigd" in body
    assert "Titel van de analist" in body  # the second editor's input is still there
    assert "Titel van de regisseur" in body  # next to what is stored now
    assert Case.objects.get(pk=case.pk).title == "Titel van de regisseur"
    # Saving again (now with the new version) works.
    version = Case.objects.get(pk=case.pk).version
    again = second.post(url, {**base, "version": version, "title": "Titel van de analist"})
    assert again.status_code == 302
    assert Case.objects.get(pk=case.pk).title == "Titel van de analist"


def test_api_patch_with_a_stale_version_is_a_conflict(world):
    case = open_case(world, signal(world))
    client = token_client(world["analist"])
    url = f"/api/v1/cases/{case.pk}/"
    ok = client.patch(
        url, {"version": case.version, "title": "Nieuw"}, content_type="application/json"
    )
    assert ok.status_code == 200 and ok.json()["version"] == case.version + 1
    stale = client.patch(
        url, {"version": case.version, "title": "Oud"}, content_type="application/json"
    )
    assert stale.status_code == 409 and "gewijzigd" in stale.json()["detail"]
    assert Case.objects.get(pk=case.pk).title == "Nieuw"


def test_api_opens_a_case_from_signal_references(world):
    s = signal(world)
    response = token_client(world["analist"]).post(
        "/api/v1/cases/",
        {"title": "Via API", "signals": [s.reference]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["signals"] == [s.reference]
    refused = token_client(world["partner"]).post(
        "/api/v1/cases/", {"title": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403


def test_dates_in_the_wrong_order_are_refused_in_dutch(world):
    case = open_case(world, signal(world))
    future = timezone.localdate() + timedelta(days=3)
    with pytest.raises(ValidationError) as exc:
        actions.update_case(
            world["regisseur"], case, version=case.version, changes={"riec_referred_on": future}
        )
    assert "toekomst" in str(exc.value)
    with pytest.raises(ValidationError):
        actions.change_phase(
            world["regisseur"],
            case,
            "afgesloten",
            result="voorkomen",
            closed_on=case.created_at.date() - timedelta(days=1),
        )


def test_bad_task_input_keeps_the_form_and_saves_nothing(world):
    case = open_case(world, signal(world))
    client = login(Client(), world["regisseur"])
    response = client.post(
        reverse("cases:task_add", args=[case.pk]), {"taak-title": "Bel de verhuurder"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Bel de verhuurder" in body and "Dit veld is vereist" in body
    assert not CaseTask.objects.exists()


def test_documents_are_checked_and_served_only_through_the_gate(world):
    case = open_case(world, signal(world))
    client = login(Client(), world["regisseur"])
    upload = SimpleUploadedFile("verslag.txt", b"Verslag van het gesprek", "text/plain")
    response = client.post(reverse("cases:document_add", args=[case.pk]), {"document-file": upload})
    assert response.status_code == 302
    document = case.documents.get()
    url = reverse("cases:document", args=[case.pk, document.pk])
    assert client.get(url).status_code == 200
    for outsider in (world["partner"], world["regisseur_dordrecht"]):
        assert login(Client(), outsider).get(url).status_code == 404
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00\x03" + b"\x00" * 100, "application/octet-stream")
    response = client.post(reverse("cases:document_add", args=[case.pk]), {"document-file": bad})
    assert response.status_code == 400 and case.documents.count() == 1


def test_the_signal_page_shows_related_cases(world):
    first = signal(world)
    case = open_case(world, first, title="Casus loodsverhuur")
    later = signal(world, "Nieuwe melding over dezelfde loods")
    page = login(Client(), world["analist"]).get(reverse("signals:detail", args=[later.pk]))
    body = page.content.decode()
    assert case.reference in body and "Casus loodsverhuur" in body
    assert f"{reverse('inspections:create')}?signaal={later.pk}" in body  # plan an inspection
    # Another municipality's regisseur never sees the case in its hits.
    assert Case.objects.for_user(world["regisseur_dordrecht"]).count() == 0


def test_overdue_tasks_remind_once(world):
    case = open_case(world, signal(world))
    task = actions.add_task(
        world["regisseur"], case, title="Bel", due_on=timezone.localdate(), owner=world["analist"]
    )
    CaseTask.objects.filter(pk=task.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    assert send_task_reminders() == 1
    assert send_task_reminders() == 0
    assert Notification.objects.filter(recipient=world["analist"], kind="termijn").count() == 1


def test_retention_deletes_closed_cases_with_their_signals_and_files(world):
    kept_signal = signal(world, "hoort ook bij een lopende casus")
    s = signal(world)
    case = open_case(world, s, kept_signal)
    running = open_case(world, kept_signal, title="Lopend")
    document = actions.add_document(
        world["regisseur"], case, SimpleUploadedFile("a.txt", b"tekst", "text/plain")
    )
    name = document.file.name
    actions.change_phase(world["regisseur"], case, "afgesloten", result="voorkomen")
    Case.objects.filter(pk=case.pk).update(retain_until=timezone.localdate() - timedelta(days=1))
    # Signals in a case do not follow the signal retention.
    signal_actions.change_status(world["regisseur"], s, "afgesloten")
    Signal.objects.filter(pk=s.pk).update(closed_at=timezone.now() - timedelta(days=800))
    assert signal_retention.purge() == 0
    with django_capture_on_commit():
        assert retention.purge() == 1
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Signal.objects.filter(pk=s.pk).exists()
    assert Signal.objects.filter(pk=kept_signal.pk).exists()  # still in the running case
    assert Case.objects.filter(pk=running.pk).exists()
    assert not default_storage.exists(name)
    entry = AuditEntry.objects.filter(action=Action.DELETE, object_type="cases.Case").get()
    assert entry.detail["references"] == [case.reference] and s.reference in entry.detail["signals"]


def test_legal_hold_blocks_case_retention(world):
    case = open_case(world, signal(world))
    actions.change_phase(world["regisseur"], case, "afgesloten", result="voorkomen")
    actions.set_legal_hold(world["regisseur"], case, True, "Lopende procedure")
    Case.objects.filter(pk=case.pk).update(retain_until=timezone.localdate() - timedelta(days=1))
    assert retention.purge() == 0 and Case.objects.filter(pk=case.pk).exists()


def test_lead_must_be_a_case_worker_of_the_municipality(world):
    with pytest.raises(ValidationError):
        open_case(world, signal(world), lead=world["regisseur_dordrecht"])
    medewerker = UserFactory(username="mw2", role="medewerker", municipality=world.papendrecht)
    with pytest.raises(ValidationError):
        open_case(world, signal(world), lead=medewerker)


class django_capture_on_commit:
    """Run on_commit callbacks at the end of the block (the test runs inside a transaction)."""

    def __enter__(self):  # type: ignore[no-untyped-def]
        from django.db import connection

        self.start = len(connection.run_on_commit)
        return self

    def __exit__(self, *exc):  # type: ignore[no-untyped-def]
        from django.db import connection

        callbacks = connection.run_on_commit[self.start :]
        connection.run_on_commit[self.start :] = []
        for _sids, func, _robust in callbacks:
            func()


def test_the_case_list_shows_open_cases_unless_asked(world):
    running = open_case(world, signal(world), title="Lopende casus")
    closed = open_case(world, signal(world), title="Afgesloten casus")
    actions.change_phase(world["regisseur"], closed, "afgesloten", result="voorkomen")
    client = login(Client(), world["regisseur"])
    body = client.get(reverse("cases:list")).content.decode()
    assert running.title in body and closed.title not in body
    body = client.get(reverse("cases:list") + "?phase=afgesloten").content.decode()
    assert closed.title in body and running.title not in body


def test_case_page_forms_are_fetched_when_opened_and_work_without_javascript(world):
    case = open_case(world, signal(world))
    client = login(Client(), world["regisseur"])
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    slugs = ("fase", "betrokkene", "taak", "document", "partner", "team", "interventie")
    for slug in slugs:
        assert reverse("cases:form", args=[case.pk, slug]) in page, slug
    # None of the forms' widgets are rendered with the page: they are what made it slow.
    for name in ('name="taak-title"', 'name="partner-organisation"', 'name="team-members"'):
        assert name not in page, name

    url = reverse("cases:form", args=[case.pk, "taak"])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'name="taak-title"' in fragment and "<html" not in fragment
    assert reverse("cases:task_add", args=[case.pk]) in fragment  # posts where it always did
    reads = AuditEntry.objects.filter(action=Action.READ, object_id=str(case.pk)).count
    before = reads()
    own_page = client.get(url).content.decode()  # without JavaScript: a page of its own
    assert "<html" in own_page and "Taak toevoegen" in own_page and case.reference in own_page
    assert reads() == before + 1  # it shows the case's title: a logged read
    team = client.get(reverse("cases:form", args=[case.pk, "team"])).content.decode()
    assert world["analist"].get_full_name() in team  # colleagues to choose from

    assert client.get(reverse("cases:form", args=[case.pk, "onbekend"])).status_code == 404
    assert login(Client(), world["regisseur_dordrecht"]).get(url).status_code == 404
    for outsider in ("partner", "medewerker"):
        assert login(Client(), world[outsider]).get(url).status_code in (403, 404), outsider


def test_a_form_with_errors_comes_back_open_on_the_case_page(world):
    case = open_case(world, signal(world))
    client = login(Client(), world["regisseur"])
    response = client.post(reverse("cases:members", args=[case.pk]), {"team-members": ["999999"]})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'name="team-members"' in body  # the team form, inline and open
    assert 'name="taak-title"' not in body  # the other forms stay closed


def test_the_case_team_is_listed_on_the_case_page(world):
    case = open_case(world, signal(world))
    actions.set_members(world["regisseur"], case, [world["analist"]])
    page = login(Client(), world["regisseur"]).get(reverse("cases:detail", args=[case.pk]))
    assert world["analist"].get_full_name() in page.content.decode()
