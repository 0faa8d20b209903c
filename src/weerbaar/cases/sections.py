"""Other modules add a section to the case page (interventions, inspections) through here,
so the cases app does not import them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

Section = Callable[[HttpRequest, Any], dict[str, Any] | None]
SECTIONS: list[Section] = []


def register(section: Section) -> Section:
    SECTIONS.append(section)
    return section


def sections_for(request: HttpRequest, case: Any) -> list[dict[str, Any]]:
    """Each returns {"template": ..., **context} or None when it has nothing to show."""
    return [s for s in (section(request, case) for section in SECTIONS) if s]
