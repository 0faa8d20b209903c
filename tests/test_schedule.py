"""Periodic jobs: queued when due, once per interval, and they do their housekeeping."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from weerbaar.core.schedule import JOBS, run_due_jobs

pytestmark = pytest.mark.django_db


def test_jobs_are_queued_once_per_interval(django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert set(run_due_jobs(now)) == set(JOBS)
    assert run_due_jobs(now + timedelta(minutes=10)) == []
    hourly = {name for name, job in JOBS.items() if job.every <= timedelta(hours=1)}
    assert "clear_expired_sessions" in hourly and "prune_task_results" not in hourly
    assert set(run_due_jobs(now + timedelta(hours=1, seconds=1))) == hourly
    assert set(run_due_jobs(now + timedelta(days=1, hours=2))) == set(JOBS)


def test_clear_expired_sessions_job_removes_only_expired_ones(django_capture_on_commit_callbacks):
    live, dead = SessionStore(), SessionStore()
    live.create()
    dead.create()
    Session.objects.filter(session_key=dead.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        run_due_jobs()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]


def test_run_schedule_command(capsys):
    call_command("run_schedule")
    assert "in de wachtrij: clear_expired_sessions" in capsys.readouterr().out
    assert set(JOBS) >= {"clear_expired_sessions", "prune_task_results"}
