from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weerbaar.core.gate import GatedQuerySet

if TYPE_CHECKING:
    from weerbaar.accounts.models import User


class PhenomenonQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        """The national taxonomy, plus the additions of one's own municipality."""
        return self.filter(Q(municipality__isnull=True) | Q(municipality_id=user.municipality_id))


class Phenomenon(models.Model):
    """A kind of undermining crime, with a 'signal card': what to look out for."""

    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("naam"), max_length=100)
    guidance = models.TextField(
        _("signaalkaart"), blank=True, help_text=_("Waar let een medewerker op bij dit fenomeen?")
    )
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="phenomena",
        verbose_name=_("gemeente"),
        help_text=_("Leeg voor de landelijke lijst; gevuld voor een aanvulling van één gemeente."),
    )
    order = models.PositiveSmallIntegerField(_("volgorde"), default=100)
    is_active = models.BooleanField(_("in gebruik"), default=True)

    objects = PhenomenonQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("fenomeen")
        verbose_name_plural = _("fenomenen")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(municipality__isnull=True),
                name="phenomenon_national_code",
            ),
            models.UniqueConstraint(fields=["municipality", "code"], name="phenomenon_local_code"),
        ]

    def __str__(self) -> str:
        return self.name
