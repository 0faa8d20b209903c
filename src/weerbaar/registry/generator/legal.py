"""Legal forms: how often each occurs per kind of business, how the register writes them,
and which officers each form has.
"""

from __future__ import annotations

import random

# Legal form distribution per profile (a profile is named in sbi_profielen.json).
PROFILES: dict[str, dict[str, float]] = {
    "zzp": {"eenmanszaak": 0.86, "bv": 0.09, "vof": 0.05},
    "mkb": {"eenmanszaak": 0.52, "bv": 0.29, "vof": 0.16, "cv": 0.01, "maatschap": 0.02},
    "horeca": {"eenmanszaak": 0.40, "bv": 0.36, "vof": 0.24},
    "bv": {"bv": 0.88, "eenmanszaak": 0.07, "nv": 0.02, "cv": 0.03},
    "holding": {"bv": 0.985, "nv": 0.005, "stichting": 0.01},
    "landbouw": {"eenmanszaak": 0.36, "maatschap": 0.34, "vof": 0.15, "bv": 0.15},
    "stichting": {"stichting": 1.0},
    "vereniging": {"vereniging": 1.0},
    "vve": {"vve": 1.0},
    "cooperatie": {"cooperatie": 1.0},
}
# The register's own words for the form (rechtsvorm), with how often each spelling occurs.
WRITTEN: dict[str, list[tuple[str, int]]] = {
    "eenmanszaak": [("Eenmanszaak", 100)],
    "bv": [
        ("Besloten Vennootschap", 78),
        ("Besloten vennootschap met gewone structuur", 17),
        ("BV", 5),
    ],
    "nv": [("Naamloze Vennootschap", 90), ("NV", 10)],
    "vof": [("Vennootschap onder firma", 92), ("VOF", 8)],
    "cv": [("Commanditaire vennootschap", 100)],
    "maatschap": [("Maatschap", 100)],
    "stichting": [("Stichting", 100)],
    "vereniging": [
        ("Vereniging met volledige rechtsbevoegdheid", 70),
        ("Vereniging met beperkte rechtsbevoegdheid", 30),
    ],
    "vve": [("Vereniging van eigenaars", 100)],
    "cooperatie": [("Coöperatie", 100)],
}
# Suffix of the registered name, with its spellings.
NAME_SUFFIX: dict[str, list[tuple[str, int]]] = {
    "bv": [(" B.V.", 86), (" BV", 10), (" B.V", 4)],
    "nv": [(" N.V.", 100)],
    "vof": [(" V.O.F.", 50), ("", 50)],
    "cv": [(" C.V.", 100)],
    "cooperatie": [(" U.A.", 100)],
}
# Legal entities may exist without a branch (vestiging).
NO_BRANCH = {"vve": 1.0, "stichting": 0.35, "vereniging": 0.35}


def pick_weighted(options: list[tuple[str, int]], rng: random.Random) -> str:
    total = sum(w for _, w in options)
    r = rng.random() * total
    for value, weight in options:
        r -= weight
        if r < 0:
            return value
    return options[-1][0]


def written_form(legal: str, rng: random.Random) -> str:
    return pick_weighted(WRITTEN[legal], rng)


def name_suffix(legal: str, rng: random.Random) -> str:
    options = NAME_SUFFIX.get(legal)
    return pick_weighted(options, rng) if options else ""


def officer_roles(legal: str, rng: random.Random) -> list[str]:
    """The roles a new company of this form has: owner, partners, board."""
    r = rng.random()
    if legal == "eenmanszaak":
        return ["eigenaar"]
    if legal == "vof":
        return ["vennoot"] * (2 if r < 0.7 else 3 if r < 0.95 else 4)
    if legal == "maatschap":
        return ["maat"] * (2 if r < 0.7 else 3)
    if legal == "cv":
        return ["beherend vennoot"] * (1 if r < 0.6 else 2)
    if legal == "bv":
        roles = ["bestuurder"] * (1 if r < 0.76 else 2 if r < 0.96 else 3)
        if rng.random() < 0.06:
            roles.append("gevolmachtigde")
        return roles
    if legal == "nv":
        return ["bestuurder"] * (2 if r < 0.6 else 3) + ["commissaris"] * 2
    if legal in ("stichting", "vereniging", "cooperatie"):
        if legal == "stichting" and r < 0.45:
            return ["bestuurder"] * (1 if rng.random() < 0.6 else 2)
        return ["voorzitter", "secretaris", "penningmeester"]
    if legal == "vve":
        return ["bestuurder"] * (1 if r < 0.6 else 2 if r < 0.9 else 3)
    return ["bestuurder"]
