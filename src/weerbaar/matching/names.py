"""Dutch person names: surname particles, initials versus first names, double surnames.

The registers keep the particle (tussenvoegsel) apart from the surname; a signal or a typed
name often does not ("J. v.d. Berg", "Berg, van der", "VAN DER BERG"). Everything is split and
folded into one form here so that comparisons see only real differences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .text import compact, fold

# Particles as written out; abbreviations map to these (ambiguous "v.d." reads as "van der").
PARTICLE_WORDS = frozenset(
    [
        "van",
        "de",
        "der",
        "den",
        "het",
        "'t",
        "te",
        "ten",
        "ter",
        "in",
        "op",
        "uit",
        "aan",
        "bij",
        "voor",
        "onder",
        "over",
        "tot",
        "la",
        "le",
        "du",
        "des",
        "di",
        "da",
        "del",
        "della",
        "dos",
        "von",
        "zu",
        "vom",
        "d'",
        "l'",
        "s'",
        "'s",
    ]
)
_ABBREVIATIONS = {
    "v": "van",
    "vd": "van der",
    "vdr": "van der",
    "vden": "van den",
    "vde": "van de",
    "vh": "van het",
    "vt": "van 't",
    "i t": "in 't",
    "it": "in 't",
    "o d": "op de",
    "od": "op de",
    "t": "'t",
    "het": "het",
    "d": "de",
}
# Compared loosely: de/der/den and het/'t are the same particle written differently.
_PARTICLE_KEY = {
    "van": "v",
    "von": "v",
    "de": "d",
    "der": "d",
    "den": "d",
    "des": "d",
    "het": "t",
    "'t": "t",
    "te": "tt",
    "ten": "tt",
    "ter": "tt",
    "in": "i",
    "op": "o",
    "uit": "u",
    "aan": "a",
    "bij": "b",
    "voor": "vo",
    "onder": "on",
    "over": "ov",
    "tot": "to",
}
_PAREN = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class PersonName:
    """A person's name split and folded: what comparisons and keys work on."""

    first_names: tuple[str, ...]
    initials: str
    prefix: str
    surname: str
    surname_parts: tuple[str, ...]

    @property
    def surname_core(self) -> str:
        """The surname without any particle and without spaces: "dijkvries"."""
        return "".join(self.surname_parts)

    @property
    def first_name(self) -> str:
        return self.first_names[0] if self.first_names else ""


@lru_cache(maxsize=50_000)
def _particle_tokens(text: str) -> tuple[str, ...]:
    """Tokens of a particle string with abbreviations written out ("v.d." → van der)."""
    folded = fold(text.replace("/", " ").replace(".", ". "))
    if not folded:
        return ()
    squeezed = folded.replace(" ", "")
    if folded in _ABBREVIATIONS:
        return tuple(_ABBREVIATIONS[folded].split())
    if squeezed in _ABBREVIATIONS and all(len(t) == 1 for t in folded.split()):
        return tuple(_ABBREVIATIONS[squeezed].split())
    words: list[str] = []
    for token in folded.split():
        expansion = _ABBREVIATIONS.get(token, token)
        words.extend(expansion.split())
    return tuple(words)


def normalize_prefix(prefix: str | None) -> str:
    """The canonical particle: "V.D." → "van der", "In T" → "in 't", "'S" → "'s"."""
    if not prefix:
        return ""
    return " ".join(_particle_tokens(prefix))


def prefix_key(prefix: str | None) -> str:
    """A loose key of a particle: "van den", "van der", "v.d." all give "vd"."""
    return "".join(_PARTICLE_KEY.get(w, w) for w in normalize_prefix(prefix).split())


def is_particle(word: str) -> bool:
    """A folded word that is a surname particle ("van", "der", "'t")."""
    return word in PARTICLE_WORDS


@lru_cache(maxsize=100_000)
def _is_particle(token: str) -> bool:
    words = _particle_tokens(token)
    return bool(words) and all(w in PARTICLE_WORDS for w in words)


def split_surname(prefix: str | None, surname: str | None) -> tuple[str, str]:
    """Move particles that were written into the surname field to the prefix.

    "van der Berg" → ("van der", "berg"); "Berg, van der" → ("van der", "berg");
    "Dijk-de Vries" keeps the particle of its second part: ("", "dijk de vries").
    """
    text = (surname or "").strip()
    lead = normalize_prefix(prefix)
    if "," in text:
        before, _, after = text.partition(",")
        if _is_particle(after.strip()):
            lead = lead or normalize_prefix(after)
            text = before
    if "-" in text:
        text = re.sub(r"\s*-\s*", "-", text)
    tokens = text.split()
    moved: list[str] = []
    while len(tokens) > 1 and "-" not in tokens[0] and _is_particle(tokens[0]):
        moved.append(tokens.pop(0))
    if not moved:
        while len(tokens) > 1 and _is_particle(tokens[-1]):
            moved.insert(0, tokens.pop())
    if moved and not lead:
        lead = normalize_prefix(" ".join(moved))
    return lead, fold(" ".join(tokens))


