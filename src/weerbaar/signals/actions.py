"""Writes on signals. Each runs in one transaction and writes its audit entry and history."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm
from weerbaar.audit.log import record
from weerbaar.audit.models import Action
from weerbaar.notifications.actions import notify
from weerbaar.organisations.models import Municipality, PartnerOrganisation

from . import deadlines
from .files import store_checked_upload
from .models import Attachment, Channel, Phenomenon, ReporterIdentity, Signal, StatusChange, Subject
from .numbering import next_reference
from .validators import normalise_kvk, normalise_licence_plate, normalise_postcode, not_in_future
from .workflow import MANUAL, Status, can_transition

LOCATION_FIELDS = (
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "city",
    "latitude",
    "longitude",
    "area_name",
)
SUBJECT_FIELDS = (
    "kind",
    "role",
    "name",
    "date_of_birth",
    "kvk_number",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "city",
    "licence_plate",
    "vessel_id",
    "notes",
)


@dataclass
class NewSignal:
    """What a channel hands over; validated and stored by :func:`create_signal`."""

    municipality: Municipality
    channel: str
    description: str
    phenomena: Sequence[Phenomenon] = ()
    location: dict[str, Any] = field(default_factory=dict)
    subjects: Sequence[dict[str, Any]] = ()
    reporter: dict[str, str] | None = None
    received_at: datetime | None = None
    external_id: str = ""


def _ensure_can_file(actor: User | None, municipality: Municipality, channel: str) -> None:
    if actor is None:  # anonymous public form, imports run by the system
        return
    if not actor.has_role_perm(Perm.SIGNALS_REPORT):
        raise PermissionDenied
    if actor.partner_organisation_id:
        if not Municipality.objects.for_user(actor).filter(pk=municipality.pk).exists():
            raise PermissionDenied
    elif actor.municipality_id != municipality.pk:
        raise PermissionDenied


def _clean_location(values: dict[str, Any]) -> dict[str, Any]:
    location = {k: values.get(k) for k in LOCATION_FIELDS if values.get(k) not in (None, "")}
    errors: dict[str, Any] = {}
    try:
        if "postcode" in location:
            location["postcode"] = normalise_postcode(str(location["postcode"]))
    except ValidationError as exc:
        errors["postcode"] = exc.messages
    lat, lon = location.get("latitude"), location.get("longitude")
    if (lat is None) != (lon is None):
        errors["latitude"] = [_("Geef zowel breedte- als lengtegraad, of geen van beide.")]
    elif (
        lat is not None
        and lon is not None
        and not (50.5 <= float(lat) <= 53.7 and 3.2 <= float(lon) <= 7.3)
    ):
        errors["latitude"] = [_("Dit punt ligt niet in Nederland.")]
    if errors:
        raise ValidationError(errors)
    return location


def clean_subject(values: dict[str, Any]) -> dict[str, Any]:
    """Validate one subject's fields (Dutch messages) and return them normalised."""
    data = {k: values.get(k) for k in SUBJECT_FIELDS if values.get(k) not in (None, "")}
    errors: dict[str, Any] = {}
    for name, normalise in (
        ("postcode", normalise_postcode),
        ("kvk_number", normalise_kvk),
        ("licence_plate", normalise_licence_plate),
    ):
        if name in data:
            try:
                data[name] = normalise(str(data[name]))
            except ValidationError as exc:
                errors[name] = exc.messages
    try:
        not_in_future(data.get("date_of_birth"))
    except ValidationError as exc:
        errors["date_of_birth"] = exc.messages
    subject = Subject(**data)
    if not subject.compute_match_key() and not subject.label and not subject.notes:
        errors["name"] = [_("Vul iets in waaraan de betrokkene te herkennen is.")]
    if errors:
        raise ValidationError(errors)
    return data


@transaction.atomic
def create_signal(
    actor: User | None, new: NewSignal, *, request: HttpRequest | None = None
) -> Signal:
    """File a signal from any channel: numbered, with deadlines, history and audit entry."""
    _ensure_can_file(actor, new.municipality, new.channel)
    if not new.description.strip():
        raise ValidationError({"description": _("Beschrijf wat u heeft gezien of gehoord.")})
    received_at = new.received_at or timezone.now()
    not_in_future(received_at)
    location = _clean_location(new.location)
    subjects = [clean_subject(s) for s in new.subjects]
    signal = Signal(
        municipality=new.municipality,
        reference=next_reference(new.municipality),
        received_at=received_at,
        channel=new.channel,
        description=new.description.strip(),
        created_by=actor,
        first_read_due=deadlines.first_read_due(received_at),
        external_id=new.external_id,
        **location,
    )
    signal.full_clean(exclude=["reference"])
    signal.save()
    signal.phenomena.set(new.phenomena)
    for data in subjects:
        _save_subject(Subject(signal=signal, **data))
    if new.reporter and any(new.reporter.values()):
        ReporterIdentity.objects.create(signal=signal, **new.reporter)
    StatusChange.objects.create(signal=signal, at=timezone.now(), to_status=Status.NEW, by=actor)
    record(
        Action.CREATE,
        actor=actor,
        actor_label="anoniem" if actor is None else "",
        obj=signal,
        changed_fields=[
            "description",
            "phenomena",
            *location.keys(),
            *(["subjects"] if subjects else []),
        ],
        detail={"channel": new.channel, "subjects": len(subjects)},
        request=request,
    )
    return signal


