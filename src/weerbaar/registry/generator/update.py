"""``--from``: a newer extract made from an earlier generated one, with its truth.

What changes between two extracts (rates in ``RATES``, documented in
``docs/registry-generator.md``): companies dissolved (end date set), gone from the file,
moved, renamed, officers changed, new companies; addresses gone (never one a company uses)
and new ones in new streets. Decisions per KvK number and per address come from a hash of
the seed, the generation and the key, so the files are streamed once with no per-row state.
"""

# ruff: noqa: S311 -- fictitious data: reproducible randomness, nothing secret

from __future__ import annotations

import csv
import hashlib
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from .addresses import PC6_SUFFIXES, USES, AddressBlock, categorise, to_wgs84
from .companies import CompanyFactory, Numbers
from .data import MunicipalityInfo, municipalities
from .names import NameSampler
from .persons import PersonPool, written
from .places import RESIDENTIAL, StreetNamer
from .queries import Samples
from .run import number
from .variations import strip_legal_form
from .writer import (
    BAG_COLUMNS,
    BAG_FILE,
    KVK_COLUMNS,
    KVK_FILE,
    OFFICER_COLUMNS,
    OFFICER_FILE,
    QUERY_COLUMNS,
    TRUTH_BRANCH_COLUMNS,
    TRUTH_DIR,
    TRUTH_OFFICER_COLUMNS,
    CsvSink,
    read_manifest,
    read_rows,
    write_manifest,
)

RATES = {
    "gone": 0.01,  # KvK number no longer in the file
    "dissolved": 0.02,  # end date set
    "renamed": 0.01,
    "officers": 0.03,  # officers changed
    "moved": 0.01,  # per branch
    "new_companies": 0.015,  # of the old number of rows
    "address_gone": 0.005,
    "address_new": 0.006,
}
SAMPLE_PER_MUNICIPALITY = 400


@dataclass
class UpdateResult:
    addresses: int
    addresses_gone: int
    addresses_new: int
    companies: int
    gone: int
    dissolved: int
    moved: int
    renamed: int
    new: int
    officers: int
    seconds: float

    def summary(self) -> str:
        return (
            f"Nieuwer uittreksel: {number(self.addresses)} adressen "
            f"({number(self.addresses_gone)} vervallen, {number(self.addresses_new)} nieuw), "
            f"{number(self.companies)} inschrijvingen ({number(self.gone)} KvK-nummers weg, "
            f"{number(self.dissolved)} opgeheven, {number(self.moved)} verhuisd, "
            f"{number(self.renamed)} hernoemd, {number(self.new)} nieuw), "
            f"{number(self.officers)} functionarissen, in {self.seconds:.0f} s."
        )


def _u(*parts: object) -> float:
    """A uniform number in [0, 1) from the key: the same key always gets the same decision."""
    digest = hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


