"""System check: every concrete model of a Weerbaar app has the read gate on its default manager."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.checks import Error, register


@register()
def read_gate_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    errors = []
    for model in apps.get_models():
        if not model.__module__.startswith("weerbaar.") or model._meta.abstract:
            continue
        manager = model._default_manager
        if not hasattr(manager, "for_user"):
            errors.append(
                Error(
                    f"{model._meta.label} has no read gate: its default manager lacks for_user().",
                    hint="Use a GatedQuerySet subclass as the model's manager.",
                    obj=model,
                    id="weerbaar.E001",
                )
            )
    return errors
