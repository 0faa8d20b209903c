"""What runs after a registry import has been committed (e.g. rebuilding a lookup index).

Other modules append a callable to ``AFTER_IMPORT``; it gets the dataset name
(``kvk_vestigingen``, ``kvk_functionarissen`` or ``bag_adressen``) and the finished
``RegistryImport``. Each hook runs even if an earlier one failed; the import itself is
committed by then, so a failure is reported as such, not as a failed import.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ..models import RegistryImport

AfterImport = Callable[[str, RegistryImport], None]

AFTER_IMPORT: list[AfterImport] = []

logger = logging.getLogger(__name__)


class HookFailed(Exception):
    """One or more hooks raised; the message names them (in Dutch)."""


def after_import(kind: str, registry_import: RegistryImport) -> None:
    failed = []
    for hook in AFTER_IMPORT:
        try:
            hook(kind, registry_import)
        except Exception as exc:
            logger.exception("after_import hook %r failed", hook)
            failed.append(f"{getattr(hook, '__module__', '?')}: {type(exc).__name__}: {exc}")
    if failed:
        raise HookFailed(
            "de import is gelukt, maar de verwerking daarna niet: " + "; ".join(failed)
        )
