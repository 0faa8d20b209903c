"""Planning an inspection, its status, and the yearly target."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm
from weerbaar.audit.log import changed, record, snapshot
from weerbaar.audit.models import Action
from weerbaar.cases.models import Case
from weerbaar.core.numbering import next_reference
from weerbaar.organisations.models import Municipality, PartnerOrganisation
from weerbaar.signals.models import Signal
from weerbaar.signals.validators import not_in_future

from ..models import (
    Inspection,
    InspectionCounter,
    InspectionTarget,
    StatusChange,
)
from ..workflow import Kind, Status, can_transition

REFERENCE_PREFIX = "CTL"
EDITABLE_FIELDS = ("kind", "title", "area", "planned_on", "signal", "case", "results_summary")


def can_plan(actor: User, municipality_id: int) -> bool:
    return actor.has_role_perm(Perm.INSPECTIONS_PLAN) and actor.municipality_id == municipality_id


def require_planner(actor: User, inspection: Inspection) -> None:
    """Only planners of the inspection's municipality may change it."""
    if not can_plan(actor, inspection.municipality_id):
        raise PermissionDenied


def lock_inspection(inspection_id: int) -> Inspection:
    """The inspection as stored now, locked: its status decides what may still change."""
    return (
        Inspection.objects.select_for_update().select_related("municipality").get(pk=inspection_id)
    )


def _check_partners(
    actor: User, municipality: Municipality, partners: Iterable[PartnerOrganisation]
) -> list[PartnerOrganisation]:
    """Only partners that work with the municipality (directly or through its region)."""
    chosen = list(partners)
    if not chosen:
        return []
    works_here = Q(municipalities=municipality.pk) | Q(regions=municipality.region_id)
    allowed = set(
        PartnerOrganisation.objects.for_user(actor)
        .filter(works_here, pk__in=[p.pk for p in chosen])
        .values_list("pk", flat=True)
    )
    if any(p.pk not in allowed for p in chosen):
        raise ValidationError(
            {"partners": _("Een of meer organisaties werken niet samen met deze gemeente.")}
        )
    return chosen


def _check_links(
    actor: User, municipality: Municipality, signal: Signal | None, case: Case | None
) -> None:
    errors: dict[str, str] = {}
    if signal is not None and not (
        signal.municipality_id == municipality.pk
        and Signal.objects.for_user(actor).filter(pk=signal.pk).exists()
    ):
        errors["signal"] = _("Kies een signaal van deze gemeente.")
    if case is not None and not (
        case.municipality_id == municipality.pk
        and Case.objects.for_user(actor).filter(pk=case.pk).exists()
    ):
        errors["case"] = _("Kies een casus van deze gemeente.")
    if errors:
        raise ValidationError(errors)


