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


def _cached_municipality(obj: Any) -> Municipality | None:
    """The municipality already loaded with ``obj`` (select_related), without a query."""
    field = getattr(obj.__class__, "municipality", None)  # __class__: also through a lazy user
    if field is None or not hasattr(field, "is_cached") or not field.is_cached(obj):
        return None
    return _municipality_of(obj)


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
    entry = _entry(
        action,
        actor=actor,
        actor_label=actor_label,
        obj=obj,
        municipality=municipality,
        changed_fields=changed_fields,
        detail=detail,
        purpose=purpose,
        request=request,
    )
    _append({entry.chain: [entry]})
    return entry


def _entry(
    action: Action | str,
    *,
    actor: User | None,
    actor_label: str = "",
    obj: models.Model | Target | None,
    municipality: Municipality | None,
    changed_fields: Sequence[str] = (),
    detail: dict[str, Any] | None = None,
    purpose: str = "",
    request: HttpRequest | None = None,
) -> AuditEntry:
    """An entry, not yet in its chain (``_append`` numbers, hashes and saves it)."""
    if isinstance(obj, models.Model):
        object_type, object_id, object_repr = obj._meta.label, str(obj.pk), describe(obj)
        municipality = municipality or _municipality_of(obj)
    elif isinstance(obj, Target):
        object_type, object_id, object_repr = obj.object_type, obj.object_id, obj.object_repr
    else:
        object_type = object_id = object_repr = ""
    if municipality is None and actor is not None and actor.municipality_id:
        municipality = actor.municipality
    return AuditEntry(
        chain=municipality.code if municipality is not None else PLATFORM_CHAIN,
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
    )


def _append(by_chain: dict[str, list[AuditEntry]]) -> None:
    """Number, hash and save the entries at the end of their chains, in one transaction.

    The chains' heads are locked in one query, in key order (so two writers never wait for
    each other crosswise), and moved on in one update: a partner's case list touching 25
    municipalities costs five statements, not 25 transactions."""
    keys = sorted(by_chain)
    with transaction.atomic():
        heads = _lock_heads(keys)
        if len(heads) < len(keys):  # the first entry of a chain
            new = [AuditChain(key=key) for key in keys if key not in heads]
            AuditChain.objects.bulk_create(new, ignore_conflicts=True)
            heads = _lock_heads(keys)
        entries = []
        for key in keys:
            head = heads[key]
            for entry in by_chain[key]:
                head.last_sequence += 1
                entry.sequence, entry.prev_hash = head.last_sequence, head.last_hash
                entry.hash = head.last_hash = entry.compute_hash()
                entries.append(entry)
        if len(entries) == 1:
            entries[0].save()
        else:
            AuditEntry.objects.bulk_create(entries)
        if len(heads) == 1:  # the common case: a plain UPDATE, cheaper than bulk_update's CASE
            (head,) = heads.values()
            AuditChain.objects.filter(pk=head.pk).update(
                last_sequence=head.last_sequence, last_hash=head.last_hash
            )
        else:
            AuditChain.objects.bulk_update(list(heads.values()), ["last_sequence", "last_hash"])


def _lock_heads(keys: list[str]) -> dict[str, AuditChain]:
    rows = AuditChain.objects.select_for_update().filter(key__in=keys).order_by("key")
    return {head.key: head for head in rows}


def record_read(
    user: User,
    objs: models.Model | Iterable[models.Model],
    *,
    request: HttpRequest | None = None,
    purpose: str = "",
) -> None:
    """Log that ``user`` saw records with personal data (their own account excepted): one
    entry per record, or, for several, one entry per kind of record and municipality with
    their ids, all written in one transaction."""
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

    groups: dict[tuple[str, int | None], list[models.Model]] = {}
    for o in personal:
        key = (o._meta.label, getattr(o, "municipality_id", None))
        groups.setdefault(key, []).append(o)
    municipalities = {m.pk: m for m in map(_cached_municipality, [user, *personal]) if m}
    wanted = {pk for _label, pk in groups if pk and pk not in municipalities}
    if wanted:
        municipalities.update(Municipality.objects.in_bulk(wanted))
    by_chain: dict[str, list[AuditEntry]] = {}
    for (label, municipality_id), group in groups.items():
        entry = _entry(
            Action.READ,
            actor=user,
            obj=group[0] if len(group) == 1 else Target(label, "", ""),
            municipality=municipalities.get(municipality_id) if municipality_id else None,
            detail=None
            if len(group) == 1
            else {
                "ids": [str(o.pk) for o in group][:500],
                "count": len(group),
            },
            request=request,
            purpose=purpose,
        )
        by_chain.setdefault(entry.chain, []).append(entry)
    _append(by_chain)


def changed(instance: models.Model, before: dict[str, Any], fields: Iterable[str]) -> list[str]:
    """Names of the fields whose value differs from ``before``."""
    return [f for f in fields if before.get(f) != getattr(instance, f)]


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return {f: getattr(instance, f) for f in fields}