def _save_subject(subject: Subject) -> Subject:
    subject.match_key = subject.compute_match_key()
    subject.full_clean()
    subject.save()
    return subject


def _require_triage(actor: User, signal: Signal) -> None:
    if (
        not actor.has_role_perm(Perm.SIGNALS_TRIAGE)
        or actor.municipality_id != signal.municipality_id
    ):
        raise PermissionDenied


@transaction.atomic
def mark_read(actor: User, signal: Signal, *, request: HttpRequest | None = None) -> bool:
    """The first time a triage role opens a signal: record the reading, set the follow-up date."""
    if signal.first_read_at is not None or not actor.has_role_perm(Perm.SIGNALS_TRIAGE):
        return False
    _require_triage(actor, signal)
    now = timezone.now()
    updated = Signal.objects.filter(pk=signal.pk, first_read_at__isnull=True).update(
        first_read_at=now, follow_up_due=deadlines.follow_up_due(now)
    )
    if updated:
        signal.refresh_from_db(fields=["first_read_at", "follow_up_due"])
        record(
            Action.UPDATE,
            actor=actor,
            obj=signal,
            changed_fields=["first_read_at", "follow_up_due"],
            request=request,
        )
    return bool(updated)


@transaction.atomic
def change_status(
    actor: User, signal: Signal, target: str, *, note: str = "", request: HttpRequest | None = None
) -> Signal:
    _require_triage(actor, signal)
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if target not in MANUAL.get(signal.status, frozenset()) or not can_transition(
        signal.status, target
    ):
        raise ValidationError(
            _("Van '{current}' kan een signaal niet naar '{target}'.").format(
                current=signal.get_status_display(),
                target=Status(target).label if target in Status.values else target,
            )
        )
    previous = signal.status
    signal.status = target
    signal.closed_at = timezone.now() if target == Status.CLOSED else None
    signal.save(update_fields=["status", "closed_at"])
    StatusChange.objects.create(
        signal=signal,
        at=timezone.now(),
        from_status=previous,
        to_status=target,
        by=actor,
        note=note[:500],
    )
    record(
        Action.UPDATE,
        actor=actor,
        obj=signal,
        changed_fields=["status"],
        detail={"from": previous, "to": target},
        request=request,
    )
    return signal


@transaction.atomic
def assign(
    actor: User, signal: Signal, handler: User | None, *, request: HttpRequest | None = None
) -> Signal:
    _require_triage(actor, signal)
    if handler is not None and (
        handler.municipality_id != signal.municipality_id
        or not handler.has_role_perm(Perm.SIGNALS_TRIAGE)
    ):
        raise ValidationError({"handler": _("Kies een regisseur of analist van deze gemeente.")})
    if signal.handler_id == (handler.pk if handler else None):
        return signal
    signal.handler = handler
    signal.save(update_fields=["handler"])
    record(Action.UPDATE, actor=actor, obj=signal, changed_fields=["handler"], request=request)
    if handler is not None and handler.pk != actor.pk:
        notify(
            [handler],
            kind="toegewezen",
            text=_("Signaal {ref} is aan u toegewezen.").format(ref=signal.reference),
            link=reverse("signals:detail", args=[signal.pk]),
        )
    return signal