def _check_planning(values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if not str(values.get("title") or "").strip():
        errors["title"] = _("Geef de controle een titel.")
    if values.get("kind") not in Kind.values:
        errors["kind"] = _("Kies de soort controle.")
    planned_on = values.get("planned_on")
    if not isinstance(planned_on, date):
        errors["planned_on"] = _("Vul de geplande datum in.")
    elif not 2000 <= planned_on.year <= timezone.localdate().year + 5:
        errors["planned_on"] = _("Deze datum ligt te ver in het verleden of de toekomst.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_inspection(
    actor: User,
    municipality: Municipality,
    *,
    kind: str,
    title: str,
    planned_on: date,
    area: str = "",
    partners: Iterable[PartnerOrganisation] = (),
    signal: Signal | None = None,
    case: Case | None = None,
    request: HttpRequest | None = None,
) -> Inspection:
    """Plan an inspection (numbered GM0590-CTL-2026-0001) with its partners and links."""
    if not can_plan(actor, municipality.pk):
        raise PermissionDenied
    _check_planning({"title": title, "kind": kind, "planned_on": planned_on})
    chosen = _check_partners(actor, municipality, partners)
    _check_links(actor, municipality, signal, case)
    inspection = Inspection(
        municipality=municipality,
        reference=next_reference(InspectionCounter, municipality, REFERENCE_PREFIX),
        kind=kind,
        title=title.strip()[:200],
        area=area.strip()[:200],
        planned_on=planned_on,
        signal=signal,
        case=case,
        created_by=actor,
    )
    inspection.full_clean(exclude=["reference"])
    inspection.save()
    inspection.partners.set(chosen)
    StatusChange.objects.create(
        inspection=inspection, at=timezone.now(), to_status=Status.PLANNED, by=actor
    )
    record(
        Action.CREATE,
        actor=actor,
        obj=inspection,
        changed_fields=["kind", "title", "area", "planned_on", "partners", "signal", "case"],
        detail={
            "reference": inspection.reference,
            "partners": [p.name for p in chosen],
            "signal": signal.reference if signal else "",
            "case": case.reference if case else "",
        },
        request=request,
    )
    return inspection


@transaction.atomic
def update_inspection(
    actor: User,
    inspection: Inspection,
    *,
    changes: dict[str, Any],
    partners: Iterable[PartnerOrganisation] | None = None,
    request: HttpRequest | None = None,
) -> Inspection:
    """Change the planning (title, kind, date, partners, links) or the results summary."""
    require_planner(actor, inspection)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    before = snapshot(inspection, changes)
    merged = {**snapshot(inspection, EDITABLE_FIELDS), **changes}
    _check_planning(merged)
    _check_links(actor, inspection.municipality, merged["signal"], merged["case"])
    if inspection.held_on and merged["planned_on"] > inspection.held_on:
        raise ValidationError(
            {
                "planned_on": _(
                    "De geplande datum kan niet na de datum liggen waarop zij is gehouden."
                )
            }
        )
    for name, value in changes.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(inspection, name, value)
    fields = changed(inspection, before, changes)
    if partners is not None:
        chosen = set(_check_partners(actor, inspection.municipality, partners))
        if chosen != set(inspection.partners.all()):
            inspection.partners.set(chosen)
            fields.append("partners")
    if not fields:
        return inspection
    inspection.full_clean(exclude=["reference"])
    inspection.save()
    record(Action.UPDATE, actor=actor, obj=inspection, changed_fields=fields, request=request)
    return inspection


@transaction.atomic
def change_status(
    actor: User,
    inspection: Inspection,
    target: str,
    *,
    held_on: date | None = None,
    results_summary: str | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> Inspection:
    """Move along the table in ``workflow.py``: held needs the date, completing a summary."""
    require_planner(actor, inspection)
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if not can_transition(inspection.status, target):
        raise ValidationError(
            _("Van '{current}' kan een controle niet naar '{target}'.").format(
                current=inspection.get_status_display(),
                target=Status(target).label if target in Status.values else target,
            )
        )
    previous = inspection.status
    fields = ["status"]
    if target == Status.HELD and previous == Status.PLANNED:
        _check_held_on(inspection, held_on)
        inspection.held_on = held_on
        fields.append("held_on")
    if results_summary is not None and results_summary.strip() != inspection.results_summary:
        inspection.results_summary = results_summary.strip()
        fields.append("results_summary")
    if target == Status.COMPLETED and not inspection.results_summary:
        raise ValidationError(
            {"results_summary": _("Vat de resultaten samen voordat u de controle afrondt.")}
        )
    if target == Status.CANCELLED and not note.strip():
        raise ValidationError({"note": _("Geef de reden van de annulering op.")})
    if target == Status.PLANNED:  # planned again after a cancellation
        inspection.held_on = None
        fields.append("held_on")
    inspection.status = target
    inspection.save(update_fields=[*fields, "updated_at"])
    StatusChange.objects.create(
        inspection=inspection,
        at=timezone.now(),
        from_status=previous,
        to_status=target,
        by=actor,
        note=note.strip()[:500],
    )
    record(
        Action.UPDATE,
        actor=actor,
        obj=inspection,
        changed_fields=fields,
        detail={"from": previous, "to": target},
        request=request,
    )
    return inspection


def _check_held_on(inspection: Inspection, held_on: date | None) -> None:
    if held_on is None:
        raise ValidationError({"held_on": _("Vul de datum in waarop de controle is gehouden.")})
    try:
        not_in_future(held_on)
    except ValidationError as exc:
        raise ValidationError({"held_on": exc.messages}) from exc
    if held_on < inspection.planned_on:
        raise ValidationError(
            {
                "held_on": _(
                    "Deze datum ligt vóór de geplande datum ({planned}). Pas eerst de "
                    "geplande datum aan."
                ).format(planned=inspection.planned_on.strftime("%d-%m-%Y"))
            }
        )


@transaction.atomic
def set_target(
    actor: User,
    municipality: Municipality,
    *,
    year: int,
    planned_count: int,
    request: HttpRequest | None = None,
) -> InspectionTarget:
    """Set how many inspections the municipality plans to hold in ``year``."""
    if not can_plan(actor, municipality.pk):
        raise PermissionDenied
    target, created = InspectionTarget.objects.select_for_update().get_or_create(
        municipality=municipality, year=year, defaults={"planned_count": planned_count}
    )
    if not created and target.planned_count == planned_count:
        return target
    previous = None if created else target.planned_count
    target.planned_count = planned_count
    target.full_clean()
    target.save()
    record(
        Action.CREATE if created else Action.UPDATE,
        actor=actor,
        obj=target,
        changed_fields=["planned_count"],
        detail={"year": year, "from": previous, "to": planned_count},
        request=request,
    )
    return target
