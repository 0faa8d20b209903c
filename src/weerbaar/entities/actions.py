"""Writes on entities: link subjects, confirm or reject suggestions, merge and unmerge.

Automatic linking is derived data (recomputed whenever a subject changes) and is not
audit-logged; every decision of a person is, in the same transaction as the change.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from weerbaar.accounts.roles import Perm
from weerbaar.audit.log import Action, record
from weerbaar.signals.models.subjects import SubjectFields

from . import resolve
from .models import (
    Entity,
    EntityLink,
    EntityMerge,
    LinkStatus,
    MatchDecision,
)

if TYPE_CHECKING:
    from weerbaar.accounts.models import User
    from weerbaar.organisations.models import Municipality

logger = logging.getLogger(__name__)

AUTO_LINK = 0.90  # link without asking from this score ...
MARGIN = 0.05  # ... when the runner-up is this much lower
SUGGEST = 0.50  # below this a candidate is not worth an analist's time
MAX_SUGGESTIONS = 5
LOCAL_REASON = {
    "field": "sleutel",
    "outcome": "gelijk",
    "weight": 1.0,
    "text": "Niet in een register: signalen en casussen met dezelfde kenmerken komen hier samen",
}


def _subject_field(subject: SubjectFields) -> str:
    return "case_subject" if subject._meta.model_name == "casesubject" else "signal_subject"


def _municipality_of(subject: SubjectFields) -> Municipality:
    owner = subject.case if _subject_field(subject) == "case_subject" else subject.signal  # type: ignore[attr-defined]
    return owner.municipality


def entity_for(candidate: resolve.Candidate) -> Entity:
    entity, _created = Entity.objects.get_or_create(
        key=candidate.key,
        defaults={
            "kind": candidate.kind,
            "label": candidate.label[:250],
            "from_registry": candidate.registry,
        },
    )
    return entity


@transaction.atomic
def link_subject(subject: SubjectFields) -> list[EntityLink]:
    """(Re)compute a subject's links, keeping what people decided before."""
    field = _subject_field(subject)
    municipality = _municipality_of(subject)
    own = EntityLink.objects.filter(**{field: subject})
    own.filter(status__in=(LinkStatus.AUTO, LinkStatus.SUGGESTED)).delete()
    decided = {link.entity.key: link for link in own.select_related("entity")}
    remembered = {
        d.entity.key: d.confirmed
        for d in MatchDecision.objects.filter(
            municipality=municipality, match_key=subject.match_key
        ).select_related("entity")
        if subject.match_key
    }
    found = [
        c
        for c in resolve.candidates(subject)
        if c.key not in decided and remembered.get(c.key) is not False
    ]
    links: list[EntityLink] = []

    def add(candidate: resolve.Candidate, status: str) -> None:
        links.append(
            EntityLink.objects.create(
                entity=entity_for(candidate),
                municipality=municipality,
                status=status,
                score=candidate.score,
                confidence=candidate.confidence,
                reasons=candidate.reasons,
                **{field: subject},
            )
        )

    confirmed_before = [c for c in found if remembered.get(c.key)]
    for candidate in confirmed_before:
        add(candidate, LinkStatus.CONFIRMED)
    rest = [c for c in found if c not in confirmed_before]
    has_link = bool(confirmed_before) or any(
        link.status == LinkStatus.CONFIRMED for link in decided.values()
    )
    if rest and not has_link:
        top, runner_up = rest[0], (rest[1].score if len(rest) > 1 else 0.0)
        if top.score >= AUTO_LINK and top.score - runner_up >= MARGIN:
            add(top, LinkStatus.AUTO)
            rest, has_link = rest[1:], True
    for candidate in [c for c in rest if c.score >= SUGGEST][:MAX_SUGGESTIONS]:
        add(candidate, LinkStatus.SUGGESTED)
    if not has_link:
        _link_local(subject, field, municipality, decided, links)
    return links


def _link_local(
    subject: SubjectFields,
    field: str,
    municipality: Municipality,
    decided: dict[str, EntityLink],
    links: list[EntityLink],
) -> None:
    """No register knows it: link to the entity of everything else with the same key."""
    key = resolve.local_key(subject)
    if not key or key in decided:
        return
    candidate = resolve.Candidate(
        key=key,
        kind=resolve.LOCAL_KIND[subject.kind],  # type: ignore[index]
        label=subject.label or key,
        score=1.0,
        confidence=_("zeker"),
        reasons=[dict(LOCAL_REASON)],
        registry=False,
    )
    links.append(
        EntityLink.objects.create(
            entity=entity_for(candidate),
            municipality=municipality,
            status=LinkStatus.AUTO,
            score=1.0,
            confidence=candidate.confidence,
            reasons=candidate.reasons,
            **{field: subject},
        )
    )


def link_quietly(subject: SubjectFields) -> None:
    """Linking enriches; it must never stop a signal or case from being saved."""
    try:
        with transaction.atomic():
            link_subject(subject)
    except Exception:  # pragma: no cover - logged and reported, the subject stays saved
        logger.exception("Linking subject %s failed", subject.pk)


def _require_resolver(actor: User, link: EntityLink) -> None:
    if not actor.has_role_perm(Perm.ENTITIES_RESOLVE):
        raise PermissionDenied(_("U mag koppelingen niet beoordelen."))
    if not EntityLink.objects.for_user(actor).filter(pk=link.pk).exists():
        raise PermissionDenied(_("Deze koppeling is niet zichtbaar voor u."))


def _remember(actor: User, link: EntityLink, confirmed: bool) -> None:
    subject = link.subject
    if not subject.match_key:
        return
    MatchDecision.objects.update_or_create(
        municipality=link.municipality,
        match_key=subject.match_key,
        entity=link.entity,
        defaults={"confirmed": confirmed, "decided_by": actor},
    )


