"""Company names from the patterns per branch: "Kapsalon Fatima", "Snackbar De Witte Zwaan",
"J. Jansen Holding B.V.", "Autobedrijf Van Dijk".

Names are diverse the way real ones are: brand words are made up (``lexicon``), a surname
comes with initials or a first name now and then, and within one municipality a trade name is
taken once (the Handelsnaamwet forbids a confusingly similar name nearby), so a name recurs
across the country a handful to a few dozen times at most.
"""

from __future__ import annotations

import random
from typing import Any

from .legal import name_suffix
from .lexicon import brand_word, italian_name, place_name, town_name
from .names import Person, initials, surname_as_title

ATTEMPTS = 6  # draws of a name before a taken one gets a distinguishing addition

# A word for the sector in registered names such as "Jansen Horeca B.V.".
SECTOR_WORD = {
    "holding": "Holding",
    "vastgoed": "Vastgoed",
    "bouw": "Bouw",
    "restaurant": "Horeca",
    "snackbar": "Horeca",
    "cafe": "Horeca",
    "logies": "Hospitality",
    "transport": "Transport",
    "autohandel": "Automotive",
    "autoreparatie": "Automotive",
    "wasstraat": "Carwash",
    "groothandel": "Trading",
    "financieel": "Financial Services",
    "personeel": "Personeel",
    "supermarkt": "Food",
    "telecom": "Telecom",
    "sport": "Sport",
    "ict": "IT",
    "advies": "Consultancy",
    "kapper": "Beauty",
    "nagelstudio": "Beauty",
    "zorg": "Zorg",
}


OTHER_SECTOR_WORDS = (
    "Groep",
    "Services",
    "Beheer",
    "Onderneming",
    "Exploitatie",
    "Diensten",
    "Projecten",
    "Invest",
    "Ventures",
)


class CompanyNamer:
    """Fills a group's name patterns with the owner's names, the town and made-up words; a
    name taken in the municipality is drawn again (``start_municipality`` forgets them)."""

    def __init__(self, rng: random.Random, other_name: Any) -> None:
        self.rng = rng
        # other_name(gender) -> a first name of that gender, for "Kapsalon Fatima" by a man.
        self.other_name = other_name
        self.used: set[str] = set()

    def start_municipality(self) -> None:
        self.used.clear()

    def _free(self, draw: Any, extra: Any) -> str:
        """The first of ``ATTEMPTS`` draws not taken here, else the last with an addition."""
        name = ""
        for _ in range(ATTEMPTS):
            name = draw()
            if name.lower() not in self.used:
                break
        else:
            for _ in range(ATTEMPTS):
                candidate = f"{name} {extra()}"
                if candidate.lower() not in self.used:
                    name = candidate
                    break
        self.used.add(name.lower())
        return name

    def _surname(self, owner: Person) -> str:
        """ "Jansen", sometimes "J. Jansen", "Jan Jansen" or "Jansen & Zn."."""
        rng = self.rng
        surname = surname_as_title(owner.particle, owner.surname)
        r = rng.random()
        if r < 0.3:
            return surname
        if r < 0.65:
            return f"{initials(owner.first_names)} {surname}"
        if r < 0.93:
            return f"{owner.first_names.split()[0]} {surname}"
        return f"{surname} & {rng.choice(['Zn.', 'Zonen', 'Co', 'Partners'])}"

    def _initials(self, owner: Person) -> str:
        """ "{initialen} Advies": "J.P. Jansen Advies" or "JPJ Advies", not "J. Advies"."""
        if self.rng.random() < 0.6:
            return (
                f"{initials(owner.first_names)} {surname_as_title(owner.particle, owner.surname)}"
            )
        return initials(owner.first_names, dots=False) + owner.surname[:1].upper()

    def trade_name(
        self,
        group: dict[str, Any],
        code: str,
        owner: Person,
        town: str,
        street: str,
        number: int,
    ) -> str:
        def extra() -> str:
            return (
                town_name(self.rng, town) if self.rng.random() < 0.6 else brand_word(self.rng, ())
            )

        return self._free(lambda: self._draw(group, code, owner, town, street, number), extra)

    def _draw(
        self,
        group: dict[str, Any],
        code: str,
        owner: Person,
        town: str,
        street: str,
        number: int,
    ) -> str:
        rng = self.rng
        patterns = group.get("code_patronen", {}).get(code) or group["patronen"]
        pattern: str = rng.choice(patterns)
        call = owner.first_names.split()[0]
        values = {
            "voornaam": call,
            "voornaam_v": call if owner.gender == "f" else self.other_name("f"),
            "voornaam_m": call if owner.gender == "m" else self.other_name("m"),
            "straat": street,
            "nummer": str(number),
        }
        # Only the slots the pattern uses draw random numbers.
        if "{initialen}" in pattern:
            values["initialen"] = self._initials(owner)
        if "{achternaam}" in pattern:
            values["achternaam"] = self._surname(owner)
        if "{woord}" in pattern:
            values["woord"] = brand_word(rng, group["woorden"]) if group["woorden"] else town
        if "{plek}" in pattern:
            values["plek"] = place_name(rng)
        if "{plaats}" in pattern:
            values["plaats"] = town_name(rng, town)
        if "{italiaans}" in pattern:
            values["italiaans"] = italian_name(rng)
        return pattern.format(**values)

    def registered_name(
        self,
        legal: str,
        trade: str,
        group: dict[str, Any],
        owner: Person,
        partners: list[Person],
        town: str = "",
    ) -> str:
        """The statutory name: for a BV often "<Surname> <Sector> B.V.", else the trade name."""
        rng = self.rng
        if legal in ("eenmanszaak", "stichting", "vereniging", "vve", "maatschap"):
            if legal == "maatschap" and not trade.startswith("Maatschap"):
                return f"Maatschap {trade}"
            return trade
        if legal == "vof" and len(partners) >= 2 and rng.random() < 0.25:
            first = surname_as_title(partners[0].particle, partners[0].surname)
            second = surname_as_title(partners[1].particle, partners[1].surname)
            if first == second:
                calls = " en ".join(p.first_names.split()[0] for p in partners[:2])
                forms = [f"Gebroeders {first}", f"Gebr. {first}", f"{calls} {first}"]
            else:
                forms = [f"{first} en {second}", f"{first} & {second}"]
            base = self._free(lambda: rng.choice(forms), lambda: town_name(rng, town))
            return base + name_suffix(legal, rng)
        base = trade
        if legal in ("bv", "nv") and rng.random() < 0.5 and group["naam"] != "holding":
            word = SECTOR_WORD.get(group["naam"]) or rng.choice(OTHER_SECTOR_WORDS)
            base = self._free(lambda: f"{self._surname(owner)} {word}", lambda: brand_word(rng, ()))
        if legal == "cooperatie" and not base.startswith("Coöperatie"):
            base = f"Coöperatie {base}"
        return base + name_suffix(legal, rng)

    def holding_name(self, owner: Person) -> str:
        rng = self.rng

        def draw() -> str:
            r = rng.random()
            if r < 0.15:
                return f"{self._initials(owner)} {rng.choice(['Holding', 'Beheer'])}"
            if r < 0.25:
                return f"{brand_word(rng, ())} {rng.choice(['Holding', 'Beheer', 'Invest'])}"
            word = rng.choice(["Holding", "Beheer", "Investments", "Participaties", "Holding"])
            return f"{self._surname(owner)} {word}"

        return self._free(draw, lambda: brand_word(rng, ())) + name_suffix("bv", rng)
