"""Cross-references: everything the reader may see that points at an entity, and, where the
region agreed to it, only a reference to other municipalities that know it too."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet

from weerbaar.accounts.roles import Role
from weerbaar.cases.models import Case
from weerbaar.inspections.models import Inspection
from weerbaar.interventions.models import Intervention
from weerbaar.signals.models import Signal

from .models import Entity, EntityLink

if TYPE_CHECKING:
    from weerbaar.accounts.models import User
    from weerbaar.organisations.models import Municipality


@dataclass
class Elsewhere:
    """Another municipality knows this entity: who to call, nothing about what they know."""

    municipality: Municipality
    contacts: list[dict[str, str]] = field(default_factory=list)


@dataclass
class CrossReferences:
    signals: QuerySet[Signal]
    cases: QuerySet[Case]
    inspections: QuerySet[Inspection]
    interventions: QuerySet[Intervention]
    elsewhere: list[Elsewhere]

    def records(self) -> list[Any]:
        return [*self.signals, *self.cases, *self.inspections, *self.interventions]


def family(entity: Entity) -> list[int]:
    """The entity and every entity merged into it, however deep."""
    ids, frontier = {entity.pk}, [entity.pk]
    while frontier:
        frontier = list(
            Entity.objects.filter(merged_into_id__in=frontier)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids.update(frontier)
    return sorted(ids)


def cross_references(user: User, entity: Entity) -> CrossReferences:
    ids = family(entity.canonical())
    links = EntityLink.objects.for_user(user).linked().filter(entity_id__in=ids)
    signals = (
        Signal.objects.for_user(user)
        .filter(subjects__entity_links__in=links)
        .distinct()
        .order_by("-received_at")
    )
    cases = (
        Case.objects.for_user(user)
        .filter(Q(subjects__entity_links__in=links) | Q(signals__in=signals))
        .distinct()
        .order_by("-created_at", "-pk")
    )
    inspections = (
        Inspection.objects.for_user(user)
        .filter(Q(signal__in=signals) | Q(case__in=cases) | _inspection_objects(entity))
        .distinct()
        .order_by("-pk")
    )
    interventions = (
        Intervention.objects.for_user(user).filter(case__in=cases).order_by("-pk").distinct()
    )
    return CrossReferences(
        signals=signals,
        cases=cases,
        inspections=inspections,
        interventions=interventions,
        elsewhere=elsewhere(user, ids),
    )


def _inspection_objects(entity: Entity) -> Q:
    kind, _sep, value = entity.key.partition(":")
    if kind == "kvk":
        return Q(target_objects__kvk_number=value)
    if kind == "bag":
        from weerbaar.registry.models import Address

        address = Address.objects.filter(number_designation_id=value).first()
        if address is not None:
            return Q(
                target_objects__postcode=address.postcode,
                target_objects__house_number=address.house_number,
            )
    return Q(pk__in=[])


def elsewhere(user: User, entity_ids: list[int]) -> list[Elsewhere]:
    """Other municipalities of the reader's RIEC region with a link to the entity, when the
    region has agreed to share such references. No content, only who to contact."""
    from weerbaar.accounts.models import User as Account
    from weerbaar.organisations.models import Municipality

    own = user.municipality
    if own is None or own.region_id is None or not own.region.shares_references:
        return []
    codes = (
        EntityLink.objects.linked()
        .filter(entity_id__in=entity_ids, municipality__region_id=own.region_id)
        .exclude(municipality_id=own.pk)
        .values_list("municipality_id", flat=True)
        .distinct()
    )
    found = []
    for municipality in Municipality.objects.filter(pk__in=list(codes)).order_by("name"):
        contacts = [
            {"name": account.get_full_name() or account.username, "email": account.email}
            for account in Account.objects.filter(
                municipality=municipality, role=Role.REGISSEUR, is_active=True
            ).order_by("last_name")
        ]
        found.append(Elsewhere(municipality=municipality, contacts=contacts))
    return found
