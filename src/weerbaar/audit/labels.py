"""Readable Dutch names for the technical labels stored in audit entries."""

from __future__ import annotations

from functools import cache

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

EXTRA_FIELDS = {
    "second_factor": "tweede factor",
    "password": "wachtwoord",
    "password_link": "wachtwoordlink verstuurd",
    "municipalities/regions": "gemeenten/regio's",
    "municipalities": "gemeenten",
}


@cache
def object_type_label(label: str) -> str:
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return label
    return str(model._meta.verbose_name).capitalize()


def field_labels(label: str, fields: list[str]) -> list[str]:
    return [_field_label(label, name) for name in fields]


@cache
def _field_label(label: str, name: str) -> str:
    if name in EXTRA_FIELDS:
        return EXTRA_FIELDS[name]
    try:
        model = apps.get_model(label)
        field = model._meta.get_field(name.removesuffix("_id"))
    except (LookupError, ValueError, FieldDoesNotExist):
        return name
    return str(getattr(field, "verbose_name", name))


def object_type_choices() -> list[tuple[str, str]]:
    """The models of Weerbaar, for filtering the log by kind of record."""
    models = [m for m in apps.get_models() if m.__module__.startswith("weerbaar.")]
    return sorted(
        ((m._meta.label, object_type_label(m._meta.label)) for m in models), key=lambda c: c[1]
    )
