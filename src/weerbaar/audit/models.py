"""The audit log: append-only, one hash chain per municipality plus one for the platform."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any, NoReturn, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.roles import Perm, Scope
from weerbaar.core.gate import GatedQuerySet, InternalQuerySet

if TYPE_CHECKING:
    from weerbaar.accounts.models import User

GENESIS_HASH = "0" * 64
PLATFORM_CHAIN = "platform"


class Action(models.TextChoices):
    LOGIN = "login", _("Ingelogd")
    LOGIN_FAILED = "login_failed", _("Inloggen mislukt")
    LOCKED_OUT = "locked_out", _("Account geblokkeerd")
    SECOND_FACTOR_FAILED = "otp_failed", _("Tweede factor onjuist")
    LOGOUT = "logout", _("Uitgelogd")
    CREATE = "create", _("Aangemaakt")
    UPDATE = "update", _("Gewijzigd")
    DELETE = "delete", _("Verwijderd")
    READ = "read", _("Ingezien")
    EXPORT = "export", _("Geëxporteerd")
    IMPORT = "import", _("Geïmporteerd")


class AuditChain(models.Model):
    """The head of one hash chain; locked while an entry is appended so the chain cannot fork."""

    key = models.CharField(max_length=20, unique=True)
    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    objects = InternalQuerySet.as_manager()

    def __str__(self) -> str:
        return self.key


class AppendOnlyQuerySet(GatedQuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit log is append-only.")

    def delete(self) -> NoReturn:
        raise PermissionError("The audit log is append-only.")


class AuditEntryQuerySet(AppendOnlyQuerySet):
    def visible_to(self, user: User) -> Self:
        if not user.has_role_perm(Perm.VIEW_AUDIT_LOG):
            return self.none()
        if user.scope is Scope.PLATFORM:
            return self.all()
        if user.municipality_id is None:
            return self.none()
        return self.filter(municipality_id=user.municipality_id)


class AuditEntry(models.Model):
    personal_data = True  # who did what: viewing the log is itself logged

    chain = models.CharField(_("keten"), max_length=20)
    sequence = models.PositiveBigIntegerField(_("volgnummer"))
    timestamp = models.DateTimeField(_("tijdstip"), db_index=True)
    action = models.CharField(_("handeling"), max_length=20, choices=Action.choices)
    # Plain values, not foreign keys: the entry must read the same after an account is gone.
    actor_id = models.BigIntegerField(_("account-id"), null=True, blank=True, db_index=True)
    actor_label = models.CharField(_("account"), max_length=150, blank=True)
    organisation = models.CharField(_("organisatie"), max_length=200, blank=True)
    municipality = models.ForeignKey(
        "organisations.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("gemeente"),
    )
    object_type = models.CharField(_("soort gegeven"), max_length=100, blank=True)
    object_id = models.CharField(_("id"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("omschrijving"), max_length=200, blank=True)
    changed_fields = models.JSONField(_("gewijzigde velden"), default=list, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)
    purpose = models.CharField(_("doel"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP-adres"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-timestamp", "-id"]
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        constraints = [
            models.UniqueConstraint(fields=["chain", "sequence"], name="audit_chain_sequence"),
        ]
        indexes = [models.Index(fields=["municipality", "-timestamp"])]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("The audit log is append-only.")

    def canonical(self) -> bytes:
        """The fields the hash covers, in a fixed serialisation."""
        payload = {
            "chain": self.chain,
            "sequence": self.sequence,
            "timestamp": self.timestamp.isoformat(timespec="microseconds"),
            "action": self.action,
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "organisation": self.organisation,
            "municipality_id": self.municipality_id,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "changed_fields": self.changed_fields,
            "detail": self.detail,
            "purpose": self.purpose,
            "ip_address": self.ip_address,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode()

    def compute_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()
