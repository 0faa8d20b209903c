"""What runs after a registry import has been committed (e.g. rebuilding a lookup index).

Other modules append a callable to ``AFTER_IMPORT``; it gets the dataset name
(``kvk_vestigingen``, ``kvk_functionarissen`` or ``bag_adressen``) and the finished
``RegistryImport``. Each hook runs even if an earlier one failed; the import itself is
committed by then, so a failure is reported as such, not as a failed import.

A hook may limit itself to the run's own changes (``changed_nothing``, ``since``) only when
the hooks of every earlier run of the dataset finished. So a run is marked
``after_import_pending`` while the hooks run (and stays so when the process is killed, or
when no hook is registered, or when one fails: its ``message`` then says which);
``catching_up`` then tells the next run's hooks to redo everything, and once they all succeed
the marks are cleared.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.db import models

from ..models import RegistryImport

AfterImport = Callable[[str, RegistryImport], None]

AFTER_IMPORT: list[AfterImport] = []

FAILED = "de import is gelukt, maar de verwerking daarna ({dataset}) niet: "

logger = logging.getLogger(__name__)


class HookFailed(Exception):
    """One or more hooks raised; the message names them (in Dutch)."""


def after_import(dataset: str, registry_import: RegistryImport) -> None:
    redo = catching_up(dataset, registry_import)
    _mark(registry_import, pending=True)
    if not AFTER_IMPORT:
        return
    failed = []
    for hook in AFTER_IMPORT:
        try:
            hook(dataset, registry_import)
        except Exception as exc:
            logger.exception("after_import hook %r failed", hook)
            failed.append(f"{getattr(hook, '__module__', '?')}: {type(exc).__name__}: {exc}")
    if failed:
        message = FAILED.format(dataset=dataset) + "; ".join(failed)
        _mark(registry_import, pending=True, message=message[:2000])
        raise HookFailed(message)
    _mark(registry_import, pending=False)
    if redo:  # every hook redid everything: what earlier runs left undone is done now
        _marked(dataset, registry_import).update(after_import_pending=False)


def _mark(registry_import: RegistryImport, *, pending: bool, message: str | None = None) -> None:
    changes: dict[str, object] = {"after_import_pending": pending}
    if message is not None:
        changes["message"] = message
    for name, value in changes.items():
        setattr(registry_import, name, value)
    if registry_import.pk:
        RegistryImport.objects.filter(pk=registry_import.pk).update(**changes)


def _marked(dataset: str, registry_import: RegistryImport) -> models.QuerySet[RegistryImport]:
    return RegistryImport.objects.filter(
        dataset=dataset,
        status=RegistryImport.Status.DONE,
        pk__lt=registry_import.pk,
        after_import_pending=True,
    )


def catching_up(dataset: str, registry_import: RegistryImport | None) -> bool:
    """True when the hooks must redo everything: no run given, or an earlier finished run of
    the dataset whose after-import work failed, was cut off or did not run."""
    if registry_import is None or registry_import.pk is None:
        return True
    return _marked(dataset, registry_import).exists()


def changed_nothing(dataset: str, registry_import: RegistryImport | None) -> bool:
    """The run added, changed and ended no row, and nothing earlier is left to catch up."""
    if registry_import is None or catching_up(dataset, registry_import):
        return False
    return not (registry_import.inserted or registry_import.updated or registry_import.ended)


def since(dataset: str, registry_import: RegistryImport | None) -> datetime | None:
    """Rows the run inserted or changed have ``changed_at`` at or after this moment; ``None``
    when everything must be redone.

    The importer stamps every row it writes with one time taken inside its transaction, after
    the run started; an earlier run's rows are older."""
    if registry_import is None or catching_up(dataset, registry_import):
        return None
    return registry_import.started_at
