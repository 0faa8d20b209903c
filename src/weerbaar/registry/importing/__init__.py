"""Streaming, idempotent importers for the KvK and BAG files (``docs/registry.md``).

``reading.inspect`` refuses an unusable file before anything is written; ``runner.run_import``
stages the checked rows in a TEMP table and applies them in one transaction.
"""

from .reading import ImportRefused, Source, inspect
from .runner import ImportFailed, run_import

__all__ = ["ImportFailed", "ImportRefused", "Source", "inspect", "run_import"]
