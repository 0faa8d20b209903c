"""A case (casus): signals worked up into an approach with partners, until it is closed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.roles import Perm
from weerbaar.core import gate
from weerbaar.core.gate import GatedQuerySet, InternalQuerySet

from ..workflow import OPEN_PHASES, Phase, Result, RiecStatus

if TYPE_CHECKING:
    from weerbaar.accounts.models import User


class CaseQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        """Case workers: their municipality's cases, restricted ones only when on the team.
        Partners: the cases their organisation is on now, nothing else."""
        if user.has_role_perm(Perm.CASES_WORK) and user.municipality_id:
            team = CaseMember.objects.filter(user=user).values("case_id")
            return self.filter(municipality_id=user.municipality_id).filter(
                Q(restricted=False) | Q(lead=user) | Q(pk__in=team)
            )
        if user.partner_organisation_id:
            return self.filter(pk__in=CasePartner.active_for(user.partner_organisation_id))
        return self.none()

    def open(self) -> Self:
        return self.filter(phase__in=OPEN_PHASES)


class Case(models.Model):
    personal_data = True

    reference = models.CharField(_("casusnummer"), max_length=30, unique=True, editable=False)
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("gemeente"),
    )
    title = models.CharField(_("titel"), max_length=200)
    summary = models.TextField(_("samenvatting"), blank=True)
    phase = models.CharField(
        _("fase"), max_length=20, choices=Phase.choices, default=Phase.EXPLORATION
    )
    lead = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_cases",
        verbose_name=_("casusregisseur"),
    )
    restricted = models.BooleanField(
        _("alleen voor het casusteam"),
        default=False,
        help_text=_("Dan zien alleen de casusregisseur en de leden van het casusteam de casus."),
    )
    signals = models.ManyToManyField(
        "signals.Signal", blank=True, related_name="cases", verbose_name=_("signalen")
    )
    phenomena = models.ManyToManyField(
        "signals.Phenomenon", blank=True, related_name="cases", verbose_name=_("fenomenen")
    )
    review_on = models.DateField(
        _("bespreken in LIO vanaf"),
        null=True,
        blank=True,
        help_text=_("Vanaf deze datum komt de casus op de agenda van het volgende LIO."),
    )
    riec_referred_on = models.DateField(_("ingebracht bij RIEC op"), null=True, blank=True)
    riec_reference = models.CharField(_("RIEC-kenmerk"), max_length=50, blank=True)
    riec_status = models.CharField(
        _("RIEC-status"), max_length=20, choices=RiecStatus.choices, blank=True
    )
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    result = models.CharField(_("resultaat"), max_length=20, choices=Result.choices, blank=True)
    result_note = models.TextField(_("toelichting op het resultaat"), blank=True)
    retain_until = models.DateField(_("bewaren tot"), null=True, blank=True, db_index=True)
    legal_hold = models.BooleanField(_("niet verwijderen (juridische blokkade)"), default=False)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    is_demo = models.BooleanField(_("demogegevens"), default=False, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("casus")
        verbose_name_plural = _("casussen")
        indexes = [
            models.Index(fields=["municipality", "phase", "-created_at"]),
            models.Index(fields=["municipality", "-created_at"]),
            # Newest first across municipalities: a partner's list (its cases in many
            # municipalities) walks this instead of sorting all cases.
            models.Index(fields=["-created_at", "-id"], name="case_newest_first_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_closed(self) -> bool:
        return self.phase == Phase.CLOSED


class CaseCounter(models.Model):
    """The last case number per municipality and year."""

    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    objects = InternalQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="case_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}/{self.year}: {self.last}"


class CaseScopedQuerySet(GatedQuerySet):
    """Rows that belong to a case: visible when their case is, narrowed per model by
    ``narrow`` (e.g. to what is shared with a partner)."""

    def visible_to(self, user: User) -> Self:
        return self.narrow(user).filter(case__in=Case.objects.for_user(user))

    def narrow(self, user: User) -> Self:
        return self.all()

    def of_case(self, user: Any, case: Case) -> Self:
        """The rows of one case the user may see. When the case itself was read through the
        case gate for this user, the case rule is not repeated as a subquery (the case page
        reads eight kinds of rows of one case); otherwise the full rule applies."""
        if not gate.passed(case, user):
            return self.for_user(user).filter(case=case)
        return self.narrow(user).filter(case=case)


class CaseMemberQuerySet(CaseScopedQuerySet):
    def narrow(self, user: User) -> Self:
        return self.all() if user.has_role_perm(Perm.CASES_WORK) else self.none()


class CaseMember(models.Model):
    """A colleague on the case team (with access to a restricted case)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")

    objects = CaseMemberQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_member_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.case_id}"


class SharedPart(models.TextChoices):
    """The parts of a case that can be shared with a partner, each on its own."""

    SUBJECTS = "subjects", _("Betrokkenen")
    TASKS = "tasks", _("Taken")
    DOCUMENTS = "documents", _("Documenten")
    INTERVENTIONS = "interventions", _("Interventies")


class CasePartnerQuerySet(CaseScopedQuerySet):
    def narrow(self, user: User) -> Self:
        """Who else is on a case is known to case workers; a partner sees its own row only."""
        if user.partner_organisation_id:
            return self.filter(organisation_id=user.partner_organisation_id, removed_at=None)
        return self.all()


class CasePartner(models.Model):
    """A partner organisation on a case, with what is shared with it and on what basis."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        "organisations.PartnerOrganisation",
        on_delete=models.PROTECT,
        related_name="case_memberships",
        verbose_name=_("partnerorganisatie"),
    )
    legal_basis = models.CharField(
        _("grondslag voor delen"),
        max_length=300,
        help_text=_("Bijvoorbeeld: partij bij het RIEC-convenant, art. 16 Wpg."),
    )
    share_subjects = models.BooleanField(_("betrokkenen delen"), default=False)
    share_tasks = models.BooleanField(_("taken delen"), default=False)
    share_documents = models.BooleanField(_("documenten delen"), default=False)
    share_interventions = models.BooleanField(_("interventies delen"), default=False)
    added_at = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)
    added_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    removed_at = models.DateTimeField(_("van de casus gehaald op"), null=True, blank=True)

    objects = CasePartnerQuerySet.as_manager()

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("partner op de casus")
        verbose_name_plural = _("partners op de casus")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "organisation"],
                condition=Q(removed_at=None),
                name="case_partner_active_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} op {self.case_id}"

    @classmethod
    def active_for(cls, organisation_id: int, part: str = "") -> models.QuerySet[Any, Any]:
        """The ids of the cases an organisation is on now (and that share ``part`` with it)."""
        rows = cls.objects.filter(organisation_id=organisation_id, removed_at=None)
        if part:
            rows = rows.filter(**{f"share_{SharedPart(part).value}": True})
        return rows.values("case_id")

    def shares(self, part: str) -> bool:
        return bool(getattr(self, f"share_{SharedPart(part).value}"))

    @property
    def shared_parts(self) -> list[str]:
        return [str(label) for value, label in SharedPart.choices if self.shares(value)]


class PhaseChange(models.Model):
    """Append-only history of a case's phase."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="phase_history")
    at = models.DateTimeField(_("tijdstip"))
    from_phase = models.CharField(_("van"), max_length=20, choices=Phase.choices, blank=True)
    to_phase = models.CharField(_("naar"), max_length=20, choices=Phase.choices)
    by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(_("toelichting"), max_length=500, blank=True)

    objects = InternalQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_phase} → {self.to_phase}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("Phase history is append-only.")
        super().save(*args, **kwargs)


__all__ = ["Result", "RiecStatus"]
