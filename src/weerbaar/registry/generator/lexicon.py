"""Word parts for brand-like company names: "Zonnekracht", "Pixellijn", "Blue Harbour",
"De Witte Zwaan", "Da Luigi".

Real trade names are made up by their owners, so they are diverse: a name like "Studio Canvas"
is registered a handful to a few dozen times in the whole country, not thousands of times.
A branch's own words (``sbi_profielen.json``) stay, but mostly as part of a compound; most
brand words are built from these parts (thousands of combinations). See
docs/registry-generator.md ("Company names").
"""

from __future__ import annotations

import random


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# First parts of Dutch compounds ("Zon" + "kracht"), written as they join.
NL_HEADS = _words(
    "Zon Maan Ster Groen Blauw Rood Goud Zilver Wit Zwart Oranje Noord Zuid Oost West Hoog "
    "Nieuw Oud Klein Groot Snel Sterk Fris Puur Echt Vrij Top Prima Mooi Slim Blij Warm Licht "
    "Helder Stil Wild Vast Rond Recht Eco Bio Pro Multi Eik Linde Beuk Berk Wilg Den Esdoorn "
    "Kastanje Hazel Vlas Koren Tarwe Haver Klaver Heide Duin Polder Dijk Zee Wad Rijn Maas "
    "Vecht Schelde Water Wind Vuur Aarde Regen Sneeuw Dauw Hemel Lente Zomer Herfst Winter "
    "Dag Ochtend Avond Morgen Parel Kristal Diamant Robijn Saffier Koper Brons IJzer Staal"
)
# Second parts ("kracht", "lijn"), lower case.
NL_TAILS = _words(
    "kracht lijn punt huis hof veld berg dal beek bron boom blad roos vogel valk leeuw wolf "
    "vos beer ster licht stroom golf wind steen brug poort toren haven kade werk plein hoek "
    "stad land zicht koers stap sprong gang spoor weg pad laan wijk vaart sluis molen schuur "
    "tuin gaarde akker kamp horst wold rijk kring bond zorg gids baken anker zeil mast kiel "
    "kompas vonk gloed glans kleur klank vorm kern tak wortel zaad oogst"
)
# English brand words, used alone or as two words ("Blue Harbour", "Nova Works").
EN_HEADS = _words(
    "Blue Green Red Golden Silver White Black Bright Smart Happy Royal Urban Prime Nord Alpha "
    "Nova Terra Aqua Solar Lunar Polar Rapid Swift True Pure Bold Clear Fresh Wise Grand "
    "Noble Crown Eagle Falcon Fox Wolf Lion Oak Cedar Maple Willow Iron Stone Steel Cloud "
    "Sky Star Sun Ocean River Delta Summit Peak Harbour Bridge North South East West First "
    "Next Open Vital Core Pixel Spark"
)
EN_TAILS = _words(
    "Works Group Line Point House Lab Hub Base Bay Gate Field Wave Way Path Link Force Flow "
    "Ridge Hill Vale Port Quest Vision Craft Forge Bridge Edge Side Mark Core Tree Leaf Rock "
    "Light Fire Wind Star Bird Lane Square Circle Harbour Studio Company Collective"
)

