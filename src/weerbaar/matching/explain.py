"""Reasons in Dutch: what an analist reads next to a suggested match.

Every comparison outcome has one sentence; a percentage is added where a similarity was
measured. Confidence labels turn the score into a word the screens can show.
"""

from __future__ import annotations

from dataclasses import dataclass

HIGH, MEDIUM, LOW = "hoog", "gemiddeld", "laag"
# Score from which the Django side may link without asking, and from which it suggests.
AUTO_LINK = 0.95
SUGGEST = 0.5


@dataclass(frozen=True)
class Reason:
    """One compared field: its outcome, its weight (bits of evidence) and a Dutch sentence."""

    field: str
    outcome: str
    weight: float
    text_nl: str


TEXTS: dict[tuple[str, str], str] = {
    ("name", "exact"): "Naam gelijk",
    ("name", "close"): "Naam komt overeen ({pct})",
    ("name", "similar"): "Naam lijkt erop ({pct})",
    ("name", "different"): "Naam verschilt ({pct})",
    ("legal_form", "ignored"): "Rechtsvorm genegeerd: {detail}",
    ("legal_form", "different"): "Rechtsvorm verschilt ({detail})",
    ("holding", "ignored"): "Woord 'Holding' genegeerd",
    ("kvk_number", "exact"): "Zelfde KvK-nummer",
    ("kvk_number", "different"): "Ander KvK-nummer",
    ("first_names", "exact"): "Voornamen gelijk",
    ("first_names", "same_first"): "Eerste voornaam gelijk",
    ("first_names", "close"): "Voornaam komt overeen ({pct})",
    ("first_names", "similar"): "Voornaam lijkt erop ({pct})",
    ("first_names", "same_initials"): "Voorletters komen overeen ({detail})",
    ("first_names", "compatible"): "Voorletters passen bij de voornamen ({detail})",
    ("first_names", "different"): "Voornamen verschillen",
    ("surname", "exact"): "Achternaam gelijk",
    ("surname", "close"): "Achternaam komt overeen ({pct})",
    ("surname", "part"): "Deel van de dubbele achternaam gelijk",
    ("surname", "similar"): "Achternaam lijkt erop ({pct})",
    ("surname", "different"): "Achternaam verschilt",
    ("surname_prefix", "different"): "Tussenvoegsel wijkt af ({detail})",
    ("date_of_birth", "exact"): "Geboortedatum gelijk",
    ("date_of_birth", "typo"): "Geboortedatum wijkt af ({detail})",
    ("date_of_birth", "near"): "Geboortejaar gelijk, dag of maand wijkt af",
    ("date_of_birth", "different"): "Geboortedatum verschilt",
    ("address", "exact"): "Zelfde postcode en huisnummer",
    ("address", "same_number"): "Zelfde postcode en huisnummer, toevoeging wijkt af ({detail})",
    ("address", "street"): "Zelfde straat, huisnummer en woonplaats",
    ("address", "same_postcode"): "Zelfde postcode, ander huisnummer",
    ("address", "same_number_area"): "Zelfde huisnummer en woonplaats of postcodegebied, "
    "postcode wijkt af",
    ("address", "same_area"): "Zelfde woonplaats of postcodegebied",
    ("address", "different"): "Ander adres",
    ("licence_plate", "exact"): "Kenteken gelijk",
    ("licence_plate", "different"): "Ander kenteken",
}
MISSING = "{label} ontbreekt bij een van beide, telt niet mee"
LABELS = {
    "name": "Naam",
    "kvk_number": "KvK-nummer",
    "first_names": "Voornaam",
    "surname": "Achternaam",
    "date_of_birth": "Geboortedatum",
    "address": "Adres",
    "licence_plate": "Kenteken",
}


def reason(
    field: str, outcome: str, weight: float, similarity: float | None = None, detail: str = ""
) -> Reason:
    """The Dutch sentence for one outcome, with its percentage or detail filled in."""
    if outcome == "missing":
        text = MISSING.format(label=LABELS.get(field, field))
    else:
        template = TEXTS.get((field, outcome), f"{LABELS.get(field, field)}: {outcome}")
        pct = f"{similarity:.0%}" if similarity is not None else ""
        text = template.format(pct=pct, detail=detail)
    return Reason(field=field, outcome=outcome, weight=round(weight, 1), text_nl=text)


def confidence(score: float) -> str:
    """ "hoog" from AUTO_LINK, "gemiddeld" from SUGGEST, otherwise "laag"."""
    if score >= AUTO_LINK:
        return HIGH
    if score >= SUGGEST:
        return MEDIUM
    return LOW
