"""Writes on interventions. Each runs in one transaction, checks the role, validates, writes a
line on the case timeline and the audit log. There is no delete: interventions go with their
case when its retention ends (``weerbaar.cases.retention``).

Edits carry the version the editor started from; when somebody else saved in between,
:class:`StaleIntervention` is raised and nothing is written (no silent overwrite).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from weerbaar.accounts.models import User
from weerbaar.audit.log import changed, record, snapshot
from weerbaar.audit.models import Action
from weerbaar.cases.actions import log_event, require_worker
from weerbaar.cases.models import Case, SharedPart
from weerbaar.organisations.models import PartnerOrganisation
from weerbaar.signals.retention import months_before

from .models import Intervention
from .workflow import (
    CLOSURE_MONTHS,
    INITIAL_STATUSES,
    Kind,
    Status,
    can_transition,
    default_legal_basis,
)

EDITABLE_FIELDS = (
    "kind",
    "legal_basis",
    "description",
    "executor",
    "status",
    "decided_on",
    "outcome",
    "objection_on",
    "appeal_on",
    "starts_on",
    "ends_on",
)


class StaleIntervention(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "Iemand anders heeft deze interventie intussen gewijzigd. Uw wijzigingen zijn "
                "niet opgeslagen; ze staan nog in het formulier. Vergelijk ze met de huidige "
                "gegevens en sla opnieuw op."
            ),
            code="stale",
        )


def closure_end(starts_on: date, months: int) -> date:
    """The end of a closure of ``months`` months that goes in on ``starts_on``."""
    moment = datetime(starts_on.year, starts_on.month, starts_on.day)
    return months_before(moment, -months).date()


def _end_from_duration(
    starts_on: date | None, ends_on: date | None, duration_months: int | None
) -> date | None:
    """A closure's end: given as a date, or as a duration of 3, 6 or 12 months."""
    if duration_months is None:
        return ends_on
    if duration_months not in CLOSURE_MONTHS:
        raise ValidationError({"duration_months": _("Kies een duur van 3, 6 of 12 maanden.")})
    if starts_on is None:
        raise ValidationError(
            {"starts_on": _("Vul in wanneer de sluiting ingaat; de einddatum volgt uit de duur.")}
        )
    end = closure_end(starts_on, duration_months)
    if ends_on is not None and ends_on != end:
        raise ValidationError({"ends_on": _("Kies een duur of een einddatum, niet allebei.")})
    return end


def _check_kind(kind: str) -> None:
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Kies de soort interventie.")})


def _check_executor(actor: User, executor: PartnerOrganisation | None) -> None:
    """The executing organisation: the municipality itself, or a partner it works with."""
    if executor is None:
        return
    if not PartnerOrganisation.objects.for_user(actor).filter(pk=executor.pk).exists():
        raise ValidationError(
            {"executor": _("Deze organisatie werkt niet samen met deze gemeente.")}
        )


def _period(intervention: Intervention) -> str:
    if not (intervention.starts_on and intervention.ends_on):
        return ""
    return _(" · sluiting van {start} tot {end}").format(
        start=intervention.starts_on.strftime("%d-%m-%Y"),
        end=intervention.ends_on.strftime("%d-%m-%Y"),
    )


