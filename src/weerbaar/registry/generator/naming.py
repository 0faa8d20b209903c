"""Company names from the patterns per branch: "Kapsalon Fatima", "Snackbar De Hoek",
"Jansen Holding B.V.", "Autobedrijf Van Dijk".
"""

from __future__ import annotations

import random
from typing import Any

from .legal import name_suffix
from .names import Person, initials, surname_as_title

PLEKKEN = (
    "De Hoek",
    "'t Hoekje",
    "De Molen",
    "Het Plein",
    "De Zon",
    "Centrum",
    "De Gouden Leeuw",
    "De Ster",
    "De Markt",
    "De Brug",
    "De Kroon",
    "Het Wapen",
    "De Poort",
    "De Linde",
    "Het Anker",
    "De Haven",
    "De Kastanje",
    "Oost",
    "West",
    "Noord",
    "Zuid",
    "De Kade",
    "Het Station",
    "De Sluis",
    "Het Dorp",
    "De Vijf Wegen",
    "De Zwaan",
    "Het Baken",
)
ITALIAANS = (
    "Napoli",
    "Roma",
    "Venezia",
    "Milano",
    "Da Mario",
    "Bella Italia",
    "La Strada",
    "Il Forno",
    "Sorrento",
    "Capri",
    "Da Vinci",
    "La Piazza",
    "Toscana",
    "Amalfi",
)
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


class CompanyNamer:
    """Fills a group's name patterns with the owner's names, the town and branch words."""

    def __init__(self, rng: random.Random, other_name: Any) -> None:
        self.rng = rng
        # other_name(gender) -> a first name of that gender, for "Kapsalon Fatima" by a man.
        self.other_name = other_name

    def trade_name(
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
            "achternaam": surname_as_title(owner.particle, owner.surname),
            "voornaam": call,
            "voornaam_v": call if owner.gender == "f" else self.other_name("f"),
            "voornaam_m": call if owner.gender == "m" else self.other_name("m"),
            "initialen": initials(owner.first_names),
            "woord": rng.choice(group["woorden"]) if group["woorden"] else town,
            "plek": rng.choice(PLEKKEN),
            "plaats": town,
            "italiaans": rng.choice(ITALIAANS),
            "straat": street,
            "nummer": str(number),
        }
        return pattern.format(**values)

    def registered_name(
        self, legal: str, trade: str, group: dict[str, Any], owner: Person, partners: list[Person]
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
            base = f"Gebroeders {first}" if first == second else f"{first} en {second}"
            return base + name_suffix(legal, rng)
        base = trade
        if legal in ("bv", "nv") and rng.random() < 0.5 and group["naam"] != "holding":
            word = SECTOR_WORD.get(group["naam"], rng.choice(["Groep", "Services", "Beheer"]))
            base = f"{surname_as_title(owner.particle, owner.surname)} {word}"
        if legal == "cooperatie" and not base.startswith("Coöperatie"):
            base = f"Coöperatie {base}"
        return base + name_suffix(legal, rng)

    def holding_name(self, owner: Person) -> str:
        rng = self.rng
        surname = surname_as_title(owner.particle, owner.surname)
        base = rng.choice(
            [
                f"{surname} Holding",
                f"{surname} Beheer",
                f"{initials(owner.first_names)} {surname} Holding",
                f"{owner.first_names.split()[0]} {surname} Holding",
            ]
        )
        return base + name_suffix("bv", rng)
