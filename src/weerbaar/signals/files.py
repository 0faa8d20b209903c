"""Checking uploaded files on their real type (magic bytes), not on their name."""

from __future__ import annotations

import zipfile
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALLOWED = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG-foto",
    "image/png": "PNG-afbeelding",
    "image/heic": "HEIC-foto",
    "image/webp": "WebP-afbeelding",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word-document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel-werkblad",
    "text/plain": "tekst",
}
OFFICE = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff(handle: IO[bytes]) -> str | None:
    """The real content type of a file, or None when it is not one we accept."""
    handle.seek(0)
    head = handle.read(8192)
    handle.seek(0)
    kind = filetype.guess(head)
    if kind is not None and kind.mime in ALLOWED:
        return str(kind.mime)
    if kind is not None and kind.mime == "application/zip":
        try:
            with zipfile.ZipFile(handle) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return None
        finally:
            handle.seek(0)
        if "[Content_Types].xml" in names:
            for prefix, mime in OFFICE.items():
                if any(n.startswith(prefix) for n in names):
                    return mime
        return None
    if kind is None and b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A character cut off at the end of the sample is fine; anything earlier is not text.
            if exc.start < len(head) - 3:
                return None
        return "text/plain"
    return None


def check_upload(upload: IO[bytes], size: int) -> str:
    """Refuse files that are too large or not of an accepted type; return the real type."""
    if size > settings.SIGNAL_ATTACHMENT_MAX_BYTES:
        limit = settings.SIGNAL_ATTACHMENT_MAX_BYTES // (1024 * 1024)
        raise ValidationError(
            _("Het bestand is groter dan {n} MB.").format(n=limit), code="too_large"
        )
    content_type = sniff(upload)
    if content_type is None:
        raise ValidationError(
            _("Dit soort bestand kan niet worden toegevoegd. Toegestaan: {kinds}.").format(
                kinds=", ".join(sorted(set(ALLOWED.values())))
            ),
            code="type",
        )
    return content_type


def store_checked_upload(instance: Any, upload: Any) -> None:
    """Check ``upload`` and save it with ``instance`` (a row with ``file``, ``original_name``,
    ``content_type`` and ``size``); the file is removed again if the row cannot be saved."""
    try:
        content_type = check_upload(upload, upload.size)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    instance.original_name = str(getattr(upload, "name", "bestand"))[:200]
    instance.content_type = content_type
    instance.size = upload.size
    instance.file.save("upload", upload, save=False)
    try:
        instance.save()
    except Exception:
        instance.file.delete(save=False)
        raise
