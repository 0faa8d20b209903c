"""BAG addresses for one municipality: towns, streets, numbers, postcodes, uses, coordinates.

The layout is fictitious but consistent: the municipality owns its PC4 range, each town its
PC4s, a postcode (PC6) covers a stretch of one street and a building's units share it.
Business streets (a centre, an industrial estate) hold shops, offices and workshops; the rest
is mostly housing. Coordinates are laid out in RD (metres) around the municipality and
converted to WGS84 with pyproj, so both pairs agree.
"""

# ruff: noqa: S311 -- fictitious data: reproducible randomness, nothing secret

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from pyproj import Transformer

from .data import MunicipalityInfo, municipalities
from .names import NameSampler
from .places import CENTRE, INDUSTRIAL, RESIDENTIAL, RURAL, StreetNamer, village_count
from .places import village_names as make_village_names

FULL_SCALE_ADDRESSES = 10_000_000
USES = (
    "woonfunctie",
    "winkelfunctie",
    "kantoorfunctie",
    "industriefunctie",
    "bijeenkomstfunctie",
    "logiesfunctie",
    "onderwijsfunctie",
    "sportfunctie",
    "gezondheidszorgfunctie",
    "overige gebruiksfunctie",
    "woonfunctie|winkelfunctie",
    "woonfunctie|kantoorfunctie",
    "industriefunctie|kantoorfunctie",
    "woonfunctie|industriefunctie",
    "winkelfunctie|kantoorfunctie",
    "celfunctie",
)
# Use probabilities per street kind, for ground-floor units and units above them.
_P_GROUND = {
    RESIDENTIAL: (
        0.955,
        0.005,
        0.005,
        0.002,
        0.003,
        0.001,
        0.003,
        0.002,
        0.003,
        0.012,
        0.003,
        0.006,
        0,
        0,
        0,
        0,
    ),
    CENTRE: (
        0.16,
        0.36,
        0.12,
        0.01,
        0.14,
        0.03,
        0.005,
        0.01,
        0.02,
        0.015,
        0.09,
        0.02,
        0,
        0,
        0.02,
        0,
    ),
    INDUSTRIAL: (
        0.015,
        0.06,
        0.17,
        0.42,
        0.03,
        0.005,
        0.005,
        0.03,
        0.005,
        0.07,
        0,
        0,
        0.17,
        0.01,
        0.01,
        0,
    ),
    RURAL: (0.70, 0.01, 0.01, 0.09, 0.01, 0.01, 0, 0.005, 0.005, 0.09, 0, 0.005, 0, 0.065, 0, 0),
}
_P_UPPER = (0.90, 0, 0.07, 0, 0, 0.01, 0, 0, 0.01, 0.01, 0, 0, 0, 0, 0, 0)
# Floor area (m2) per use: median and spread of a log-normal.
_AREA = {
    0: (95, 0.35),
    1: (110, 0.7),
    2: (180, 0.9),
    3: (650, 0.9),
    4: (220, 0.7),
    5: (400, 0.9),
    6: (1500, 0.7),
    7: (800, 0.8),
    8: (300, 0.9),
    9: (25, 0.9),
    10: (140, 0.4),
    11: (130, 0.4),
    12: (900, 0.8),
    13: (450, 0.6),
    14: (260, 0.7),
    15: (3000, 0.4),
}
# Where companies can be placed.
HOME, SHOP, OFFICE, INDUSTRY, FARM = 0, 1, 2, 3, 4
PC_LETTERS = "ABCDEGHJKLMNPRSTVWXZ"
PC6_SUFFIXES = [a + b for a in PC_LETTERS for b in PC_LETTERS if a + b not in ("SA", "SD", "SS")]
_BIG_CITIES = {"GM0363", "GM0599", "GM0518", "GM0344"}


@cache
def to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:28992", "EPSG:4326", always_xy=True)


@cache
def _to_rd() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)


def full_scale_addresses(info: MunicipalityInfo) -> int:
    """The municipality's share of the whole country's 10M addresses, by population."""
    total = sum(m.population for m in municipalities().values())
    return max(50, round(FULL_SCALE_ADDRESSES * info.population / total))


@dataclass
class AddressRecord:
    """One address, as companies, queries and the update step use it."""

    nd_id: str
    street: str
    number: int
    letter: str
    addition: str
    postcode: str
    town: str
    municipality: str
    uses: str = ""


