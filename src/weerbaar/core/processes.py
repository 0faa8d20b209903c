"""Worker processes of our own (``spawn``): set up Django on the parent's database.

Imported by the child before Django is set up, so nothing here may import models.
"""

from __future__ import annotations


def setup_django(database: str) -> None:
    """``initializer`` of a process pool: Django, on the very database the parent uses (under
    the tests that is not the one the settings name)."""
    import django

    django.setup()
    from django.db import connections

    connections["default"].settings_dict["NAME"] = database


def in_memory(name: str) -> bool:
    """Whether a SQLite database name is an in-memory database (one process only)."""
    return name in ("", ":memory:") or name.startswith("file:memorydb") or "mode=memory" in name


def reachable_from_another_process() -> bool:
    """PostgreSQL, or SQLite in a file: a worker process can open the same database."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return True
    return connection.vendor == "sqlite" and not in_memory(str(connection.settings_dict["NAME"]))
