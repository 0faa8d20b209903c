"""Writing to the audit log. Call these inside the transaction of the change they describe."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from .models import PLATFORM_CHAIN, Action, AuditChain, AuditEntry

if TYPE_CHECKING:
    from weerbaar.accounts.models import User
    from weerbaar.organisations.models import Municipality


def _clean(text: str) -> str:
    """Text as PostgreSQL can store it (no NUL characters), whatever the caller passed."""
    return text.replace("\x00", "")


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def _municipality_of(obj: Any) -> Municipality | None:
    from weerbaar.organisations.models import Municipality

    if isinstance(obj, Municipality):
        return obj
    municipality = getattr(obj, "municipality", None)
    return municipality if isinstance(municipality, Municipality) else None


def describe(obj: models.Model) -> str:
    """A short description for the log; never the content of a record with personal data."""
    if getattr(obj, "personal_data", False):
        return ""
    return str(obj)[:200]


@dataclass(frozen=True)
class Target:
    """What an entry is about when it is not a single model instance (e.g. an import)."""

    object_type: str
    object_id: str = ""
    object_repr: str = ""


def record(
    action: Action | str,
    *,
    actor: User | None = None,
    actor_label: str = "",
    obj: models.Model | Target | None = None,
    municipality: Municipality | None = None,
    changed_fields: Sequence[str] = (),
    detail: dict[str, Any] | None = None,
    purpose: str = "",
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Append one entry to the chain of its municipality (or the platform chain)."""
    if isinstance(obj, models.Model):
        object_type, object_id, object_repr = obj._meta.label, str(obj.pk), describe(obj)
        municipality = municipality or _municipality_of(obj)
    elif isinstance(obj, Target):
        object_type, object_id, object_repr = obj.object_type, obj.object_id, obj.object_repr
    else:
        object_type = object_id = object_repr = ""
    if municipality is None and actor is not None and actor.municipality_id:
        municipality = actor.municipality
    chain_key = municipality.code if municipality is not None else PLATFORM_CHAIN

    with transaction.atomic():
        head = AuditChain.objects.select_for_update().filter(key=chain_key).first()
        if head is None:  # first entry of this chain
            AuditChain.objects.get_or_create(key=chain_key)
            head = AuditChain.objects.select_for_update().get(key=chain_key)
        entry = AuditEntry(
            chain=chain_key,
            sequence=head.last_sequence + 1,
            timestamp=timezone.now(),
            action=str(action),
            actor_id=actor.pk if actor is not None else None,
            actor_label=_clean(actor.get_username() if actor is not None else actor_label)[:150],
            organisation=(actor.organisation_name if actor is not None else "")[:200],
            municipality=municipality,
            object_type=object_type,
            object_id=object_id,
            object_repr=_clean(object_repr)[:200],
            changed_fields=sorted(changed_fields),
            detail=detail or {},
            purpose=_clean(purpose)[:300],
            ip_address=client_ip(request),
            prev_hash=head.last_hash,
        )
        entry.hash = entry.compute_hash()
        entry.save()
        AuditChain.objects.filter(pk=head.pk).update(
            last_sequence=entry.sequence, last_hash=entry.hash
        )
    return entry


def record_read(
    user: User,
    objs: models.Model | Iterable[models.Model],
    *,
    request: HttpRequest | None = None,
    purpose: str = "",
) -> None:
    """Log that ``user`` saw records with personal data (their own account excepted)."""
    items = [objs] if isinstance(objs, models.Model) else list(objs)
    personal = [
        o
        for o in items
        if getattr(o, "personal_data", False)
        and not (o.pk == user.pk and o._meta.label == user._meta.label)
    ]
    if not personal:
        return
    if len(personal) == 1:
        record(Action.READ, actor=user, obj=personal[0], request=request, purpose=purpose)
        return
    from weerbaar.organisations.models import Municipality

    by_municipality: dict[int | None, list[models.Model]] = {}
    for o in personal:
        by_municipality.setdefault(getattr(o, "municipality_id", None), []).append(o)
    municipalities = Municipality.objects.in_bulk([pk for pk in by_municipality if pk])
    for municipality_id, group in by_municipality.items():
        record(
            Action.READ,
            actor=user,
            obj=Target(group[0]._meta.label, "", ""),
            municipality=municipalities.get(municipality_id) if municipality_id else None,
            detail={"ids": [str(o.pk) for o in group][:500], "count": len(group)},
            request=request,
            purpose=purpose,
        )


def changed(instance: models.Model, before: dict[str, Any], fields: Iterable[str]) -> list[str]:
    """Names of the fields whose value differs from ``before``."""
    return [f for f in fields if before.get(f) != getattr(instance, f)]


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {f: getattr(instance, f) for f in fields}
