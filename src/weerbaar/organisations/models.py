"""Municipalities (the tenants), the regions they belong to, partner organisations and teams."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.roles import Scope, scope_of
from weerbaar.core.gate import GatedQuerySet, PublicQuerySet

if TYPE_CHECKING:
    from weerbaar.accounts.models import User


class Province(models.Model):
    code = models.CharField(_("code"), max_length=4, unique=True)  # PV28
    name = models.CharField(_("naam"), max_length=100)

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("provincie")
        verbose_name_plural = _("provincies")

    def __str__(self) -> str:
        return self.name


class SafetyRegion(models.Model):
    """A veiligheidsregio (fact from the CBS area divisions)."""

    code = models.CharField(_("code"), max_length=4, unique=True)  # VR18
    name = models.CharField(_("naam"), max_length=100)

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("veiligheidsregio")
        verbose_name_plural = _("veiligheidsregio's")

    def __str__(self) -> str:
        return self.name


class Region(models.Model):
    """A RIEC region, which covers the same municipalities as a police unit."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("naam"), max_length=100, unique=True)
    shares_references = models.BooleanField(
        _("verwijzingen delen tussen gemeenten"),
        default=False,
        help_text=_(
            "Als de regio dit heeft afgesproken, ziet een gemeente dat een adres, bedrijf of "
            "persoon ook bij een andere gemeente in de regio bekend is (zonder inhoud, alleen "
            "bij wie men navraag kan doen)."
        ),
    )

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("RIEC-regio")
        verbose_name_plural = _("RIEC-regio's")

    def __str__(self) -> str:
        return f"RIEC {self.name}"


class District(models.Model):
    """A group of municipalities within a region; by default the safety region.

    An administrator can define other districts (for example a DVO district) and move
    municipalities into them; the default districts are recreated only when missing.
    """

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="districts", verbose_name=_("regio")
    )
    safety_region = models.OneToOneField(
        SafetyRegion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="default_district",
        verbose_name=_("veiligheidsregio"),
        help_text=_("Alleen gevuld voor het standaarddistrict van een veiligheidsregio."),
    )

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districten")

    def __str__(self) -> str:
        return self.name

    @property
    def is_default(self) -> bool:
        return self.safety_region_id is not None


class MunicipalityQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        scope = scope_of(user.role)
        if scope is Scope.PLATFORM:
            return self.all()
        if scope is Scope.MUNICIPALITY:
            return self.filter(pk=user.municipality_id)
        if scope is Scope.REGION:
            return self.filter(region_id=user.region_id)
        if scope is Scope.PARTNER and user.partner_organisation_id:
            org = user.partner_organisation
            return self.filter(
                Q(partner_organisations=org) | Q(region__partner_organisations=org)
            ).distinct()
        return self.none()


class Municipality(models.Model):
    """A Dutch municipality (gemeente); the tenant of Weerbaar once it takes part."""

    code = models.CharField(_("CBS-code"), max_length=6, unique=True)  # GM0590
    name = models.CharField(_("naam"), max_length=100)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, verbose_name=_("provincie"))
    safety_region = models.ForeignKey(
        SafetyRegion, on_delete=models.PROTECT, verbose_name=_("veiligheidsregio")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("RIEC-regio"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("district"),
    )
    is_participating = models.BooleanField(
        _("neemt deel"),
        default=False,
        help_text=_("De gemeente werkt met Weerbaar en heeft eigen accounts."),
    )

    objects = MunicipalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self) -> str:
        return self.name


class PartnerKind(models.TextChoices):
    POLITIE = "politie", _("Politie")
    OM = "om", _("Openbaar Ministerie")
    BELASTINGDIENST = "belastingdienst", _("Belastingdienst")
    FIOD = "fiod", _("FIOD")
    RIEC = "riec", _("RIEC-bureau")
    OMGEVINGSDIENST = "omgevingsdienst", _("Omgevingsdienst")
    SOCIALE_DIENST = "sociale_dienst", _("Sociale dienst")
    WONINGCORPORATIE = "woningcorporatie", _("Woningcorporatie")
    UWV = "uwv", _("UWV")
    ARBEIDSINSPECTIE = "arbeidsinspectie", _("Nederlandse Arbeidsinspectie")
    IND = "ind", _("IND")
    KMAR = "kmar", _("Koninklijke Marechaussee")
    DOUANE = "douane", _("Douane")
    NVWA = "nvwa", _("NVWA")
    PROVINCIE = "provincie", _("Provincie")
    OTHER = "overig", _("Overig")


class PartnerOrganisationQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        scope = scope_of(user.role)
        if scope is Scope.PLATFORM:
            return self.all()
        if scope is Scope.MUNICIPALITY and user.municipality is not None:
            return self.filter(
                Q(municipalities=user.municipality_id) | Q(regions=user.municipality.region_id)
            ).distinct()
        if scope is Scope.REGION:
            return self.filter(
                Q(regions=user.region_id) | Q(municipalities__region=user.region_id)
            ).distinct()
        if scope is Scope.PARTNER:
            return self.filter(pk=user.partner_organisation_id)
        return self.none()


class PartnerOrganisation(models.Model):
    name = models.CharField(_("naam"), max_length=200, unique=True)
    kind = models.CharField(_("soort"), max_length=30, choices=PartnerKind.choices)
    municipalities = models.ManyToManyField(
        Municipality,
        blank=True,
        related_name="partner_organisations",
        verbose_name=_("gemeenten"),
        help_text=_("De gemeenten waarmee deze organisatie samenwerkt."),
    )
    regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="partner_organisations",
        verbose_name=_("regio's"),
        help_text=_("Werkt de organisatie met een hele RIEC-regio samen, kies dan de regio."),
    )
    email = models.EmailField(_("algemeen e-mailadres"), blank=True)
    is_demo = models.BooleanField(_("demogegevens"), default=False, editable=False)

    objects = PartnerOrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnerorganisatie")
        verbose_name_plural = _("partnerorganisaties")

    def __str__(self) -> str:
        return self.name


class TeamKind(models.TextChoices):
    PERMITS = "vergunningen", _("Vergunningen")
    ENFORCEMENT = "handhaving", _("Toezicht en handhaving")
    FRONT_DESK = "publiekszaken", _("Publiekszaken / balie")
    ECONOMIC_AFFAIRS = "economische_zaken", _("Economische zaken")
    SOCIAL_DOMAIN = "sociaal_domein", _("Sociaal domein")
    SAFETY = "openbare_orde", _("Openbare orde en veiligheid")
    OTHER = "overig", _("Overig")


class TeamQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        scope = scope_of(user.role)
        if scope is Scope.PLATFORM:
            return self.all()
        if scope is Scope.MUNICIPALITY:
            return self.filter(municipality_id=user.municipality_id)
        return self.none()


class Team(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="teams", verbose_name=_("gemeente")
    )
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort"), max_length=30, choices=TeamKind.choices)
    is_demo = models.BooleanField(_("demogegevens"), default=False, editable=False)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="team_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class BoundaryLevel(models.TextChoices):
    MUNICIPALITY = "gemeente", _("Gemeente")
    PROVINCE = "provincie", _("Provincie")
    SAFETY_REGION = "veiligheidsregio", _("Veiligheidsregio")


class Boundary(models.Model):
    """An official area boundary (CBS/PDOK), kept as GeoJSON so it needs no PostGIS."""

    level = models.CharField(_("niveau"), max_length=20, choices=BoundaryLevel.choices)
    code = models.CharField(_("CBS-code"), max_length=6, unique=True)
    name = models.CharField(_("naam"), max_length=100)
    year = models.PositiveSmallIntegerField(_("jaar"), null=True, blank=True)
    geometry = models.JSONField(_("geometrie (GeoJSON, WGS84)"))
    min_lon = models.FloatField()
    min_lat = models.FloatField()
    max_lon = models.FloatField()
    max_lat = models.FloatField()
    imported_at = models.DateTimeField(_("geïmporteerd op"), auto_now=True)

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("grens")
        verbose_name_plural = _("grenzen")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class ImportStatus(models.TextChoices):
    QUEUED = "wachtrij", _("In de wachtrij")
    RUNNING = "bezig", _("Bezig")
    DONE = "klaar", _("Klaar")
    FAILED = "mislukt", _("Mislukt")


class BoundaryImportQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        from weerbaar.accounts.roles import Perm

        return self.all() if user.has_role_perm(Perm.MANAGE_REFERENCE_DATA) else self.none()


class BoundaryImport(models.Model):
    """An uploaded boundary file, imported in the background; the file is removed afterwards."""

    file = models.FileField(_("bestand"), upload_to="imports/boundaries/", blank=True)
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    uploaded_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("door"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    created_at = models.DateTimeField(_("aangeboden op"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    result = models.JSONField(_("resultaat"), default=dict, blank=True)

    objects = BoundaryImportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("grensimport")
        verbose_name_plural = _("grensimports")

    def __str__(self) -> str:
        return self.original_name
