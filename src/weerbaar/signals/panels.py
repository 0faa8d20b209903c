"""Other modules add a panel to the signal page (e.g. enrichment from the registers) through
here, so the signals app does not import them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.http import HttpRequest

Panel = Callable[[HttpRequest, Any, Sequence[Any]], dict[str, Any] | None]
PANELS: list[Panel] = []


def register(panel: Panel) -> Panel:
    if panel not in PANELS:
        PANELS.append(panel)
    return panel


def panels_for(request: HttpRequest, signal: Any, subjects: Sequence[Any]) -> list[dict[str, Any]]:
    """Each returns {"template": ..., **context} or None when it has nothing to show."""
    return [p for p in (panel(request, signal, subjects) for panel in PANELS) if p]
