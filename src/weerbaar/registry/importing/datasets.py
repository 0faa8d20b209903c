"""The three register files: their columns (``docs/registry.md``), checks and how they apply.

A file is recognised by its header, so ``import-kvk`` takes branches and officers alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models

from ..models import Address, Company, Officer, RegistryImport
from . import checks
from .checks import Check


@dataclass(frozen=True)
class Column:
    name: str  # in the file (the register's own Dutch name)
    field: str  # on the model
    check: Check


@dataclass(frozen=True)
class Dataset:
    """One file format and the way its rows reach the live table.

    ``key`` identifies a row (the upsert's conflict target; for officers, which have no
    natural key, all their fields). ``unit`` names the live rows a file row speaks for: a
    rejected row whose unit is readable still protects those rows from being ended.
    """

    name: str
    kind: RegistryImport.Kind
    model: type[models.Model]
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    unit: tuple[str, ...]
    # Keyed rows are upserted; officers replace the set of their KvK number.
    replace_by_unit: bool = False
    # Fields not in the file: SQL over the staging row ``s``, set on insert and update.
    derived: dict[str, str] = field(default_factory=dict)
    # SQL over ``s`` that is true when the file itself ends the row (an end date).
    ends_in_file: str = ""
    # How a live row is ended when a full extract no longer holds it.
    absent_field: str = ""
    absent_value: bool = False
    ended_label: str = "opgeheven"

    def field(self, name: str) -> models.Field[Any, Any]:
        return self.model._meta.get_field(name)  # type: ignore[return-value]

    def db_column(self, name: str) -> str:
        return self.field(name).column

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.columns)


def _address_columns(prefix: str, field_prefix: str) -> tuple[Column, ...]:
    return (
        Column(f"{prefix}_straat", f"{field_prefix}_street", checks.text(120)),
        Column(f"{prefix}_huisnummer", f"{field_prefix}_house_number", checks.integer(1, 99999)),
        Column(f"{prefix}_huisletter", f"{field_prefix}_house_letter", checks.house_letter()),
        Column(f"{prefix}_toevoeging", f"{field_prefix}_house_number_addition", checks.text(4)),
        Column(f"{prefix}_postcode", f"{field_prefix}_postcode", checks.postcode()),
        Column(f"{prefix}_plaats", f"{field_prefix}_town", checks.text(80)),
    )


BRANCHES = Dataset(
    name="kvk_vestigingen",
    kind=RegistryImport.Kind.KVK,
    model=Company,
    columns=(
        Column("kvk_nummer", "kvk_number", checks.digits(8, required=True)),
        Column("vestigingsnummer", "branch_number", checks.digits(12)),
        Column("statutaire_naam", "name", checks.text(250, required=True)),
        Column("handelsnamen", "trade_names", checks.text(1000)),
        Column("rechtsvorm", "legal_form", checks.text(80)),
        Column("sbi_hoofd", "sbi_main", checks.code_list(6)),
        Column("sbi_overig", "sbi_other", checks.code_list(200)),
        Column("datum_inschrijving", "registered_on", checks.date()),
        Column("datum_aanvang", "started_on", checks.date()),
        Column("datum_opheffing", "ended_on", checks.date()),
        *_address_columns("bezoek", "visit"),
        *_address_columns("post", "postal"),
    ),
    key=("kvk_number", "branch_number"),
    unit=("kvk_number", "branch_number"),
    derived={"dissolved": "s.ended_on IS NOT NULL"},
    ends_in_file="s.ended_on IS NOT NULL",
    absent_field="dissolved",
    absent_value=True,
    ended_label="opgeheven",
)

_OFFICER_COLUMNS = (
    Column("kvk_nummer", "kvk_number", checks.digits(8, required=True)),
    Column("voornamen", "first_names", checks.text(200)),
    Column("voorvoegsel", "surname_prefix", checks.text(20)),
    Column("geslachtsnaam", "surname", checks.text(200, required=True)),
    Column("geboortedatum", "date_of_birth", checks.date()),
    Column("functie", "role", checks.text(80, required=True)),
    Column("datum_aanvang", "started_on", checks.date()),
)

OFFICERS = Dataset(
    name="kvk_functionarissen",
    kind=RegistryImport.Kind.KVK,
    model=Officer,
    columns=_OFFICER_COLUMNS,
    key=tuple(c.field for c in _OFFICER_COLUMNS),
    unit=("kvk_number",),
    replace_by_unit=True,
    derived={"person_key": "''"},
    ended_label="vervallen",
)

ADDRESSES = Dataset(
    name="bag_adressen",
    kind=RegistryImport.Kind.BAG,
    model=Address,
    columns=(
        Column("verblijfsobject_id", "object_id", checks.digits(16)),
        Column("nummeraanduiding_id", "number_designation_id", checks.digits(16, required=True)),
        Column("postcode", "postcode", checks.postcode(required=True)),
        Column("huisnummer", "house_number", checks.integer(1, 99999, required=True)),
        Column("huisletter", "house_letter", checks.house_letter()),
        Column("toevoeging", "house_number_addition", checks.text(4)),
        Column("straat", "street", checks.text(120)),
        Column("woonplaats", "town", checks.text(80)),
        Column("gemeentecode", "municipality_code", checks.municipality_code(required=True)),
        Column("gebruiksdoel", "uses", checks.uses()),
        Column("oppervlakte", "floor_area", checks.integer(1, 999999)),
        Column("rd_x", "rd_x", checks.decimal(-7000, 300000)),
        Column("rd_y", "rd_y", checks.decimal(289000, 629000)),
        Column("lat", "lat", checks.decimal(50, 54)),
        Column("lon", "lon", checks.decimal(3, 8)),
    ),
    key=("number_designation_id",),
    unit=("number_designation_id",),
    derived={"active": "TRUE"},
    absent_field="active",
    absent_value=False,
    ended_label="vervallen",
)

# Pairs of columns that are given together or not at all.
PAIRS: dict[str, tuple[tuple[str, str], ...]] = {
    ADDRESSES.name: (("rd_x", "rd_y"), ("lat", "lon")),
}

DATASETS = (BRANCHES, OFFICERS, ADDRESSES)
