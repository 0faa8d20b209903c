"""Vectorised twins of the name normalisers, for plain values (most of a register).

"Johannes Petrus" or "Jansen" need none of the rules for particles, initials, diacritics or
punctuation; polars handles a hundred thousand of them at once, and only the rest goes through
the Python functions. The tests hold both paths equal.
"""

from __future__ import annotations

import polars as pl

from .names import PARTICLE_WORDS
from .text import PHONETIC_RULES

# Words of two or more ASCII letters, single spaces, no word in capitals only.
_PLAIN_WORDS = r"^[A-Za-z]{2,}( [A-Za-z]{2,})*$"
_CAPITALS_WORD = r"(^| )[A-Z]+( |$)"
_PLAIN_WORD = r"^[A-Za-z]+$"


def skeleton_expr(text: pl.Expr) -> pl.Expr:
    """``text.skeleton`` for lower-case ASCII letters."""
    for old, new in PHONETIC_RULES:
        text = text.str.replace_all(old, new, literal=True)
    body = text.str.slice(1).str.replace_all("[aeiouy]", "")
    joined = pl.concat_str([text.str.slice(0, 1), body])
    squeeze = pl.element().filter(pl.element().ne_missing(pl.element().shift(1)))
    return joined.str.split("").list.eval(squeeze).list.join("")


def first_names_condition() -> pl.Expr:
    value = pl.col("v")
    return value.str.contains(_PLAIN_WORDS) & ~value.str.contains(_CAPITALS_WORD)


def first_names_exprs() -> list[pl.Expr]:
    """What ``features._first_names`` derives, in its order."""
    lower = pl.col("v").str.to_lowercase()
    words = lower.str.split(" ")
    initials = words.list.eval(pl.element().str.slice(0, 1)).list.join("")
    kept = words.list.eval(pl.element().filter(~pl.element().is_in(list(PARTICLE_WORDS))))
    return [
        lower.alias("value"),
        words.list.first().alias("first"),
        initials.alias("initials"),
        lower.str.slice(0, 1).alias("initial"),
        kept.list.join("").alias("as_surname"),
        pl.lit("").alias("maybe_initials"),
        words.list.join("").alias("compact"),
    ]


def surname_condition() -> pl.Expr:
    return pl.col("v").str.contains(_PLAIN_WORD)


def surname_exprs() -> list[pl.Expr]:
    """What ``features._surname`` derives, in its order."""
    core = pl.col("v").str.to_lowercase()
    return [
        core.alias("value"),
        core.alias("first_part"),
        core.alias("last_part"),
        skeleton_expr(core).alias("skeleton"),
        core.str.slice(0, 1).alias("initial"),
    ]


# kind → (which values are plain, what they derive)
PLAIN = {
    "first_names": (first_names_condition, first_names_exprs),
    "surname": (surname_condition, surname_exprs),
}