def _surname_parts(surname: str) -> tuple[str, ...]:
    """The words of a (double) surname that are not particles: "dijk-de vries" → dijk, vries."""
    words = surname.replace("-", " ").split()
    kept = [compact(w) for w in words if not _is_particle(w)]
    return tuple(w for w in (kept or [compact(surname)]) if w)


def _written_particle(word: str, shouting: bool) -> bool:
    """A particle in running text; dotted capitals ("V.D.") are read as initials."""
    if not _is_particle(word):
        return False
    return "." not in word or word.lower() == word or not _is_initial_token(word, shouting)


@lru_cache(maxsize=100_000)
def _is_initial_token(token: str, shouting: bool) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", token)
    if "." in token or len(letters) == 1:
        return True
    if len(letters) > 3 or not letters.isupper():
        return False
    return not shouting or not re.search(r"[AEIOUY]", letters)


@lru_cache(maxsize=100_000)
def _first_name_token(token: str, shouting: bool) -> tuple[tuple[str, ...], str]:
    if _is_initial_token(token, shouting):
        return (), re.sub(r"[^a-z]", "", fold(token))
    names = tuple(name for name in fold(token).split() if len(name) > 1)
    return names, "".join(name[0] for name in names)


def _plain_names(text: str) -> tuple[str, ...] | None:
    """The words of "Johannes Petrus" lowered, when every word is a plain name (ASCII
    letters, two or more, not all capitals); None when the full rules are needed."""
    if not text.isascii():
        return None
    words = text.split()
    for word in words:
        if len(word) < 2 or not word.isalpha() or word.isupper():
            return None
    return tuple(word.lower() for word in words)


def split_first_names(first_names: str | None) -> tuple[tuple[str, ...], str]:
    """Full first names and initials: "Johannes P." → (("johannes",), "jp")."""
    text = first_names or ""
    plain = _plain_names(text)
    if plain is not None:
        return plain, "".join(name[0] for name in plain)
    if "(" in text:
        text = _PAREN.sub(" ", text)
    shouting = text.isupper()
    names: list[str] = []
    initials = ""
    for token in text.split():
        token_names, token_initials = _first_name_token(token, shouting)
        names.extend(token_names)
        initials += token_initials
    return tuple(names), initials


@lru_cache(maxsize=100_000)
def normalize_person_name(
    first_names: str | None, surname_prefix: str | None, surname: str | None
) -> PersonName:
    """Split and fold the three name fields of a register or a query."""
    names, initials = split_first_names(first_names)
    prefix, body = split_surname(surname_prefix, surname)
    return PersonName(
        first_names=names,
        initials=initials,
        prefix=prefix,
        surname=body,
        surname_parts=_surname_parts(body),
    )


def split_person_name(full_name: str | None) -> tuple[str, str, str]:
    """First names, particle and surname from one written name.

    "J.P. van der Berg", "Berg, J.P. van der", "Jan Jansen-de Vries" and "van Dijk" are all
    understood; without a particle the last word (or hyphenated pair) is the surname.
    """
    text = re.sub(r"\s*-\s*", "-", _PAREN.sub(" ", full_name or "")).strip()
    if not text:
        return "", "", ""
    if "," in text:
        surname, _, rest = text.partition(",")
        words = rest.split()
        tail: list[str] = []
        while words and _written_particle(words[-1], False):
            tail.insert(0, words.pop())
        return " ".join(words), normalize_prefix(" ".join(tail)), surname.strip()
    words = text.split()
    for index, word in enumerate(words):
        if index == len(words) - 1:
            break
        if _written_particle(word, text.isupper()):
            end = index
            while end < len(words) - 1 and _written_particle(words[end], text.isupper()):
                end += 1
            prefix = normalize_prefix(" ".join(words[index:end]))
            return " ".join(words[:index]), prefix, " ".join(words[end:])
        if "-" in word and index > 0 and not _is_initial_token(word, False):
            return " ".join(words[:index]), "", " ".join(words[index:])
    return " ".join(words[:-1]), "", words[-1]
