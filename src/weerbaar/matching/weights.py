"""Fixed Fellegi-Sunter weights for scoring one pair interactively, and where they come from.

m = P(outcome | same entity), u = P(outcome | two random register records). Person weights
are the linker's EM estimates on the generated person set (rounded; ``linker.dedupe`` returns
them in ``scored.model``); company and address weights are set by reasoning about the registers' sizes
(documented in docs/matching.md). The prior is one over the size of the register searched:
a query names one entity among millions.
"""

from __future__ import annotations

import math

# field → outcome → (m, u)
PERSON: dict[str, dict[str, tuple[float, float]]] = {
    "first_names": {
        "exact": (0.40, 0.0007),
        "close": (0.38, 0.0065),
        "same_initials": (0.156, 0.0022),
        "compatible": (0.011, 0.0035),
        "different": (0.055, 0.987),
    },
    "surname": {
        "exact": (0.546, 0.0028),
        "close": (0.308, 0.0017),
        "part": (0.005, 0.001),
        "similar": (0.11, 0.0115),
        "different": (0.031, 0.983),
    },
    # u of an exact date: one over ~25,000 birth dates in use (the generated set piles people
    # up on two dates, which would understate it).
    "date_of_birth": {
        "exact": (0.714, 0.00004),
        "typo": (0.223, 0.0017),
        "near": (0.02, 0.015),
        "different": (0.044, 0.98),
    },
    "address": {
        "exact": (0.465, 0.000002),
        "same_postcode": (0.064, 0.00002),
        "same_area": (0.215, 0.009),
        "different": (0.255, 0.991),
    },
}
COMPANY: dict[str, dict[str, tuple[float, float]]] = {
    "name": {
        "exact": (0.80, 0.0000005),
        "close": (0.12, 0.00002),
        "similar": (0.05, 0.002),
        "different": (0.03, 0.998),
    },
    "kvk_number": {"exact": (0.99, 0.0000004), "different": (0.01, 1.0)},
    "address": {**PERSON["address"], "exact": (0.75, 0.000002)},
}
ADDRESS: dict[str, dict[str, tuple[float, float]]] = {
    "address": {
        "exact": (0.90, 0.000000001),
        "same_number": (0.08, 0.0000002),
        "street": (0.01, 0.0000001),
        "same_postcode": (0.005, 0.000005),
        "same_area": (0.003, 0.02),
        "different": (0.002, 0.98),
    },
}
# One over the number of records searched: 3.4M officers, 2.6M companies, 10M addresses.
PRIOR_BITS = {
    "person": math.log2(1 / 3_400_000),
    "company": math.log2(1 / 2_600_000),
    "address": math.log2(1 / 10_000_000),
}
# Share of the Dutch population per surname (without particle), for the most common ones
# (CBG "Nederlandse Familienamenbank", rounded). A match on a common surname says less.
COMMON_SURNAMES = {
    "jong": 0.0053,
    "jansen": 0.0045,
    "vries": 0.0044,
    "berg": 0.0040,
    "dijk": 0.0036,
    "janssen": 0.0035,
    "bakker": 0.0035,
    "visser": 0.0030,
    "smit": 0.0028,
    "meijer": 0.0025,
    "boer": 0.0024,
    "mulder": 0.0022,
    "groot": 0.0022,
    "bos": 0.0021,
    "vos": 0.0019,
    "peters": 0.0018,
    "hendriks": 0.0018,
    "leeuwen": 0.0017,
    "dekker": 0.0017,
    "brouwer": 0.0016,
    "wit": 0.0016,
    "dijkstra": 0.0015,
    "smits": 0.0015,
    "graaf": 0.0015,
    "meer": 0.0015,
}


def bits(table: dict[str, tuple[float, float]], outcome: str) -> float:
    """log2(m/u) of one outcome; 0 for a missing value."""
    if outcome not in table:
        return 0.0
    m, u = table[outcome]
    return math.log2(m / u)


def surname_adjustment(core: str) -> float:
    """Less evidence for an exact common surname: log2(u_exact / its frequency), ≤ 0."""
    share = COMMON_SURNAMES.get(core)
    if share is None:
        return 0.0
    return min(0.0, math.log2(PERSON["surname"]["exact"][1] / share))
