"""The municipality reference table shipped with Weerbaar (facts: codes, names, memberships)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify

from weerbaar.audit.log import Target, record
from weerbaar.audit.models import Action

from .models import District, Municipality, Province, Region, SafetyRegion

TABLE = Path(__file__).parent / "data" / "gemeenten.csv"
COLUMNS = [
    "gemeentecode",
    "gemeentenaam",
    "provinciecode",
    "provincienaam",
    "veiligheidsregiocode",
    "veiligheidsregionaam",
    "politie_eenheid",
]


@dataclass(frozen=True)
class MunicipalityRow:
    code: str
    name: str
    province_code: str
    province_name: str
    safety_region_code: str
    safety_region_name: str
    region_name: str


def read_table(path: Path = TABLE) -> list[MunicipalityRow]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != COLUMNS:
            raise ValueError(f"Onverwachte kolommen in {path.name}: {reader.fieldnames}")
        return [MunicipalityRow(*(row[c].strip() for c in COLUMNS)) for row in reader]


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0


@transaction.atomic
def load_reference_data(path: Path = TABLE) -> LoadResult:
    """Create or update provinces, safety regions, RIEC regions, default districts and
    municipalities. Idempotent; a district an administrator chose for a municipality stays."""
    rows = read_table(path)
    result = LoadResult()
    provinces = {
        r.province_code: Province.objects.update_or_create(
            code=r.province_code, defaults={"name": r.province_name}
        )[0]
        for r in rows
    }
    safety_regions = {
        r.safety_region_code: SafetyRegion.objects.update_or_create(
            code=r.safety_region_code, defaults={"name": r.safety_region_name}
        )[0]
        for r in rows
    }
    regions = {
        r.region_name: Region.objects.update_or_create(
            code=slugify(r.region_name), defaults={"name": r.region_name}
        )[0]
        for r in rows
    }
    districts: dict[str, District] = {}
    for r in rows:
        if r.safety_region_code in districts:
            continue
        district = District.objects.filter(
            safety_region=safety_regions[r.safety_region_code]
        ).first()
        if district is None:
            district = District.objects.create(
                code=r.safety_region_code.lower(),
                name=r.safety_region_name,
                region=regions[r.region_name],
                safety_region=safety_regions[r.safety_region_code],
            )
        districts[r.safety_region_code] = district
    existing = {m.code: m for m in Municipality.objects.all()}
    for r in rows:
        facts = {
            "name": r.name,
            "province": provinces[r.province_code],
            "safety_region": safety_regions[r.safety_region_code],
            "region": regions[r.region_name],
        }
        municipality = existing.get(r.code)
        if municipality is None:
            Municipality.objects.create(
                code=r.code, district=districts[r.safety_region_code], **facts
            )
            result.created += 1
        elif any(getattr(municipality, k) != v for k, v in facts.items()):
            for k, v in facts.items():
                setattr(municipality, k, v)
            municipality.save()
            result.updated += 1
    if result.created or result.updated:
        record(
            Action.IMPORT,
            actor_label="systeem",
            obj=Target("organisations.Municipality", "", "gemeententabel"),
            detail={"created": result.created, "updated": result.updated},
        )
    return result
