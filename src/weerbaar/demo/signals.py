"""Fictitious demo signals for the demo municipalities, spread over phenomena and channels."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from weerbaar.accounts.models import User
from weerbaar.organisations.models import Municipality
from weerbaar.signals import actions
from weerbaar.signals.models import Phenomenon, Signal
from weerbaar.signals.workflow import Status

# (days ago, filer, phenomenon codes, description, location, subjects, steps)
DemoRow = tuple[int, str, list[str], str, dict[str, Any], list[dict[str, Any]], list[Status]]
DEMO: list[DemoRow] = [
    (
        0,
        "medewerker",
        ["hennepteelt"],
        "Bij de loods achter de Demostraat zijn de ramen afgeplakt en hoor ik 's avonds ventilatoren zoemen. (demo)",
        {"street": "Demostraat", "house_number": 14, "city": "Papendrecht"},
        [
            {
                "kind": "adres",
                "role": "locatie",
                "street": "Demostraat",
                "house_number": 14,
                "city": "Papendrecht",
            }
        ],
        [],
    ),
    (
        1,
        "medewerker",
        ["witwassen", "vastgoed"],
        "Nieuwe eigenaar betaalde de bovenwoning volgens de makelaar grotendeels contant. (demo)",
        {"area_name": "Centrum"},
        [{"kind": "persoon", "role": "eigenaar", "name": "J. Voorbeeld (demo)"}],
        [Status.IN_PROGRESS],
    ),
    (
        3,
        "regisseur",
        ["automotive"],
        "Autobedrijf met veel dure auto's op het terrein maar vrijwel geen klanten. (demo)",
        {"area_name": "Bedrijventerrein Demopolder"},
        [{"kind": "bedrijf", "role": "eigenaar", "name": "Autohandel Demo BV (demo)"}],
        [Status.IN_PROGRESS, Status.ENRICHED],
    ),
    (
        6,
        "analist",
        ["jachthavens"],
        "Boot vertrekt meermaals 's nachts uit de jachthaven zonder lichten. (demo)",
        {"area_name": "Jachthaven De Demo"},
        [{"kind": "vaartuig", "role": "gebruiker", "vessel_id": "Zeemeeuw (demo)"}],
        [Status.IN_PROGRESS, Status.ON_LIO_AGENDA],
    ),
    (
        9,
        "medewerker",
        ["adresfraude"],
        "Op één adres staan elf personen ingeschreven; het is een kleine eengezinswoning. (demo)",
        {"street": "Voorbeeldlaan", "house_number": 3, "city": "Papendrecht"},
        [],
        [Status.IN_PROGRESS, Status.CLOSED],
    ),
    (
        2,
        "regisseur-dordrecht",
        ["opslagboxen"],
        "Opslagbox wordt 's nachts bezocht; stroomverbruik opvallend hoog. (demo)",
        {"area_name": "Boxenpark Demo"},
        [],
        [],
    ),
]


@transaction.atomic
def load_demo_signals() -> int:
    if Signal.objects.filter(is_demo=True).exists():
        return 0
    now = timezone.now()
    for days_ago, username, codes, text, location, subjects, steps in DEMO:
        filer = User.objects.get(username=username)
        municipality = filer.municipality
        assert isinstance(municipality, Municipality)
        signal = actions.create_signal(
            filer,
            actions.NewSignal(
                municipality=municipality,
                channel=actions.default_channel(filer),
                description=text,
                phenomena=list(Phenomenon.objects.filter(code__in=codes, municipality=None)),
                location=location,
                subjects=subjects,
                received_at=now - timedelta(days=days_ago, hours=2),
            ),
        )
        Signal.objects.filter(pk=signal.pk).update(is_demo=True)
        regisseur = User.objects.get(
            username="regisseur" if municipality.code == "GM0590" else "regisseur-dordrecht"
        )
        if steps:
            actions.mark_read(regisseur, signal)
        for step in steps:
            signal = actions.change_status(regisseur, signal, step, note="demo")
    _load_other_channels(now)
    return len(DEMO) + 2


def _load_other_channels(now: datetime) -> None:
    """One anonymous report and one forwarded by Meld Misdaad Anoniem, for the demo."""
    papendrecht = Municipality.objects.get(code="GM0590")
    anonymous, _code = actions.create_anonymous_signal(
        actions.NewSignal(
            municipality=papendrecht,
            channel="anoniem",
            description="In het pand naast de snackbar wonen wisselend veel mannen; er stopt 's ochtends vroeg een busje. (demo)",
            location={"street": "Demoplein", "house_number": 2, "city": "Papendrecht"},
            received_at=now - timedelta(days=4),
        )
    )
    regisseur = User.objects.get(username="regisseur")
    mma = actions.create_signal(
        regisseur,
        actions.NewSignal(
            municipality=papendrecht,
            channel="mma",
            description="Melder ziet regelmatig overdrachten van pakketjes bij de ingang van het boxenpark. (demo)",
            phenomena=list(Phenomenon.objects.filter(code="drugshandel", municipality=None)),
            location={"area_name": "Boxenpark Demo"},
            received_at=now - timedelta(days=5),
            external_id="MMA-DEMO-0001",
        ),
    )
    Signal.objects.filter(pk__in=[anonymous.pk, mma.pk]).update(is_demo=True)
