"""Opening a register file: refuse what cannot be imported, then stream it in batches.

Everything that makes a whole file unusable (not CSV or Parquet, not UTF-8, empty, wrong
columns) is found here, before a single row is written. CSV is checked in one streaming
pass (decoding it, which also counts the lines for the progress bar); Parquet by its schema.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import filetype
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from ..models import RegistryImport
from .datasets import DATASETS, Dataset

CHUNK = 4 << 20
CSV_BLOCK = 8 << 20
PARQUET_BATCH = 100_000
PARQUET_MAGIC = b"PAR1"
FIRST_DATA_LINE = 2  # line 1 is the header


class ImportRefused(Exception):
    """The file as a whole cannot be imported; the message says why, in Dutch."""


@dataclass
class Batch:
    """Rows of trimmed strings with their line numbers, and the rows the parser threw out."""

    columns: dict[str, Any]
    lines: np.ndarray
    unreadable: list[tuple[int, str]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.lines)


@dataclass
class Source:
    path: Path
    format: str  # "csv" or "parquet"
    dataset: Dataset
    names: list[str]  # the columns in file order
    estimated_rows: int

    def batches(self) -> Iterator[Batch]:
        if self.format == "parquet":
            return _parquet_batches(self)
        return _csv_batches(self)


def inspect(path: Path, kind: RegistryImport.Kind) -> Source:
    """Check the whole file and recognise its dataset; raise ImportRefused if unusable."""
    if not path.is_file():
        raise ImportRefused(f"Bestand niet gevonden: {path}")
    with path.open("rb") as handle:
        head = handle.read(8192)
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise ImportRefused(f"{path.name}: het bestand is leeg.")
    if head.startswith(PARQUET_MAGIC):
        return _inspect_parquet(path, kind)
    guessed = filetype.guess(head)
    if guessed is not None or b"\x00" in head:
        what = f" (het lijkt een {guessed.extension}-bestand)" if guessed else ""
        raise ImportRefused(f"{path.name}: dit is geen CSV- of Parquet-bestand{what}.")
    return _inspect_csv(path, kind)


def _inspect_csv(path: Path, kind: RegistryImport.Kind) -> Source:
    lines = _check_utf8(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader([handle.readline()]), [])
    names = [n.strip().lower() for n in header]
    dataset = _dataset_for(path, names, kind)
    if lines < FIRST_DATA_LINE:
        raise ImportRefused(f"{path.name}: het bestand bevat alleen een kopregel, geen gegevens.")
    return Source(path, "csv", dataset, names, lines - 1)


def _check_utf8(path: Path) -> int:
    """Decode the file in chunks; return its number of lines or refuse it, naming the line."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines = 0
    last = b""
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                line = lines + chunk.count(b"\n", 0, max(exc.start, 0)) + 1
                raise ImportRefused(
                    f"{path.name}: het bestand is geen UTF-8 (regel {line} bevat de byte "
                    f"0x{chunk[exc.start]:02X}; waarschijnlijk Latin-1 of Windows-1252). "
                    "Sla het bestand op als UTF-8 en probeer het opnieuw."
                ) from exc
            if b"\x00" in chunk:
                raise ImportRefused(f"{path.name}: dit is geen CSV-bestand (het bevat NUL-bytes).")
            lines += chunk.count(b"\n")
            last = chunk
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            raise ImportRefused(
                f"{path.name}: het bestand is geen UTF-8 (het eindigt midden in een teken)."
            ) from exc
    return lines + (1 if last and not last.endswith(b"\n") else 0)


def _inspect_parquet(path: Path, kind: RegistryImport.Kind) -> Source:
    try:
        parquet = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as exc:
        raise ImportRefused(f"{path.name}: het Parquet-bestand is onleesbaar ({exc}).") from exc
    names = [n.strip().lower() for n in parquet.schema_arrow.names]
    dataset = _dataset_for(path, names, kind)
    rows = parquet.metadata.num_rows
    if rows == 0:
        raise ImportRefused(f"{path.name}: het bestand bevat geen rijen.")
    return Source(path, "parquet", dataset, list(parquet.schema_arrow.names), rows)


