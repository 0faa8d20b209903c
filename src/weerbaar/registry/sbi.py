"""Dutch labels of SBI codes (Standaard Bedrijfsindeling, CBS), from ``data/sbi.csv``."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "sbi.csv"


@cache
def labels() -> dict[str, str]:
    if not DATA.exists():
        return {}
    with DATA.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["label"] for row in csv.DictReader(handle)}


def label(code: str) -> str:
    """The label of the code, or of its closest broader code (5610 → 561 → 56)."""
    table = labels()
    for length in range(len(code), 1, -1):
        if code[:length] in table:
            return table[code[:length]]
    return ""
