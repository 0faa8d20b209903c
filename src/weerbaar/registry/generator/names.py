"""Fictitious Dutch people in bulk: names with particles, genders, dates of birth.

Names are drawn per origin so that first names and surnames go together as they do in the
Netherlands; the weights give the common names their real prominence and a long tail of rare
surnames, which is what makes person matching neither trivial nor hopeless.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from .data import first_names, surnames

ORIGINS = ("nl", "ma", "tr", "sr", "pl", "ov")
ORIGIN_SHARE = (0.78, 0.045, 0.045, 0.04, 0.03, 0.06)
# How many given names a person has, by origin: Dutch people often have two or three.
NAME_COUNT_NL = (0.33, 0.40, 0.22, 0.05)
NAME_COUNT_OTHER = (0.80, 0.18, 0.02, 0.0)
# Second and later given names are mostly the traditional (baptismal) ones.
TRADITIONAL = {
    "m": "Johannes Petrus Cornelis Hendrikus Jacobus Wilhelmus Gerardus Antonius Franciscus "
    "Theodorus Martinus Bernardus Josephus Adrianus Marinus Arnoldus Hubertus Maria Jan Willem "
    "Pieter Hendrik Dirk Gerrit Leendert Jacob Albert",
    "f": "Maria Johanna Anna Cornelia Wilhelmina Elisabeth Hendrika Catharina Geertruida "
    "Petronella Margaretha Jacoba Adriana Josephina Theodora Francisca Antonia Gerarda "
    "Bernardina Hubertina Louise Sophie",
}


@dataclass(slots=True)
class Person:
    """One real (fictitious) person; ``pid`` is the ground-truth identity."""

    pid: int
    first_names: str
    particle: str
    surname: str
    dob: str  # YYYY-MM-DD
    gender: str
    origin: str
    home: int = -1  # index of the home address in its municipality's block, -1 if none
    municipality: str = ""

    @property
    def person_id(self) -> str:
        return f"P{self.pid:09d}"


def initials(first: str, dots: bool = True) -> str:
    """``Johannes Petrus`` -> ``J.P.`` (or ``JP``)."""
    letters = [part[0].upper() for part in first.replace("-", " ").split() if part]
    return "".join(f"{letter}." for letter in letters) if dots else "".join(letters)


def surname_as_title(particle: str, surname: str) -> str:
    """A surname standing on its own, as in a company name: ``Van Dijk``, ``De Jong``."""
    if not particle:
        return surname
    return f"{particle[0].upper()}{particle[1:]} {surname}"


def full_surname(particle: str, surname: str) -> str:
    return f"{particle} {surname}" if particle else surname


class NameSampler:
    """Draws batches of people with numpy; each call is deterministic for its generator."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        table = first_names()
        self._first = table.names
        self._first_groups: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}
        for origin in ORIGINS:
            for gender in ("m", "f"):
                idx = np.flatnonzero((table.origin == origin) & (table.gender == gender))
                weights = table.weight[idx]
                self._first_groups[(gender, origin)] = (idx, weights / weights.sum())
        position = {name: i for i, name in enumerate(table.names) if table.origin[i] == "nl"}
        self._traditional_idx = {
            gender: np.array([position[name] for name in names.split() if name in position])
            for gender, names in TRADITIONAL.items()
        }
        self._particles, sur = surnames()
        self._surnames = sur.names
        self._sur_groups: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for origin in ORIGINS:
            idx = np.flatnonzero(sur.origin == origin)
            weights = sur.weight[idx]
            self._sur_groups[origin] = (idx, weights / weights.sum())

    def first_name_indices(self, genders: np.ndarray, origins: np.ndarray) -> np.ndarray:
        out = np.zeros(len(genders), dtype=np.int64)
        for (gender, origin), (idx, p) in self._first_groups.items():
            mask = (genders == gender) & (origins == origin)
            count = int(mask.sum())
            if count:
                out[mask] = self.rng.choice(idx, size=count, p=p)
        return out

    def surname_indices(self, origins: np.ndarray) -> np.ndarray:
        out = np.zeros(len(origins), dtype=np.int64)
        for origin, (idx, p) in self._sur_groups.items():
            mask = origins == origin
            count = int(mask.sum())
            if count:
                out[mask] = self.rng.choice(idx, size=count, p=p)
        return out

    def surname(self, index: int) -> tuple[str, str]:
        return self._particles[index], self._surnames[index]

    def _traditional(self, genders: np.ndarray) -> np.ndarray:
        out = np.zeros(len(genders), dtype=np.int64)
        for gender, idx in self._traditional_idx.items():
            mask = genders == gender
            out[mask] = self.rng.choice(idx, size=int(mask.sum()))
        return out

    def given_names(self, genders: np.ndarray, origins: np.ndarray) -> list[str]:
        """Full given names ("Johannes Petrus Maria"), 1-4 per person."""
        n = len(genders)
        call = self.first_name_indices(genders, origins)
        count = np.where(
            origins == "nl",
            self.rng.choice(4, size=n, p=NAME_COUNT_NL),
            self.rng.choice(4, size=n, p=NAME_COUNT_OTHER),
        )
        extra = [self._traditional(genders) for _ in range(3)]
        names = self._first
        result = []
        for i in range(n):
            parts = [names[call[i]]]
            for k in range(count[i]):
                name = names[extra[k][i]]
                if name not in parts:
                    parts.append(name)
            result.append(" ".join(parts))
        return result

    def dates_of_birth(self, n: int, peildatum: date, mean_age: float, sd: float) -> list[str]:
        ages = self.rng.normal(mean_age, sd, n)
        # Redraw out-of-range ages uniformly: clipping would pile people onto one birthday.
        outside = (ages < 18.2) | (ages > 92.0)
        ages[outside] = self.rng.uniform(18.2, 92.0, int(outside.sum()))
        days = (ages * 365.25).astype(np.int64)
        base = np.datetime64(peildatum.isoformat(), "D")
        return list((base - days).astype(str))

    def people(
        self,
        n: int,
        start_pid: int,
        peildatum: date,
        mean_age: float = 46.0,
        sd: float = 12.0,
        male_share: float = 0.6,
    ) -> list[Person]:
        origins = self.rng.choice(np.array(ORIGINS), size=n, p=ORIGIN_SHARE)
        genders = self.rng.choice(np.array(["m", "f"]), size=n, p=(male_share, 1 - male_share))
        given = self.given_names(genders, origins)
        sur = self.surname_indices(origins)
        dobs = self.dates_of_birth(n, peildatum, mean_age, sd)
        particles, names = self._particles, self._surnames
        return [
            Person(
                pid=start_pid + i,
                first_names=given[i],
                particle=particles[sur[i]],
                surname=names[sur[i]],
                dob=dobs[i],
                gender=str(genders[i]),
                origin=str(origins[i]),
            )
            for i in range(n)
        ]
