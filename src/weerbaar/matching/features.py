"""Columns turned into integer codes of normalised values, for blocking and batch scoring.

A million records hold far fewer distinct names; each distinct raw value is normalised once
(with the same functions the interactive comparisons use) and every record gets the integer
code of its normalised value. Blocking joins and comparisons then work on codes, and string
similarity is computed once per distinct pair of values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import polars as pl

from . import codes as kit
from . import normalize as nl
from . import plain
from .address import POSTCODE_PATTERN, UNUSED_POSTCODE_LETTERS
from .names import is_particle

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


@dataclass(frozen=True, eq=False)
class Coded:
    """Per record the code of its value (-1: missing); ``values[code]`` is the value.

    A feature derived from another (``parent``) also keeps ``mapping``, its code per parent
    code (with -1 appended), so that pairs can look codes up in that small table instead of
    gathering from the per-record array again.
    """

    codes: Codes
    values: npt.NDArray[Any]
    parent: Coded | None = None
    mapping: Codes | None = None
    # Tables computed from the values once (lengths, first letters, ...), by name.
    memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def per_value(self, name: str, compute: Callable[[Coded], Any]) -> Any:
        """``compute(self)``, computed once: a table indexed by code."""
        if name not in self.memo:
            self.memo[name] = compute(self)
        return self.memo[name]

    def counts(self) -> npt.NDArray[np.int64]:
        present = self.codes[self.codes >= 0]
        return np.bincount(present, minlength=len(self.values))


def code_column(series: pl.Series) -> Coded:
    """Distinct non-empty values and each row's index into them."""
    text = series.cast(pl.String).str.strip_chars()
    text = pl.Series("v", text).replace("", None)
    distinct = text.unique(maintain_order=True).drop_nulls()  # reproducible codes
    lookup = pl.DataFrame(
        {"v": distinct, "code": np.arange(len(distinct), dtype=np.int32)},
        schema={"v": pl.String, "code": pl.Int32},
    )
    joined = text.to_frame().join(lookup, on="v", how="left", maintain_order="left")
    codes = joined["code"].fill_null(-1).to_numpy().astype(np.int32)
    return Coded(codes, np.array(distinct.to_list(), dtype=object))


def _mapped(raw: Coded, derived: pl.Series) -> Coded:
    """Codes of ``derived`` (one value per distinct raw value) for every record."""
    coded = code_column(derived)
    # Code -1 indexes the appended -1: missing stays missing.
    mapping = np.append(coded.codes, -1).astype(np.int32)
    return Coded(mapping[raw.codes], coded.values, raw, mapping)


def derive(raw: Coded, function: Callable[[str], Sequence[str]], width: int) -> list[Coded]:
    """Apply ``function`` to each distinct raw value; it returns ``width`` strings."""
    rows = [function(value) for value in raw.values.tolist()]
    slots = list(zip(*rows, strict=True)) if rows else [() for _ in range(width)]
    return [_mapped(raw, pl.Series(slot, dtype=pl.String)) for slot in slots]


def derive_plain(
    raw: Coded,
    function: Callable[[str], Sequence[str]],
    names: Sequence[str],
    condition: pl.Expr,
    expressions: list[pl.Expr],
) -> list[Coded]:
    """``derive`` with polars ``expressions`` for the values that meet ``condition`` (they
    give what ``function`` gives) and ``function`` for the rest."""
    values = pl.DataFrame({"v": raw.values.tolist()}, schema={"v": pl.String}).with_row_index()
    plain = values.filter(condition)
    fast = plain.select("index", *expressions)
    rest = values.join(plain.select("index"), on="index", how="anti")
    rows = [function(value) for value in rest["v"].to_list()]
    slow = pl.DataFrame(
        {
            "index": rest["index"],
            **{name: [row[k] for row in rows] for k, name in enumerate(names)},
        },
        schema={"index": fast.schema["index"], **dict.fromkeys(names, pl.String)},
    )
    both = pl.concat([fast, slow]).sort("index")
    return [_mapped(raw, both[name]) for name in names]


def derive_expr(raw: Coded, expression: pl.Expr) -> Coded:
    """A polars expression (on column "v") over the distinct raw values."""
    values = pl.DataFrame({"v": raw.values.tolist()}, schema={"v": pl.String})
    return _mapped(raw, values.select(expression).to_series())


def from_keys(key: npt.NDArray[np.int64], present: npt.NDArray[np.bool_]) -> Coded:
    """Codes for integer keys (equal keys, equal codes); the values are the keys."""
    codes = np.full(len(key), -1, dtype=np.int32)
    distinct, inverse = kit.factorize(key[present])
    codes[present] = inverse
    return Coded(codes, distinct.astype(object))


def _string(value: str) -> tuple[str, str]:
    folded = nl.fold(value)
    return folded, nl.skeleton(folded)


def _first_names(value: str) -> tuple[str, str, str, str, str, str, str]:
    """Also the field read as a surname (particles left out), for names written the wrong
    way round ("van der Veen" in the first-names field gives "veen"), and a lone word of two
    to four capitals that may be initials without dots ("JAT")."""
    names, initials = nl.split_first_names(value)
    as_surname = "".join(n for n in names if not is_particle(n))
    text = value.strip()
    maybe_initials = text.lower() if text.isalpha() and text.isupper() and len(text) <= 4 else ""
    first = names[0] if names else ""
    compact = "".join(names)
    return " ".join(names), first, initials, initials[:1], as_surname, maybe_initials, compact