class MunicipalitySample:
    """Addresses kept from one municipality, for moves, new streets and new companies."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.rows: list[dict[str, str]] = []
        self.seen = 0
        self.max_seq = 0
        self.pc6: set[str] = set()
        self.streets: dict[str, set[str]] = defaultdict(set)

    def offer(self, values: list[str], header: list[str], rng: random.Random) -> None:
        """Reservoir sampling: every address has the same chance to be kept."""
        self.seen += 1
        if len(self.rows) < SAMPLE_PER_MUNICIPALITY:
            self.rows.append(dict(zip(header, values, strict=True)))
        else:
            j = rng.randrange(self.seen)
            if j < SAMPLE_PER_MUNICIPALITY:
                self.rows[j] = dict(zip(header, values, strict=True))

    def block(self, info: MunicipalityInfo) -> AddressBlock:
        rows = self.rows
        towns = sorted({r["woonplaats"] for r in rows})
        streets = sorted({(r["straat"], r["woonplaats"]) for r in rows})
        street_index = {s: i for i, s in enumerate(streets)}
        use_index = {u: i for i, u in enumerate(USES)}
        block = AddressBlock(
            info=info,
            towns=towns,
            street_names=[s for s, _ in streets],
            street_town=[towns.index(t) for _, t in streets],
            street_kind=[RESIDENTIAL] * len(streets),
            street=np.array([street_index[(r["straat"], r["woonplaats"])] for r in rows]),
            number=np.array([int(r["huisnummer"]) for r in rows]),
            letter=[r["huisletter"] for r in rows],
            addition=[r["toevoeging"] for r in rows],
            postcode=[r["postcode"] for r in rows],
            use=np.array([use_index.get(r["gebruiksdoel"], 9) for r in rows], dtype=np.int8),
            area=np.array([int(r["oppervlakte"] or 0) for r in rows]),
            rd_x=np.array([float(r["rd_x"]) for r in rows]),
            rd_y=np.array([float(r["rd_y"]) for r in rows]),
            lat=np.array([float(r["lat"]) for r in rows]),
            lon=np.array([float(r["lon"]) for r in rows]),
            id_base=0,
            nd_ids=[r["nummeraanduiding_id"] for r in rows],
        )
        categorise(block)
        return block


def _used_addresses(source: Path) -> np.ndarray:
    ids = [
        int(r["nummeraanduiding_id"])
        for r in read_rows(source / TRUTH_DIR / "vestigingen_adres.csv")
    ]
    return np.unique(np.array(ids, dtype=np.int64))


def _update_bag(
    source: Path,
    out: Path,
    seed: int,
    generation: int,
    rng: random.Random,
    samples: dict[str, MunicipalitySample],
    surname: Callable[[], tuple[str, str]],
) -> tuple[int, int, set[str]]:
    used = _used_addresses(source)
    removed: set[str] = set()
    kept = 0
    with (
        (source / BAG_FILE).open(encoding="utf-8-sig", newline="") as handle,
        CsvSink(out / BAG_FILE, BAG_COLUMNS) as sink,
    ):
        reader = csv.reader(handle)
        header = next(reader)
        at = {name: header.index(name) for name in BAG_COLUMNS}
        order = [at[name] for name in BAG_COLUMNS]
        same_order = order == list(range(len(BAG_COLUMNS)))
        nd_at, code_at, pc_at = at["nummeraanduiding_id"], at["gemeentecode"], at["postcode"]
        town_at, street_at = at["woonplaats"], at["straat"]
        for values in reader:
            nd = values[nd_at]
            code = f"GM{values[code_at][-4:]}"
            sample = samples.get(code) or samples.setdefault(code, MunicipalitySample(code))
            seq = int(nd[6:])
            if seq > sample.max_seq:
                sample.max_seq = seq
            sample.pc6.add(values[pc_at])
            sample.streets[values[town_at]].add(values[street_at])
            if _u(seed, generation, "adres", nd) < RATES["address_gone"]:
                position = np.searchsorted(used, int(nd))
                if position >= len(used) or used[position] != int(nd):
                    removed.add(nd)
                    continue
            sink.write(values if same_order else [values[i] for i in order])
            sample.offer(values, header, rng)
            kept += 1
        new = 0
        for code in sorted(samples):
            new += _new_street(samples[code], sink, rng, surname)
    return kept, new, removed


def _new_street(
    sample: MunicipalitySample,
    sink: CsvSink,
    rng: random.Random,
    surname: Callable[[], tuple[str, str]],
) -> int:
    """New-build: a new street in an existing postcode area, with unused postcodes."""
    count = round(sample.seen * RATES["address_new"])
    if count == 0 or not sample.rows:
        return 0
    model = rng.choice(sample.rows)
    town = model["woonplaats"]
    namer = StreetNamer(rng, surname)
    namer.used[0] = set(sample.streets[town])
    street = namer.name(0, RESIDENTIAL, namer.theme())
    pc4 = model["postcode"][:4]
    free = [s for s in PC6_SUFFIXES if f"{pc4}{s}" not in sample.pc6]
    transformer = to_wgs84()
    x0, y0 = float(model["rd_x"]), float(model["rd_y"]) + 150
    angle = rng.uniform(0, 3.14)
    for i in range(count):
        postcode = f"{pc4}{free[(i // 20) % len(free)]}" if free else model["postcode"]
        sample.max_seq += 1
        seq = sample.max_seq
        digits = sample.code[2:]
        x = x0 + i * 5.0 * np.cos(angle)
        y = y0 + i * 5.0 * np.sin(angle)
        lon, lat = transformer.transform(x, y)
        row = {
            "verblijfsobject_id": f"{digits}01{seq + 7_000_000:010d}",
            "nummeraanduiding_id": f"{digits}20{seq:010d}",
            "postcode": postcode,
            "huisnummer": str(i + 1),
            "huisletter": "",
            "toevoeging": "",
            "straat": street,
            "woonplaats": town,
            "gemeentecode": digits,
            "gebruiksdoel": "woonfunctie" if rng.random() < 0.95 else "woonfunctie|kantoorfunctie",
            "oppervlakte": str(int(70 + rng.random() * 80)),
            "rd_x": f"{x:.1f}",
            "rd_y": f"{y:.1f}",
            "lat": f"{lat:.6f}",
            "lon": f"{lon:.6f}",
        }
        sink.write([row[c] for c in BAG_COLUMNS])
        sample.rows.append(row)
    return count


def _lockstep(data: Path, truth: Path) -> Iterator[tuple[dict[str, str], dict[str, str]]]:
    yield from zip(read_rows(data), read_rows(truth), strict=True)


def generate_update(
    source: Path,
    out: Path,
    peildatum: date | None = None,
    progress: Callable[[str], None] = lambda _: None,
) -> UpdateResult:
    started = time.perf_counter()
    manifest = read_manifest(source)
    seed, generation = int(manifest["seed"]), int(manifest["generatie"]) + 1
    previous = date.fromisoformat(manifest["peildatum"])
    peil = peildatum or previous + timedelta(days=30)
    rng = random.Random(f"update:{seed}:{generation}")
    samples: dict[str, MunicipalitySample] = {}
    sampler = NameSampler(np.random.default_rng([seed, 7, generation]))

    def surname() -> tuple[str, str]:
        return sampler.surname(int(sampler.surname_indices(np.array(["nl"]))[0]))

    kept, new_addresses, removed = _update_bag(source, out, seed, generation, rng, samples, surname)
    progress(
        f"BAG: {number(kept)} adressen over, {number(len(removed))} vervallen, {number(new_addresses)} nieuw ({time.perf_counter() - started:.0f} s)"
    )

    table = municipalities()
    blocks = {code: s.block(table[code]) for code, s in samples.items() if s.rows and code in table}
    pool = PersonPool(sampler, rng, peil)
    pool.next_pid = int(manifest["persoon_volgende"])
    numbers = Numbers(
        seed,
        kvk_next=int(manifest["kvk_volgende"]),
        branch_next=int(manifest["vestiging_volgende"]),
    )
    truth = out / TRUTH_DIR
    sinks = {
        "kvk": CsvSink(out / KVK_FILE, KVK_COLUMNS),
        "officers": CsvSink(out / OFFICER_FILE, OFFICER_COLUMNS),
        "truth_officers": CsvSink(truth / "functionarissen.csv", TRUTH_OFFICER_COLUMNS),
        "truth_branches": CsvSink(truth / "vestigingen_adres.csv", TRUTH_BRANCH_COLUMNS),
    }
    factory = CompanyFactory(pool, rng, numbers, peil, sinks, Samples.create(1, rng))
    counts: defaultdict[str, int] = defaultdict(int)
    try:
        _update_companies(source, sinks, blocks, factory, seed, generation, previous, peil, counts)
        _update_officers(source, sinks, blocks, pool, seed, generation, peil, counts)
        old_rows = int(manifest["inschrijvingen"])
        new_total = round(old_rows * RATES["new_companies"])
        weights = {code: samples[code].seen for code in blocks}
        total_weight = sum(weights.values()) or 1
        for code in sorted(blocks):
            share = round(new_total * weights[code] / total_weight)
            if share:
                factory.municipality(blocks[code], share)
    finally:
        for sink in sinks.values():
            sink.close()
    _copy_queries(source, out, seed, generation, removed)
    write_manifest(
        out,
        manifest
        | {
            "generatie": generation,
            "peildatum": peil.isoformat(),
            "vorige": str(source),
            "adressen": kept + new_addresses,
            "inschrijvingen": sinks["kvk"].rows,
            "functionarissen": sinks["officers"].rows,
            "kvk_volgende": numbers.kvk_next,
            "vestiging_volgende": numbers.branch_next,
            "persoon_volgende": pool.next_pid,
        },
    )
    return UpdateResult(
        addresses=kept + new_addresses,
        addresses_gone=len(removed),
        addresses_new=new_addresses,
        companies=sinks["kvk"].rows,
        gone=counts["gone"],
        dissolved=counts["dissolved"],
        moved=counts["moved"],
        renamed=counts["renamed"],
        new=factory.rows,
        officers=sinks["officers"].rows,
        seconds=time.perf_counter() - started,
    )


def _company_fate(seed: int, generation: int, kvk: str) -> str:
    u = _u(seed, generation, "kvk", kvk)
    edges = (
        ("gone", RATES["gone"]),
        ("dissolved", RATES["dissolved"]),
        ("renamed", RATES["renamed"]),
    )
    for fate, rate in edges:
        if u < rate:
            return fate
        u -= rate
    return ""


def _update_companies(
    source: Path,
    sinks: dict[str, CsvSink],
    blocks: dict[str, AddressBlock],
    factory: CompanyFactory,
    seed: int,
    generation: int,
    previous: date,
    peil: date,
    counts: defaultdict[str, int],
) -> None:
    rng = factory.rng
    pairs = _lockstep(source / KVK_FILE, source / TRUTH_DIR / "vestigingen_adres.csv")
    for row, truth in pairs:
        kvk = row["kvk_nummer"]
        fate = _company_fate(seed, generation, kvk)
        if fate == "gone":
            counts["gone"] += 1
            continue
        if fate == "dissolved" and not row["datum_opheffing"]:
            span = max(1, (peil - previous).days)
            row["datum_opheffing"] = (
                previous + timedelta(days=int(_u(kvk, "end") * span))
            ).isoformat()
            counts["dissolved"] += 1
        if fate == "renamed":
            row["statutaire_naam"], row["handelsnamen"] = _renamed(row, rng)
            counts["renamed"] += 1
        nd = truth["nummeraanduiding_id"]
        block = blocks.get(f"GM{nd[:4]}")
        if (
            row["vestigingsnummer"]
            and block is not None
            and _u(seed, generation, "verhuizing", kvk, row["vestigingsnummer"]) < RATES["moved"]
        ):
            target = block.record(rng.randrange(len(block)))
            for key, value in zip(
                ("straat", "huisnummer", "huisletter", "toevoeging", "postcode", "plaats"),
                (
                    target.street,
                    str(target.number),
                    target.letter,
                    target.addition,
                    target.postcode,
                    target.town,
                ),
                strict=True,
            ):
                row[f"bezoek_{key}"] = value
            truth = truth | {"nummeraanduiding_id": target.nd_id, "variatie": "verhuisd"}
            counts["moved"] += 1
        sinks["kvk"].write([row[c] for c in KVK_COLUMNS])
        sinks["truth_branches"].write([truth[c] for c in TRUTH_BRANCH_COLUMNS])


def _renamed(row: dict[str, str], rng: random.Random) -> tuple[str, str]:
    old = row["statutaire_naam"]
    base = strip_legal_form(old)
    suffix = old[len(base) :]
    word = rng.choice(["Groep", "Nova", "Next", "Centrum", "Plus", "Totaal", "Nederland", "& Co"])
    new_name = f"{base} {word}{suffix}"
    trade = [t for t in row["handelsnamen"].split("|") if t]
    return new_name, "|".join([f"{strip_legal_form(new_name)}", *trade])


def _update_officers(
    source: Path,
    sinks: dict[str, CsvSink],
    blocks: dict[str, AddressBlock],
    pool: PersonPool,
    seed: int,
    generation: int,
    peil: date,
    counts: defaultdict[str, int],
) -> None:
    rng = pool.rng
    group: list[tuple[dict[str, str], dict[str, str]]] = []
    codes = sorted(blocks)

    def flush() -> None:
        if not group:
            return
        kvk = group[0][0]["kvk_nummer"]
        if _company_fate(seed, generation, kvk) == "gone":
            return
        rows = list(group)
        if _u(seed, generation, "functionarissen", kvk) < RATES["officers"]:
            counts["officers_changed"] += 1
            if len(rows) > 1 and rng.random() < 0.5:
                rows.pop(rng.randrange(len(rows)))
            else:
                person = pool.new_person(rng.choice(codes) if codes else "", -1)
                (first, particle, surname, dob), _ = written(person, rng)
                role = rows[0][0]["functie"]
                officer = {
                    "kvk_nummer": kvk,
                    "voornamen": first,
                    "voorvoegsel": particle,
                    "geslachtsnaam": surname,
                    "geboortedatum": dob,
                    "functie": role if role != "eigenaar" else "gevolmachtigde",
                    "datum_aanvang": (peil - timedelta(days=rng.randint(1, 30))).isoformat(),
                }
                rows.append((officer, {"person_id": person.person_id}))
        for officer, truth in rows:
            line = sinks["officers"].write([officer[c] for c in OFFICER_COLUMNS])
            sinks["truth_officers"].write((line, kvk, truth["person_id"]))

    pairs = _lockstep(source / OFFICER_FILE, source / TRUTH_DIR / "functionarissen.csv")
    for officer, truth in pairs:
        if group and officer["kvk_nummer"] != group[0][0]["kvk_nummer"]:
            flush()
            group = []
        group.append((officer, truth))
    flush()


def _copy_queries(source: Path, out: Path, seed: int, generation: int, removed: set[str]) -> None:
    """Keep the questions whose answer still exists in the new extract."""
    queries = list(read_rows(source / TRUTH_DIR / "queries.csv"))
    wanted = {r["person_id"] for r in queries if r["person_id"]}
    kept_persons = {
        r["person_id"]
        for r in read_rows(out / TRUTH_DIR / "functionarissen.csv")
        if r["person_id"] in wanted
    }
    with CsvSink(out / TRUTH_DIR / "queries.csv", QUERY_COLUMNS) as sink:
        for row in queries:
            companies = (row["kvk_nummer"], row.get("bij_kvk_nummer", ""))
            if any(k and _company_fate(seed, generation, k) == "gone" for k in companies):
                continue
            if row["person_id"] and row["person_id"] not in kept_persons:
                continue
            if row["nummeraanduiding_id"] in removed:
                continue
            sink.write([row.get(c, "") for c in QUERY_COLUMNS])
