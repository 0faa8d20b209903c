"""A signal: one piece of information about possible undermining, from any channel."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.roles import Perm
from weerbaar.core.gate import GatedQuerySet, InternalQuerySet

from ..workflow import OPEN_STATUSES, Status, coarse

if TYPE_CHECKING:
    from weerbaar.accounts.models import User


class Channel(models.TextChoices):
    STAFF = "medewerker", _("Medewerker (meldformulier)")
    KEY_FIGURE = "sleutelfiguur", _("Sleutelfiguur")
    PUBLIC = "anoniem", _("Anoniem meldformulier")
    MMA = "mma", _("Meld Misdaad Anoniem")
    PARTNER = "partner", _("Partnerorganisatie")
    INSPECTION = "controle", _("Integrale controle")
    OPEN_SOURCE = "open_bron", _("Open bron")
    OTHER = "overig", _("Overig")


class Priority(models.TextChoices):
    LOW = "laag", _("Laag")
    NORMAL = "normaal", _("Normaal")
    HIGH = "hoog", _("Hoog")
    URGENT = "urgent", _("Urgent")


class SignalQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        """Triage roles: their municipality. Reporters: their own. Partners: what is shared."""
        if user.has_role_perm(Perm.SIGNALS_TRIAGE) and user.municipality_id:
            return self.filter(municipality_id=user.municipality_id)
        if user.partner_organisation_id:
            shared = models.Q(shared_with=user.partner_organisation_id) | models.Q(created_by=user)
            return self.filter(shared).distinct()
        if user.has_role_perm(Perm.SIGNALS_REPORT):
            return self.filter(created_by=user)
        return self.none()

    def open(self) -> Self:
        return self.filter(status__in=OPEN_STATUSES)


class Signal(models.Model):
    personal_data = True

    reference = models.CharField(_("kenmerk"), max_length=30, unique=True, editable=False)
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        related_name="signals",
        verbose_name=_("gemeente"),
    )
    received_at = models.DateTimeField(_("ontvangen op"), db_index=True)
    channel = models.CharField(_("kanaal"), max_length=20, choices=Channel.choices)
    description = models.TextField(_("omschrijving"))
    phenomena = models.ManyToManyField(
        "signals.Phenomenon", blank=True, related_name="signals", verbose_name=_("fenomenen")
    )
    # Location: an address, a point, or a named area (any combination).
    street = models.CharField(_("straat"), max_length=200, blank=True)
    house_number = models.PositiveIntegerField(
        _("huisnummer"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(99999)],
    )
    house_number_addition = models.CharField(_("toevoeging"), max_length=10, blank=True)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True, db_index=True)
    city = models.CharField(_("plaats"), max_length=100, blank=True)
    latitude = models.FloatField(_("breedtegraad"), null=True, blank=True)
    longitude = models.FloatField(_("lengtegraad"), null=True, blank=True)
    area_name = models.CharField(
        _("gebied"),
        max_length=200,
        blank=True,
        help_text=_("Bijvoorbeeld een bedrijventerrein of jachthaven."),
    )

    priority = models.CharField(
        _("prioriteit"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    handler = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_signals",
        verbose_name=_("behandelaar"),
    )
    created_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="filed_signals",
        verbose_name=_("gemeld door"),
    )
    shared_with = models.ManyToManyField(
        "organisations.PartnerOrganisation",
        blank=True,
        related_name="shared_signals",
        verbose_name=_("gedeeld met"),
    )
    first_read_due = models.DateTimeField(_("eerste lezing uiterlijk"))
    first_read_at = models.DateTimeField(_("eerst gelezen op"), null=True, blank=True)
    follow_up_due = models.DateField(_("opvolging uiterlijk"), null=True, blank=True)
    first_read_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    follow_up_reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("afgesloten op"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("samengevoegd met"),
    )
    external_id = models.CharField(
        _("extern kenmerk"),
        max_length=100,
        blank=True,
        help_text=_("Bijvoorbeeld het nummer van Meld Misdaad Anoniem."),
    )
    legal_hold = models.BooleanField(_("niet verwijderen (juridische blokkade)"), default=False)
    is_demo = models.BooleanField(_("demogegevens"), default=False, editable=False)

    objects = SignalQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("signaal")
        verbose_name_plural = _("signalen")
        indexes = [models.Index(fields=["municipality", "status", "first_read_due"])]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "channel", "external_id"],
                condition=~models.Q(external_id=""),
                name="signal_unique_external_id",
            )
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def coarse_status(self) -> str:
        return str(coarse(self.status).label)

    @property
    def address(self) -> str:
        number = f"{self.house_number or ''}{self.house_number_addition}".strip()
        street = " ".join(p for p in (self.street, number) if p)
        place = " ".join(p for p in (self.postcode, self.city) if p)
        return ", ".join(p for p in (street, place) if p)


class SignalCounter(models.Model):
    """The last reference number per municipality and year; locked while a signal is numbered."""

    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    objects = InternalQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="signal_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}/{self.year}: {self.last}"


class SignalPartQuerySet(GatedQuerySet):
    """For rows that belong to one signal (history, subjects, files, additions):
    visible exactly when their signal is."""

    def visible_to(self, user: User) -> Self:
        return self.filter(signal__in=Signal.objects.for_user(user))


class StatusChange(models.Model):
    """Append-only history of a signal's status."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="history")
    at = models.DateTimeField(_("tijdstip"))
    from_status = models.CharField(_("van"), max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(_("naar"), max_length=20, choices=Status.choices)
    by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(_("toelichting"), max_length=500, blank=True)

    objects = SignalPartQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("statuswijziging")
        verbose_name_plural = _("statusgeschiedenis")

    def __str__(self) -> str:
        return f"{self.signal_id}: {self.from_status} → {self.to_status}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("Status history is append-only.")
        super().save(*args, **kwargs)


class ReporterIdentityQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        if not user.has_role_perm(Perm.SIGNALS_REPORTER_IDENTITY):
            return self.none()
        return self.filter(signal__municipality_id=user.municipality_id)


class ReporterIdentity(models.Model):
    """Who reported, when known: kept apart from the signal, for the roles that need it."""

    personal_data = True

    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="reporter")
    name = models.CharField(_("naam"), max_length=200, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    organisation = models.CharField(_("organisatie of team"), max_length=200, blank=True)

    objects = ReporterIdentityQuerySet.as_manager()

    class Meta:
        verbose_name = _("melder")
        verbose_name_plural = _("melders")

    def __str__(self) -> str:
        return f"melder van {self.signal_id}"
