"""Anonymous reporting: a reporter code instead of an identity, and what the reporter adds."""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from weerbaar.core.gate import InternalQuerySet

from .signal import Signal, SignalPartQuerySet

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I


def new_reporter_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def hash_reporter_code(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch in CODE_ALPHABET)
    return hashlib.sha256(normalised.encode()).hexdigest()


class ReporterCode(models.Model):
    """The hash of the code an anonymous reporter got; it dies with the signal."""

    signal = models.OneToOneField(Signal, on_delete=models.CASCADE, related_name="reporter_code")
    code_hash = models.CharField(max_length=64, unique=True)

    objects = InternalQuerySet.as_manager()

    def __str__(self) -> str:
        return f"code van {self.signal_id}"


class SignalAddition(models.Model):
    """Information added later by the reporter (append-only)."""

    personal_data = True

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="additions")
    at = models.DateTimeField(_("tijdstip"))
    text = models.TextField(_("aanvulling"))

    objects = SignalPartQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("aanvulling")
        verbose_name_plural = _("aanvullingen")

    def __str__(self) -> str:
        return f"aanvulling op {self.signal_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            raise PermissionError("Additions are append-only.")
        super().save(*args, **kwargs)
