"""The agenda: items (a signal, a case or a topic), who may see each, the decision and
the action items that follow."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weerbaar.core.gate import GatedQuerySet

from ..decisions import DecisionKind
from .meeting import Meeting

if TYPE_CHECKING:
    from weerbaar.accounts.models import User


class ItemKind(models.TextChoices):
    SIGNAL = "signaal", _("Signaal")
    CASE = "casus", _("Casus")
    TOPIC = "onderwerp", _("Onderwerp")


class AgendaItemQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        """Preparers: every item. A partner: only items shared with its organisation."""
        meetings = Meeting.objects.for_user(user)
        items = self.filter(meeting__in=meetings)
        if user.partner_organisation_id:
            return items.filter(shared_with=user.partner_organisation_id)
        return items


class AgendaItem(models.Model):
    personal_data = True

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    kind = models.CharField(_("soort"), max_length=10, choices=ItemKind.choices)
    signal = models.ForeignKey(
        "signals.Signal",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="lio_items",
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="lio_items"
    )
    title = models.CharField(_("onderwerp"), max_length=200)
    summary = models.TextField(
        _("toelichting voor het overleg"),
        blank=True,
        help_text=_("Wat de deelnemers die dit punt mogen zien, te lezen krijgen."),
    )
    shared_with = models.ManyToManyField(
        "organisations.PartnerOrganisation",
        blank=True,
        related_name="+",
        verbose_name=_("zichtbaar voor"),
    )

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "signal"],
                condition=Q(signal__isnull=False),
                name="lio_item_signal_once",
            ),
            models.UniqueConstraint(
                fields=["meeting", "case"],
                condition=Q(case__isnull=False),
                name="lio_item_case_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ItemPartQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        return self.filter(item__in=AgendaItem.objects.for_user(user))


class Decision(models.Model):
    """What the LIO decided on one item, and why."""

    personal_data = True

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="decision")
    kind = models.CharField(_("besluit"), max_length=20, choices=DecisionKind.choices)
    rationale = models.TextField(_("onderbouwing"))
    partner = models.ForeignKey(
        "organisations.PartnerOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overgedragen aan"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("casus"),
    )
    inspection = models.ForeignKey(
        "inspections.Inspection",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("controle"),
    )
    decided_at = models.DateTimeField(_("besloten op"))
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ItemPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.item_id})"


class ActionItemQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        meetings = Meeting.objects.for_user(user)
        rows = self.filter(meeting__in=meetings)
        if user.partner_organisation_id:
            shared_items = AgendaItem.objects.for_user(user).values("pk")
            return rows.filter(
                Q(owner_organisation_id=user.partner_organisation_id)
                | Q(owner=user)
                | Q(item__in=shared_items)
            )
        return rows


class ActionItem(models.Model):
    personal_data = True

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="action_items",
        verbose_name=_("agendapunt"),
    )
    description = models.CharField(_("actie"), max_length=300)
    owner = models.ForeignKey(
        "accounts.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lio_actions",
        verbose_name=_("eigenaar"),
    )
    owner_organisation = models.ForeignKey(
        "organisations.PartnerOrganisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("of partnerorganisatie"),
    )
    due_on = models.DateField(_("uiterlijk"))
    done_at = models.DateTimeField(_("afgerond op"), null=True, blank=True)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["done_at", "due_on", "pk"]
        verbose_name = _("actiepunt")
        verbose_name_plural = _("actiepunten")

    def __str__(self) -> str:
        return self.description