@transaction.atomic
def update_triage(
    actor: User,
    signal: Signal,
    *,
    priority: str | None = None,
    phenomena: Iterable[Phenomenon] | None = None,
    shared_with: Iterable[PartnerOrganisation] | None = None,
    request: HttpRequest | None = None,
) -> Signal:
    """Priority, phenomena and sharing with partners, as decided in triage."""
    _require_triage(actor, signal)
    changed: list[str] = []
    if priority is not None and priority != signal.priority:
        signal.priority = priority
        signal.full_clean(exclude=["reference"])
        signal.save(update_fields=["priority"])
        changed.append("priority")
    if phenomena is not None:
        new = set(phenomena)
        if new != set(signal.phenomena.all()):
            signal.phenomena.set(new)
            changed.append("phenomena")
    if shared_with is not None:
        allowed = set(PartnerOrganisation.objects.for_user(actor))
        new_partners = set(shared_with)
        if not new_partners <= allowed:
            raise PermissionDenied
        if new_partners != set(signal.shared_with.all()):
            signal.shared_with.set(new_partners)
            changed.append("shared_with")
    if changed:
        record(Action.UPDATE, actor=actor, obj=signal, changed_fields=changed, request=request)
    return signal


def default_channel(actor: User) -> str:
    if actor.partner_organisation_id:
        return Channel.PARTNER
    return Channel.KEY_FIGURE if actor.is_key_figure else Channel.STAFF


@transaction.atomic
def create_anonymous_signal(new: NewSignal) -> tuple[Signal, str]:
    """A report from the public form: no account, no IP address, a reporter code instead."""
    from .models.reporting import ReporterCode, hash_reporter_code, new_reporter_code

    if not new.municipality.is_participating:
        raise PermissionDenied
    signal = create_signal(
        None, NewSignal(**{**new.__dict__, "channel": Channel.PUBLIC, "reporter": None})
    )
    code = new_reporter_code()
    ReporterCode.objects.create(signal=signal, code_hash=hash_reporter_code(code))
    return signal, code


def signal_for_code(code: str) -> Signal | None:
    from .models.reporting import ReporterCode, hash_reporter_code

    found = (
        ReporterCode.objects.select_related("signal")
        .filter(code_hash=hash_reporter_code(code))
        .first()
    )
    return found.signal if found else None


@transaction.atomic
def add_reporter_information(signal: Signal, text: str) -> None:
    """The anonymous reporter adds to their signal; recorded without any identity."""
    from .models.reporting import SignalAddition

    text = text.strip()
    if not text:
        raise ValidationError({"text": _("Schrijf wat u wilt toevoegen.")})
    SignalAddition.objects.create(signal=signal, at=timezone.now(), text=text[:10000])
    record(Action.UPDATE, actor_label="anonieme melder", obj=signal, changed_fields=["additions"])


@transaction.atomic
def merge(
    actor: User, duplicate: Signal, into: Signal, *, request: HttpRequest | None = None
) -> Signal:
    """Fold ``duplicate`` into ``into``: both keep their history and audit trail.

    The duplicate gets status 'samengevoegd' and points at the signal it joined; that
    signal takes over its phenomena and subjects (copied, so hits keep working) and notes
    the merge in its own history.
    """
    _require_triage(actor, duplicate)
    _require_triage(actor, into)
    if duplicate.pk == into.pk or into.status == Status.MERGED:
        raise ValidationError(
            _("Kies een ander, niet samengevoegd signaal om mee samen te voegen.")
        )
    into = Signal.objects.select_for_update().get(pk=into.pk)
    duplicate = Signal.objects.select_for_update().get(pk=duplicate.pk)
    if into.status == Status.MERGED:
        raise ValidationError(
            _("Kies een ander, niet samengevoegd signaal om mee samen te voegen.")
        )
    if not can_transition(duplicate.status, Status.MERGED):
        raise ValidationError(_("Dit signaal kan niet meer worden samengevoegd."))
    now = timezone.now()
    previous = duplicate.status
    duplicate.status, duplicate.merged_into, duplicate.closed_at = Status.MERGED, into, now
    duplicate.save(update_fields=["status", "merged_into", "closed_at"])
    StatusChange.objects.create(
        signal=duplicate,
        at=now,
        from_status=previous,
        to_status=Status.MERGED,
        by=actor,
        note=_("samengevoegd met {ref}").format(ref=into.reference),
    )
    StatusChange.objects.create(
        signal=into,
        at=now,
        from_status=into.status,
        to_status=into.status,
        by=actor,
        note=_("{ref} is hierin samengevoegd").format(ref=duplicate.reference),
    )
    into.phenomena.add(*duplicate.phenomena.all())
    for subject in duplicate.subjects.all():
        subject.pk = None
        subject.signal = into
        subject.save()
    record(
        Action.UPDATE,
        actor=actor,
        obj=duplicate,
        changed_fields=["status", "merged_into"],
        detail={"merged_into": into.reference},
        request=request,
    )
    record(
        Action.UPDATE,
        actor=actor,
        obj=into,
        changed_fields=["phenomena", "subjects"],
        detail={"merged": duplicate.reference},
        request=request,
    )
    return into


