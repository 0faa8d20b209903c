"""Intervention types with their legal basis, and the status workflow, as data in one place."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    BIBOB = "bibob", _("Bibob-onderzoek of -advies")
    PERMIT = "vergunning", _("Vergunning geweigerd of ingetrokken")
    CLOSURE_DRUGS = "sluiting_13b", _("Sluiting pand (Opiumwet art. 13b)")
    CLOSURE_PUBLIC_ORDER = "sluiting_174a", _("Sluiting openbare orde (Gemeentewet art. 174a)")
    REMEDIAL = "herstelsanctie", _("Last onder dwangsom of bestuursdwang")
    FINE = "bestuurlijke_boete", _("Bestuurlijke boete")
    PERMIT_OBLIGATION = "vergunningplicht", _("Aanwijzing vergunningplicht (APV)")
    CRIMINAL = "strafrechtelijk", _("Strafrechtelijke route (OM)")
    FISCAL = "fiscaal", _("Fiscale route (Belastingdienst)")
    ASSET_RECOVERY = "afpakken", _("Afpakken van crimineel vermogen")
    WARNING = "waarschuwing", _("Waarschuwing of bestuurlijk gesprek")
    OTHER = "overig", _("Overig")


K = Kind
# The legal basis a new intervention of each kind starts with; the row keeps its own copy,
# which the case worker can make more precise (article, by-law, policy rule).
LEGAL_BASIS: dict[str, str] = {
    K.BIBOB: "Wet Bibob (eigen onderzoek; advies Landelijk Bureau Bibob, art. 9)",
    K.PERMIT: "Wet Bibob art. 3, met de wet of APV-bepaling van de vergunning",
    K.CLOSURE_DRUGS: "Opiumwet art. 13b",
    K.CLOSURE_PUBLIC_ORDER: "Gemeentewet art. 174a",
    K.REMEDIAL: "Gemeentewet art. 125; Awb afdeling 5.3.2 (bestuursdwang) en 5.3.3 (dwangsom)",
    K.FINE: "Awb titel 5.4, met de wet die de boete toekent",
    K.PERMIT_OBLIGATION: "APV (aanwijzing van een vergunningplichtig gebied of branche)",
    K.CRIMINAL: "Wetboek van Strafvordering (aangifte of informatie aan het OM)",
    K.FISCAL: "Algemene wet inzake rijksbelastingen (Belastingdienst, FIOD)",
    K.ASSET_RECOVERY: "Sr art. 36e (ontneming); Sv art. 94a (conservatoir beslag)",
    K.WARNING: "Gemeentelijke beleidsregels (bijvoorbeeld het Damoclesbeleid)",
    K.OTHER: "",
}
# Closures have a period, and a reminder before it ends.
CLOSURE_KINDS = frozenset({K.CLOSURE_DRUGS, K.CLOSURE_PUBLIC_ORDER})
CLOSURE_MONTHS = (3, 6, 12)


def default_legal_basis(kind: str) -> str:
    return LEGAL_BASIS.get(kind, "")


class Status(models.TextChoices):
    PREPARATION = "voorbereiding", _("In voorbereiding")
    DECIDED = "besloten", _("Besloten")
    EXECUTING = "in_uitvoering", _("In uitvoering")
    DONE = "afgerond", _("Afgerond")
    WITHDRAWN = "ingetrokken", _("Ingetrokken")


S = Status
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PREPARATION: frozenset({S.DECIDED, S.WITHDRAWN}),
    S.DECIDED: frozenset({S.EXECUTING, S.DONE, S.WITHDRAWN}),
    S.EXECUTING: frozenset({S.DONE, S.WITHDRAWN}),
    S.DONE: frozenset({S.EXECUTING}),  # reopened, e.g. after an objection or a court ruling
    S.WITHDRAWN: frozenset(),
}
# An intervention registered after the fact may start in any of these.
INITIAL_STATUSES = frozenset({S.PREPARATION, S.DECIDED, S.EXECUTING, S.DONE})
# From "besloten" on, there is a decision, so a decision date.
NEEDS_DECISION = frozenset({S.DECIDED, S.EXECUTING, S.DONE})
# Running closures: these get the reminder before the end date.
ACTIVE_STATUSES = frozenset({S.DECIDED, S.EXECUTING})


def can_transition(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())
