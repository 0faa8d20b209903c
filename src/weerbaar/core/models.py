"""Shared bookkeeping: when each periodic job was last queued."""

from django.db import models

from .gate import InternalQuerySet


class ScheduledJobRun(models.Model):
    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    objects = InternalQuerySet.as_manager()

    def __str__(self) -> str:
        return self.name
