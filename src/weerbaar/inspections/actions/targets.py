"""The target list of an inspection, the findings per target, and a finding turned into a
signal."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from weerbaar.accounts.models import User
from weerbaar.audit.log import changed, record, snapshot
from weerbaar.audit.models import Action
from weerbaar.signals import actions as signal_actions
from weerbaar.signals.models import Channel, Signal, Subject, SubjectKind, SubjectRole
from weerbaar.signals.validators import normalise_kvk, normalise_postcode

from ..models import (
    Finding,
    Inspection,
    InspectionObject,
)
from ..workflow import NOTE_REQUIRED, FollowUp, Status
from .planning import lock_inspection, require_planner

OBJECT_FIELDS = (
    "name",
    "kvk_number",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "city",
)
FINDING_FIELDS = ("violations_found", "violations", "observations", "follow_up", "follow_up_note")


def clean_object(values: dict[str, Any]) -> dict[str, Any]:
    """Validate a target's fields (Dutch messages) and return them normalised."""
    data = {
        k: (v.strip() if isinstance(v, str) else v)
        for k in OBJECT_FIELDS
        if (v := values.get(k)) not in (None, "")
    }
    errors: dict[str, Any] = {}
    for name, normalise in (("postcode", normalise_postcode), ("kvk_number", normalise_kvk)):
        if name in data:
            try:
                data[name] = normalise(str(data[name]))
            except ValidationError as exc:
                errors[name] = exc.messages
    if not (data.get("name") or data.get("kvk_number") or data.get("street")):
        errors["name"] = [_("Vul een bedrijfsnaam, KvK-nummer of adres in.")]
    if data.get("street") and not data.get("house_number"):
        errors["house_number"] = [_("Vul het huisnummer in.")]
    if errors:
        raise ValidationError(errors)
    return data


def _match_key(data: dict[str, Any]) -> str:
    """The same key as a signal's subject, so inspections and signals find each other."""
    kind = SubjectKind.COMPANY if data.get("kvk_number") else SubjectKind.ADDRESS
    return Subject(kind=kind, **data).compute_match_key()


@transaction.atomic
def add_object(
    actor: User,
    inspection: Inspection,
    values: dict[str, Any],
    *,
    request: HttpRequest | None = None,
) -> InspectionObject:
    """Put a company or address on the target list."""
    require_planner(actor, inspection)
    inspection = lock_inspection(inspection.pk)
    if inspection.status in (Status.COMPLETED, Status.CANCELLED):
        raise ValidationError(
            _("De controlelijst van deze controle kan niet meer worden gewijzigd.")
        )
    data = clean_object(values)
    key = _match_key(data)
    if key and InspectionObject.objects.filter(inspection=inspection, match_key=key).exists():
        raise ValidationError({"name": _("Dit bedrijf of adres staat al op de controlelijst.")})
    item = InspectionObject(inspection=inspection, match_key=key, added_by=actor, **data)
    item.full_clean()
    item.save()
    record(
        Action.CREATE,
        actor=actor,
        obj=item,
        municipality=inspection.municipality,
        detail={"inspection": inspection.reference},
        request=request,
    )
    return item


@transaction.atomic
def remove_object(
    actor: User, item: InspectionObject, *, request: HttpRequest | None = None
) -> None:
    """Take a target off the list, as long as nothing has been found there."""
    require_planner(actor, item.inspection)
    inspection = lock_inspection(item.inspection_id)
    if inspection.status in (Status.COMPLETED, Status.CANCELLED):
        raise ValidationError(
            _("De controlelijst van deze controle kan niet meer worden gewijzigd.")
        )
    if Finding.objects.filter(target=item).exists():
        raise ValidationError(_("Bij dit object is al een bevinding vastgelegd."))
    record(
        Action.DELETE,
        actor=actor,
        obj=item,
        municipality=inspection.municipality,
        detail={"inspection": inspection.reference},
        request=request,
    )
    item.delete()