@dataclass
class AddressBlock:
    """All addresses of one municipality, column by column."""

    info: MunicipalityInfo
    towns: list[str]
    street_names: list[str]
    street_town: list[int]
    street_kind: list[int]
    street: np.ndarray
    number: np.ndarray
    letter: list[str]
    addition: list[str]
    postcode: list[str]
    use: np.ndarray
    area: np.ndarray
    rd_x: np.ndarray
    rd_y: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    id_base: int
    by_category: dict[int, np.ndarray] = field(default_factory=dict)
    _lists: tuple[list[int], list[int], list[int]] | None = None
    # Explicit ids, for a block read back from a file (see update.py).
    nd_ids: list[str] | None = None

    def __len__(self) -> int:
        return len(self.number)

    def nd_id(self, i: int) -> str:
        return f"{self.info.digits}20{self.id_base + i:010d}"

    def vbo_id(self, i: int) -> str:
        return f"{self.info.digits}01{self.id_base + 7_000_000 + i:010d}"

    def record(self, i: int) -> AddressRecord:
        if not self._lists:
            self._lists = (self.street.tolist(), self.number.tolist(), self.use.tolist())
        streets, numbers, uses = self._lists
        street = streets[i]
        return AddressRecord(
            self.nd_ids[i] if self.nd_ids else f"{self.info.digits}20{self.id_base + i:010d}",
            self.street_names[street],
            numbers[i],
            self.letter[i],
            self.addition[i],
            self.postcode[i],
            self.towns[self.street_town[street]],
            self.info.code,
            USES[uses[i]],
        )

    def rows(self) -> list[tuple[object, ...]]:
        """CSV rows in the column order of ``writer.BAG_COLUMNS``."""
        n = len(self)
        digits = self.info.digits
        base = self.id_base
        names = np.array(self.street_names, dtype=object)[self.street]
        towns = np.array(self.towns, dtype=object)[np.array(self.street_town)[self.street]]
        uses = np.array(USES, dtype=object)[self.use]
        xs = [f"{v:.1f}" for v in self.rd_x.tolist()]
        ys = [f"{v:.1f}" for v in self.rd_y.tolist()]
        lats = [f"{v:.6f}" for v in self.lat.tolist()]
        lons = [f"{v:.6f}" for v in self.lon.tolist()]
        return list(
            zip(
                [f"{digits}01{base + 7_000_000 + i:010d}" for i in range(n)],
                [f"{digits}20{base + i:010d}" for i in range(n)],
                self.postcode,
                [str(v) for v in self.number.tolist()],
                self.letter,
                self.addition,
                names.tolist(),
                towns.tolist(),
                [digits] * n,
                uses.tolist(),
                [str(v) for v in self.area.tolist()],
                xs,
                ys,
                lats,
                lons,
                strict=True,
            )
        )


def categorise(block: AddressBlock) -> None:
    kinds = np.array(block.street_kind)[block.street]
    use = block.use
    home = np.isin(use, (0, 10, 11, 13))
    block.by_category = {
        HOME: np.flatnonzero(use == 0),
        SHOP: np.flatnonzero(np.isin(use, (1, 4, 5, 10, 14))),
        OFFICE: np.flatnonzero(np.isin(use, (2, 11, 12, 14))),
        INDUSTRY: np.flatnonzero(np.isin(use, (3, 12, 13))),
        FARM: np.flatnonzero((kinds == RURAL) & (home | (use == 3) | (use == 9))),
    }


Unit = tuple[int, str, str, bool]


def _house_units(
    kind: int, count: int, urban: float, amsterdam_style: bool, rng: random.Random
) -> list[Unit]:
    """(number, letter, addition, upper floor) for the units along one street."""
    units: list[Unit] = []
    number = 1 if rng.random() < 0.8 else rng.randint(2, 40)
    layout = rng.random()
    step = 1 if layout < 0.6 else 2
    flats = kind in (RESIDENTIAL, CENTRE) and rng.random() < (0.6 if kind == CENTRE else urban)
    lettered = rng.random() < 0.05
    while len(units) < count:
        if kind == RURAL:
            number += rng.randint(1, 12)
        if flats:
            floors = rng.randint(2, 5) if kind == RESIDENTIAL else rng.randint(1, 3)
            if amsterdam_style:
                units.append((number, "", "H", False))
                units.extend((number, "", str(f), True) for f in range(1, floors))
            elif rng.random() < 0.5:
                units.append((number, "", "", False))
                units.extend((number, "", str(f), True) for f in range(1, floors))
            else:
                units.extend((number, "ABCDEFGH"[f], "", f > 0) for f in range(floors))
        else:
            units.append((number, "", "", False))
            if lettered and rng.random() < 0.3:
                units.append((number, "a", "", False))
            elif kind == INDUSTRIAL and rng.random() < 0.05:
                units.append((number, "", rng.choice(["A", "B", "01", "1"]), False))
        if kind != RURAL:
            number += step
    return units[:count]