@transaction.atomic
def register_intervention(
    actor: User,
    case: Case,
    *,
    kind: str,
    legal_basis: str = "",
    description: str = "",
    executor: PartnerOrganisation | None = None,
    status: str = Status.PREPARATION,
    decided_on: date | None = None,
    outcome: str = "",
    objection_on: date | None = None,
    appeal_on: date | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    duration_months: int | None = None,
    request: HttpRequest | None = None,
) -> Intervention:
    """Register an intervention on a case. An empty legal basis takes the kind's default."""
    require_worker(actor, case)
    _check_kind(kind)
    if status not in INITIAL_STATUSES:
        raise ValidationError(
            {"status": _("Een nieuwe interventie kan niet meteen ingetrokken zijn.")}
        )
    _check_executor(actor, executor)
    intervention = Intervention(
        case=case,
        kind=kind,
        legal_basis=(legal_basis.strip() or default_legal_basis(kind))[:300],
        description=description.strip()[:300],
        executor=executor,
        status=status,
        decided_on=decided_on,
        outcome=outcome.strip(),
        objection_on=objection_on,
        appeal_on=appeal_on,
        starts_on=starts_on,
        ends_on=_end_from_duration(starts_on, ends_on, duration_months),
        created_by=actor,
    )
    intervention.full_clean()
    intervention.save()
    log_event(
        case,
        actor,
        _("Interventie geregistreerd: {kind} ({status}){period}").format(
            kind=intervention.get_kind_display(),
            status=intervention.get_status_display().lower(),
            period=_period(intervention),
        ),
        part=SharedPart.INTERVENTIONS,
    )
    record(
        Action.CREATE,
        actor=actor,
        obj=intervention,
        municipality=case.municipality,
        detail={"case": case.reference, "kind": kind, "status": status},
        request=request,
    )
    return intervention


@transaction.atomic
def update_intervention(
    actor: User,
    intervention: Intervention,
    *,
    version: int,
    changes: dict[str, Any],
    duration_months: int | None = None,
    request: HttpRequest | None = None,
) -> Intervention:
    """Change an intervention; a status change follows the table in ``workflow.py``."""
    case = intervention.case
    require_worker(actor, case)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    locked = Intervention.objects.select_for_update().get(pk=intervention.pk)
    if locked.version != version:
        raise StaleIntervention()
    before = snapshot(locked, EDITABLE_FIELDS)
    values = {**before, **changes}
    _check_kind(values["kind"])
    if values["status"] != locked.status and not can_transition(locked.status, values["status"]):
        target = values["status"]
        raise ValidationError(
            {
                "status": _(
                    "Van status '{current}' kan een interventie niet naar '{target}'."
                ).format(
                    current=locked.get_status_display(),
                    target=Status(target).label if target in Status.values else target,
                )
            }
        )
    if values["executor"] != locked.executor:
        _check_executor(actor, values["executor"])
    basis = str(values["legal_basis"] or "").strip()
    if not basis or (values["kind"] != locked.kind and basis == default_legal_basis(locked.kind)):
        basis = default_legal_basis(values["kind"])  # the new kind's default replaces the old
    values["legal_basis"] = basis[:300]
    values["description"] = str(values["description"] or "").strip()[:300]
    values["outcome"] = str(values["outcome"] or "").strip()
    if duration_months is not None:  # the stored end gives way to the chosen duration
        typed_end = values["ends_on"] if values["ends_on"] != before["ends_on"] else None
        values["ends_on"] = _end_from_duration(values["starts_on"], typed_end, duration_months)
    for name in EDITABLE_FIELDS:
        setattr(locked, name, values[name])
    fields = changed(locked, before, EDITABLE_FIELDS)
    if not fields:
        return locked
    locked.full_clean()
    extra = []
    if "ends_on" in fields:  # a new end date gets its own reminder
        locked.reminded_at = None
        extra.append("reminded_at")
    locked.version += 1
    locked.save(update_fields=[*fields, *extra, "version", "updated_at"])
    labels = ", ".join(
        str(getattr(Intervention._meta.get_field(f), "verbose_name", f)) for f in fields
    )
    text = _("Interventie gewijzigd ({kind}): {fields}").format(
        kind=locked.get_kind_display(), fields=labels
    )
    if "status" in fields:
        text += _(" · status: {a} → {b}").format(
            a=Status(before["status"]).label, b=locked.get_status_display()
        )
    log_event(case, actor, text + _period(locked), part=SharedPart.INTERVENTIONS)
    detail: dict[str, Any] = {"case": case.reference}
    if "status" in fields:
        detail.update({"from": before["status"], "to": locked.status})
    record(
        Action.UPDATE,
        actor=actor,
        obj=locked,
        municipality=case.municipality,
        changed_fields=fields,
        detail=detail,
        request=request,
    )
    return locked