def _dataset_for(path: Path, names: list[str], kind: RegistryImport.Kind) -> Dataset:
    """The dataset whose columns the header holds; otherwise refuse, naming the columns."""
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ImportRefused(f"{path.name}: kolommen komen dubbel voor: {', '.join(duplicates)}.")
    best = max(DATASETS, key=lambda d: len(set(d.column_names) & set(names)))
    if best.kind != kind and set(best.column_names) <= set(names):
        command = "import-kvk" if best.kind == RegistryImport.Kind.KVK else "import-bag"
        raise ImportRefused(f"{path.name}: dit is een {best.name}-bestand; gebruik {command}.")
    own = [d for d in DATASETS if d.kind == kind]
    dataset = max(own, key=lambda d: len(set(d.column_names) & set(names)))
    missing = [c for c in dataset.column_names if c not in names]
    unknown = [n for n in names if n not in dataset.column_names]
    if not missing and not unknown:
        return dataset
    problems = []
    if missing:
        problems.append(f"ontbrekende kolommen: {', '.join(missing)}")
    if unknown:
        problems.append(f"onbekende kolommen: {', '.join(n or '(leeg)' for n in unknown)}")
    hint = ""
    if len(names) == 1 and ";" in names[0]:
        hint = " Het scheidingsteken moet een komma zijn, geen puntkomma."
    raise ImportRefused(
        f"{path.name}: de kolommen kloppen niet voor {dataset.name} ({'; '.join(problems)}).{hint}"
    )


def _csv_batches(source: Source) -> Iterator[Batch]:
    unreadable: list[tuple[int, str]] = []

    def skip(row: Any) -> str:
        unreadable.append(
            (
                row.number,
                f"verwacht {row.expected_columns} velden, gevonden {row.actual_columns}",
            )
        )
        return "skip"

    reader = pa_csv.open_csv(
        source.path,
        read_options=pa_csv.ReadOptions(
            use_threads=False,  # only then does the parser know line numbers
            block_size=CSV_BLOCK,
            skip_rows=1,
            column_names=source.names,
        ),
        parse_options=pa_csv.ParseOptions(invalid_row_handler=skip, ignore_empty_lines=False),
        convert_options=pa_csv.ConvertOptions(
            column_types={n: pa.string() for n in source.names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    delivered = 0
    skipped: list[int] = []
    for record_batch in reader:
        fresh, unreadable[:] = list(unreadable), []
        skipped = sorted(skipped + [number for number, _ in fresh])
        lines = _line_numbers(delivered, record_batch.num_rows, skipped)
        delivered += record_batch.num_rows
        yield Batch(_trimmed(record_batch), lines, fresh)
    if unreadable:  # rows thrown out after the last batch
        yield Batch({}, np.zeros(0, dtype=np.int64), list(unreadable))


def _line_numbers(start: int, count: int, skipped: list[int]) -> np.ndarray:
    """Line numbers of good rows ``start..start+count`` given the lines the parser skipped.

    Good row j sits on line ``j + 2 + k``, k being the skipped lines before it; with
    ``skipped`` sorted, k is a binary search in (skipped line - lines before it - 2).
    """
    rows = np.arange(start, start + count, dtype=np.int64)
    if not skipped:
        return rows + FIRST_DATA_LINE
    gaps = np.asarray(skipped, dtype=np.int64) - np.arange(len(skipped)) - FIRST_DATA_LINE
    return rows + FIRST_DATA_LINE + np.searchsorted(gaps, rows, side="right")


def _parquet_batches(source: Source) -> Iterator[Batch]:
    parquet = pq.ParquetFile(source.path)
    delivered = 0
    for record_batch in parquet.iter_batches(batch_size=PARQUET_BATCH, columns=source.names):
        strings = [
            pc.fill_null(pc.cast(column, pa.string()), "") for column in record_batch.columns
        ]
        as_strings = pa.record_batch(strings, names=[n.strip().lower() for n in source.names])
        lines = np.arange(delivered + 1, delivered + 1 + as_strings.num_rows, dtype=np.int64)
        delivered += as_strings.num_rows
        yield Batch(_trimmed(as_strings), lines)


def _trimmed(record_batch: pa.RecordBatch) -> dict[str, Any]:
    return {
        name: pc.utf8_trim_whitespace(column)
        for name, column in zip(record_batch.schema.names, record_batch.columns, strict=True)
    }
