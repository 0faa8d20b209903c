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