@transaction.atomic
def decide_link(
    actor: User, link: EntityLink, *, confirmed: bool, request: HttpRequest | None = None
) -> EntityLink:
    """Confirm or reject a suggested (or automatic) link; the verdict is remembered."""
    _require_resolver(actor, link)
    link = EntityLink.objects.select_for_update().get(pk=link.pk)
    link.status = LinkStatus.CONFIRMED if confirmed else LinkStatus.REJECTED
    link.decided_by, link.decided_at = actor, timezone.now()
    link.save(update_fields=["status", "decided_by", "decided_at"])
    _remember(actor, link, confirmed)
    if confirmed:
        field = _subject_field(link.subject)
        # A confirmed register entry replaces the stand-in entity of a subject nobody knew.
        EntityLink.objects.filter(
            **{field: link.subject}, status=LinkStatus.AUTO, entity__from_registry=False
        ).exclude(pk=link.pk).delete()
    record(
        Action.UPDATE,
        actor=actor,
        obj=link,
        municipality=link.municipality,
        changed_fields=["status"],
        detail={"entity": link.entity.key, "status": link.status, "score": link.score},
        request=request,
    )
    return link


def _visible_entity(actor: User, entity: Entity) -> None:
    if not actor.has_role_perm(Perm.ENTITIES_RESOLVE):
        raise PermissionDenied(_("U mag entiteiten niet samenvoegen."))
    if not Entity.objects.for_user(actor).filter(pk=entity.pk).exists():
        raise PermissionDenied(_("Deze entiteit is niet zichtbaar voor u."))


@transaction.atomic
def merge(
    actor: User,
    source: Entity,
    target: Entity,
    reason: str,
    *,
    request: HttpRequest | None = None,
) -> EntityMerge:
    """``source`` and ``target`` are the same: ``source`` now stands under ``target``.
    Nothing is rewritten, so an unmerge restores exactly what was."""
    for entity in (source, target):
        _visible_entity(actor, entity)
    source = Entity.objects.select_for_update().get(pk=source.pk)
    target = target.canonical()
    errors: dict[str, Any] = {}
    if not reason.strip():
        errors["reason"] = _("Geef een reden voor het samenvoegen.")
    if source.pk == target.pk:
        errors["target"] = _("Een entiteit kan niet met zichzelf worden samengevoegd.")
    elif source.kind != target.kind:
        errors["target"] = _("Alleen entiteiten van dezelfde soort kunnen worden samengevoegd.")
    elif source.merged_into_id is not None:
        errors["target"] = _("Deze entiteit is al samengevoegd; maak dat eerst ongedaan.")
    if errors:
        raise ValidationError(errors)
    source.merged_into = target
    source.save(update_fields=["merged_into"])
    merge = EntityMerge.objects.create(
        source=source, target=target, reason=reason.strip(), merged_by=actor
    )
    record(
        Action.UPDATE,
        actor=actor,
        obj=source,
        municipality=actor.municipality,
        changed_fields=["merged_into"],
        detail={"merged_into": target.key, "reason": merge.reason},
        request=request,
    )
    return merge


@transaction.atomic
def unmerge(actor: User, merge: EntityMerge, *, request: HttpRequest | None = None) -> EntityMerge:
    _visible_entity(actor, merge.source)
    merge = EntityMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise ValidationError(_("Deze samenvoeging is al ongedaan gemaakt."))
    source = Entity.objects.select_for_update().get(pk=merge.source_id)
    source.merged_into = None
    source.save(update_fields=["merged_into"])
    merge.undone_by, merge.undone_at = actor, timezone.now()
    merge.save(update_fields=["undone_by", "undone_at"])
    record(
        Action.UPDATE,
        actor=actor,
        obj=source,
        municipality=actor.municipality,
        changed_fields=["merged_into"],
        detail={"unmerged_from": merge.target.key},
        request=request,
    )
    return merge


PERSON = "persoon:"


@transaction.atomic
def follow_person_keys(moves: list[tuple[str, str, int]]) -> int:
    """After officers were clustered again: a person entity whose key no officer carries any
    more follows the officers that carried it (``moves``: old key, new key, how many officers
    moved that way; where they split, most of them decide). It takes the new key, or, when an
    entity with that key exists, is merged into it (system merge, with history, so it can be
    undone). Links to signal and case subjects stay on the entity. Returns how many moved."""
    from weerbaar.registry.models import Officer

    best: dict[str, tuple[int, str]] = {}
    for old, new, count in moves:
        if old and new and old != new and count > best.get(old, (0, ""))[0]:
            best[old] = (count, new)
    moved = 0
    for old, (_count, new) in sorted(best.items()):
        stale = Entity.objects.select_for_update().filter(key=PERSON + old).first()
        if stale is None or Officer.objects.filter(person_key=old).exists():
            continue
        target = Entity.objects.filter(key=PERSON + new).first()
        if target is None:
            stale.key = PERSON + new
            stale.save(update_fields=["key"])
            detail: dict[str, Any] = {"from": PERSON + old, "to": stale.key}
            changed = ["key"]
        elif stale.merged_into_id is None and target.canonical().pk != stale.pk:
            target = target.canonical()
            stale.merged_into = target
            stale.save(update_fields=["merged_into"])
            EntityMerge.objects.create(
                source=stale,
                target=target,
                reason=_("Functionarissen opnieuw geclusterd: dezelfde persoon."),
                merged_by=None,
            )
            detail, changed = {"merged_into": target.key, "from": PERSON + old}, ["merged_into"]
        else:
            continue
        record(
            Action.UPDATE,
            actor_label="personen-clustering",
            obj=stale,
            changed_fields=changed,
            detail=detail,
        )
        moved += 1
    return moved