@transaction.atomic
def set_legal_hold(
    actor: User, signal: Signal, hold: bool, *, reason: str, request: HttpRequest | None = None
) -> Signal:
    """A legal hold keeps a signal past its retention period (e.g. for a court case)."""
    _require_triage(actor, signal)
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de reden voor het wijzigen van de blokkade.")})
    if signal.legal_hold != hold:
        signal.legal_hold = hold
        signal.save(update_fields=["legal_hold"])
        record(
            Action.UPDATE,
            actor=actor,
            obj=signal,
            changed_fields=["legal_hold"],
            purpose=reason,
            request=request,
        )
    return signal


@transaction.atomic
def add_attachment(
    actor: User | None, signal: Signal, upload: Any, *, request: HttpRequest | None = None
) -> Attachment:
    """Store a file with a signal after checking its size and real type."""
    if actor is not None:
        if not Signal.objects.for_user(actor).filter(pk=signal.pk).exists():
            raise PermissionDenied
        if not actor.has_role_perm(Perm.SIGNALS_TRIAGE) and signal.created_by_id != actor.pk:
            raise PermissionDenied
    attachment = Attachment(signal=signal, uploaded_by=actor)
    store_checked_upload(attachment, upload)
    record(
        Action.CREATE,
        actor=actor,
        actor_label="anoniem" if actor is None else "",
        obj=attachment,
        municipality=signal.municipality,
        request=request if actor is not None else None,
    )
    return attachment


@transaction.atomic
def save_local_phenomenon(
    actor: User, phenomenon: Phenomenon, *, request: HttpRequest | None = None
) -> Phenomenon:
    """A municipality extends the national taxonomy with its own phenomena (or edits them)."""
    from django.utils.text import slugify

    if not actor.has_role_perm(Perm.MANAGE_PHENOMENA) or actor.municipality_id is None:
        raise PermissionDenied
    creating = phenomenon.pk is None
    if not creating and phenomenon.municipality_id != actor.municipality_id:
        raise PermissionDenied
    phenomenon.municipality_id = actor.municipality_id
    if creating:
        phenomenon.code = slugify(phenomenon.name)[:50] or "fenomeen"
        if Phenomenon.objects.filter(municipality__isnull=True, code=phenomenon.code).exists():
            raise ValidationError({"name": _("Dit fenomeen staat al in de landelijke lijst.")})
    phenomenon.full_clean()
    phenomenon.save()
    record(
        Action.CREATE if creating else Action.UPDATE,
        actor=actor,
        obj=phenomenon,
        changed_fields=["name", "guidance", "is_active"],
        request=request,
    )
    return phenomenon


@transaction.atomic
def add_subject(
    actor: User, signal: Signal, values: dict[str, Any], *, request: HttpRequest | None = None
) -> Subject:
    """Triage adds a subject found later; hits are recomputed from the new match key."""
    _require_triage(actor, signal)
    subject = _save_subject(Subject(signal=signal, **clean_subject(values)))
    record(Action.UPDATE, actor=actor, obj=signal, changed_fields=["subjects"], request=request)
    return subject


@transaction.atomic
def update_subject(
    actor: User, subject: Subject, values: dict[str, Any], *, request: HttpRequest | None = None
) -> Subject:
    """Triage corrects a subject (a typo in a name, a wrong house number); the match key and so
    the hits follow the new values."""
    _require_triage(actor, subject.signal)
    subject = Subject.objects.select_for_update().get(pk=subject.pk)
    data = clean_subject(values)
    before = {f: getattr(subject, f) for f in SUBJECT_FIELDS}
    empty = Subject()  # the default of every field, for the ones left blank now
    for name in SUBJECT_FIELDS:
        setattr(subject, name, data.get(name, getattr(empty, name)))
    fields = [f for f in SUBJECT_FIELDS if getattr(subject, f) != before[f]]
    if not fields:
        return subject
    _save_subject(subject)
    record(
        Action.UPDATE,
        actor=actor,
        obj=subject,
        municipality=subject.signal.municipality,
        changed_fields=fields,
        detail={"signal": subject.signal.reference},
        request=request,
    )
    return subject


@transaction.atomic
def remove_subject(actor: User, subject: Subject, *, request: HttpRequest | None = None) -> None:
    """Triage removes a subject that turned out to be wrong or irrelevant (data minimisation)."""
    _require_triage(actor, subject.signal)
    signal = subject.signal
    record(
        Action.DELETE,
        actor=actor,
        obj=subject,
        municipality=signal.municipality,
        detail={"signal": signal.reference, "kind": subject.kind},
        request=request,
    )
    subject.delete()
