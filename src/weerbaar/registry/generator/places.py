"""Towns and street names for one municipality, built from word parts.

A municipality is its main town plus some villages (more in large rural municipalities);
each town has its own postcode areas (PC4). Street names follow the Dutch habit of themed
neighbourhoods (birds, trees, painters ...), a historic centre and an industrial estate.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from .data import MunicipalityInfo, words
from .names import full_surname

RESIDENTIAL, CENTRE, INDUSTRIAL, RURAL = 0, 1, 2, 3


def _weighted(table: dict[str, int]) -> tuple[list[str], list[int]]:
    return list(table), list(table.values())


def village_count(info: MunicipalityInfo) -> int:
    """Villages besides the main town: many in large rural municipalities, few in cities."""
    count = info.area_km2 / 35 + info.population / 80_000
    if info.population > 250_000:
        count = min(count, 3)
    return max(0, min(14, int(count), info.pc4_last - info.pc4_first))


def village_names(info: MunicipalityInfo, count: int, rng: random.Random) -> list[str]:
    parts = words()
    first, last = parts["plaats_voor"].split(), parts["plaats_achter"].split()
    taken = {info.town.lower()}
    result: list[str] = []
    while len(result) < count:
        name = rng.choice(first) + rng.choice(last)
        if rng.random() < 0.12:
            name = f"{rng.choice(['Nieuw', 'Oud', 'Groot', 'Klein'])}-{name}"
        if name.lower() not in taken:
            taken.add(name.lower())
            result.append(name)
    return result


class StreetNamer:
    """Unique street names per town, themed per postcode area."""

    def __init__(self, rng: random.Random, surname: Callable[[], tuple[str, str]]) -> None:
        parts = words()
        self.rng = rng
        self.surname = surname
        self.themes = {k: v.split(" ") for k, v in parts["straat_thema"].items()}
        for key in ("schilders", "water", "eilanden"):
            # Multi-word stems ("Frans Hals", "Van Gogh") are listed one per entry.
            self.themes[key] = _multiword(parts["straat_thema"][key])
        self.suffixes = _weighted(parts["straat_achter"])
        self.centre = parts["centrum"].split("|")
        self.industry = parts["industrie"].split("|")
        self.rural_first = parts["landelijk_voor"].split()
        self.rural_last = _weighted(parts["landelijk_achter"])
        self.titles = parts["titels"].split("|")
        self.used: dict[int, set[str]] = {}

    def theme(self) -> str:
        return self.rng.choice([*self.themes, "titels", "titels"])

    def name(self, town: int, kind: int, theme: str) -> str:
        used = self.used.setdefault(town, set())
        for _ in range(25):
            candidate = self._candidate(kind, theme)
            if candidate not in used:
                used.add(candidate)
                return candidate
            theme = self.theme()
        while True:  # an endless supply: a title and a surname
            candidate = self._titled()
            if candidate not in used:
                used.add(candidate)
                return candidate

    def _suffix(self) -> str:
        names, weights = self.suffixes
        return self.rng.choices(names, weights)[0]

    def _titled(self) -> str:
        particle, name = self.surname()
        return f"{self.rng.choice(self.titles)} {full_surname(particle, name)}{self._suffix()}"

    def _candidate(self, kind: int, theme: str) -> str:
        rng = self.rng
        if kind == CENTRE and rng.random() < 0.8:
            return rng.choice(self.centre)
        if kind == INDUSTRIAL and rng.random() < 0.85:
            return rng.choice(self.industry)
        if kind == RURAL:
            names, weights = self.rural_last
            return rng.choice(self.rural_first) + rng.choices(names, weights)[0]
        if theme == "titels":
            return self._titled()
        stem = rng.choice(self.themes[theme])
        suffix = self._suffix()
        return f"{stem}{suffix}"


def _multiword(text: str) -> list[str]:
    """Split a theme list where some entries have two words (a known first word follows)."""
    joiners = {"Frans", "Jan", "Van", "Ter", "De", "Hollandse"}
    items: list[str] = []
    pending = ""
    for word in text.split(" "):
        if pending:
            items.append(f"{pending} {word}")
            pending = ""
        elif word in joiners:
            pending = word
        else:
            items.append(word)
    return items
