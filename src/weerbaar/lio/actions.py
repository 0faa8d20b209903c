"""Writes on LIO meetings: planning, participants, the agenda, sharing, decisions, actions.

Privacy by default: a new agenda item is visible to no partner; it can be shared only with
organisations that take part with a recorded legal basis. A decision acts through the
signals and cases actions (so their history, audit and retention rules apply).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm
from weerbaar.audit.log import record
from weerbaar.audit.models import Action
from weerbaar.cases import actions as case_actions
from weerbaar.cases.models import Case
from weerbaar.cases.workflow import OPEN_PHASES
from weerbaar.inspections import actions as inspection_actions
from weerbaar.organisations.models import Municipality, PartnerOrganisation, Team
from weerbaar.signals import actions as signal_actions
from weerbaar.signals.models import Signal
from weerbaar.signals.workflow import Status, can_transition

from .decisions import DecisionKind, allowed_for
from .models import (
    ActionItem,
    AgendaItem,
    Attendee,
    Decision,
    ItemKind,
    Meeting,
    MeetingOrganisation,
    MeetingSeries,
    MeetingStatus,
)
from .schedule import occurrences


def require_preparer(actor: User, municipality_id: int) -> None:
    if not actor.has_role_perm(Perm.LIO_PREPARE) or actor.municipality_id != municipality_id:
        raise PermissionDenied


def _editable(meeting: Meeting) -> None:
    if meeting.status in (MeetingStatus.FINAL, MeetingStatus.CANCELLED):
        raise ValidationError(
            _("Dit overleg is {status}; het kan niet meer worden gewijzigd.").format(
                status=meeting.get_status_display().lower()
            )
        )


@transaction.atomic
def plan_series(
    actor: User,
    municipality: Municipality,
    *,
    name: str,
    recurrence: str,
    first_starts_at: datetime,
    count: int = 12,
    location: str = "",
    duration_minutes: int = 120,
    request: HttpRequest | None = None,
) -> MeetingSeries:
    """A recurring LIO and its next ``count`` meetings."""
    require_preparer(actor, municipality.pk)
    if first_starts_at < timezone.now():
        raise ValidationError({"first_starts_at": _("Kies een moment in de toekomst.")})
    if not 1 <= count <= 24:
        raise ValidationError({"count": _("Plan 1 tot 24 overleggen vooruit.")})
    series = MeetingSeries(
        municipality=municipality,
        name=name.strip(),
        recurrence=recurrence,
        first_starts_at=first_starts_at,
        location=location.strip(),
        duration_minutes=duration_minutes,
    )
    series.full_clean()
    series.save()
    for moment in occurrences(first_starts_at, recurrence, count):
        Meeting.objects.create(
            municipality=municipality,
            series=series,
            title=series.name,
            starts_at=moment,
            location=series.location,
            chair=actor,
        )
    record(
        Action.CREATE,
        actor=actor,
        obj=series,
        municipality=municipality,
        detail={"meetings": count, "recurrence": recurrence},
        request=request,
    )
    return series


@transaction.atomic
def schedule_meeting(
    actor: User,
    municipality: Municipality,
    *,
    title: str,
    starts_at: datetime,
    location: str = "",
    request: HttpRequest | None = None,
) -> Meeting:
    require_preparer(actor, municipality.pk)
    meeting = Meeting(
        municipality=municipality,
        title=title.strip(),
        starts_at=starts_at,
        location=location.strip(),
        chair=actor,
    )
    meeting.full_clean()
    meeting.save()
    record(Action.CREATE, actor=actor, obj=meeting, request=request)
    return meeting


@transaction.atomic
def add_organisation(
    actor: User,
    meeting: Meeting,
    organisation: PartnerOrganisation,
    *,
    legal_basis: str,
    request: HttpRequest | None = None,
) -> MeetingOrganisation:
    """A partner takes part; items can be shared with it on this legal basis."""
    require_preparer(actor, meeting.municipality_id)
    _editable(meeting)
    works_here = (
        organisation.municipalities.filter(pk=meeting.municipality_id).exists()
        or organisation.regions.filter(pk=meeting.municipality.region_id).exists()
    )
    if not works_here:
        raise ValidationError(
            {"organisation": _("Deze organisatie werkt niet samen met deze gemeente.")}
        )
    if not legal_basis.strip():
        raise ValidationError(
            {"legal_basis": _("Vermeld op grond waarvan deze partner informatie mag ontvangen.")}
        )
    if MeetingOrganisation.objects.filter(meeting=meeting, organisation=organisation).exists():
        raise ValidationError({"organisation": _("Deze partner neemt al deel.")})
    row = MeetingOrganisation.objects.create(
        meeting=meeting, organisation=organisation, legal_basis=legal_basis.strip()[:300]
    )
    record(
        Action.CREATE,
        actor=actor,
        obj=row,
        municipality=meeting.municipality,
        detail={"organisation": organisation.name, "legal_basis": row.legal_basis},
        request=request,
    )
    return row


@transaction.atomic
def remove_organisation(
    actor: User, row: MeetingOrganisation, *, request: HttpRequest | None = None
) -> None:
    """The partner no longer takes part: it loses every item shared with it in this meeting."""
    meeting = row.meeting
    require_preparer(actor, meeting.municipality_id)
    _editable(meeting)
    for item in AgendaItem.objects.filter(meeting=meeting, shared_with=row.organisation_id):
        item.shared_with.remove(row.organisation_id)
    record(
        Action.DELETE,
        actor=actor,
        obj=row,
        municipality=meeting.municipality,
        detail={"organisation": str(row.organisation)},
        request=request,
    )
    row.delete()


@transaction.atomic
def set_attendees(
    actor: User,
    meeting: Meeting,
    people: Iterable[User],
    *,
    teams: Iterable[Team] | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Who is invited: colleagues, people of participating partners, and municipal teams."""
    require_preparer(actor, meeting.municipality_id)
    _editable(meeting)
    if teams is not None:
        teams = list(teams)
        if any(t.municipality_id != meeting.municipality_id for t in teams):
            raise ValidationError({"teams": _("Kies teams van deze gemeente.")})
        meeting.teams.set(teams)
    orgs = set(
        MeetingOrganisation.objects.filter(meeting=meeting).values_list(
            "organisation_id", flat=True
        )
    )
    wanted = {p.pk: p for p in people}
    for person in wanted.values():
        internal = person.municipality_id == meeting.municipality_id
        if not internal and person.partner_organisation_id not in orgs:
            raise ValidationError(
                {"attendees": _("Nodig collega's uit of mensen van deelnemende partners.")}
            )
    Attendee.objects.filter(meeting=meeting).exclude(user_id__in=wanted).delete()
    existing = set(Attendee.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    for pk in set(wanted) - existing:
        Attendee.objects.create(meeting=meeting, user=wanted[pk])
    record(
        Action.UPDATE,
        actor=actor,
        obj=meeting,
        changed_fields=["attendees", *(["teams"] if teams is not None else [])],
        request=request,
    )


def _move_signal(actor: User, signal: Signal, *targets: str, note: str = "") -> None:
    """Walk a signal through the workflow table as far as it allows."""
    for target in targets:
        current = Signal.objects.get(pk=signal.pk)
        if current.status != target and can_transition(current.status, target):
            signal_actions.change_status(actor, current, target, note=note)


@transaction.atomic
def add_item(
    actor: User,
    meeting: Meeting,
    *,
    signal: Signal | None = None,
    case: Case | None = None,
    title: str = "",
    summary: str = "",
    request: HttpRequest | None = None,
) -> AgendaItem:
    """Put a signal, a case or a topic on the agenda. Nobody outside the municipality sees it
    until it is shared."""
    require_preparer(actor, meeting.municipality_id)
    _editable(meeting)
    if signal is not None:
        if (
            not Signal.objects.for_user(actor)
            .filter(pk=signal.pk, municipality_id=meeting.municipality_id)
            .exists()
        ):
            raise PermissionDenied
        if AgendaItem.objects.filter(meeting=meeting, signal=signal).exists():
            raise ValidationError(_("Dit signaal staat al op de agenda."))
        kind = ItemKind.SIGNAL
        title = title or _("Signaal {ref}").format(ref=signal.reference)
        summary = summary or signal.description
    elif case is not None:
        if (
            not Case.objects.for_user(actor)
            .filter(pk=case.pk, municipality_id=meeting.municipality_id)
            .exists()
        ):
            raise PermissionDenied
        if AgendaItem.objects.filter(meeting=meeting, case=case).exists():
            raise ValidationError(_("Deze casus staat al op de agenda."))
        kind = ItemKind.CASE
        title = title or _("Casus {ref}: {title}").format(ref=case.reference, title=case.title)
        summary = summary or case.summary
    else:
        kind = ItemKind.TOPIC
        if not title.strip():
            raise ValidationError({"title": _("Geef het agendapunt een onderwerp.")})
    last = AgendaItem.objects.filter(meeting=meeting).order_by("-position").first()
    item = AgendaItem(
        meeting=meeting,
        position=(last.position + 1) if last else 1,
        kind=kind,
        signal=signal,
        case=case,
        title=title.strip()[:200],
        summary=summary.strip(),
    )
    item.full_clean()
    item.save()
    if signal is not None:
        _move_signal(
            actor,
            signal,
            Status.IN_PROGRESS,
            Status.ON_LIO_AGENDA,
            note=_("Op de agenda van {m}").format(m=meeting),
        )
    record(
        Action.CREATE,
        actor=actor,
        obj=item,
        municipality=meeting.municipality,
        detail={"kind": kind},
        request=request,
    )
    return item


@transaction.atomic
def build_agenda(actor: User, meeting: Meeting, *, request: HttpRequest | None = None) -> int:
    """Add the signals marked for the LIO and the open cases due for review."""
    require_preparer(actor, meeting.municipality_id)
    _editable(meeting)
    decided = Decision.objects.values("item__signal_id")
    signals = (
        Signal.objects.for_user(actor)
        .filter(municipality_id=meeting.municipality_id, status=Status.ON_LIO_AGENDA)
        .exclude(lio_items__meeting=meeting)
        .exclude(pk__in=decided)
        .order_by("received_at")
    )
    cases = (
        Case.objects.for_user(actor)
        .filter(
            municipality_id=meeting.municipality_id,
            phase__in=OPEN_PHASES,
            review_on__lte=timezone.localtime(meeting.starts_at).date(),
        )
        .exclude(lio_items__meeting=meeting)
        .order_by("review_on")
    )
    added = 0
    for signal in signals:
        add_item(actor, meeting, signal=signal, request=request)
        added += 1
    for case in cases:
        add_item(actor, meeting, case=case, request=request)
        added += 1
    return added


@transaction.atomic
def share_item(
    actor: User,
    item: AgendaItem,
    organisations: Iterable[PartnerOrganisation],
    *,
    request: HttpRequest | None = None,
) -> AgendaItem:
    """Decide which participating partners see this item (and its decision and actions)."""
    require_preparer(actor, item.meeting.municipality_id)
    _editable(item.meeting)
    allowed = set(
        MeetingOrganisation.objects.filter(meeting=item.meeting).values_list(
            "organisation_id", flat=True
        )
    )
    wanted = {o.pk for o in organisations}
    if not wanted <= allowed:
        raise ValidationError(
            {
                "shared_with": _(
                    "Deel alleen met organisaties die deelnemen met een vastgelegde grondslag."
                )
            }
        )
    before = set(item.shared_with.values_list("pk", flat=True))
    if before == wanted:
        return item
    item.shared_with.set(wanted)
    names = sorted(PartnerOrganisation.objects.filter(pk__in=wanted).values_list("name", flat=True))
    record(
        Action.UPDATE,
        actor=actor,
        obj=item,
        municipality=item.meeting.municipality,
        changed_fields=["shared_with"],
        detail={"shared_with": names},
        request=request,
    )
    return item


@transaction.atomic
def decide(
    actor: User,
    item: AgendaItem,
    *,
    kind: str,
    rationale: str,
    partner: PartnerOrganisation | None = None,
    case_title: str = "",
    lead: User | None = None,
    inspection_on: date | None = None,
    request: HttpRequest | None = None,
) -> Decision:
    """Record the LIO's decision on an item and carry it out."""
    require_preparer(actor, item.meeting.municipality_id)
    _editable(item.meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if Decision.objects.filter(item=item).exists():
        raise ValidationError(_("Over dit agendapunt is al besloten."))
    if kind not in allowed_for(item.kind):
        raise ValidationError({"kind": _("Dit besluit past niet bij dit soort agendapunt.")})
    if not rationale.strip():
        raise ValidationError({"rationale": _("Onderbouw het besluit.")})
    if kind == DecisionKind.PASS_TO_PARTNER:
        if partner is None:
            raise ValidationError({"partner": _("Kies de partner die het overneemt.")})
        if not PartnerOrganisation.objects.for_user(actor).filter(pk=partner.pk).exists():
            raise ValidationError({"partner": _("Deze organisatie werkt niet met u samen.")})
    if kind == DecisionKind.PLAN_INSPECTION and inspection_on is None:
        raise ValidationError({"inspection_on": _("Kies de datum van de controle.")})
    decision = Decision(
        item=item,
        kind=kind,
        rationale=rationale.strip(),
        partner=partner if kind == DecisionKind.PASS_TO_PARTNER else None,
        decided_at=timezone.now(),
        decided_by=actor,
    )
    note = _("Besluit LIO {m}: {d}").format(m=item.meeting, d=DecisionKind(kind).label)
    if item.signal is not None:
        decision.case = _carry_out_for_signal(
            actor, item, kind, partner, case_title, lead, note, request
        )
    elif item.case is not None:
        case_actions.log_event(item.case, actor, f"{note}: {rationale.strip()}"[:500])
        decision.case = item.case
    if kind == DecisionKind.PLAN_INSPECTION:
        assert inspection_on is not None
        decision.inspection = inspection_actions.plan_inspection(
            actor,
            item.meeting.municipality,
            kind="incidenteel" if item.signal is not None else "planmatig",
            title=item.title,
            planned_on=inspection_on,
            signal=item.signal,
            case=item.case,
            request=request,
        )
    decision.full_clean()
    decision.save()
    record(
        Action.CREATE,
        actor=actor,
        obj=decision,
        municipality=item.meeting.municipality,
        detail={
            "kind": kind,
            "case": decision.case.reference if decision.case else "",
            "inspection": decision.inspection.reference if decision.inspection else "",
        },
        request=request,
    )
    return decision


def _carry_out_for_signal(
    actor: User,
    item: AgendaItem,
    kind: str,
    partner: PartnerOrganisation | None,
    case_title: str,
    lead: User | None,
    note: str,
    request: HttpRequest | None,
) -> Case | None:
    signal = item.signal
    assert signal is not None
    if kind == DecisionKind.OPEN_CASE:
        return case_actions.open_case(
            actor,
            item.meeting.municipality,
            title=case_title.strip() or item.title,
            summary=item.summary,
            signals=[signal],
            lead=lead,
            request=request,
        )
    if kind == DecisionKind.PASS_TO_PARTNER:
        assert partner is not None
        current = set(signal.shared_with.all())
        signal_actions.update_triage(actor, signal, shared_with=current | {partner})
        _move_signal(actor, signal, Status.DECIDED, Status.PASSED_TO_PARTNER, note=note)
    elif kind == DecisionKind.NO_ACTION:
        _move_signal(actor, signal, Status.DECIDED, Status.CLOSED, note=note)
    else:  # monitor, plan an inspection
        _move_signal(actor, signal, Status.DECIDED, note=note)
    return None


@transaction.atomic
def add_action_item(
    actor: User,
    meeting: Meeting,
    *,
    description: str,
    due_on: date,
    owner: User | None = None,
    owner_organisation: PartnerOrganisation | None = None,
    item: AgendaItem | None = None,
    request: HttpRequest | None = None,
) -> ActionItem:
    require_preparer(actor, meeting.municipality_id)
    _editable(meeting)
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = _("Beschrijf de actie.")
    if owner is None and owner_organisation is None:
        errors["owner"] = _("Kies wie de actie uitvoert.")
    if owner is not None and owner.municipality_id != meeting.municipality_id:
        errors["owner"] = _("Kies een collega van deze gemeente.")
    participating = MeetingOrganisation.objects.filter(meeting=meeting)
    if (
        owner_organisation is not None
        and not participating.filter(organisation=owner_organisation).exists()
    ):
        errors["owner_organisation"] = _("Deze partner neemt niet deel aan het overleg.")
    if item is not None and item.meeting_id != meeting.pk:
        errors["item"] = _("Dit agendapunt hoort niet bij dit overleg.")
    if due_on < timezone.localtime(meeting.starts_at).date():
        errors["due_on"] = _("De termijn ligt vóór het overleg.")
    if errors:
        raise ValidationError(errors)
    action = ActionItem.objects.create(
        meeting=meeting,
        item=item,
        description=description.strip()[:300],
        owner=owner,
        owner_organisation=owner_organisation,
        due_on=due_on,
    )
    record(
        Action.CREATE, actor=actor, obj=action, municipality=meeting.municipality, request=request
    )
    return action


@transaction.atomic
def complete_action_item(
    actor: User, action: ActionItem, *, request: HttpRequest | None = None
) -> ActionItem:
    require_preparer(actor, action.meeting.municipality_id)
    if action.done_at is None:
        action.done_at = timezone.now()
        action.save(update_fields=["done_at"])
        record(
            Action.UPDATE,
            actor=actor,
            obj=action,
            municipality=action.meeting.municipality,
            changed_fields=["done_at"],
            request=request,
        )
    return action


STATUS_STEPS = {
    MeetingStatus.PLANNED: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.HELD: {MeetingStatus.FINAL},
    MeetingStatus.FINAL: set(),
    MeetingStatus.CANCELLED: set(),
}


@transaction.atomic
def set_status(
    actor: User, meeting: Meeting, status: str, *, request: HttpRequest | None = None
) -> Meeting:
    require_preparer(actor, meeting.municipality_id)
    if status not in STATUS_STEPS.get(MeetingStatus(meeting.status), set()):
        raise ValidationError(_("Deze stap is nu niet mogelijk."))
    if status == MeetingStatus.HELD and meeting.starts_at > timezone.now():
        raise ValidationError(_("Een overleg kan pas gehouden zijn als het is begonnen."))
    meeting.status = status
    meeting.save(update_fields=["status"])
    record(Action.UPDATE, actor=actor, obj=meeting, changed_fields=["status"], request=request)
    return meeting
