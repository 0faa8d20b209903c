"""LIO meetings: a recurring series, single meetings, who takes part and on what basis."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.roles import Perm
from weerbaar.core.gate import GatedQuerySet

if TYPE_CHECKING:
    from weerbaar.accounts.models import User


class Recurrence(models.TextChoices):
    MONTHLY_WEEKDAY = "maandelijks_weekdag", _("Elke maand, zelfde weekdag (bijv. 2e dinsdag)")
    EVERY_FOUR_WEEKS = "vierwekelijks", _("Elke vier weken")
    EVERY_TWO_WEEKS = "tweewekelijks", _("Elke twee weken")


class SeriesQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        if user.has_role_perm(Perm.LIO_PREPARE) and user.municipality_id:
            return self.filter(municipality_id=user.municipality_id)
        return self.none()


class MeetingSeries(models.Model):
    municipality = models.ForeignKey(
        "organisations.Municipality", on_delete=models.PROTECT, related_name="lio_series"
    )
    name = models.CharField(_("naam"), max_length=200)
    recurrence = models.CharField(
        _("herhaling"),
        max_length=30,
        choices=Recurrence.choices,
        default=Recurrence.MONTHLY_WEEKDAY,
    )
    first_starts_at = models.DateTimeField(_("eerste overleg"))
    duration_minutes = models.PositiveSmallIntegerField(_("duur (minuten)"), default=120)
    location = models.CharField(_("locatie"), max_length=200, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    objects = SeriesQuerySet.as_manager()

    class Meta:
        verbose_name = _("LIO-reeks")
        verbose_name_plural = _("LIO-reeksen")

    def __str__(self) -> str:
        return self.name


class MeetingStatus(models.TextChoices):
    PLANNED = "gepland", _("Gepland")
    HELD = "gehouden", _("Gehouden")
    FINAL = "vastgesteld", _("Verslag vastgesteld")
    CANCELLED = "geannuleerd", _("Geannuleerd")


class MeetingQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        """Preparers: their municipality's meetings. Partners: meetings their organisation
        takes part in (what they see of the agenda is decided per item)."""
        if user.has_role_perm(Perm.LIO_PREPARE) and user.municipality_id:
            return self.filter(municipality_id=user.municipality_id)
        if user.partner_organisation_id and user.has_role_perm(Perm.MODULE_LIO):
            taking_part = MeetingOrganisation.objects.filter(
                organisation_id=user.partner_organisation_id
            ).values("meeting_id")
            return self.filter(pk__in=taking_part)
        return self.none()


class Meeting(models.Model):
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        related_name="lio_meetings",
        verbose_name=_("gemeente"),
    )
    series = models.ForeignKey(
        MeetingSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    title = models.CharField(_("titel"), max_length=200)
    starts_at = models.DateTimeField(_("aanvang"), db_index=True)
    location = models.CharField(_("locatie"), max_length=200, blank=True)
    chair = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voorzitter"),
    )
    teams = models.ManyToManyField(
        "organisations.Team", blank=True, related_name="lio_meetings", verbose_name=_("teams")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    is_demo = models.BooleanField(default=False, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("LIO")
        verbose_name_plural = _("LIO's")

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d-%m-%Y})"


class MeetingPartQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        return self.filter(meeting__in=Meeting.objects.for_user(user))


class MeetingOrganisation(models.Model):
    """A partner organisation taking part, with the legal basis on which it may receive items."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="organisations")
    organisation = models.ForeignKey(
        "organisations.PartnerOrganisation",
        on_delete=models.PROTECT,
        related_name="lio_meetings",
        verbose_name=_("partnerorganisatie"),
    )
    legal_basis = models.CharField(
        _("grondslag voor delen"),
        max_length=300,
        help_text=_("Bijvoorbeeld: partij bij het RIEC-convenant; art. 16 Wpg."),
    )

    objects = MeetingPartQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organisation"], name="lio_meeting_org_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class Attendee(models.Model):
    """A person invited: a colleague or someone of a participating partner."""

    personal_data = True

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="+", verbose_name=_("persoon")
    )
    present = models.BooleanField(_("aanwezig"), default=False)

    objects = MeetingPartQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="lio_attendee_unique")
        ]

    def __str__(self) -> str:
        return str(self.user)