# Places ("Snackbar De Hoek", "Café De Witte Zwaan"): the classics, and adjective + noun.
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
PLEK_ADJECTIVES = _words(
    "Gouden Zilveren Witte Zwarte Rode Groene Blauwe Oude Nieuwe Vrolijke Halve Hoge Lage "
    "Kleine Grote Dolle Blije Gulden Bonte Stille Wilde Gele Scheve Vergulde"
)
PLEK_NOUNS_DE = _words(
    "Leeuw Zwaan Haan Ster Maan Zon Molen Brug Poort Kroon Linde Eik Hoek Kade Sluis Beer "
    "Valk Druif Karper Os Ooievaar Roos Tulp Gans Kat Pauw Hoorn Klok Lantaarn Vis"
)
PLEK_NOUNS_HET = _words("Hert Paard Anker Wapen Schaap Lam Hoefijzer Zwaantje Raam Veer Kasteel")
DIMINUTIVES = (
    "'t Hoekje",
    "'t Pleintje",
    "'t Molentje",
    "'t Zonnetje",
    "'t Stationnetje",
    "'t Bruggetje",
    "'t Pleintje",
    "'t Straatje",
    "'t Haventje",
    "'t Kerkje",
    "'t Sluisje",
    "'t Veerhuisje",
    "'t Wapentje",
    "'t Trefpunt",
    "'t Kruispunt",
)
ITALIAANS = _words(
    "Napoli Roma Venezia Milano Sorrento Capri Toscana Amalfi Firenze Siena Verona Palermo "
    "Catania Bologna Parma Genova Torino Pisa Lucca Bari Salerno Positano Ravenna Modena "
    "Trieste Sardegna Sicilia Calabria Puglia Portofino"
)
ITALIAN_NAMES = _words(
    "Mario Luigi Gino Toni Franco Paolo Marco Enzo Salvatore Giovanni Giuseppe Antonio "
    "Roberto Stefano Luca Matteo Alessandro Carlo Vito Rocco Dario Fabio Nino Sergio Angelo"
)
ITALIAN_PHRASES = (
    "Bella Italia",
    "La Strada",
    "Il Forno",
    "La Piazza",
    "Da Vinci",
    "La Dolce Vita",
    "La Bella Vita",
    "La Luna",
    "La Stella",
    "La Rosa",
    "La Cantina",
    "La Tavola",
    "Il Gusto",
    "Il Sole",
    "Il Mulino",
    "Il Porto",
    "La Famiglia",
    "La Vita",
    "Al Dente",
    "Buon Gusto",
    "La Fontana",
    "Il Giardino",
    "La Terrazza",
    "Il Castello",
    "La Perla",
)
# Parts of a town that a name may carry ("Fysiotherapie Tilburg-Noord").
TOWN_PARTS = ("Centrum", "Noord", "Zuid", "Oost", "West", "Stad", "Dorp")


def _compound(head: str, tail: str) -> str:
    # "Zon" + "kracht" -> "Zonkracht"; avoid a tripled letter ("Zeeeiland").
    if head[-1].lower() == tail[0] and head[-2:-1].lower() == tail[0]:
        tail = tail[1:]
    return head + tail


def brand_word(rng: random.Random, own: list[str] | tuple[str, ...]) -> str:
    """A made-up brand word: a branch word now and then, mostly compounds of parts.

    ``own`` are the branch's words ("Canvas", "Pixel"); alone they would recur thousands of
    times in a national register, so they appear alone in 4% of names and otherwise as the
    first part of a compound ("Canvaslijn") or next to an English word ("Canvas Works").
    """
    r = rng.random()
    if own and r < 0.04:
        return rng.choice(own)
    if own and r < 0.22:
        word = rng.choice(own)
        if " " in word or rng.random() < 0.5:
            return f"{word} {rng.choice(EN_TAILS)}"
        return _compound(word, rng.choice(NL_TAILS))
    if r < 0.66:
        return _compound(rng.choice(NL_HEADS), rng.choice(NL_TAILS))
    if r < 0.9:
        return f"{rng.choice(EN_HEADS)} {rng.choice(EN_TAILS)}"
    return f"{rng.choice(EN_HEADS)}{rng.choice(EN_TAILS).lower()}"


def place_name(rng: random.Random) -> str:
    """ "De Hoek", "Het Gouden Hert", "'t Pleintje"."""
    r = rng.random()
    if r < 0.25:
        return rng.choice(PLEKKEN)
    if r < 0.35:
        return rng.choice(DIMINUTIVES)
    adjective = rng.choice(PLEK_ADJECTIVES)
    if r < 0.85:
        return f"De {adjective} {rng.choice(PLEK_NOUNS_DE)}"
    return f"Het {adjective} {rng.choice(PLEK_NOUNS_HET)}"


def italian_name(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.35:
        return rng.choice(ITALIAANS)
    if r < 0.65:
        return f"Da {rng.choice(ITALIAN_NAMES)}"
    if r < 0.9:
        return rng.choice(ITALIAN_PHRASES)
    return f"{rng.choice(ITALIAN_PHRASES)} {rng.choice(ITALIAANS)}"


def town_name(rng: random.Random, town: str) -> str:
    """The town, sometimes with a part of it ("Tilburg-Noord", "Centrum Tilburg")."""
    r = rng.random()
    if r < 0.7:
        return town
    part = rng.choice(TOWN_PARTS)
    return f"{town}-{part}" if r < 0.85 else f"{part} {town}"
