"""An intervention (interventie) on a case: what was done, on which legal basis, by whom, when.

Read through ``Intervention.objects.for_user(user)``: case workers see the interventions of
the cases they see; a partner only those of cases that share interventions with it.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weerbaar.cases.models import CasePartQuerySet, SharedPart

from .workflow import CLOSURE_KINDS, NEEDS_DECISION, Kind, Status


class InterventionQuerySet(CasePartQuerySet):
    share_part = SharedPart.INTERVENTIONS


class Intervention(models.Model):
    personal_data = True  # about the people and companies of a case (criminal-law data)

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="interventions")
    kind = models.CharField(_("soort interventie"), max_length=30, choices=Kind.choices)
    legal_basis = models.CharField(
        _("wettelijke grondslag"),
        max_length=300,
        blank=True,  # required, but checked in clean() with a clearer message
        help_text=_(
            "Ingevuld vanuit de soort; maak hem zo nodig preciezer (artikel, beleidsregel)."
        ),
    )
    description = models.CharField(
        _("omschrijving"),
        max_length=300,
        blank=True,
        help_text=_("Bijvoorbeeld: sluiting bedrijfspand Industrieweg 7."),
    )
    executor = models.ForeignKey(
        "organisations.PartnerOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions",
        verbose_name=_("uitvoerende organisatie"),
        help_text=_("Leeg: de gemeente zelf."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PREPARATION
    )
    decided_on = models.DateField(_("besluitdatum"), null=True, blank=True)
    outcome = models.TextField(_("uitkomst"), blank=True)
    objection_on = models.DateField(_("bezwaar ingediend op"), null=True, blank=True)
    appeal_on = models.DateField(_("beroep ingesteld op"), null=True, blank=True)
    starts_on = models.DateField(_("sluiting gaat in op"), null=True, blank=True)
    ends_on = models.DateField(_("sluiting eindigt op"), null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("geregistreerd op"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = InterventionQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("interventie")
        verbose_name_plural = _("interventies")
        indexes = [models.Index(fields=["case", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case_id})"

    @property
    def is_closure(self) -> bool:
        return self.kind in CLOSURE_KINDS

    @property
    def executor_label(self) -> str:
        return str(self.executor) if self.executor_id else str(_("de gemeente zelf"))

    def ends_soon(self, today: date | None = None) -> bool:
        """A running closure whose end is within the reminder period (or passed today)."""
        if not self.is_closure or self.ends_on is None:
            return False
        if self.status not in (Status.DECIDED, Status.EXECUTING):
            return False
        today = today or timezone.localdate()
        return (self.ends_on - today).days <= settings.INTERVENTION_CLOSURE_REMINDER_DAYS

    def clean(self) -> None:
        """Dates in the order they happen in; a closure period only on a closure."""
        errors: dict[str, str] = {}
        today = timezone.localdate()
        decided, objection, appeal = self.decided_on, self.objection_on, self.appeal_on
        if decided and decided > today:
            errors["decided_on"] = str(_("De besluitdatum ligt in de toekomst."))
        if self.status in NEEDS_DECISION and not decided:
            errors["decided_on"] = str(
                _("Vul de besluitdatum in: met status '{status}' is er een besluit.").format(
                    status=self.get_status_display()
                )
            )
        if objection:
            if objection > today:
                errors["objection_on"] = str(_("De datum van het bezwaar ligt in de toekomst."))
            elif not decided:
                errors["objection_on"] = str(
                    _("Bezwaar kan alleen tegen een besluit: vul eerst de besluitdatum in.")
                )
            elif objection < decided:
                errors["objection_on"] = str(
                    _("Het bezwaar kan niet eerder zijn ingediend dan het besluit is genomen.")
                )
        if appeal:
            if appeal > today:
                errors["appeal_on"] = str(_("De datum van het beroep ligt in de toekomst."))
            elif not decided:
                errors["appeal_on"] = str(
                    _("Beroep kan alleen tegen een besluit: vul eerst de besluitdatum in.")
                )
            elif appeal < decided:
                errors["appeal_on"] = str(
                    _("Het beroep kan niet eerder zijn ingesteld dan het besluit is genomen.")
                )
            elif objection and appeal < objection:
                errors["appeal_on"] = str(
                    _("Het beroep kan niet eerder zijn ingesteld dan het bezwaar.")
                )
        if not self.is_closure and (self.starts_on or self.ends_on):
            errors["starts_on"] = str(
                _(
                    "Alleen een sluiting (art. 13b Opiumwet of art. 174a Gemeentewet) heeft een periode."
                )
            )
        elif self.ends_on and not self.starts_on:
            errors["starts_on"] = str(_("Vul in wanneer de sluiting ingaat."))
        elif self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            errors["ends_on"] = str(_("De sluiting moet eindigen na de dag waarop hij ingaat."))
        if not self.legal_basis.strip():
            errors["legal_basis"] = str(_("Vermeld de wettelijke grondslag van de interventie."))
        if errors:
            raise ValidationError(errors)
