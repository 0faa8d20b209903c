"""Writes on cases. Each runs in one transaction, writes the timeline and the audit log.

Edits of the case record carry the version the editor started from; when somebody else saved
in between, :class:`StaleCase` is raised and nothing is written (no silent overwrite).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm
from weerbaar.audit.log import changed, record, snapshot
from weerbaar.audit.models import Action
from weerbaar.core.numbering import next_reference
from weerbaar.notifications.actions import notify
from weerbaar.organisations.models import Municipality, PartnerOrganisation
from weerbaar.signals import actions as signal_actions
from weerbaar.signals.actions import SUBJECT_FIELDS
from weerbaar.signals.files import store_checked_upload
from weerbaar.signals.models import Signal, Subject
from weerbaar.signals.retention import months_before
from weerbaar.signals.workflow import Status as SignalStatus
from weerbaar.signals.workflow import can_transition as signal_can_transition

from .models import (
    Case,
    CaseCounter,
    CaseDocument,
    CaseEvent,
    CaseMember,
    CasePartner,
    CaseSubject,
    CaseTask,
    PhaseChange,
    SharedPart,
)
from .workflow import Phase, Result, can_transition

COPIED_SUBJECT_FIELDS = ("match_key", "registry", "registry_id")
EDITABLE_FIELDS = (
    "title",
    "summary",
    "lead",
    "restricted",
    "review_on",
    "riec_referred_on",
    "riec_reference",
    "riec_status",
)


class StaleCase(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Iemand anders heeft deze casus intussen gewijzigd. Uw wijzigingen zijn niet "
                "opgeslagen; ze staan nog in het formulier. Vergelijk ze met de huidige "
                "gegevens en sla opnieuw op."
            ),
            code="stale",
        )


def require_worker(actor: User, case: Case) -> None:
    """Only case workers who can see this case may change it."""
    if not actor.has_role_perm(Perm.CASES_WORK):
        raise PermissionDenied
    if not Case.objects.for_user(actor).filter(pk=case.pk).exists():
        raise PermissionDenied


def log_event(
    case: Case, actor: User | None, text: str, *, part: str = "", internal: bool = False
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case, at=timezone.now(), by=actor, text=text[:500], part=part, internal=internal
    )


def _check_lead(lead: User | None, municipality_id: int) -> None:
    if lead is not None and (
        lead.municipality_id != municipality_id or not lead.has_role_perm(Perm.CASES_WORK)
    ):
        raise ValidationError({"lead": _("Kies een regisseur of analist van deze gemeente.")})


@transaction.atomic
def open_case(
    actor: User,
    municipality: Municipality,
    *,
    title: str,
    signals: Sequence[Signal] = (),
    summary: str = "",
    lead: User | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Open a case, from one or more signals: it takes over their subjects and phenomena."""
    if not actor.has_role_perm(Perm.CASES_WORK) or actor.municipality_id != municipality.pk:
        raise PermissionDenied
    visible = set(Signal.objects.for_user(actor).filter(pk__in=[s.pk for s in signals]))
    if len(visible) != len({s.pk for s in signals}) or any(
        s.municipality_id != municipality.pk for s in visible
    ):
        raise PermissionDenied
    if not title.strip():
        raise ValidationError({"title": _("Geef de casus een titel.")})
    lead = lead or actor
    _check_lead(lead, municipality.pk)
    case = Case(
        municipality=municipality,
        reference=next_reference(CaseCounter, municipality, "CAS"),
        title=title.strip()[:200],
        summary=summary.strip(),
        lead=lead,
        created_by=actor,
    )
    case.full_clean(exclude=["reference"])
    case.save()
    ordered = sorted(visible, key=lambda s: s.received_at)
    case.signals.set(ordered)
    case.phenomena.set({p for s in ordered for p in s.phenomena.all()})
    copied = _copy_subjects(case, ordered)
    PhaseChange.objects.create(case=case, at=timezone.now(), to_phase=Phase.EXPLORATION, by=actor)
    refs = ", ".join(s.reference for s in ordered)
    log_event(
        case,
        actor,
        _("Casus geopend") + (_(" uit signaal {refs}").format(refs=refs) if refs else ""),
    )
    record(
        Action.CREATE,
        actor=actor,
        obj=case,
        changed_fields=["title", "summary", "lead", "signals"],
        detail={"signals": [s.reference for s in ordered], "subjects": copied},
        request=request,
    )
    for signal in ordered:
        if signal_can_transition(signal.status, SignalStatus.DECIDED):
            signal_actions.change_status(
                actor,
                signal,
                SignalStatus.DECIDED,
                note=_("Casus {ref} geopend").format(ref=case.reference),
                request=request,
            )
    if lead.pk != actor.pk:
        _notify_lead(case, lead)
    return case


