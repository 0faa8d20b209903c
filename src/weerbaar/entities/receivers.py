"""Link a subject to entities whenever it is saved (signal intake, triage, cases)."""

from __future__ import annotations

from typing import Any


def subject_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    from .actions import link_quietly

    if not raw:
        link_quietly(instance)
