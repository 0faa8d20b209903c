"""Demo cases and LIO meetings on top of the demo signals (all fictitious, marked is_demo)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from weerbaar.accounts.models import User
from weerbaar.cases import actions as case_actions
from weerbaar.cases.models import Case
from weerbaar.inspections import actions as inspection_actions
from weerbaar.interventions import actions as intervention_actions
from weerbaar.lio import actions as lio_actions
from weerbaar.lio.models import AgendaItem, Meeting, MeetingSeries
from weerbaar.organisations.models import Municipality, PartnerOrganisation
from weerbaar.signals.models import Signal

from .region import DEMO_MUNICIPALITY, PARTNERS

COVENANT = "Partij bij het RIEC-convenant (demo)"


@transaction.atomic
def load_demo_cases_and_lio() -> None:
    """One running case with the police on it, and a monthly LIO whose next meeting has an
    agenda ready: one item shared with the police, one for the municipality only."""
    if Meeting.objects.filter(is_demo=True).exists():
        return
    papendrecht = Municipality.objects.get(code=DEMO_MUNICIPALITY)
    regisseur = User.objects.get(username="regisseur")
    police = PartnerOrganisation.objects.get(name=PARTNERS[0][0])
    riec = PartnerOrganisation.objects.get(name=PARTNERS[1][0])
    demo_signals = Signal.objects.filter(municipality=papendrecht, is_demo=True)

    garage = demo_signals.filter(description__startswith="Autobedrijf").first()
    if garage is not None:
        case = case_actions.open_case(
            regisseur,
            papendrecht,
            title="Autohandel Demopolder (demo)",
            summary="Veel dure auto's, weinig klanten; mogelijk witwassen via de autohandel.",
            signals=[garage],
        )
        case_actions.add_partner(
            regisseur,
            case,
            police,
            legal_basis=COVENANT,
            parts=["subjects", "interventions"],
        )
        case_actions.add_task(
            regisseur,
            case,
            title="Bibob-advies aanvragen bij het Landelijk Bureau Bibob (demo)",
            due_on=timezone.localdate() + timedelta(days=21),
            owner=User.objects.filter(username="analist").first(),
        )
        case = case_actions.change_phase(regisseur, case, "analyse")
        case_actions.update_case(
            regisseur,
            case,
            version=case.version,
            changes={"review_on": timezone.localdate()},
        )
        intervention_actions.register_intervention(
            regisseur,
            case,
            kind="bibob",
            description="Bibob-advies gevraagd bij de aanvraag exploitatievergunning (demo)",
        )
        _demo_inspections(regisseur, papendrecht, case)
        Case.objects.filter(pk=case.pk).update(is_demo=True)

    first = (timezone.localtime() + timedelta(days=3)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    series = lio_actions.plan_series(
        regisseur,
        papendrecht,
        name="LIO Papendrecht (demo)",
        recurrence="maandelijks_weekdag",
        first_starts_at=first,
        count=6,
        location="Raadhuis, kamer 2.14",
    )
    MeetingSeries.objects.filter(pk=series.pk).update(is_demo=True)
    Meeting.objects.filter(series=series).update(is_demo=True)
    meeting = series.meetings.order_by("starts_at").first()
    assert meeting is not None
    lio_actions.add_organisation(regisseur, meeting, police, legal_basis=COVENANT)
    lio_actions.add_organisation(regisseur, meeting, riec, legal_basis=COVENANT)
    lio_actions.build_agenda(regisseur, meeting)
    boat = AgendaItem.objects.filter(
        meeting=meeting, signal__description__startswith="Boot"
    ).first()
    if boat is not None:
        lio_actions.share_item(regisseur, boat, [police, riec])
    lio_actions.add_item(
        regisseur,
        meeting,
        title="Rondvraag en signalen van de teams (demo)",
        summary="Wat zagen Vergunningen, Handhaving en het sociaal domein deze maand?",
    )


def _demo_inspections(regisseur: User, papendrecht: Municipality, case: Case) -> None:
    """A yearly target of four, one inspection held on the garage with a finding and its
    follow-up as a 13b closure on the case, and one planned inspection."""
    today = timezone.localdate()
    inspection_actions.set_target(regisseur, papendrecht, year=today.year, planned_count=4)
    held = inspection_actions.plan_inspection(
        regisseur,
        papendrecht,
        kind="planmatig",
        title="Integrale controle bedrijventerrein Demopolder (demo)",
        planned_on=today - timedelta(days=7),
        area="Bedrijventerrein Demopolder",
        partners=list(
            PartnerOrganisation.objects.filter(name__in=[PARTNERS[0][0], PARTNERS[2][0]])
        ),
        case=case,
    )
    target = inspection_actions.add_object(
        regisseur,
        held,
        {
            "name": "Autohandel Demo BV (demo)",
            "street": "Demoweg",
            "house_number": 5,
            "postcode": "3352AA",
            "city": "Papendrecht",
        },
    )
    inspection_actions.change_status(regisseur, held, "gehouden", held_on=today - timedelta(days=7))
    finding = inspection_actions.record_finding(
        regisseur,
        target,
        {
            "violations_found": True,
            "violations": "Hennepstek van 80 planten in de achterruimte (demo)",
            "observations": "Verzwaarde stroomaansluiting; geen administratie aanwezig (demo)",
            "follow_up": "sluiting",
            "follow_up_note": "",
        },
    )
    inspection_actions.intervention_from_finding(regisseur, finding, kind="sluiting_13b")
    inspection_actions.plan_inspection(
        regisseur,
        papendrecht,
        kind="dhw",
        title="Alcoholwetcontrole sportkantines (demo)",
        planned_on=today + timedelta(days=20),
    )
