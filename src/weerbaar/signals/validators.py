"""Dutch identifiers, checked with a clear Dutch message and stored in one normal form."""

from __future__ import annotations

import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import postcode as stdnum_postcode

# RDW side codes (sidecodes) 1-14: letters/digits in groups; stored without dashes.
PLATE_PATTERNS = [
    r"[A-Z]{2}\d{2}\d{2}",
    r"\d{2}\d{2}[A-Z]{2}",
    r"\d{2}[A-Z]{2}\d{2}",
    r"[A-Z]{2}\d{2}[A-Z]{2}",
    r"[A-Z]{2}[A-Z]{2}\d{2}",
    r"\d{2}[A-Z]{2}[A-Z]{2}",
    r"\d{2}[A-Z]{3}\d",
    r"\d[A-Z]{3}\d{2}",
    r"[A-Z]{2}\d{3}[A-Z]",
    r"[A-Z]\d{3}[A-Z]{2}",
    r"[A-Z]{3}\d{2}[A-Z]",
    r"[A-Z]\d{2}[A-Z]{3}",
    r"\d[A-Z]{2}\d{3}",
    r"\d{3}[A-Z]{2}\d",
]
PLATE_RE = re.compile("^(" + "|".join(PLATE_PATTERNS) + ")$")


def normalise_postcode(value: str) -> str:
    """'2951 ab' → '2951AB'; a wrong postcode raises a Dutch message."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return str(stdnum_postcode.validate(value)).replace(" ", "")
    except StdnumError as exc:
        raise ValidationError(
            _("Geen geldige postcode: gebruik vier cijfers en twee letters, zoals 3351 AB."),
            code="postcode",
        ) from exc


def normalise_kvk(value: str) -> str:
    value = re.sub(r"[\s.]", "", value or "")
    if value and not re.fullmatch(r"\d{8}", value):
        raise ValidationError(_("Een KvK-nummer bestaat uit 8 cijfers."), code="kvk")
    return value


def normalise_licence_plate(value: str) -> str:
    value = re.sub(r"[\s-]", "", value or "").upper()
    if value and not PLATE_RE.match(value):
        raise ValidationError(
            _("Geen Nederlands kenteken; schrijf het zoals op de plaat, bijvoorbeeld 12-ABC-3."),
            code="plate",
        )
    return value


def not_in_future(value: date | datetime | None) -> None:
    if value is None:
        return
    today = timezone.localdate()
    day = timezone.localtime(value).date() if isinstance(value, datetime) else value
    if day > today:
        raise ValidationError(_("Deze datum ligt in de toekomst."), code="future")
