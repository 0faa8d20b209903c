"""Columns turned into integer codes of normalised values, for blocking and batch scoring.

A million records hold far fewer distinct names; each distinct raw value is normalised once
(with the same functions the interactive comparisons use) and every record gets the integer
code of its normalised value. Blocking joins and comparisons then work on codes, and string
similarity is computed once per distinct pair of values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import polars as pl

from . import normalize as nl
from .address import POSTCODE_PATTERN, UNUSED_POSTCODE_LETTERS

Codes = npt.NDArray[np.int32]

KINDS = (
    "string",
    "first_names",
    "surname",
    "date",
    "id",
    "exact",
    "postcode",
    "house_number",
    "address",
)


@dataclass(frozen=True)
class Coded:
    """Per record the code of its value (-1: missing); ``values[code]`` is the value."""

    codes: Codes
    values: npt.NDArray[np.object_]

    def counts(self) -> npt.NDArray[np.int64]:
        present = self.codes[self.codes >= 0]
        return np.bincount(present, minlength=len(self.values))


def code_column(series: pl.Series) -> Coded:
    """Distinct non-empty values and each row's index into them."""
    text = series.cast(pl.String).str.strip_chars()
    text = pl.Series("v", text).replace("", None)
    distinct = text.unique().drop_nulls()
    lookup = pl.DataFrame(
        {"v": distinct, "code": np.arange(len(distinct), dtype=np.int32)},
        schema={"v": pl.String, "code": pl.Int32},
    )
    joined = text.to_frame().join(lookup, on="v", how="left", maintain_order="left")
    codes = joined["code"].fill_null(-1).to_numpy().astype(np.int32)
    return Coded(codes, np.array(distinct.to_list(), dtype=object))


def derive(raw: Coded, function: Callable[[str], Sequence[str]], width: int) -> list[Coded]:
    """Apply ``function`` to each distinct raw value; it returns ``width`` strings."""
    tables: list[dict[str, int]] = [{} for _ in range(width)]
    mapped = np.full((width, len(raw.values) + 1), -1, dtype=np.int32)
    for index, value in enumerate(raw.values):
        for slot, derived in enumerate(function(value)):
            if derived:
                mapped[slot, index] = tables[slot].setdefault(derived, len(tables[slot]))
    result = []
    for slot in range(width):
        values = np.array(list(tables[slot]), dtype=object)
        # Code -1 indexes the last column, which stays -1: missing stays missing.
        result.append(Coded(mapped[slot][raw.codes], values))
    return result


def _string(value: str) -> tuple[str, str]:
    folded = nl.fold(value)
    return folded, nl.skeleton(folded)


def _first_names(value: str) -> tuple[str, str, str, str]:
    names, initials = nl.split_first_names(value)
    return " ".join(names), names[0] if names else "", initials, initials[:1]


def _surname(value: str) -> tuple[str, str, str, str]:
    prefix, _, surname = value.partition("\x1f")
    name = nl.normalize_person_name("", prefix, surname)
    parts = name.surname_parts
    core = name.surname_core
    return core, parts[0] if parts else "", parts[-1] if parts else "", nl.skeleton(core)


def _date(value: str) -> tuple[str, str, str, str]:
    parsed = nl.parse_date(value)
    if parsed is None:
        return "", "", "", ""
    text = parsed.strftime("%Y%m%d")
    swapped = f"{text[:4]}{text[6:8]}{text[4:6]}" if parsed.day <= 12 else ""
    return text, swapped, text[:4], text[4:]


def _postcode(value: str) -> tuple[str, str]:
    code = nl.normalize_postcode(value)
    return (code, code[:4]) if code else ("", "")


def _house_number(value: str) -> tuple[str, str]:
    house = nl.normalize_house_number(value)
    return (str(house), str(house.number)) if house else ("", "")


def _identity(value: str) -> tuple[str]:
    return (nl.fold(value).replace(" ", ""),)


# kind → (function, names of what it derives; the first one is the compared value)
DERIVATIONS: dict[str, tuple[Callable[[str], Sequence[str]], tuple[str, ...]]] = {
    "string": (_string, ("value", "skeleton")),
    "first_names": (_first_names, ("value", "first", "initials", "initial")),
    "surname": (_surname, ("value", "first_part", "last_part", "skeleton")),
    "date": (_date, ("value", "swapped", "year", "monthday")),
    "id": (_identity, ("value",)),
    "exact": (_identity, ("value",)),
    "postcode": (_postcode, ("value", "pc4")),
    "house_number": (_house_number, ("value", "number")),
}


def raw_column(frame: pl.DataFrame, kind: str, columns: Sequence[str]) -> pl.Series:
    """The input of one comparison as one string column (surname: particle + surname).

    Columns the frame does not have count as empty (officers have no address).
    """
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        frame = frame.with_columns(pl.lit(None, pl.String).alias(c) for c in absent)
    if kind == "surname" and len(columns) == 2:
        prefix, surname = columns
        return frame.select(
            pl.concat_str(
                [
                    pl.col(prefix).cast(pl.String).fill_null(""),
                    pl.lit("\x1f"),
                    pl.col(surname).cast(pl.String).fill_null(""),
                ]
            )
        ).to_series()
    if kind == "house_number" and len(columns) > 1:
        return frame.select(
            pl.concat_str([pl.col(c).cast(pl.String).fill_null("") for c in columns], separator=" ")
        ).to_series()
    return frame[columns[0]].cast(pl.String)


