"""Integral inspections (integrale controles): the yearly target, the inspection with its
target list (companies and addresses), and a finding per target.

Visibility: the municipality's planners (regisseur, analist) see its inspections; a partner
user sees the inspections its organisation takes part in; nobody else sees any. The target
list and the findings are visible exactly when their inspection is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.roles import Perm
from weerbaar.core.gate import GatedQuerySet, InternalQuerySet

from .workflow import FollowUp, Kind, Status

if TYPE_CHECKING:
    from weerbaar.accounts.models import User

MIN_YEAR, MAX_YEAR = 2000, 2100


class InspectionQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        if user.has_role_perm(Perm.INSPECTIONS_PLAN) and user.municipality_id:
            return self.filter(municipality_id=user.municipality_id)
        if user.partner_organisation_id:
            taking_part = Inspection.partners.through.objects.filter(
                partnerorganisation_id=user.partner_organisation_id
            ).values("inspection_id")
            return self.filter(pk__in=taking_part)
        return self.none()


class Inspection(models.Model):
    personal_data = True

    reference = models.CharField(_("controlenummer"), max_length=30, unique=True, editable=False)
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("gemeente"),
    )
    kind = models.CharField(_("soort controle"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=200)
    area = models.CharField(
        _("gebied"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld een bedrijventerrein, jachthaven of winkelstraat."),
    )
    planned_on = models.DateField(_("geplande datum"))
    held_on = models.DateField(_("gehouden op"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    partners = models.ManyToManyField(
        "organisations.PartnerOrganisation",
        blank=True,
        related_name="inspections",
        verbose_name=_("deelnemende partners"),
    )
    signal = models.ForeignKey(
        "signals.Signal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("naar aanleiding van signaal"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspections",
        verbose_name=_("hoort bij casus"),
    )
    results_summary = models.TextField(_("samenvatting van de resultaten"), blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-planned_on", "-pk"]
        verbose_name = _("integrale controle")
        verbose_name_plural = _("integrale controles")
        indexes = [
            models.Index(fields=["municipality", "status", "-planned_on"]),
            models.Index(fields=["municipality", "held_on"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open_for_findings(self) -> bool:
        return self.status == Status.HELD


class InspectionCounter(models.Model):
    """The last inspection number per municipality and year."""

    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    objects = InternalQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="inspection_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}/{self.year}: {self.last}"


class InspectionTargetQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        if user.has_role_perm(Perm.INSPECTIONS_PLAN) and user.municipality_id:
            return self.filter(municipality_id=user.municipality_id)
        return self.none()


class InspectionTarget(models.Model):
    """How many integral inspections a municipality plans to hold in a year."""

    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.CASCADE,
        related_name="inspection_targets",
        verbose_name=_("gemeente"),
    )
    year = models.PositiveSmallIntegerField(
        _("jaar"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    planned_count = models.PositiveSmallIntegerField(
        _("aantal te houden controles"), validators=[MaxValueValidator(366)]
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = InspectionTargetQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("jaardoel controles")
        verbose_name_plural = _("jaardoelen controles")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="inspection_target_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id} {self.year}: {self.planned_count}"


class StatusChange(models.Model):
    """Append-only history of an inspection's status."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="status_history"
    )
    at = models.DateTimeField(_("tijdstip"))
    from_status = models.CharField(_("van"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=20, choices=Status.choices)
    by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(_("toelichting"), max_length=500, blank=True)

    objects = InternalQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.inspection_id}: {self.from_status} → {self.to_status}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("Status history is append-only.")
        super().save(*args, **kwargs)


class InspectionObjectQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        return self.filter(inspection__in=Inspection.objects.for_user(user))


class InspectionObject(models.Model):
    """A company or address on the target list of an inspection, chosen by hand."""

    personal_data = True

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="target_objects"
    )
    name = models.CharField(_("naam (bedrijf)"), max_length=200, blank=True)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.PositiveIntegerField(
        _("huisnummer"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(99999)],
    )
    house_number_addition = models.CharField(_("toevoeging"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    match_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    added_at = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)
    added_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = InspectionObjectQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("te controleren object")
        verbose_name_plural = _("controlelijst")

    def __str__(self) -> str:
        return self.label

    @property
    def address(self) -> str:
        number = f"{self.house_number or ''}{self.house_number_addition}"
        street = " ".join(p for p in (self.street, number) if p)
        place = " ".join(p for p in (self.postcode, self.city) if p)
        return ", ".join(p for p in (street, place) if p)

    @property
    def label(self) -> str:
        company = self.name
        if self.kvk_number:
            company = f"{self.name} (KvK {self.kvk_number})".strip()
        return " · ".join(p for p in (company, self.address) if p)

    @property
    def is_company(self) -> bool:
        return bool(self.name or self.kvk_number)

    @property
    def has_address(self) -> bool:
        return bool(self.street or (self.postcode and self.house_number))


class FindingQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        return self.filter(target__inspection__in=Inspection.objects.for_user(user))


class Finding(models.Model):
    """What was found at one target; at most one per target, edited until completion."""

    personal_data = True

    target = models.OneToOneField(
        InspectionObject,
        on_delete=models.CASCADE,
        related_name="finding",
        verbose_name=_("object"),
    )
    violations_found = models.BooleanField(_("overtredingen geconstateerd"), default=False)
    violations = models.TextField(_("welke overtredingen"), blank=True)
    observations = models.TextField(_("waarnemingen"), blank=True)
    follow_up = models.CharField(
        _("vervolg"), max_length=30, choices=FollowUp.choices, default=FollowUp.NONE
    )
    follow_up_note = models.TextField(_("toelichting op het vervolg"), blank=True)
    signal = models.ForeignKey(
        "signals.Signal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inspection_findings",
        verbose_name=_("signaal gemaakt"),
    )
    intervention = models.ForeignKey(
        "interventions.Intervention",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("handhaving (interventie)"),
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["target_id"]
        verbose_name = _("bevinding")
        verbose_name_plural = _("bevindingen")

    def __str__(self) -> str:
        return f"{_('Bevinding')} {self.target_id}"

    @property
    def has_content(self) -> bool:
        return bool(self.violations.strip() or self.observations.strip())
