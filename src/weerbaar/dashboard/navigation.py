"""The main navigation: one entry per module, shown to the roles whose permissions allow it."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from weerbaar.accounts.roles import Perm


@dataclass(frozen=True)
class Module:
    slug: str
    label: str | Promise
    perm: Perm
    url_name: str
    summary: str | Promise
    available: bool = False

    @property
    def url(self) -> str:
        """Its own page once built; until then the module's entry page."""
        return (
            reverse(self.url_name) if self.available else reverse(self.url_name, args=[self.slug])
        )


MODULES = [
    Module(
        "signalen",
        _("Signalen"),
        Perm.MODULE_SIGNALS,
        "signals:list",
        _("Signalen uit alle meldpunten ontvangen, beoordelen en opvolgen."),
        available=True,
    ),
    Module(
        "lio",
        _("LIO"),
        Perm.MODULE_LIO,
        "lio:list",
        _("Het lokaal informatieoverleg voorbereiden, voeren en vastleggen."),
        available=True,
    ),
    Module(
        "casussen",
        _("Casussen"),
        Perm.MODULE_CASES,
        "cases:list",
        _("Casussen met betrokkenen, partners en interventies volgen."),
        available=True,
    ),
    Module(
        "controles",
        _("Controles"),
        Perm.MODULE_INSPECTIONS,
        "inspections:list",
        _("Integrale controles plannen en de resultaten vastleggen."),
        available=True,
    ),
    Module(
        "entiteiten",
        _("Entiteiten"),
        Perm.MODULE_ENTITIES,
        "entities:search",
        _("Bedrijven, personen en adressen uit KvK en BAG, met hun samenhang en netwerk."),
        available=True,
    ),
    Module(
        "beeld",
        _("Beeld"),
        Perm.MODULE_PICTURE,
        "dashboard:module",
        _("Het lokale, districts- en regionale ondermijningsbeeld op de kaart."),
    ),
    Module(
        "weerbaarheid",
        _("Weerbaarheid"),
        Perm.MODULE_RESILIENCE,
        "dashboard:module",
        _("De weerbaarheidsscan: waar staat de gemeente en wat is de volgende stap."),
    ),
    Module(
        "kennisbank",
        _("Kennisbank"),
        Perm.MODULE_KNOWLEDGE,
        "dashboard:module",
        _("Goede voorbeelden en handelingsperspectieven van andere gemeenten."),
    ),
    Module(
        "plan",
        _("Plan en verantwoording"),
        Perm.MODULE_PLAN,
        "dashboard:module",
        _("Plan van aanpak, activiteiten per kwartaal en de jaarlijkse verantwoording."),
    ),
    Module(
        "beheer",
        _("Beheer"),
        Perm.MODULE_ADMIN,
        "dashboard:admin",
        _("Accounts, organisaties en auditlog."),
        True,
    ),
]
MODULES_BY_SLUG = {m.slug: m for m in MODULES}


def modules_for(user: object) -> list[Module]:
    has_perm = getattr(user, "has_role_perm", None)
    if has_perm is None:
        return []
    return [m for m in MODULES if has_perm(m.perm)]
