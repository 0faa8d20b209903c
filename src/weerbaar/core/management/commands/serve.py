"""Serve Weerbaar with waitress, plus a task worker and the scheduler (embedded default)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

HELPERS = (["worker"], ["run-schedule", "--loop"])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """On Linux, let the kernel stop a helper when `serve` itself is killed."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Command(BaseCommand):
    help = "Start de webserver (standaard 127.0.0.1:8000) met achtergrondwerker en planner."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("WEERBAAR_HOST", "127.0.0.1"))
        parser.add_argument(
            "--port", type=int, default=int(os.environ.get("WEERBAAR_PORT", "8000"))
        )
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--no-worker", action="store_true", help="Geen achtergrondwerker en planner starten"
        )

    def handle(
        self, *args: Any, host: str, port: int, threads: int, no_worker: bool, **options: Any
    ) -> None:
        from waitress import serve  # type: ignore[import-untyped]

        call_command("collectstatic", interactive=False, verbosity=0)
        from weerbaar.wsgi import application  # after collectstatic: whitenoise scans once

        helpers: list[subprocess.Popen[bytes]] = []
        database_queue = settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
        if database_queue and not no_worker:
            for command in HELPERS:
                helpers.append(
                    subprocess.Popen(  # noqa: S603 - our own interpreter and command
                        [sys.executable, "-m", "weerbaar.cli", *command],
                        env=os.environ.copy(),
                        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
                    )
                )
        # A service manager stops us with SIGTERM: leave through `finally` so helpers stop too.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        self.stdout.write(f"Weerbaar draait op http://{host}:{port}/  (stoppen: Ctrl+C)")
        try:
            serve(application, host=host, port=port, threads=threads, ident="Weerbaar")
        finally:
            for helper in helpers:
                helper.terminate()
                helper.wait(timeout=10)