def _surname(value: str) -> tuple[str, str, str, str, str]:
    """The surname without particles (the particle field does not change it): its core, first
    and last part (double names), sound code and initial."""
    if value.isascii() and value.isalpha():  # one plain word: what the rules give, faster
        core = value.lower()
        return core, core, core, nl.skeleton(core), core[:1]
    name = nl.normalize_person_name("", "", value)
    parts = name.surname_parts
    core = name.surname_core
    first, last = (parts[0], parts[-1]) if parts else ("", "")
    return core, first, last, nl.skeleton(core), core[:1]


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
    "first_names": (
        _first_names,
        ("value", "first", "initials", "initial", "as_surname", "maybe_initials", "compact"),
    ),
    "surname": (_surname, ("value", "first_part", "last_part", "skeleton", "initial")),
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
        # Particles are compared apart (if at all): the surname's core is all that counts.
        return frame[columns[1]].cast(pl.String)
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


def _postcodes(frame: pl.DataFrame, column: str) -> tuple[Coded, Coded]:
    """Postcode and PC4 codes; a postcode is read as a base-36 number ("1234AB"), so no
    string table is needed for half a million distinct postcodes."""
    normalised = frame.select(postcode_expr(column).alias("p"))["p"]
    present = normalised.is_not_null().to_numpy()
    number = normalised.str.to_integer(base=36, strict=False).fill_null(0).to_numpy()
    area = normalised.str.slice(0, 4).cast(pl.Int64, strict=False).fill_null(0).to_numpy()
    return from_keys(number, present), from_keys(area, present)


def _prepare_address(frame: pl.DataFrame, columns: Sequence[str]) -> dict[str, Coded]:
    """Postcode + house number, postcode, pc4, house number, town, street + number + town.

    Normalised with polars expressions (the same rules as ``normalize_postcode`` and
    ``normalize_house_number``, house numbers once per distinct value); postcodes and the
    combinations are integer codes, compared for equality only.
    """
    postcode, house, town, street = [*columns, "", "", "", ""][:4]
    frame = _with_columns(frame, [postcode, house, town, street])
    empty = Coded(np.full(frame.height, -1, dtype=np.int32), np.array([], dtype=object))
    code, pc4 = _postcodes(frame, postcode) if postcode else (empty, empty)
    number = derive_expr(code_column(frame[house]), house_number_expr("v")) if house else empty
    place = derive(code_column(frame[town]), lambda v: (nl.fold(v),), 1)[0] if town else empty
    known = (code.codes >= 0) & (number.codes >= 0)
    result = {
        "value": from_keys(kit.combine([np.maximum(code.codes, 0), number.codes.clip(0)]), known),
        "postcode": code,
        "pc4": pc4,
        "number": number,
        "town": place,
        "street": empty,
    }
    if street and town:
        name = derive(code_column(frame[street]), lambda v: (nl.normalize_street(v),), 1)[0]
        parts = [name.codes, number.codes, place.codes]
        key = kit.combine([np.maximum(p, 0) for p in parts])
        result["street"] = from_keys(key, np.logical_and.reduce([p >= 0 for p in parts]))
    return result


def prepare(frame: pl.DataFrame, kind: str, columns: Sequence[str]) -> dict[str, Coded]:
    """Every derived feature of one comparison, by name ("value", "skeleton", ...)."""
    if kind == "address":
        return _prepare_address(frame, columns)
    function, names = DERIVATIONS[kind]
    raw = code_column(raw_column(frame, kind, columns))
    if kind in plain.PLAIN:
        condition, expressions = plain.PLAIN[kind]
        derived = derive_plain(raw, function, names, condition(), expressions())
    else:
        derived = derive(raw, function, len(names))
    return dict(zip(names, derived, strict=True))


def _with_missing(values: npt.NDArray[np.object_]) -> npt.NDArray[np.object_]:
    """The values with None appended, so that code -1 reads as missing."""
    out = np.empty(len(values) + 1, dtype=object)
    out[:-1] = values
    return out


def texts(coded: Coded) -> npt.NDArray[np.object_]:
    """The values indexed by code, with None at code -1."""
    return _with_missing(coded.values)


def _common_ids(a: Coded, b: Coded) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Per code of a and of b an id of its value shared by both tables (-1 at code -1)."""
    both = code_column(pl.Series(np.concatenate([a.values, b.values]).tolist(), dtype=pl.String))
    ids = both.codes.astype(np.int64)
    return np.append(ids[: len(a.values)], -1), np.append(ids[len(a.values) :], -1)


def unordered_pair(a: Coded, b: Coded) -> Coded:
    """One code for the pair {a, b} regardless of order: a first name and a surname that
    were written the wrong way round still get the same code. The values are pair numbers."""
    ids_a, ids_b = _common_ids(a, b)
    x, y = ids_a[a.codes], ids_b[b.codes]
    low, high = np.minimum(x, y), np.maximum(x, y)
    return from_keys(kit.combine([np.maximum(low, 0), high]), (x >= 0) & (y >= 0))
