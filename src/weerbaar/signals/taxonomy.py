"""The national phenomenon taxonomy with its signal cards (what to look out for).

Municipalities can add their own phenomena (Beheer); these national ones are loaded by a
data migration and by ``load_phenomena`` (idempotent: existing texts are not overwritten).
"""

from __future__ import annotations

from .models import Phenomenon

PHENOMENA: list[tuple[str, str, str]] = [
    (
        "drugsproductie",
        "Drugsproductie",
        "Chemische geuren, afgeplakte ramen, veel stroomverbruik, aanvoer van vaten of jerrycans, loodsen die altijd dicht zijn.",
    ),
    (
        "drugshandel",
        "Drugshandel",
        "Veel korte bezoeken aan één adres of auto, overdrachten op straat, bezorgers op vreemde tijden.",
    ),
    (
        "hennepteelt",
        "Hennepteelt",
        "Warmte of condens op ramen, een zoete geur, gezoem van ventilatoren, gesloten gordijnen dag en nacht, illegale stroomaansluiting.",
    ),
    (
        "synthetische_drugs",
        "Synthetische drugs en drugsafval",
        "Gedumpte vaten of jerrycans, een anijs- of ammoniakgeur, dode vegetatie, bijtende vloeistoffen in het buitengebied.",
    ),
    (
        "witwassen",
        "Witwassen",
        "Bedrijven zonder klanten die toch draaien, veel contante betalingen, dure aankopen die niet passen bij inkomen of omzet.",
    ),
    (
        "vastgoed",
        "Criminele inmenging in vastgoed",
        "Aankopen met contant geld of via stromannen, snelle doorverkoop tegen vreemde prijzen, panden die leeg staan maar wel worden betaald.",
    ),
    (
        "mensenhandel",
        "Mensenhandel en arbeidsuitbuiting",
        "Veel mensen op één adres, vervoer in busjes op vaste tijden, geen eigen identiteitsbewijs, angstige of afhankelijke werknemers.",
    ),
    (
        "adresfraude",
        "Woon- en adresfraude",
        "Meer inschrijvingen dan het adres aankan, postbussen als woonadres, wisselende bewoners, onderverhuur.",
    ),
    (
        "huisjesmelkers",
        "Malafide verhuur (huisjesmelkers)",
        "Overbewoning, slechte staat van het pand, hoge huur contant betaald, kamers per bed verhuurd.",
    ),
    (
        "omg",
        "Outlaw motorcycle gangs",
        "Clubhuizen, colors in het straatbeeld, intimidatie van ondernemers, beveiligingsbedrijven met banden met clubs.",
    ),
    (
        "vpt",
        "Intimidatie van ambtenaren en bestuurders (VPT)",
        "Bedreiging of druk op medewerkers of bestuurders, opvallende belangstelling voor privégegevens, agressie bij de balie.",
    ),
    (
        "sportverenigingen",
        "Criminele inmenging in sport en verenigingen",
        "Onverklaarbare sponsoring, nieuwe bestuurders met een twijfelachtige achtergrond, kantine- of clubhuisgebruik buiten openingstijden.",
    ),
    (
        "automotive",
        "Automotive",
        "Garages of autobedrijven met weinig klanten en veel dure auto's, omkatten, export van auto's tegen contant geld.",
    ),
    (
        "opslagboxen",
        "Opslagboxen en bedrijfsverzamelgebouwen",
        "Huur op naam van derden, veel verkeer 's nachts, stroomverbruik in een opslagruimte, geur of gezoem.",
    ),
    (
        "jachthavens",
        "Jachthavens en watergebonden locaties",
        "Schepen die 's nachts vertrekken of aankomen, boten zonder duidelijke eigenaar, overslag buiten het zicht.",
    ),
    (
        "prostitutie",
        "Prostitutie",
        "Niet-vergunde seksbedrijven, advertenties met wisselende vrouwen op één adres, signalen van dwang.",
    ),
    (
        "gokken",
        "Illegaal gokken",
        "Gokautomaten in horeca zonder vergunning, besloten pokeravonden, geldstromen via speelhallen.",
    ),
    (
        "vergunningsfraude",
        "Vergunning- en subsidiefraude",
        "Aanvragen met stromannen, onvolledige of valse stukken, haast of druk bij de aanvraag, vergunningen die niet passen bij de activiteit.",
    ),
    (
        "overig",
        "Overig",
        "Alles wat niet in een ander fenomeen past, maar wel vreemd voelt: meld het toch.",
    ),
]


def load_phenomena() -> int:
    """Create the national phenomena that are missing; return how many were created."""
    created = 0
    for order, (code, name, guidance) in enumerate(PHENOMENA, start=1):
        _obj, made = Phenomenon.objects.get_or_create(
            code=code,
            municipality=None,
            defaults={"name": name, "guidance": guidance, "order": order * 10},
        )
        created += int(made)
    return created
