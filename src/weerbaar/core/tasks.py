"""Housekeeping jobs that keep the database small."""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone
from django_tasks import task

TASK_RESULTS_KEPT = timedelta(days=14)


@task()
def clear_expired_sessions() -> int:
    """Remove sessions past their expiry (Django leaves them in the table)."""
    from django.contrib.sessions.models import Session

    before = Session.objects.count()
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return before - Session.objects.count()


@task()
def prune_task_results() -> int:
    """Remove results of background tasks that finished two weeks ago or earlier."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    old = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED],
        finished_at__lt=timezone.now() - TASK_RESULTS_KEPT,
    )
    deleted, _ = old.delete()
    return deleted
