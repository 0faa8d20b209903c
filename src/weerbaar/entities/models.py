"""Entities: the persons, organisations, addresses, vehicles and vessels that signals, cases,
inspections and the registers talk about, and the links from subjects to them.

An entity is identified by a ``key`` (``kvk:69599084``, ``bag:0363200000123456``,
``persoon:p-…``, ``kenteken:AB12CD``, ...). Entities are shared by all municipalities so that a
region can learn that an address also appears elsewhere; what an entity *holds* for a reader is
always computed through the gates of the things that point at it, never stored on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.roles import Perm
from weerbaar.core.gate import GatedQuerySet, InternalQuerySet

if TYPE_CHECKING:
    from weerbaar.accounts.models import User


class EntityKind(models.TextChoices):
    PERSON = "persoon", _("Persoon")
    ORGANISATION = "organisatie", _("Organisatie")
    ADDRESS = "adres", _("Adres")
    VEHICLE = "voertuig", _("Voertuig")
    VESSEL = "vaartuig", _("Vaartuig")


class EntityQuerySet(GatedQuerySet):
    """Registry entities for everyone who may read the registers; other entities only for the
    municipalities whose signals or cases link to them (need-to-know)."""

    def visible_to(self, user: User) -> Self:
        if not user.has_role_perm(Perm.REGISTRY_READ) or not user.municipality_id:
            return self.none()
        # EXISTS rather than a join: no duplicate rows, so no DISTINCT over the whole result.
        own_link = EntityLink.objects.filter(
            entity=OuterRef("pk"), municipality_id=user.municipality_id
        )
        return self.filter(Q(from_registry=True) | Exists(own_link))

    def canonical(self) -> Self:
        return self.filter(merged_into__isnull=True)


class Entity(models.Model):
    personal_data = True

    kind = models.CharField(_("soort"), max_length=12, choices=EntityKind.choices)
    key = models.CharField(_("sleutel"), max_length=120, unique=True)
    label = models.CharField(_("naam"), max_length=250)
    from_registry = models.BooleanField(_("uit een register"), default=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("samengevoegd met"),
    )
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["label"]
        verbose_name = _("entiteit")
        verbose_name_plural = _("entiteiten")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"

    def canonical(self) -> Entity:
        """Follow merges to the entity that stands for this one now."""
        entity, seen = self, {self.pk}
        while entity.merged_into_id is not None and entity.merged_into_id not in seen:
            entity = entity.merged_into  # type: ignore[assignment]
            seen.add(entity.pk)
        return entity


class LinkStatus(models.TextChoices):
    AUTO = "automatisch", _("Automatisch gekoppeld")
    SUGGESTED = "voorstel", _("Voorstel")
    CONFIRMED = "bevestigd", _("Bevestigd")
    REJECTED = "afgewezen", _("Afgewezen")


LINKED = (LinkStatus.AUTO, LinkStatus.CONFIRMED)


class EntityLinkQuerySet(GatedQuerySet):
    """A link is visible exactly when the subject it starts from is."""

    def visible_to(self, user: User) -> Self:
        from weerbaar.cases.models import CaseSubject
        from weerbaar.signals.models import Subject

        # Correlated EXISTS per link rather than IN (all visible subjects): callers filter the
        # links first (an entity, a subject), so a few index look-ups replace hashing every
        # subject of the municipality (30-115 ms with 3M subjects).
        signal_subject = Subject.objects.for_user(user).filter(pk=OuterRef("signal_subject_id"))
        case_subject = CaseSubject.objects.for_user(user).filter(pk=OuterRef("case_subject_id"))
        return self.filter(Exists(signal_subject) | Exists(case_subject))

    def linked(self) -> Self:
        return self.filter(status__in=LINKED)


class EntityLink(models.Model):
    """A subject of a signal or case, matched to an entity: automatically above the threshold,
    as a suggestion below it, and confirmed or rejected by an analist."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="links")
    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    signal_subject = models.ForeignKey(
        "signals.Subject",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="entity_links",
    )
    case_subject = models.ForeignKey(
        "cases.CaseSubject",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="entity_links",
    )
    status = models.CharField(_("status"), max_length=12, choices=LinkStatus.choices)
    score = models.FloatField(_("score"))
    confidence = models.CharField(_("zekerheid"), max_length=20, blank=True)
    reasons = models.JSONField(_("redenen"), default=list)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)

    objects = EntityLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-score"]
        verbose_name = _("koppeling")
        verbose_name_plural = _("koppelingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(signal_subject__isnull=False, case_subject__isnull=True)
                | Q(signal_subject__isnull=True, case_subject__isnull=False),
                name="entities_link_one_subject",
            ),
            models.UniqueConstraint(
                fields=["entity", "signal_subject"], name="entities_link_signal_subject_once"
            ),
            models.UniqueConstraint(
                fields=["entity", "case_subject"], name="entities_link_case_subject_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity} ({self.get_status_display()}, {self.score:.2f})"

    @property
    def subject(self) -> Any:
        return self.signal_subject or self.case_subject


class MatchDecisionQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        if not user.has_role_perm(Perm.ENTITIES_RESOLVE):
            return self.none()
        return self.filter(municipality_id=user.municipality_id)


class MatchDecision(models.Model):
    """An analist's verdict on 'this subject is that entity', remembered for every later
    subject of the municipality with the same match key."""

    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    match_key = models.CharField(max_length=200)
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="decisions")
    confirmed = models.BooleanField(_("bevestigd"))
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("besloten op"), auto_now=True)

    objects = MatchDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("koppelbesluit")
        verbose_name_plural = _("koppelbesluiten")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "match_key", "entity"], name="entities_decision_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.match_key} → {self.entity_id}: {'ja' if self.confirmed else 'nee'}"


class EntityMergeQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        visible = Entity.objects.for_user(user)
        return self.filter(source__in=visible, target__in=visible)


class EntityMerge(models.Model):
    """History of merges: ``source`` was merged into ``target`` and, perhaps, undone."""

    source = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    target = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reden"), max_length=500)
    merged_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    merged_at = models.DateTimeField(_("samengevoegd op"), auto_now_add=True)
    undone_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(_("ongedaan gemaakt op"), null=True, blank=True)

    objects = EntityMergeQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("samenvoeging")
        verbose_name_plural = _("samenvoegingen")

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"


class LookupKey(models.Model):
    """The interactive matching index: keys of registry records (see ``entities.scoring``),
    rebuilt after every registry import. A street is stored once per town and postcode, under
    the id of one of its addresses."""

    class Target(models.TextChoices):
        COMPANY = "c", "company"
        OFFICER = "o", "officer"
        STREET = "s", "street"

    KEY_LENGTH = 60  # longer keys are cut, in the index and in a query alike

    key = models.CharField(max_length=KEY_LENGTH)
    target = models.CharField(max_length=1, choices=Target.choices)
    record_id = models.BigIntegerField()

    objects = InternalQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["key", "target", "record_id"], name="entities_lookup_key")]

    def __str__(self) -> str:
        return f"{self.key} → {self.target}{self.record_id}"
