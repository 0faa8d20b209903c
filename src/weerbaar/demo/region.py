"""The demo region: RIEC Rotterdam, district Zuid-Holland-Zuid, Papendrecht as demo municipality.

Every organisation name, person and address here is fictitious and marked ``is_demo``.
Running it again changes nothing that exists already.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from weerbaar.accounts.actions import create_account
from weerbaar.accounts.models import User
from weerbaar.accounts.otp import DEVICE_NAME, secret_base32
from weerbaar.accounts.roles import Role
from weerbaar.organisations.actions import save_partner_organisation, save_team
from weerbaar.organisations.models import (
    Municipality,
    PartnerKind,
    PartnerOrganisation,
    Region,
    Team,
    TeamKind,
)

DEMO_PASSWORD = "Weerbaar-demo-2026"  # noqa: S105 - printed for the demo, never for production
DEMO_MUNICIPALITY = "GM0590"  # Papendrecht
DISTRICT_MUNICIPALITIES = ["GM0590", "GM0505", "GM0610", "GM0642", "GM0482"]
# Papendrecht, Dordrecht, Sliedrecht, Zwijndrecht, Alblasserdam
DEMO_REGION = "rotterdam"

TEAMS = [
    ("Vergunningen", TeamKind.PERMITS),
    ("Toezicht en handhaving", TeamKind.ENFORCEMENT),
    ("Publiekszaken", TeamKind.FRONT_DESK),
    ("Economische zaken", TeamKind.ECONOMIC_AFFAIRS),
    ("Sociaal domein", TeamKind.SOCIAL_DOMAIN),
    ("Openbare orde en veiligheid", TeamKind.SAFETY),
]

PARTNERS = [
    ("Politie basisteam Drechtsteden (demo)", PartnerKind.POLITIE, "district"),
    ("RIEC-bureau Rotterdam (demo)", PartnerKind.RIEC, "region"),
    ("Omgevingsdienst Drechtsteden (demo)", PartnerKind.OMGEVINGSDIENST, "district"),
    ("Belastingdienst regio Rijnmond (demo)", PartnerKind.BELASTINGDIENST, "region"),
    ("Woonstichting Merwezicht (demo)", PartnerKind.WONINGCORPORATIE, "papendrecht"),
    ("Sociale Dienst Drechtsteden (demo)", PartnerKind.SOCIALE_DIENST, "district"),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: Role
    where: str  # "papendrecht", "dordrecht", "partner", "region", "platform"


ACCOUNTS = [
    DemoAccount("beheerder", "Bente", "Beheer (demo)", Role.BEHEERDER, "papendrecht"),
    DemoAccount("regisseur", "Ruud", "Regie (demo)", Role.REGISSEUR, "papendrecht"),
    DemoAccount("analist", "Anouk", "Analyse (demo)", Role.ANALIST, "papendrecht"),
    DemoAccount("medewerker", "Mehmet", "Melder (demo)", Role.MEDEWERKER, "papendrecht"),
    DemoAccount("partner", "Priya", "Politie (demo)", Role.PARTNER, "partner"),
    DemoAccount("bestuurder", "Bram", "Burgemeester (demo)", Role.BESTUURDER, "papendrecht"),
    DemoAccount("regionaal-analist", "Rosa", "Regio (demo)", Role.REGIONAAL_ANALIST, "region"),
    DemoAccount(
        "platformbeheerder", "Pieter", "Platform (demo)", Role.PLATFORMBEHEERDER, "platform"
    ),
    DemoAccount("regisseur-dordrecht", "Daan", "Dordt (demo)", Role.REGISSEUR, "dordrecht"),
]


@dataclass(frozen=True)
class AccountInfo:
    username: str
    role_label: str
    organisation: str
    totp_secret: str | None


@transaction.atomic
def load_demo_region() -> list[AccountInfo]:
    municipalities = {
        m.code: m for m in Municipality.objects.filter(code__in=DISTRICT_MUNICIPALITIES)
    }
    if len(municipalities) != len(DISTRICT_MUNICIPALITIES):
        raise RuntimeError("Laad eerst de gemeententabel (weerbaar load-reference-data).")
    papendrecht = municipalities[DEMO_MUNICIPALITY]
    region = Region.objects.get(code=DEMO_REGION)
    for municipality in municipalities.values():
        if not municipality.is_participating:
            municipality.is_participating = True
            municipality.save(update_fields=["is_participating"])
    for code in (DEMO_MUNICIPALITY, "GM0505"):
        for team_name, team_kind in TEAMS:
            if not Team.objects.filter(municipality=municipalities[code], name=team_name).exists():
                save_team(
                    None,
                    Team(
                        municipality=municipalities[code],
                        name=team_name,
                        kind=team_kind,
                        is_demo=True,
                    ),
                )
    partners: dict[str, PartnerOrganisation] = {}
    for name, kind, reach in PARTNERS:
        existing = PartnerOrganisation.objects.filter(name=name).first()
        if existing is None:
            existing = save_partner_organisation(
                None,
                PartnerOrganisation(name=name, kind=kind, is_demo=True),
                municipalities=(
                    list(municipalities.values())
                    if reach == "district"
                    else [papendrecht]
                    if reach == "papendrecht"
                    else []
                ),
                regions=[region] if reach == "region" else [],
            )
        partners[name] = existing
    police = partners[PARTNERS[0][0]]
    scope_fields = {
        "papendrecht": {"municipality": papendrecht},
        "dordrecht": {"municipality": municipalities["GM0505"]},
        "partner": {"partner_organisation": police},
        "region": {"region": region},
        "platform": {},
    }
    infos = []
    for spec in ACCOUNTS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = create_account(
                None,
                username=spec.username,
                first_name=spec.first_name,
                last_name=spec.last_name,
                email=f"{spec.username}@demo.weerbaar.invalid",
                role=spec.role,
                password=DEMO_PASSWORD,
                **scope_fields[spec.where],
            )
            User.objects.filter(pk=user.pk).update(is_demo=True)
            if user.needs_second_factor:
                TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        infos.append(
            AccountInfo(
                spec.username,
                str(spec.role.label),
                user.organisation_name,
                secret_base32(device) if device else None,
            )
        )
    return infos
