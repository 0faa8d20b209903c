"""In-app messages to one account (also sent by e-mail): assignments, passed deadlines."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.core.gate import GatedQuerySet

if TYPE_CHECKING:
    from weerbaar.accounts.models import User


class NotificationQuerySet(GatedQuerySet):
    def visible_to(self, user: User) -> Self:
        return self.filter(recipient=user)

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notifications"
    )
    created_at = models.DateTimeField(_("tijdstip"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("soort"), max_length=30)
    text = models.CharField(
        _("bericht"), max_length=300, help_text=_("Zonder inhoud van signalen: alleen een kenmerk.")
    )
    link = models.CharField(_("link"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("gelezen op"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")

    def __str__(self) -> str:
        return self.text
