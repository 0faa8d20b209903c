"""Structured subjects of a signal: who and what it concerns.

Each subject gets a ``match_key`` from its identifying fields (postcode + house number, KvK
number, licence plate, ...), so signals about the same address, company, person, vehicle or
vessel find each other. ``registry`` and ``registry_id`` are kept free for linking to KvK
and BAG records later.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .signal import Signal, SignalPartQuerySet


class SubjectKind(models.TextChoices):
    PERSON = "persoon", _("Persoon")
    COMPANY = "bedrijf", _("Bedrijf")
    ADDRESS = "adres", _("Adres")
    VEHICLE = "voertuig", _("Voertuig")
    VESSEL = "vaartuig", _("Vaartuig")


class SubjectRole(models.TextChoices):
    OWNER = "eigenaar", _("Eigenaar")
    TENANT = "huurder", _("Huurder")
    RESIDENT = "bewoner", _("Bewoner")
    DIRECTOR = "bestuurder", _("Bestuurder")
    EMPLOYEE = "werknemer", _("Werknemer")
    VISITOR = "bezoeker", _("Bezoeker")
    USER = "gebruiker", _("Gebruiker")
    LOCATION = "locatie", _("Locatie")
    OTHER = "overig", _("Overig")


def _squash(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


class SubjectFields(models.Model):
    """Who or what: the fields a signal's and a case's subjects share."""

    personal_data = True

    kind = models.CharField(_("soort"), max_length=10, choices=SubjectKind.choices)
    role = models.CharField(
        _("rol"), max_length=12, choices=SubjectRole.choices, default=SubjectRole.OTHER
    )
    name = models.CharField(_("naam"), max_length=200, blank=True)
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
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
    licence_plate = models.CharField(_("kenteken"), max_length=10, blank=True)
    vessel_id = models.CharField(_("ENI-nummer of scheepsnaam"), max_length=100, blank=True)
    notes = models.CharField(_("toelichting"), max_length=500, blank=True)
    match_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    registry = models.CharField(
        _("register"),
        max_length=10,
        blank=True,
        help_text=_("Bijvoorbeeld kvk of bag, na koppeling."),
    )
    registry_id = models.CharField(_("registernummer"), max_length=50, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"

    @property
    def label(self) -> str:
        if self.kind == SubjectKind.ADDRESS:
            number = f"{self.house_number or ''}{self.house_number_addition}"
            return " ".join(p for p in (self.street, number, self.postcode, self.city) if p)
        if self.kind == SubjectKind.VEHICLE:
            return self.licence_plate or self.name
        if self.kind == SubjectKind.VESSEL:
            return self.vessel_id or self.name
        if self.kind == SubjectKind.ADDRESS and self.street and self.house_number and self.city:
            place = (
                f"{_squash(self.street)}:{self.house_number}{_squash(self.house_number_addition)}"
            )
            return f"adres:{place}:{_squash(self.city)}"
        if self.kind == SubjectKind.COMPANY and self.kvk_number:
            return f"{self.name} (KvK {self.kvk_number})".strip()
        return self.name

    def compute_match_key(self) -> str:
        """A normalised key: equal keys mean 'probably the same address/company/...'."""
        if self.kind == SubjectKind.ADDRESS and self.postcode and self.house_number:
            return (
                f"adres:{self.postcode}:{self.house_number}:{_squash(self.house_number_addition)}"
            )
        if self.kind == SubjectKind.COMPANY and self.kvk_number:
            return f"bedrijf:kvk:{self.kvk_number}"
        if self.kind == SubjectKind.VEHICLE and self.licence_plate:
            return f"voertuig:{_squash(self.licence_plate)}"
        if self.kind == SubjectKind.VESSEL and self.vessel_id:
            return f"vaartuig:{_squash(self.vessel_id)}"
        if self.kind == SubjectKind.PERSON and self.name and self.date_of_birth:
            return f"persoon:{_squash(self.name)}:{self.date_of_birth.isoformat()}"
        if self.kind in (SubjectKind.COMPANY, SubjectKind.PERSON) and self.name:
            return f"{self.kind}:naam:{_squash(self.name)}"
        return ""


class Subject(SubjectFields):
    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="subjects")

    objects = SignalPartQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("betrokkene")
        verbose_name_plural = _("betrokkenen")
