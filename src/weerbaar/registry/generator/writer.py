"""CSV output in the documented register formats (``docs/registry.md``) plus the truth files.

Rows are streamed: nothing is kept once written, so memory stays flat at any scale.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

BAG_COLUMNS = (
    "verblijfsobject_id",
    "nummeraanduiding_id",
    "postcode",
    "huisnummer",
    "huisletter",
    "toevoeging",
    "straat",
    "woonplaats",
    "gemeentecode",
    "gebruiksdoel",
    "oppervlakte",
    "rd_x",
    "rd_y",
    "lat",
    "lon",
)
ADDRESS_PART = ("straat", "huisnummer", "huisletter", "toevoeging", "postcode", "plaats")
KVK_COLUMNS = (
    "kvk_nummer",
    "vestigingsnummer",
    "statutaire_naam",
    "handelsnamen",
    "rechtsvorm",
    "sbi_hoofd",
    "sbi_overig",
    "datum_inschrijving",
    "datum_aanvang",
    "datum_opheffing",
    *(f"bezoek_{part}" for part in ADDRESS_PART),
    *(f"post_{part}" for part in ADDRESS_PART),
)
OFFICER_COLUMNS = (
    "kvk_nummer",
    "voornamen",
    "voorvoegsel",
    "geslachtsnaam",
    "geboortedatum",
    "functie",
    "datum_aanvang",
)
TRUTH_OFFICER_COLUMNS = ("regelnummer", "kvk_nummer", "person_id")
TRUTH_BRANCH_COLUMNS = (
    "kvk_nummer",
    "vestigingsnummer",
    "nummeraanduiding_id",
    "adres",
    "variatie",
)
QUERY_COLUMNS = (
    "query_id",
    "soort",
    "naam",
    "geboortedatum",
    "straat",
    "huisnummer",
    "toevoeging",
    "postcode",
    "plaats",
    "bij_kvk_nummer",
    "kvk_nummer",
    "vestigingsnummer",
    "person_id",
    "nummeraanduiding_id",
    "variaties",
)
PERSON_COLUMNS = (
    "record_id",
    "voornamen",
    "voorvoegsel",
    "geslachtsnaam",
    "geboortedatum",
    "postcode",
    "huisnummer",
    "toevoeging",
    "woonplaats",
)
TRUTH_PERSON_COLUMNS = ("record_id", "person_id")

BAG_FILE = "bag_adressen.csv"
KVK_FILE = "kvk_vestigingen.csv"
OFFICER_FILE = "kvk_functionarissen.csv"
TRUTH_DIR = "truth"
MANIFEST_FILE = "generator.json"


class CsvSink:
    """One CSV file: header first, then rows; counts the lines it wrote (header = line 1)."""

    def __init__(self, path: Path, columns: Sequence[str]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._handle: TextIO = path.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._handle, lineterminator="\n")
        self._writer.writerow(columns)
        self.rows = 0

    def write(self, row: Sequence[Any]) -> int:
        """Write one row and return its line number in the file."""
        self._writer.writerow(row)
        self.rows += 1
        return self.rows + 1

    def write_many(self, rows: Sequence[Sequence[Any]]) -> None:
        self._writer.writerows(rows)
        self.rows += len(rows)

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> CsvSink:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def read_rows(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


def write_manifest(out: Path, data: dict[str, Any]) -> None:
    (out / TRUTH_DIR).mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True)
    (out / TRUTH_DIR / MANIFEST_FILE).write_text(text + "\n", encoding="utf-8")


def read_manifest(source: Path) -> dict[str, Any]:
    path = source / TRUTH_DIR / MANIFEST_FILE
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
