"""Demo registers and the analist's enrichment walk.

Fictitious KvK and BAG data for the demo district, made by ``generate-registry`` and loaded
through the importers (the same path as a real extract). Then a few signals that show the
walk: a company linked with reasons, an address shared with other companies, an officer as a
suggestion to confirm, and the same company known in Dordrecht (the region shares references).
"""

from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.db.models import Count

from weerbaar.accounts.models import User
from weerbaar.cases import actions as case_actions
from weerbaar.cases.models import Case
from weerbaar.organisations.models import Municipality
from weerbaar.registry.models import Company, Officer
from weerbaar.signals import actions
from weerbaar.signals.models import Signal

from .region import DEMO_MUNICIPALITY, DISTRICT_MUNICIPALITIES

COMPANIES = 2500
ADDRESSES = 12000
SEED = 7


def load_demo_registry() -> bool:
    """Generate and import the district's registers once; False when they are there."""
    if Company.objects.exists():
        return False
    quiet = StringIO()
    with tempfile.TemporaryDirectory() as tmp:
        call_command(
            "generate_registry",
            "--out",
            tmp,
            "--municipalities",
            ",".join(DISTRICT_MUNICIPALITIES),
            "--companies",
            str(COMPANIES),
            "--addresses",
            str(ADDRESSES),
            "--seed",
            str(SEED),
            stdout=quiet,
        )
        folder = Path(tmp)
        call_command("import_bag", str(folder / "bag_adressen.csv"), stdout=quiet)
        call_command("import_kvk", str(folder / "kvk_vestigingen.csv"), stdout=quiet)
        call_command("import_kvk", str(folder / "kvk_functionarissen.csv"), stdout=quiet)
    return True


def _hot_company() -> Company | None:
    """A company in Papendrecht at an address where other companies are registered too."""
    place = DEMO_MUNICIPALITY.removeprefix("GM")
    crowded = (
        Company.objects.filter(dissolved=False)
        .exclude(visit_postcode="")
        .values("visit_postcode", "visit_house_number")
        .annotate(n=Count("kvk_number", distinct=True))
        .filter(n__gte=3)
        .order_by("-n", "visit_postcode", "visit_house_number")
    )
    from weerbaar.registry.models import Address

    for spot in crowded[:200]:
        at_home = Address.objects.filter(
            postcode=spot["visit_postcode"],
            house_number=spot["visit_house_number"],
            municipality_code__in=(place, DEMO_MUNICIPALITY),
        ).exists()
        if not at_home:
            continue
        company = (
            Company.objects.filter(
                visit_postcode=spot["visit_postcode"],
                visit_house_number=spot["visit_house_number"],
                dissolved=False,
            )
            .filter(kvk_number__in=Officer.objects.values("kvk_number"))
            .order_by("kvk_number")
            .first()
        )
        unique = (
            company is not None
            and Company.objects.filter(name=company.name).values("kvk_number").distinct().count()
            == 1
        )
        if unique:
            return company
    return None


def _typo(name: str) -> str:
    """How a colleague types a name from memory: one letter dropped, legal form shortened."""
    words = name.replace("B.V.", "BV").split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) > 5:
        words[longest] = word[:3] + word[4:]
    return " ".join(words)


def _file(username: str, description: str, subjects: list[dict[str, object]]) -> Signal:
    filer = User.objects.get(username=username)
    municipality = filer.municipality
    assert isinstance(municipality, Municipality)
    signal = actions.create_signal(
        filer,
        actions.NewSignal(
            municipality=municipality,
            channel=actions.default_channel(filer),
            description=description,
            subjects=subjects,
        ),
    )
    Signal.objects.filter(pk=signal.pk).update(is_demo=True)
    return signal


def load_demo_enrichment() -> Company | None:
    """The signals of the analist's walk (once)."""
    if Signal.objects.filter(is_demo=True, description__contains="(demo verrijking)").exists():
        return None
    company = _hot_company()
    if company is None:
        return None
    region = Municipality.objects.get(code=DEMO_MUNICIPALITY).region
    if region is not None and not region.shares_references:
        region.shares_references = True
        region.save(update_fields=["shares_references"])
    address = {
        "street": company.visit_street,
        "house_number": company.visit_house_number,
        "house_number_addition": company.visit_house_letter + company.visit_house_number_addition,
        "postcode": company.visit_postcode,
        "city": company.visit_town,
    }
    _file(
        "analist",
        "Bedrijf is vrijwel altijd dicht, toch komen er 's avonds dure auto's voorrijden "
        "(demo verrijking)",
        [{"kind": "bedrijf", "role": "eigenaar", "name": _typo(company.name), **address}],
    )
    _file(
        "analist",
        "Op dit adres staan opvallend veel bedrijven ingeschreven; de bel heeft geen namen "
        "(demo verrijking)",
        [{"kind": "adres", "role": "locatie", **address}],
    )
    officer = Officer.objects.filter(kvk_number=company.kvk_number).order_by("pk").first()
    if officer is not None:
        initials = "".join(f"{n[0]}." for n in officer.first_names.split() if n)
        written = " ".join(p for p in (initials, officer.surname_prefix, officer.surname) if p)
        _file(
            "analist",
            "Buren noemen de eigenaar als degene die contant betaalt voor verbouwingen "
            "(demo verrijking)",
            [{"kind": "persoon", "role": "eigenaar", "name": written}],
        )
    _file(
        "regisseur-dordrecht",
        "Melding van de politie over dezelfde onderneming (demo verrijking)",
        [{"kind": "bedrijf", "role": "eigenaar", "name": company.name, **address}],
    )
    case = Case.objects.filter(municipality__code=DEMO_MUNICIPALITY).order_by("pk").first()
    if case is not None:
        case_actions.add_subject(
            User.objects.get(username="regisseur"),
            case,
            {"kind": "bedrijf", "role": "eigenaar", "name": company.name, **address},
        )
    return company