def build_block(
    info: MunicipalityInfo, n: int, seed: tuple[int, ...], sampler: NameSampler
) -> AddressBlock:
    """Lay out ``n`` addresses for the municipality; deterministic for ``seed``."""
    rng = random.Random(repr(seed))
    nrng = np.random.default_rng(list(seed))
    full = full_scale_addresses(info)
    urban = min(0.5, max(0.04, info.population / 500_000))
    amsterdam = info.code in _BIG_CITIES and rng.random() < 0.7
    villages = village_count(info)
    towns = [info.town, *make_village_names(info, villages, rng)]
    village_share = 0.0 if villages == 0 else min(0.55, 0.08 + villages * 0.05)
    if info.population > 150_000:
        village_share = min(village_share, 0.1)
    weights = np.array([1 - village_share, *(nrng.gamma(1.5, size=villages))])
    if villages:
        weights[1:] = weights[1:] / weights[1:].sum() * village_share
    town_pc4 = _pc4_per_town(list(range(info.pc4_first, info.pc4_last + 1)), weights)
    per_town = nrng.multinomial(n, weights / weights.sum())

    namer = StreetNamer(
        rng, lambda: sampler.surname(int(sampler.surname_indices(np.array(["nl"]))[0]))
    )
    to_rd = _to_rd()
    cx, cy = to_rd.transform(info.lon, info.lat)
    x0, y0 = to_rd.transform(info.bbox[0], info.bbox[1])
    x1, y1 = to_rd.transform(info.bbox[2], info.bbox[3])

    street_names: list[str] = []
    street_town: list[int] = []
    street_kind: list[int] = []
    st_x: list[float] = []
    st_y: list[float] = []
    st_angle: list[float] = []
    unit_street: list[int] = []
    unit_pos: list[int] = []
    unit_len: list[int] = []
    numbers: list[int] = []
    letters: list[str] = []
    additions: list[str] = []
    postcodes: list[str] = []
    upper: list[bool] = []

    for t in range(len(towns)):
        if t == 0:
            tx, ty = cx, cy
        else:
            tx = cx + rng.uniform(-0.35, 0.35) * (x1 - x0)
            ty = cy + rng.uniform(-0.35, 0.35) * (y1 - y0)
        town_full = full * (weights[t] / weights.sum())
        radius = 11.0 * math.sqrt(max(town_full, 50))
        codes = town_pc4[t]
        split = nrng.multinomial(per_town[t], nrng.dirichlet(np.full(len(codes), 4.0)))
        for k, (pc4, m) in enumerate(zip(codes, split, strict=True)):
            if m == 0:
                continue
            centre_area = t == 0 and k == 0
            estate = len(codes) >= 4 and k == len(codes) - 2
            if centre_area:
                px, py = tx, ty
            else:
                px, py = tx + nrng.normal(0, radius / 2), ty + nrng.normal(0, radius / 2)
            pc_radius = radius / math.sqrt(len(codes))
            theme = namer.theme()
            pc_streets: list[tuple[int, list[Unit]]] = []
            placed = 0
            while placed < m:
                kind = _street_kind(rng, t == 0, centre_area, estate)
                length = min(m - placed, _street_length(rng, kind))
                pc_streets.append(
                    (len(street_names), _house_units(kind, length, urban, amsterdam, rng))
                )
                street_names.append(namer.name(t, kind, theme))
                street_town.append(t)
                street_kind.append(kind)
                st_x.append(px + rng.gauss(0, pc_radius / 2))
                st_y.append(py + rng.gauss(0, pc_radius / 2))
                st_angle.append(rng.uniform(0, math.pi))
                placed += length
            # A postcode covers a stretch of one street; make them long enough to stay unique.
            seg_min = 8
            longest = max(len(u) for _, u in pc_streets)
            while (
                seg_min < longest
                and sum(math.ceil(len(u) / seg_min) for _, u in pc_streets) > len(PC6_SUFFIXES) - 5
            ):
                seg_min += 4
            pc6_next = 0
            for s, units in pc_streets:
                segment = rng.randint(seg_min, seg_min + 14)
                in_segment = segment
                last_number = -1
                for pos, (number, letter, addition, up) in enumerate(units):
                    if number != last_number and in_segment >= segment:
                        suffix = PC6_SUFFIXES[pc6_next % len(PC6_SUFFIXES)]
                        pc6_next += 1
                        in_segment = 0
                    in_segment += 1
                    last_number = number
                    postcodes.append(f"{pc4}{suffix}")
                    numbers.append(number)
                    letters.append(letter)
                    additions.append(addition)
                    upper.append(up)
                    unit_street.append(s)
                    unit_pos.append(pos)
                    unit_len.append(len(units))

    street = np.array(unit_street, dtype=np.int32)
    kinds = np.array(street_kind, dtype=np.int8)[street]
    upper_floor = np.array(upper, dtype=bool)
    use = np.zeros(len(street), dtype=np.int8)
    for kind, probs in _P_GROUND.items():
        mask = (kinds == kind) & ~upper_floor
        p = np.array(probs) / sum(probs)
        use[mask] = nrng.choice(len(USES), size=int(mask.sum()), p=p)
    p_up = np.array(_P_UPPER) / sum(_P_UPPER)
    use[upper_floor] = nrng.choice(len(USES), size=int(upper_floor.sum()), p=p_up)
    area = np.zeros(len(street), dtype=np.int64)
    for u, (median, spread) in _AREA.items():
        mask = use == u
        area[mask] = np.maximum(8, np.round(median * nrng.lognormal(0, spread, int(mask.sum()))))

    # Units along the street line, odd numbers on one side.
    number_arr = np.array(numbers, dtype=np.int64)
    along = np.array(unit_pos, dtype=np.float64) - np.array(unit_len, dtype=np.float64) / 2
    angle = np.array(st_angle)[street]
    side = np.where(number_arr % 2 == 1, 9.0, -9.0)
    x = np.array(st_x)[street] + along * 5.0 * np.cos(angle) - side * np.sin(angle)
    y = np.array(st_y)[street] + along * 5.0 * np.sin(angle) + side * np.cos(angle)
    x = np.clip(x + nrng.normal(0, 1.5, len(x)), min(x0, x1), max(x0, x1))
    y = np.clip(y + nrng.normal(0, 1.5, len(y)), min(y0, y1), max(y0, y1))
    lon, lat = to_wgs84().transform(x, y)
    block = AddressBlock(
        info=info,
        towns=towns,
        street_names=street_names,
        street_town=street_town,
        street_kind=street_kind,
        street=street,
        number=number_arr,
        letter=letters,
        addition=additions,
        postcode=postcodes,
        use=use,
        area=area,
        rd_x=x,
        rd_y=y,
        lat=np.asarray(lat),
        lon=np.asarray(lon),
        id_base=100_000 + rng.randint(0, 800_000),
    )
    categorise(block)
    return block


