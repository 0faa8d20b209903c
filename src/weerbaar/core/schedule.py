"""Periodic background jobs: a registry, and queueing the ones that are due.

Apps register jobs in ``AppConfig.ready`` with :func:`register`. ``weerbaar run-schedule``
queues every due job once (run it every minute from cron or a systemd timer, or keep one
``weerbaar run-schedule --loop`` running; ``weerbaar serve`` does the latter). The row lock on
each job's bookkeeping row keeps two schedulers from queueing the same run twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from .models import ScheduledJobRun


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: timedelta
    task: Any  # a django_tasks Task


JOBS: dict[str, PeriodicJob] = {}


def register(job: PeriodicJob) -> None:
    JOBS[job.name] = job


def run_due_jobs(now: datetime | None = None) -> list[str]:
    """Queue every job whose interval has passed; return their names."""
    now = now or timezone.now()
    queued = []
    for job in JOBS.values():
        with transaction.atomic():
            ScheduledJobRun.objects.get_or_create(name=job.name)
            run = ScheduledJobRun.objects.select_for_update().get(name=job.name)
            if run.last_enqueued_at is not None and now - run.last_enqueued_at < job.every:
                continue
            run.last_enqueued_at = now
            run.save(update_fields=["last_enqueued_at"])
            transaction.on_commit(job.task.enqueue)
            queued.append(job.name)
    return queued