def _with_columns(frame: pl.DataFrame, columns: Sequence[str]) -> pl.DataFrame:
    absent = [c for c in columns if c and c not in frame.columns]
    return frame.with_columns(pl.lit(None, pl.String).alias(c) for c in absent)


def postcode_expr(column: str) -> pl.Expr:
    """``normalize_postcode`` as a polars expression (the tests hold the two equal)."""
    parts = pl.col(column).cast(pl.String).str.extract_groups(POSTCODE_PATTERN)
    code = pl.concat_str([parts.struct[0], parts.struct[1].str.to_uppercase()])
    return (
        pl.when(code.str.slice(4).is_in(list(UNUSED_POSTCODE_LETTERS))).then(None).otherwise(code)
    )


def house_number_expr(column: str) -> pl.Expr:
    """The number part of ``normalize_house_number`` as a polars expression."""
    digits = pl.col(column).cast(pl.String).str.extract(r"^\s*([0-9]{1,5})(?:[^0-9]|$)", 1)
    number = digits.cast(pl.Int64, strict=False)
    return pl.when(number >= 1).then(number.cast(pl.String)).otherwise(None)


def _prepare_address(frame: pl.DataFrame, columns: Sequence[str]) -> dict[str, Coded]:
    """Postcode + house number, postcode, pc4, town, street + number + town.

    Addresses are nearly unique per record, so they are normalised with polars expressions
    instead of once per distinct value.
    """
    postcode, house, town, street = [*columns, "", "", "", ""][:4]
    frame = _with_columns(frame, [postcode, house, town, street])
    parts = frame.select(
        postcode_expr(postcode).alias("postcode") if postcode else pl.lit(None, pl.String),
        house_number_expr(house).alias("number") if house else pl.lit(None, pl.String),
    )
    place = derive(code_column(frame[town]), lambda v: (nl.fold(v),), 1)[0] if town else None
    result = {
        "value": code_column(
            parts.select(pl.concat_str(["postcode", "number"], separator=" ")).to_series()
        ),
        "postcode": code_column(parts["postcode"]),
        "pc4": code_column(parts["postcode"].str.slice(0, 4)),
    }
    empty = Coded(np.full(frame.height, -1, dtype=np.int32), np.array([], dtype=object))
    result["town"] = place or empty
    if street and place is not None:
        names = derive(code_column(frame[street]), lambda v: (nl.normalize_street(v),), 1)[0]
        codes = pl.DataFrame({"street": names.codes, "town": place.codes})
        text = pl.concat_str(
            [pl.col("street").cast(pl.String), parts["number"], pl.col("town").cast(pl.String)],
            separator=" ",
        )
        known = (pl.col("street") >= 0) & (pl.col("town") >= 0)
        result["street"] = code_column(codes.select(pl.when(known).then(text)).to_series())
    else:
        result["street"] = empty
    return result


def prepare(frame: pl.DataFrame, kind: str, columns: Sequence[str]) -> dict[str, Coded]:
    """Every derived feature of one comparison, by name ("value", "skeleton", ...)."""
    if kind == "address":
        return _prepare_address(frame, columns)
    function, names = DERIVATIONS[kind]
    raw = code_column(raw_column(frame, kind, columns))
    return dict(zip(names, derive(raw, function, len(names)), strict=True))


def _with_missing(values: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    """The values with None appended, so that code -1 reads as missing."""
    out = np.empty(len(values) + 1, dtype=object)
    out[:-1] = values
    return out


def _texts(coded: Coded) -> pl.Series:
    return pl.Series(_with_missing(coded.values)[coded.codes], dtype=pl.String)


def unordered_pair(a: Coded, b: Coded) -> Coded:
    """One code for the pair {a, b} regardless of order: a first name and a surname that
    were written the wrong way round still get the same code."""
    frame = pl.DataFrame({"a": _texts(a), "b": _texts(b)})
    low = pl.min_horizontal("a", "b")
    high = pl.max_horizontal("a", "b")
    known = pl.col("a").is_not_null() & pl.col("b").is_not_null()
    pair = frame.select(pl.when(known).then(pl.concat_str([low, high], separator="|")))
    return code_column(pair.to_series())


def crossed(a: Coded, b: Coded, i: Codes, j: Codes) -> npt.NDArray[np.bool_]:
    """Whether a's value of record i equals b's value of record j and the other way round."""
    texts_a, texts_b = _with_missing(a.values), _with_missing(b.values)
    ai, aj = texts_a[a.codes[i]], texts_a[a.codes[j]]
    bi, bj = texts_b[b.codes[i]], texts_b[b.codes[j]]
    present = (a.codes[i] >= 0) & (a.codes[j] >= 0) & (b.codes[i] >= 0) & (b.codes[j] >= 0)
    return present & (ai == bj) & (aj == bi)