def _pc4_per_town(pc4s: list[int], weights: np.ndarray) -> list[list[int]]:
    """Each town gets postcode areas in proportion to its size, at least one."""
    share = weights / weights.sum()
    counts = [max(1, round(len(pc4s) * w)) for w in share]
    while sum(counts) > len(pc4s):
        counts[int(np.argmax(counts))] -= 1
    counts[0] += len(pc4s) - sum(counts)
    result, start = [], 0
    for count in counts:
        result.append(pc4s[start : start + count])
        start += count
    return result


def _street_kind(rng: random.Random, main_town: bool, centre: bool, estate: bool) -> int:
    r = rng.random()
    if centre:
        return CENTRE if r < 0.55 else RESIDENTIAL
    if estate:
        return INDUSTRIAL if r < 0.7 else RESIDENTIAL
    if main_town:
        return RESIDENTIAL if r < 0.86 else CENTRE if r < 0.9 else INDUSTRIAL if r < 0.95 else RURAL
    return RESIDENTIAL if r < 0.68 else CENTRE if r < 0.74 else INDUSTRIAL if r < 0.8 else RURAL


def _street_length(rng: random.Random, kind: int) -> int:
    median = {RESIDENTIAL: 32, CENTRE: 28, INDUSTRIAL: 14, RURAL: 10}[kind]
    return max(1, int(median * rng.lognormvariate(0, 0.7)))