def _clean_finding(values: dict[str, Any]) -> dict[str, Any]:
    data = {f: values.get(f) for f in FINDING_FIELDS}
    for name in ("violations", "observations", "follow_up_note"):
        data[name] = str(data[name] or "").strip()
    data["violations_found"] = bool(data["violations_found"])
    data["follow_up"] = data["follow_up"] or FollowUp.NONE
    errors: dict[str, str] = {}
    if data["violations_found"] and not data["violations"]:
        errors["violations"] = _("Beschrijf welke overtredingen zijn geconstateerd.")
    if not data["violations_found"] and data["violations"]:
        errors["violations"] = _(
            "U gaf aan dat er geen overtredingen zijn geconstateerd; kies 'ja' of maak dit veld leeg."
        )
    if data["follow_up"] not in FollowUp.values:
        errors["follow_up"] = _("Kies een vervolg.")
    elif data["follow_up"] in NOTE_REQUIRED and not data["follow_up_note"]:
        errors["follow_up_note"] = _("Licht het vervolg toe (welke partner, wat precies).")
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def record_finding(
    actor: User,
    item: InspectionObject,
    values: dict[str, Any],
    *,
    request: HttpRequest | None = None,
) -> Finding:
    """Record (or correct) what was found at one target of a held inspection."""
    require_planner(actor, item.inspection)
    inspection = lock_inspection(item.inspection_id)
    if not inspection.is_open_for_findings:
        raise ValidationError(
            _("Bevindingen legt u vast als de controle gehouden is en nog niet is afgerond.")
        )
    data = _clean_finding(values)
    finding = Finding.objects.select_for_update().filter(target=item).first()
    created = finding is None
    if finding is None:
        finding = Finding(target=item, recorded_by=actor)
    before = snapshot(finding, FINDING_FIELDS)
    for name, value in data.items():
        setattr(finding, name, value)
    fields = list(FINDING_FIELDS) if created else changed(finding, before, FINDING_FIELDS)
    if not fields:
        return finding
    finding.full_clean()
    finding.save()
    record(
        Action.CREATE if created else Action.UPDATE,
        actor=actor,
        obj=finding,
        municipality=inspection.municipality,
        changed_fields=fields,
        detail={"inspection": inspection.reference, "follow_up": finding.follow_up},
        request=request,
    )
    return finding


def _subjects_of(item: InspectionObject) -> list[dict[str, Any]]:
    address = {
        "street": item.street,
        "house_number": item.house_number,
        "house_number_addition": item.house_number_addition,
        "postcode": item.postcode,
        "city": item.city,
    }
    subjects: list[dict[str, Any]] = []
    if item.is_company:
        subjects.append(
            {
                "kind": SubjectKind.COMPANY,
                "role": SubjectRole.USER,
                "name": item.name,
                "kvk_number": item.kvk_number,
                **address,
            }
        )
    if item.has_address:
        subjects.append({"kind": SubjectKind.ADDRESS, "role": SubjectRole.LOCATION, **address})
    return subjects


def _signal_text(finding: Finding) -> str:
    item, inspection = finding.target, finding.target.inspection
    held = inspection.held_on.strftime("%d-%m-%Y") if inspection.held_on else "—"
    lines = [
        _("Bevinding uit integrale controle {ref} ({kind}) van {held} bij {label}.").format(
            ref=inspection.reference,
            kind=inspection.get_kind_display().lower(),
            held=held,
            label=item.label,
        )
    ]
    if finding.violations:
        lines.append(_("Overtredingen: {text}").format(text=finding.violations))
    if finding.observations:
        lines.append(_("Waarnemingen: {text}").format(text=finding.observations))
    if finding.follow_up != FollowUp.NONE:
        follow = finding.get_follow_up_display()
        if finding.follow_up_note:
            follow = f"{follow} ({finding.follow_up_note})"
        lines.append(_("Vervolg: {text}").format(text=follow))
    return "\n\n".join(lines)


@transaction.atomic
def signal_from_finding(
    actor: User, finding: Finding, *, request: HttpRequest | None = None
) -> Signal:
    """Turn a finding into a new signal (channel: integrale controle), once only."""
    inspection = finding.target.inspection
    require_planner(actor, inspection)
    finding = (
        Finding.objects.select_for_update().select_related("target__inspection").get(pk=finding.pk)
    )
    if finding.signal_id is not None:
        raise ValidationError(
            _("Van deze bevinding is al een signaal gemaakt ({ref}).").format(
                ref=finding.signal.reference if finding.signal else ""
            )
        )
    if not finding.has_content:
        raise ValidationError(
            _("Er is niets om te melden: vul eerst de overtredingen of waarnemingen in.")
        )
    item = finding.target
    location = (
        {
            "street": item.street,
            "house_number": item.house_number,
            "house_number_addition": item.house_number_addition,
            "postcode": item.postcode,
            "city": item.city,
        }
        if item.has_address
        else {}
    )
    signal = signal_actions.create_signal(
        actor,
        signal_actions.NewSignal(
            municipality=inspection.municipality,
            channel=Channel.INSPECTION,
            description=_signal_text(finding),
            subjects=_subjects_of(item),
            location=location,
        ),
        request=request,
    )
    finding.signal = signal
    finding.save(update_fields=["signal", "updated_at"])
    record(
        Action.UPDATE,
        actor=actor,
        obj=finding,
        municipality=inspection.municipality,
        changed_fields=["signal"],
        detail={"inspection": inspection.reference, "signal": signal.reference},
        request=request,
    )
    return signal
