"""Column checks, vectorised with pyarrow.compute so ten million rows take seconds, not minutes.

A check turns a column of trimmed strings into the value to store (a string, integer, date or
float) and a mask of the values it accepts. Empty values are handled once, in ``Check.apply``:
they are stored as blank text or NULL, and refused only where the column is required.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

Converter = Callable[[Any], tuple[Any, Any]]  # strings -> (values, accepted)

NULL_STRING = pa.scalar(None, pa.string())

USES = (
    "woonfunctie",
    "winkelfunctie",
    "kantoorfunctie",
    "industriefunctie",
    "bijeenkomstfunctie",
    "logiesfunctie",
    "onderwijsfunctie",
    "sportfunctie",
    "gezondheidszorgfunctie",
    "celfunctie",
    "overige gebruiksfunctie",
)


@dataclass(frozen=True)
class Check:
    """How one column is validated and converted; ``reason`` completes "<column> ..."."""

    convert: Converter
    reason: str
    arrow_type: Any = field(default_factory=pa.string)
    required: bool = False

    def apply(self, raw: Any) -> tuple[Any, Any]:
        """(values to stage, accepted mask) for a column of trimmed strings."""
        empty = pc.equal(raw, "")
        values, accepted = self.convert(raw)
        accepted = pc.fill_null(accepted, False)
        if self.arrow_type == pa.string():
            values = pc.if_else(empty, "", values)
        else:
            values = pc.if_else(empty, pa.scalar(None, self.arrow_type), values)
        return values, pc.if_else(empty, not self.required, accepted)


def _matching(pattern: str) -> Converter:
    return lambda raw: (raw, pc.match_substring_regex(raw, pattern))


def _no_nul(raw: Any) -> Any:
    return pc.invert(pc.match_substring(raw, "\x00"))


def text(max_length: int, *, required: bool = False) -> Check:
    def convert(raw: Any) -> tuple[Any, Any]:
        return raw, pc.and_(pc.less_equal(pc.utf8_length(raw), max_length), _no_nul(raw))

    return Check(convert, f"is langer dan {max_length} tekens", required=required)


def digits(length: int, *, required: bool = False) -> Check:
    return Check(_matching(rf"^[0-9]{{{length}}}$"), f"is geen {length} cijfers", required=required)


def postcode(*, required: bool = False) -> Check:
    def convert(raw: Any) -> tuple[Any, Any]:
        value = pc.utf8_upper(pc.replace_substring(raw, " ", ""))
        return value, pc.match_substring_regex(value, r"^[1-9][0-9]{3}[A-Z]{2}$")

    return Check(convert, "is geen postcode (1234AB)", required=required)


def integer(low: int, high: int, *, required: bool = False) -> Check:
    def convert(raw: Any) -> tuple[Any, Any]:
        plain = pc.match_substring_regex(raw, r"^[0-9]{1,9}$")
        value = pc.cast(pc.if_else(plain, raw, NULL_STRING), pa.int64())
        in_range = pc.and_(pc.greater_equal(value, low), pc.less_equal(value, high))
        return pc.cast(value, pa.int32()), in_range

    return Check(convert, f"is geen geheel getal van {low} tot en met {high}", pa.int32(), required)


def decimal(low: float, high: float) -> Check:
    def convert(raw: Any) -> tuple[Any, Any]:
        plain = pc.match_substring_regex(raw, r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
        value = pc.cast(pc.if_else(plain, raw, NULL_STRING), pa.float64())
        return value, pc.and_(pc.greater_equal(value, low), pc.less_equal(value, high))

    return Check(convert, f"is geen getal van {low:g} tot en met {high:g}", pa.float64())


def date(*, required: bool = False) -> Check:
    def convert(raw: Any) -> tuple[Any, Any]:
        shaped = pc.match_substring_regex(raw, r"^(18|19|20)[0-9]{2}-[0-9]{2}-[0-9]{2}$")
        parsed = pc.strptime(
            pc.if_else(shaped, raw, NULL_STRING), format="%Y-%m-%d", unit="s", error_is_null=True
        )
        # strptime rolls 2021-02-30 over to 2021-03-02: only a round trip proves the date.
        exists = pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), raw)
        return pc.cast(parsed, pa.date32()), exists

    return Check(convert, "is geen bestaande datum (JJJJ-MM-DD)", pa.date32(), required)


def house_letter() -> Check:
    return Check(_matching(r"^[A-Za-z]$"), "is niet één letter")


def code_list(max_length: int) -> Check:
    """SBI codes: 2-6 digits, several separated by |."""

    def convert(raw: Any) -> tuple[Any, Any]:
        shaped = pc.match_substring_regex(raw, r"^[0-9]{2,6}(\|[0-9]{2,6})*$")
        return raw, pc.and_(shaped, pc.less_equal(pc.utf8_length(raw), max_length))

    return Check(
        convert, f"zijn geen SBI-codes (2-6 cijfers, gescheiden door |, max. {max_length})"
    )


def uses() -> Check:
    one = "(" + "|".join(USES) + ")"

    def convert(raw: Any) -> tuple[Any, Any]:
        value = pc.replace_substring_regex(pc.utf8_lower(raw), r"\s*\|\s*", "|")
        return value, pc.match_substring_regex(value, rf"^{one}(\|{one})*$")

    return Check(convert, "bevat een onbekend gebruiksdoel")


def municipality_code(*, required: bool = False) -> Check:
    """CBS code with or without GM; stored as GM0363 like ``Municipality.code``."""

    def convert(raw: Any) -> tuple[Any, Any]:
        number = pc.replace_substring_regex(pc.utf8_upper(raw), r"^GM", "")
        return pc.binary_join_element_wise("GM", number, ""), pc.match_substring_regex(
            number, r"^[0-9]{4}$"
        )

    return Check(convert, "is geen gemeentecode (4 cijfers, met of zonder GM)", required=required)
