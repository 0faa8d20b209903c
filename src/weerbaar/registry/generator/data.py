"""The generator's word lists and tables, read once from ``registry/data``.

Everything here is fictitious or a public fact (municipality codes, sizes, SBI labels); no
real company or person is in these files.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
REFERENCE_CSV = DATA_DIR.parent.parent / "organisations" / "data" / "gemeenten.csv"


@dataclass(frozen=True)
class MunicipalityInfo:
    """A municipality as the generator needs it: size, place on the map, postcode range."""

    code: str  # GM0363
    name: str
    population: int
    lon: float  # a point inside the municipality
    lat: float
    bbox: tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat
    area_km2: float
    pc4_first: int
    pc4_last: int

    @property
    def digits(self) -> str:
        return self.code[2:]

    @property
    def town(self) -> str:
        """The main town: the municipality name without a disambiguating suffix like (NH.)."""
        return self.name.split(" (")[0]


@dataclass(frozen=True)
class NameTable:
    names: list[str]
    gender: np.ndarray  # "m"/"f" (first names only)
    origin: np.ndarray
    weight: np.ndarray


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def municipalities() -> dict[str, MunicipalityInfo]:
    names = {row["gemeentecode"]: row["gemeentenaam"] for row in _read_csv(REFERENCE_CSV)}
    result = {}
    for row in _read_csv(DATA_DIR / "generator_gemeenten.csv"):
        code = row["gemeentecode"]
        result[code] = MunicipalityInfo(
            code=code,
            name=names[code],
            population=int(row["inwoners"]),
            lon=float(row["lon"]),
            lat=float(row["lat"]),
            bbox=(
                float(row["min_lon"]),
                float(row["min_lat"]),
                float(row["max_lon"]),
                float(row["max_lat"]),
            ),
            area_km2=float(row["oppervlakte_km2"]),
            pc4_first=int(row["pc4_van"]),
            pc4_last=int(row["pc4_tot"]),
        )
    return result


@cache
def first_names() -> NameTable:
    rows = _read_csv(DATA_DIR / "voornamen.csv")
    return NameTable(
        names=[r["voornaam"] for r in rows],
        gender=np.array([r["geslacht"] for r in rows]),
        origin=np.array([r["herkomst"] for r in rows]),
        weight=np.array([float(r["gewicht"]) for r in rows]),
    )


@cache
def surnames() -> tuple[list[str], NameTable]:
    """Particles and surnames: the listed common ones plus a long tail built from parts."""
    rows = _read_csv(DATA_DIR / "achternamen.csv")
    particles = [r["voorvoegsel"] for r in rows]
    names = [r["geslachtsnaam"] for r in rows]
    origin = [r["herkomst"] for r in rows]
    weight = [float(r["gewicht"]) for r in rows]
    listed = set(names)
    parts = words()
    # Dutch surnames have a very long tail: most people carry a name that few others have.
    tail_weight = 1.4
    for first in parts["achternaam_voor"].split():
        for last in parts["achternaam_achter"].split():
            name = first + last
            if name in listed:
                continue
            particles.append("van" if (len(name) % 7 == 0) else "")
            names.append(name)
            origin.append("nl")
            weight.append(tail_weight)
    return particles, NameTable(
        names=names,
        gender=np.array([""] * len(names)),
        origin=np.array(origin),
        weight=np.array(weight),
    )


@cache
def words() -> dict[str, Any]:
    with (DATA_DIR / "woorden.json").open(encoding="utf-8") as handle:
        result: dict[str, Any] = json.load(handle)
    return result


@cache
def sbi_groups() -> list[dict[str, Any]]:
    with (DATA_DIR / "sbi_profielen.json").open(encoding="utf-8") as handle:
        groups: list[dict[str, Any]] = json.load(handle)["groepen"]
    return groups


@cache
def sbi_labels() -> dict[str, str]:
    """SBI code (or section letter) -> Dutch label."""
    return {r["code"]: r["label"] for r in _read_csv(DATA_DIR / "sbi.csv")}
