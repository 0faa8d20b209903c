"""The ``weerbaar`` command: Django's management commands under friendlier names.

weerbaar demo                 migrate, load reference and demo data, print the demo accounts
weerbaar serve                serve the app on 127.0.0.1:8000 with a background worker
weerbaar worker               run background tasks (production: one or more processes)
weerbaar import-boundaries F  import CBS/PDOK boundary GeoJSON
weerbaar verify-audit-log     check the audit log's hash chains
weerbaar demo-code USER       the current second-factor code of a demo account
weerbaar <other>              any other management command (migrate, check, ...)
"""

from __future__ import annotations

import os
import sys

ALIASES = {"worker": "db_worker"}


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weerbaar.settings.base")
    if not args or args[0] in {"-h", "--help", "help"}:
        print(__doc__)
        return
    command = args[0]
    command = ALIASES.get(command, command.replace("-", "_"))
    from django.core.management import execute_from_command_line

    execute_from_command_line(["weerbaar", command, *args[1:]])


if __name__ == "__main__":
    main()
