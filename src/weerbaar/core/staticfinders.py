"""Serve selected files of npm packages (package.json + lockfile) under /static/vendor/.

Only the files listed in ``settings.VENDOR_STATIC`` are exposed, so nothing else from
node_modules ends up in the static folder (and source maps or stray references in other
files cannot break collectstatic).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage


class VendorFinder(BaseFinder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        root = Path(settings.NODE_MODULES)
        self.files: dict[str, Path] = {
            f"vendor/{url}": root / source for url, source in settings.VENDOR_STATIC.items()
        }
        self.storage = FileSystemStorage(location=str(root))
        self.storage.prefix = ""  # type: ignore[attr-defined]

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        missing = [str(path) for path in self.files.values() if not path.is_file()]
        if missing:
            return [
                Error(
                    "Front-end files are missing: " + ", ".join(missing),
                    hint="Run `npm ci` in the repository (see README).",
                    id="weerbaar.E002",
                )
            ]
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        source = self.files.get(path)
        if source is None or not source.is_file():
            return [] if find_all else None
        return [str(source)] if find_all else str(source)

    def list(self, ignore_patterns: Any) -> Any:
        root = Path(settings.NODE_MODULES)
        for url, source in self.files.items():
            if source.is_file():
                storage = _SingleFileStorage(root, source, url)
                yield url, storage


class _SingleFileStorage(FileSystemStorage):
    """Presents one node_modules file under its /static/vendor/ name to collectstatic."""

    def __init__(self, root: Path, source: Path, url: str) -> None:
        super().__init__(location=str(root))
        self._source, self._url = source, url

    def path(self, name: str) -> str:
        return str(self._source) if name == self._url else super().path(name)

    def open(self, name: str, mode: str = "rb") -> Any:
        return (
            super().open(str(self._source.relative_to(Path(self.location))), mode)
            if name == self._url
            else super().open(name, mode)
        )

    def get_modified_time(self, name: str) -> Any:
        return super().get_modified_time(str(self._source.relative_to(Path(self.location))))
