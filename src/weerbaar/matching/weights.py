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
        "exact": (0.43, 0.0008),
        "same_first": (0.19, 0.0033),
        "close": (0.17, 0.0019),
        "similar": (0.007, 0.0033),
        "same_initials": (0.17, 0.0024),
        "compatible": (0.019, 0.0037),
        "different": (0.013, 0.985),
    },
    "surname": {
        "exact": (0.65, 0.0033),
        "close": (0.27, 0.0016),
        "part": (0.005, 0.0012),
        "similar": (0.07, 0.0118),
        "different": (0.006, 0.982),
    },
    # u of an exact date: one over ~25,000 birth dates in use.
    "date_of_birth": {
        "exact": (0.77, 0.00004),
        "typo": (0.18, 0.0015),
        "near": (0.011, 0.0166),
        "different": (0.034, 0.982),
    },
    "address": {
        "exact": (0.50, 0.000002),
        "same_number_area": (0.19, 0.00014),
        "same_postcode": (0.072, 0.00001),
        "same_area": (0.019, 0.0088),
        "different": (0.215, 0.991),
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
        "same_number_area": (0.005, 0.0000002),
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
