"""Synthetic, fictitious signals in bulk: for demos at scale and for the benchmarks.

Texts are assembled from word pools with known frequencies (one word in about 30% of the
signals, one in about 3%, one in 0.1%), subjects recur from limited pools so that hits
exist, and everything is marked ``is_demo``. Rows are written with bulk inserts; one audit
entry records the run (counts only).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from weerbaar.audit.log import Target, record
from weerbaar.audit.models import Action
from weerbaar.organisations.models import Municipality

from .models import Phenomenon, Signal, SignalCounter, StatusChange, Subject
from .workflow import Status

COMMON = "woning"  # in about 30% of the texts
MID = "loods"  # about 3%
RARE = "zeilboot"  # about 0.1%
OPENINGS = ["Bij", "Rond", "Achter", "Naast", "Tegenover"]
PLACES = [
    "het bedrijfspand",
    "de garage",
    "een opslagbox",
    "de kapsalon",
    "het clubhuis",
    "de bovenwoning",
    "een schuur",
    "de jachthaven",
]
OBSERVATIONS = [
    "komen 's nachts steeds andere auto's",
    "hangt een sterke geur",
    "zijn de ramen afgeplakt",
    "wordt veel contant betaald",
    "wonen veel meer mensen dan er passen",
    "staan dure auto's zonder kenteken",
    "brandt dag en nacht licht",
    "worden pakketjes overgedragen",
    "is een nieuwe eigenaar die niemand kent",
]
STATUSES = (
    [Status.NEW] * 10
    + [Status.IN_PROGRESS] * 25
    + [Status.ENRICHED] * 15
    + [Status.ON_LIO_AGENDA] * 5
    + [Status.DECIDED] * 5
    + [Status.CLOSED] * 40
)
CHANNELS = (
    ["medewerker"] * 40
    + ["sleutelfiguur"] * 10
    + ["anoniem"] * 15
    + ["mma"] * 20
    + ["partner"] * 10
    + ["controle"] * 5
)
LETTERS = "ABCDEFGHJKLMNPRTVWXZ"


def _postcode(rng: random.Random) -> str:
    while True:
        letters = rng.choice(LETTERS) + rng.choice(LETTERS)
        if letters not in ("SA", "SD", "SS"):
            return f"{rng.randint(1000, 9999)}{letters}"


def _text(rng: random.Random) -> str:
    words = [rng.choice(OPENINGS), rng.choice(PLACES), rng.choice(OBSERVATIONS)]
    if rng.random() < 0.30:
        words.append(f"vlak bij een {COMMON}")
    if rng.random() < 0.03:
        words.append(f"en bij de {MID}")
    if rng.random() < 0.001:
        words.append(f"met een {RARE}")
    return " ".join(words) + ". (synthetisch)"


@dataclass
class GenerateResult:
    signals: int
    subjects: int


def generate(
    count: int,
    *,
    municipalities: list[Municipality],
    seed: int = 1,
    batch: int = 5000,
    days: int = 730,
) -> GenerateResult:
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    phenomena = list(
        Phenomenon.objects.filter(municipality__isnull=True).values_list("pk", flat=True)
    )
    now = timezone.now()
    plates = [
        f"{rng.choice(LETTERS)}{rng.choice(LETTERS)}{rng.randint(100, 999)}{rng.choice(LETTERS)}"
        for _ in range(max(1000, count // 20))
    ]
    kvks = [f"{rng.randint(10000000, 99999999)}" for _ in range(max(1000, count // 20))]
    addresses = [(_postcode(rng), rng.randint(1, 300)) for _ in range(max(2000, count // 5))]
    counters: dict[tuple[int, int], int] = defaultdict(int)
    for row in SignalCounter.objects.filter(municipality__in=municipalities):
        counters[(row.municipality_id, row.year)] = row.last
    made = subjects_made = 0
    Through = Signal.phenomena.through
    while made < count:
        size = min(batch, count - made)
        with transaction.atomic():
            signals = []
            for _ in range(size):
                municipality = rng.choice(municipalities)
                received = now - timedelta(minutes=rng.randint(0, days * 24 * 60))
                year = timezone.localtime(received).year
                counters[(municipality.pk, year)] += 1
                postcode, number = rng.choice(addresses)
                status = rng.choice(STATUSES)
                read = status != Status.NEW
                signals.append(
                    Signal(
                        reference=f"{municipality.code}-{year}-{counters[(municipality.pk, year)]:05d}",
                        municipality=municipality,
                        received_at=received,
                        channel=rng.choice(CHANNELS),
                        description=_text(rng),
                        postcode=postcode,
                        house_number=number,
                        status=status,
                        first_read_due=received + timedelta(days=1),
                        first_read_at=received + timedelta(hours=rng.randint(1, 30))
                        if read
                        else None,
                        follow_up_due=(received + timedelta(days=14)).date() if read else None,
                        closed_at=received + timedelta(days=rng.randint(5, 60))
                        if status == Status.CLOSED
                        else None,
                        is_demo=True,
                    )
                )
            Signal.objects.bulk_create(signals, batch_size=1000)
            if not signals[0].pk:  # backends without RETURNING: look the ids up
                by_ref = dict(
                    Signal.objects.filter(reference__in=[s.reference for s in signals]).values_list(
                        "reference", "pk"
                    )
                )
                for s in signals:
                    s.pk = by_ref[s.reference]
            Through.objects.bulk_create(
                [Through(signal_id=s.pk, phenomenon_id=rng.choice(phenomena)) for s in signals],
                batch_size=2000,
            )
            StatusChange.objects.bulk_create(
                [
                    StatusChange(signal_id=s.pk, at=s.received_at, to_status=Status.NEW)
                    for s in signals
                ],
                batch_size=2000,
            )
            subjects = []
            for s in signals:
                for _ in range(rng.choice((2, 3, 3, 4))):
                    kind = rng.choice(("adres", "bedrijf", "voertuig", "persoon"))
                    subject = Subject(signal_id=s.pk, kind=kind, role="overig")
                    if kind == "adres":
                        subject.postcode, subject.house_number = rng.choice(addresses)
                    elif kind == "bedrijf":
                        subject.name, subject.kvk_number = "Bedrijf (synthetisch)", rng.choice(kvks)
                    elif kind == "voertuig":
                        subject.licence_plate = rng.choice(plates)
                    else:
                        subject.name = f"Persoon {rng.randint(1, count)} (synthetisch)"
                    subject.match_key = subject.compute_match_key()
                    subjects.append(subject)
            Subject.objects.bulk_create(subjects, batch_size=2000)
            subjects_made += len(subjects)
        made += size
    with transaction.atomic():
        for (municipality_id, year), last in counters.items():
            SignalCounter.objects.update_or_create(
                municipality_id=municipality_id, year=year, defaults={"last": last}
            )
        record(
            Action.IMPORT,
            actor_label="generator",
            obj=Target("signals.Signal", "", "synthetische signalen"),
            detail={"signals": made, "subjects": subjects_made},
        )
    return GenerateResult(made, subjects_made)
