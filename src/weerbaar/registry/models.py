"""Copies of the public registers: KvK (companies, branches, officers) and BAG (addresses).

The rows mirror the official registers' fields (see ``docs/registry.md`` for the file formats).
They are national, not owned by a municipality: every account that enriches signals may read
them. Officers are people, so their rows are personal data and reading them is audit-logged.
Rows are written only by the importers (``weerbaar import-kvk`` / ``import-bag``), never by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.roles import Perm
from weerbaar.core.gate import GatedQuerySet

if TYPE_CHECKING:
    from weerbaar.accounts.models import User


class RegistryQuerySet(GatedQuerySet):
    """Registry facts are readable by every account that may enrich signals or work cases."""

    def visible_to(self, user: User) -> Self:
        if user.has_role_perm(Perm.REGISTRY_READ):
            return self.all()
        return self.none()


class RegistryImport(models.Model):
    """One run of an importer: which file, how far it got and what it did."""

    class Kind(models.TextChoices):
        KVK = "kvk", _("KvK (Handelsregister)")
        BAG = "bag", _("BAG (adressen)")

    class Status(models.TextChoices):
        RUNNING = "bezig", _("bezig")
        DONE = "klaar", _("klaar")
        FAILED = "mislukt", _("mislukt")

    kind = models.CharField(_("register"), max_length=3, choices=Kind.choices)
    # kvk_vestigingen, kvk_functionarissen or bag_adressen (see importing/datasets.py).
    dataset = models.CharField(_("bestandssoort"), max_length=40, blank=True)
    file_name = models.CharField(_("bestand"), max_length=500)
    extract_date = models.DateField(_("peildatum"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)
    started_at = models.DateTimeField(_("gestart"), auto_now_add=True)
    finished_at = models.DateTimeField(_("klaar om"), null=True, blank=True)
    rows_read = models.PositiveIntegerField(_("regels gelezen"), default=0)
    inserted = models.PositiveIntegerField(_("nieuw"), default=0)
    updated = models.PositiveIntegerField(_("gewijzigd"), default=0)
    unchanged = models.PositiveIntegerField(_("ongewijzigd"), default=0)
    ended = models.PositiveIntegerField(_("opgeheven of vervallen"), default=0)
    rejected = models.PositiveIntegerField(_("afgekeurd"), default=0)
    problems = models.JSONField(_("afgekeurde regels"), default=list, blank=True)
    message = models.TextField(_("melding"), blank=True)
    # Set while the after-import work (importing/hooks.py) runs; stays set when it failed or
    # was cut off, so that the next run of the dataset redoes everything.
    after_import_pending = models.BooleanField(_("verwerking na de import open"), default=False)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("registerimport")
        verbose_name_plural = _("registerimports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.file_name} ({self.get_status_display()})"


class AddressFields(models.Model):
    """A Dutch address as the registers write it."""

    street = models.CharField(_("straat"), max_length=120, blank=True)
    house_number = models.PositiveIntegerField(_("huisnummer"), null=True, blank=True)
    house_letter = models.CharField(_("huisletter"), max_length=1, blank=True)
    house_number_addition = models.CharField(_("toevoeging"), max_length=4, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    town = models.CharField(_("woonplaats"), max_length=80, blank=True)

    class Meta:
        abstract = True


class Address(AddressFields):
    """A BAG number designation (nummeraanduiding) with its addressable object."""

    number_designation_id = models.CharField(_("nummeraanduiding-id"), max_length=16, unique=True)
    object_id = models.CharField(_("verblijfsobject-id"), max_length=16, blank=True)
    municipality_code = models.CharField(_("gemeentecode"), max_length=6, db_index=True)
    uses = models.CharField(
        _("gebruiksdoel"),
        max_length=200,
        blank=True,
        help_text=_("Eén of meer gebruiksdoelen, gescheiden door |."),
    )
    floor_area = models.PositiveIntegerField(_("oppervlakte (m²)"), null=True, blank=True)
    rd_x = models.FloatField(_("RD x"), null=True, blank=True)
    rd_y = models.FloatField(_("RD y"), null=True, blank=True)
    lat = models.FloatField(_("breedtegraad"), null=True, blank=True)
    lon = models.FloatField(_("lengtegraad"), null=True, blank=True)
    # False once a newer full extract no longer holds the address.
    active = models.BooleanField(_("actueel"), default=True)
    changed_at = models.DateTimeField(_("gewijzigd bij import"), auto_now_add=True)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        ordering = ["postcode", "house_number", "house_letter", "house_number_addition"]
        verbose_name = _("adres (BAG)")
        verbose_name_plural = _("adressen (BAG)")
        indexes = [models.Index(fields=["postcode", "house_number"], name="registry_addr_pc_nr")]

    def __str__(self) -> str:
        number = f"{self.house_number or ''}{self.house_letter}"
        if self.house_number_addition:
            number += f"-{self.house_number_addition}"
        return f"{self.street} {number}, {self.postcode} {self.town}".strip()

    @property
    def use_list(self) -> list[str]:
        return [u for u in self.uses.split("|") if u]

    @property
    def is_residential(self) -> bool:
        return "woonfunctie" in self.use_list


class Company(models.Model):
    """A KvK registration: one row per branch (vestiging), or one for an entity without one."""

    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, db_index=True)
    branch_number = models.CharField(_("vestigingsnummer"), max_length=12, blank=True)
    name = models.CharField(_("statutaire naam"), max_length=250)
    trade_names = models.CharField(
        _("handelsnamen"), max_length=1000, blank=True, help_text=_("Gescheiden door |.")
    )
    legal_form = models.CharField(_("rechtsvorm"), max_length=80, blank=True)
    sbi_main = models.CharField(_("SBI-hoofdactiviteit"), max_length=6, blank=True)
    sbi_other = models.CharField(
        _("overige SBI-codes"), max_length=200, blank=True, help_text=_("Gescheiden door |.")
    )
    registered_on = models.DateField(_("datum inschrijving"), null=True, blank=True)
    started_on = models.DateField(_("datum aanvang"), null=True, blank=True)
    ended_on = models.DateField(_("datum opheffing"), null=True, blank=True)
    visit_street = models.CharField(_("bezoekadres straat"), max_length=120, blank=True)
    visit_house_number = models.PositiveIntegerField(
        _("bezoekadres huisnummer"), null=True, blank=True
    )
    visit_house_letter = models.CharField(_("bezoekadres huisletter"), max_length=1, blank=True)
    visit_house_number_addition = models.CharField(
        _("bezoekadres toevoeging"), max_length=4, blank=True
    )
    visit_postcode = models.CharField(_("bezoekadres postcode"), max_length=6, blank=True)
    visit_town = models.CharField(_("bezoekadres plaats"), max_length=80, blank=True)
    postal_street = models.CharField(_("postadres straat"), max_length=120, blank=True)
    postal_house_number = models.PositiveIntegerField(
        _("postadres huisnummer"), null=True, blank=True
    )
    postal_house_letter = models.CharField(_("postadres huisletter"), max_length=1, blank=True)
    postal_house_number_addition = models.CharField(
        _("postadres toevoeging"), max_length=4, blank=True
    )
    postal_postcode = models.CharField(_("postadres postcode"), max_length=6, blank=True)
    postal_town = models.CharField(_("postadres plaats"), max_length=80, blank=True)
    # Dissolved: an end date in the register, or missing from a newer full extract.
    dissolved = models.BooleanField(_("opgeheven"), default=False)
    changed_at = models.DateTimeField(_("gewijzigd bij import"), auto_now_add=True)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        ordering = ["kvk_number", "branch_number"]
        verbose_name = _("inschrijving (KvK)")
        verbose_name_plural = _("inschrijvingen (KvK)")
        constraints = [
            models.UniqueConstraint(
                fields=["kvk_number", "branch_number"], name="registry_company_unique_branch"
            )
        ]
        indexes = [
            models.Index(
                fields=["visit_postcode", "visit_house_number"], name="registry_comp_visit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (KvK {self.kvk_number})"

    @property
    def trade_name_list(self) -> list[str]:
        return [n for n in self.trade_names.split("|") if n]

    @property
    def sbi_codes(self) -> list[str]:
        return [c for c in [self.sbi_main, *self.sbi_other.split("|")] if c]


class Officer(models.Model):
    """A person with a role at a KvK-registered entity (functionaris)."""

    personal_data = True

    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, db_index=True)
    first_names = models.CharField(_("voornamen"), max_length=200, blank=True)
    surname_prefix = models.CharField(_("voorvoegsel"), max_length=20, blank=True)
    surname = models.CharField(_("geslachtsnaam"), max_length=200)
    date_of_birth = models.DateField(_("geboortedatum"), null=True, blank=True)
    role = models.CharField(_("functie"), max_length=80)
    started_on = models.DateField(_("datum aanvang"), null=True, blank=True)
    # The resolved person (same key = same person across companies); set by entity resolution.
    person_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    changed_at = models.DateTimeField(_("gewijzigd bij import"), auto_now_add=True)

    objects = RegistryQuerySet.as_manager()

    class Meta:
        ordering = ["kvk_number", "surname", "first_names"]
        verbose_name = _("functionaris (KvK)")
        verbose_name_plural = _("functionarissen (KvK)")
        # No natural key in the register: an import replaces a KvK number's officers as a set.

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.first_names, self.surname_prefix, self.surname) if p)
