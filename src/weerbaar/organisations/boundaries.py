"""Importing official CBS/PDOK area-division GeoJSON (properties ``statcode`` and ``statnaam``).

The geometry is kept as GeoJSON with its bounding box, so SQLite needs no spatial extension;
shapely repairs invalid source polygons (``make_valid``) before anything is stored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from shapely.geometry import mapping, shape
from shapely.validation import make_valid

from weerbaar.audit.log import Target, record
from weerbaar.audit.models import Action

from .models import Boundary, BoundaryLevel, Municipality, Province, SafetyRegion

LEVEL_BY_PREFIX = {
    "GM": BoundaryLevel.MUNICIPALITY,
    "PV": BoundaryLevel.PROVINCE,
    "VR": BoundaryLevel.SAFETY_REGION,
}
KNOWN_CODES: dict[str, type[Municipality] | type[Province] | type[SafetyRegion]] = {
    "GM": Municipality,
    "PV": Province,
    "VR": SafetyRegion,
}
CODE_RE = re.compile(r"^(GM|PV|VR)\d{2,4}$")


class BoundaryImportError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    repaired: list[str] = field(default_factory=list)


def _parse(raw: bytes) -> list[dict[str, Any]]:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise BoundaryImportError(["Het bestand is geen UTF-8-tekst."]) from exc
    except json.JSONDecodeError as exc:
        raise BoundaryImportError(
            [f"Het bestand is geen geldige GeoJSON (regel {exc.lineno}): {exc.msg}"]
        ) from exc
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise BoundaryImportError(["Het bestand is geen GeoJSON FeatureCollection."])
    features = data.get("features")
    if not isinstance(features, list) or not features:
        raise BoundaryImportError(["Het bestand bevat geen gebieden."])
    return features


def import_boundaries(path: Path, *, year: int | None = None) -> ImportResult:
    """Import a GeoJSON file from disk (see :func:`import_boundary_data`)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BoundaryImportError([f"Het bestand kan niet worden gelezen: {exc.strerror}"]) from exc
    return import_boundary_data(raw, source=path.name, year=year)


def import_boundary_data(raw: bytes, *, source: str, year: int | None = None) -> ImportResult:
    """Validate every feature first; store all of them, or nothing if any is wrong."""
    features = _parse(raw)
    problems: list[str] = []
    known = {
        prefix: set(model.objects.values_list("code", flat=True))
        for prefix, model in KNOWN_CODES.items()
    }
    prepared: list[dict[str, Any]] = []
    result = ImportResult()
    for number, feature in enumerate(features, start=1):
        props = (feature or {}).get("properties") or {}
        code = str(props.get("statcode", "")).strip()
        name = str(props.get("statnaam", "")).strip()
        where = f"gebied {number}" + (f" ({code})" if code else "")
        if not CODE_RE.match(code):
            problems.append(
                f"{where}: ontbrekende of onbekende soort code '{code}' (verwacht GM, PV of VR)."
            )
            continue
        if code not in known[code[:2]]:
            problems.append(
                f"{where}: code {code} komt niet voor in de gemeententabel van Weerbaar."
            )
            continue
        if not name:
            problems.append(f"{where}: de naam (statnaam) ontbreekt.")
            continue
        try:
            geometry = shape(feature["geometry"])
        except Exception:  # shapely raises several types for malformed input
            problems.append(f"{where}: de geometrie is ongeldig of ontbreekt.")
            continue
        if geometry.is_empty:
            problems.append(f"{where}: de geometrie is leeg.")
            continue
        if not geometry.is_valid:
            geometry = make_valid(geometry)
            result.repaired.append(code)
        min_lon, min_lat, max_lon, max_lat = geometry.bounds
        if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
            problems.append(f"{where}: coördinaten zijn geen WGS84 (lengte- en breedtegraden).")
            continue
        prepared.append(
            {
                "code": code,
                "level": LEVEL_BY_PREFIX[code[:2]],
                "name": name,
                "year": year or _year_of(props),
                "geometry": mapping(geometry),
                "min_lon": min_lon,
                "min_lat": min_lat,
                "max_lon": max_lon,
                "max_lat": max_lat,
            }
        )
    if problems:
        raise BoundaryImportError(problems)
    with transaction.atomic():
        for values in prepared:
            code = values.pop("code")
            _obj, created = Boundary.objects.update_or_create(code=code, defaults=values)
            if created:
                result.created += 1
            else:
                result.updated += 1
        record(
            Action.IMPORT,
            actor_label="systeem",
            obj=Target("organisations.Boundary", "", source[:200]),
            detail={
                "created": result.created,
                "updated": result.updated,
                "repaired": result.repaired,
            },
        )
    return result


def _year_of(props: dict[str, Any]) -> int | None:
    match = re.match(r"^(\d{4})", str(props.get("jrstatcode", "")))
    return int(match.group(1)) if match else None