def _copy_subjects(case: Case, signals: Iterable[Signal]) -> int:
    """Copy the signals' subjects onto the case, once per match key."""
    seen = set(CaseSubject.objects.filter(case=case).values_list("match_key", flat=True))
    seen.discard("")
    count = 0
    for subject in Subject.objects.filter(signal__in=list(signals)).order_by("signal_id", "pk"):
        key = subject.match_key or f"los:{subject.pk}"
        if key in seen:
            continue
        seen.add(key)
        values = {f: getattr(subject, f) for f in (*SUBJECT_FIELDS, *COPIED_SUBJECT_FIELDS)}
        CaseSubject.objects.create(case=case, from_signal=subject.signal, **values)
        count += 1
    return count


def _notify_lead(case: Case, lead: User) -> None:
    notify(
        [lead],
        kind="casus",
        text=_("U bent casusregisseur van {ref}.").format(ref=case.reference),
        link=reverse("cases:detail", args=[case.pk]),
    )


def _lock(case: Case, version: int | None) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if version is not None and locked.version != version:
        raise StaleCase()
    return locked


def _bump(case: Case, fields: Sequence[str]) -> None:
    case.version += 1
    case.save(update_fields=[*fields, "version", "updated_at"])


def _check_riec(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    referred = values.get("riec_referred_on")
    if referred and referred > timezone.localdate():
        errors["riec_referred_on"] = _("Deze datum ligt in de toekomst.")
    if (values.get("riec_status") or values.get("riec_reference")) and not referred:
        errors["riec_referred_on"] = _(
            "Vul de datum in waarop de casus bij het RIEC is ingebracht."
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_case(
    actor: User,
    case: Case,
    *,
    version: int,
    changes: dict[str, Any],
    request: HttpRequest | None = None,
) -> Case:
    """Change the record (title, lead, RIEC referral, ...), refusing a stale edit."""
    require_worker(actor, case)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    case = _lock(case, version)
    before = snapshot(case, changes)
    merged = {**snapshot(case, EDITABLE_FIELDS), **changes}
    _check_riec(merged)
    if "lead" in changes:
        _check_lead(changes["lead"], case.municipality_id)
    if not str(merged["title"]).strip():
        raise ValidationError({"title": _("Geef de casus een titel.")})
    for name, value in changes.items():
        setattr(case, name, value)
    fields = changed(case, before, changes)
    if not fields:
        return case
    case.full_clean(exclude=["reference"])
    _bump(case, fields)
    labels = ", ".join(str(getattr(Case._meta.get_field(f), "verbose_name", f)) for f in fields)
    log_event(case, actor, _("Gewijzigd: {fields}").format(fields=labels))
    record(Action.UPDATE, actor=actor, obj=case, changed_fields=fields, request=request)
    if "lead" in fields and case.lead is not None and case.lead.pk != actor.pk:
        _notify_lead(case, case.lead)
    return case


@transaction.atomic
def change_phase(
    actor: User,
    case: Case,
    target: str,
    *,
    version: int | None = None,
    note: str = "",
    result: str = "",
    result_note: str = "",
    closed_on: date | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Move the case to its next phase. Closing asks for a result and starts retention."""
    require_worker(actor, case)
    case = _lock(case, version)
    if not can_transition(case.phase, target):
        raise ValidationError(
            _("Van fase '{current}' kan een casus niet naar '{target}'.").format(
                current=case.get_phase_display(),
                target=Phase(target).label if target in Phase.values else target,
            )
        )
    previous = case.phase
    fields = ["phase"]
    if target == Phase.CLOSED:
        if result not in Result.values:
            raise ValidationError({"result": _("Kies het resultaat van de casus.")})
        closed_on = closed_on or timezone.localdate()
        if closed_on > timezone.localdate():
            raise ValidationError({"closed_on": _("Deze datum ligt in de toekomst.")})
        if closed_on < case.created_at.date():
            raise ValidationError(
                {"closed_on": _("Een casus kan niet worden afgesloten voordat hij is geopend.")}
            )
        case.closed_on, case.result, case.result_note = closed_on, result, result_note.strip()
        case.retain_until = retention_end(closed_on)
        fields += ["closed_on", "result", "result_note", "retain_until"]
    elif previous == Phase.CLOSED:  # reopened: the retention clock stops
        case.closed_on, case.result, case.result_note, case.retain_until = None, "", "", None
        fields += ["closed_on", "result", "result_note", "retain_until"]
    case.phase = target
    _bump(case, fields)
    PhaseChange.objects.create(
        case=case, at=timezone.now(), from_phase=previous, to_phase=target, by=actor, note=note
    )
    text = _("Fase: {a} → {b}").format(a=Phase(previous).label, b=Phase(target).label)
    if target == Phase.CLOSED:
        text += _(" (resultaat: {r})").format(r=Result(result).label)
    log_event(case, actor, text + (f" · {note}" if note else ""))
    record(
        Action.UPDATE,
        actor=actor,
        obj=case,
        changed_fields=fields,
        detail={"from": previous, "to": target},
        request=request,
    )
    return case


def retention_end(closed_on: date) -> date:
    """The day a closed case may be deleted: CASE_RETENTION_MONTHS after closing."""
    moment = datetime(closed_on.year, closed_on.month, closed_on.day)
    return months_before(moment, -settings.CASE_RETENTION_MONTHS).date()


@transaction.atomic
def set_legal_hold(
    actor: User, case: Case, hold: bool, reason: str, *, request: HttpRequest | None = None
) -> Case:
    require_worker(actor, case)
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden op.")})
    case = _lock(case, None)
    if case.legal_hold == hold:
        return case
    case.legal_hold = hold
    _bump(case, ["legal_hold"])
    log_event(
        case,
        actor,
        (_("Juridische blokkade ingesteld") if hold else _("Juridische blokkade opgeheven"))
        + f": {reason.strip()}",
        internal=True,
    )
    record(
        Action.UPDATE,
        actor=actor,
        obj=case,
        changed_fields=["legal_hold"],
        purpose=reason.strip(),
        request=request,
    )
    return case


def _check_partner(actor: User, case: Case, organisation: PartnerOrganisation) -> None:
    allowed = PartnerOrganisation.objects.for_user(actor).filter(pk=organisation.pk).exists()
    works_here = (
        organisation.municipalities.filter(pk=case.municipality_id).exists()
        or organisation.regions.filter(pk=case.municipality.region_id).exists()
    )
    if not allowed or not works_here:
        raise ValidationError(
            {"organisation": _("Deze organisatie werkt niet samen met deze gemeente.")}
        )


@transaction.atomic
def add_partner(
    actor: User,
    case: Case,
    organisation: PartnerOrganisation,
    *,
    legal_basis: str,
    parts: Iterable[str] = (),
    request: HttpRequest | None = None,
) -> CasePartner:
    """Put a partner on the case; it sees the case and exactly the parts shared with it."""
    require_worker(actor, case)
    _check_partner(actor, case, organisation)
    if not legal_basis.strip():
        raise ValidationError(
            {"legal_basis": _("Vermeld op grond waarvan u gegevens met deze partner deelt.")}
        )
    if CasePartner.objects.filter(case=case, organisation=organisation, removed_at=None).exists():
        raise ValidationError({"organisation": _("Deze partner staat al op de casus.")})
    parts = set(parts)
    if not parts <= set(SharedPart.values):
        raise ValidationError({"parts": _("Onbekend onderdeel.")})
    membership = CasePartner.objects.create(
        case=case,
        organisation=organisation,
        legal_basis=legal_basis.strip()[:300],
        added_by=actor,
        **{f"share_{p}": p in parts for p in SharedPart.values},
    )
    log_event(
        case,
        actor,
        _("Partner {org} toegevoegd ({basis}); gedeeld: {parts}").format(
            org=organisation, basis=membership.legal_basis, parts=", ".join(membership.shared_parts)
        ),
        internal=True,
    )
    record(
        Action.CREATE,
        actor=actor,
        obj=membership,
        municipality=case.municipality,
        detail={"case": case.reference, "organisation": organisation.name, "parts": sorted(parts)},
        request=request,
    )
    _notify_partner(case, organisation)
    return membership


def _notify_partner(case: Case, organisation: PartnerOrganisation) -> None:
    people = User.objects.filter(partner_organisation=organisation, is_active=True)
    notify(
        list(people),
        kind="casus",
        text=_("Uw organisatie is toegevoegd aan casus {ref}.").format(ref=case.reference),
        link=reverse("cases:detail", args=[case.pk]),
    )


@transaction.atomic
def remove_partner(
    actor: User, membership: CasePartner, *, request: HttpRequest | None = None
) -> CasePartner:
    """Take a partner off the case: from now on it sees nothing of it."""
    require_worker(actor, membership.case)
    if membership.removed_at is not None:
        return membership
    membership.removed_at = timezone.now()
    membership.save(update_fields=["removed_at"])
    log_event(
        membership.case,
        actor,
        _("Partner {org} van de casus gehaald").format(org=membership.organisation),
        internal=True,
    )
    record(
        Action.UPDATE,
        actor=actor,
        obj=membership,
        municipality=membership.case.municipality,
        changed_fields=["removed_at"],
        request=request,
    )
    return membership


@transaction.atomic
def set_members(
    actor: User, case: Case, members: Iterable[User], *, request: HttpRequest | None = None
) -> None:
    require_worker(actor, case)
    wanted = {m.pk: m for m in members}
    for member in wanted.values():
        if member.municipality_id != case.municipality_id or not member.has_role_perm(
            Perm.CASES_WORK
        ):
            raise ValidationError({"members": _("Kies regisseurs of analisten van deze gemeente.")})
    current = set(CaseMember.objects.filter(case=case).values_list("user_id", flat=True))
    if current == set(wanted):
        return
    CaseMember.objects.filter(case=case).exclude(user_id__in=wanted).delete()
    for pk in set(wanted) - current:
        CaseMember.objects.create(case=case, user=wanted[pk])
    log_event(case, actor, _("Casusteam gewijzigd"), internal=True)
    record(Action.UPDATE, actor=actor, obj=case, changed_fields=["members"], request=request)


@transaction.atomic
def add_task(
    actor: User,
    case: Case,
    *,
    title: str,
    due_on: date,
    owner: User | None = None,
    owner_organisation: PartnerOrganisation | None = None,
    request: HttpRequest | None = None,
) -> CaseTask:
    require_worker(actor, case)
    if not title.strip():
        raise ValidationError({"title": _("Beschrijf de taak.")})
    if owner is not None and owner.municipality_id != case.municipality_id:
        raise ValidationError({"owner": _("Kies een medewerker van deze gemeente.")})
    if (
        owner_organisation is not None
        and not CasePartner.objects.filter(
            case=case, organisation=owner_organisation, removed_at=None
        ).exists()
    ):
        raise ValidationError({"owner_organisation": _("Deze partner staat niet op de casus.")})
    task = CaseTask(
        case=case,
        title=title.strip()[:300],
        due_on=due_on,
        owner=owner,
        owner_organisation=owner_organisation,
    )
    task.full_clean()
    task.save()
    who = owner or owner_organisation
    log_event(
        case,
        actor,
        _("Taak: {t} (uiterlijk {d}{who})").format(
            t=task.title, d=due_on.strftime("%d-%m-%Y"), who=f", {who}" if who else ""
        ),
        part=SharedPart.TASKS,
    )
    record(Action.CREATE, actor=actor, obj=task, municipality=case.municipality, request=request)
    if owner is not None and owner.pk != actor.pk:
        notify(
            [owner],
            kind="taak",
            text=_("Nieuwe taak in casus {ref}: {t}").format(ref=case.reference, t=task.title),
            link=reverse("cases:detail", args=[case.pk]),
        )
    return task


@transaction.atomic
def complete_task(actor: User, task: CaseTask, *, request: HttpRequest | None = None) -> CaseTask:
    require_worker(actor, task.case)
    task = CaseTask.objects.select_for_update().get(pk=task.pk)
    if task.done_at is not None:
        return task
    task.done_at, task.done_by = timezone.now(), actor
    task.save(update_fields=["done_at", "done_by"])
    log_event(task.case, actor, _("Taak afgerond: {t}").format(t=task.title), part=SharedPart.TASKS)
    record(
        Action.UPDATE,
        actor=actor,
        obj=task,
        municipality=task.case.municipality,
        changed_fields=["done_at"],
        request=request,
    )
    return task


@transaction.atomic
def add_document(
    actor: User,
    case: Case,
    upload: Any,
    *,
    description: str = "",
    request: HttpRequest | None = None,
) -> CaseDocument:
    require_worker(actor, case)
    document = CaseDocument(case=case, description=description.strip()[:300], uploaded_by=actor)
    store_checked_upload(document, upload)
    log_event(
        case,
        actor,
        _("Document toegevoegd: {name}").format(name=document.original_name),
        part=SharedPart.DOCUMENTS,
    )
    record(
        Action.CREATE, actor=actor, obj=document, municipality=case.municipality, request=request
    )
    return document


@transaction.atomic
def add_subject(
    actor: User, case: Case, values: dict[str, Any], *, request: HttpRequest | None = None
) -> CaseSubject:
    require_worker(actor, case)
    data = signal_actions.clean_subject(values)
    subject = CaseSubject(case=case, **data)
    subject.match_key = subject.compute_match_key()
    subject.full_clean()
    subject.save()
    log_event(
        case,
        actor,
        _("Betrokkene toegevoegd: {kind}").format(kind=subject.get_kind_display()),
        part=SharedPart.SUBJECTS,
    )
    record(Action.CREATE, actor=actor, obj=subject, municipality=case.municipality, request=request)
    return subject


@transaction.atomic
def add_signals(
    actor: User, case: Case, signals: Sequence[Signal], *, request: HttpRequest | None = None
) -> int:
    """Link more signals to an open case; their subjects are added too."""
    require_worker(actor, case)
    visible = list(Signal.objects.for_user(actor).filter(pk__in=[s.pk for s in signals]))
    if len(visible) != len({s.pk for s in signals}) or any(
        s.municipality_id != case.municipality_id for s in visible
    ):
        raise PermissionDenied
    new = [s for s in visible if not case.signals.filter(pk=s.pk).exists()]
    if not new:
        return 0
    case.signals.add(*new)
    _copy_subjects(case, new)
    refs = ", ".join(s.reference for s in new)
    log_event(case, actor, _("Signaal toegevoegd: {refs}").format(refs=refs))
    record(
        Action.UPDATE,
        actor=actor,
        obj=case,
        changed_fields=["signals"],
        detail={"added": [s.reference for s in new]},
        request=request,
    )
    return len(new)
