"""Checking a batch of rows: what goes to staging, and why the other rows were refused.

The checks run on whole columns; reasons are only written out for the rejected rows that
will be shown or stored, so a file with a million bad rows is still fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from .datasets import PAIRS, Dataset
from .reading import Batch

LINE = "line"
OK = "ok"


@dataclass
class Validated:
    staging: pa.Table | None  # line, ok, then the model fields; see ``staging_columns``
    rejected: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)


def staging_columns(dataset: Dataset) -> list[str]:
    return [LINE, OK, *dataset.fields]


def validate(dataset: Dataset, batch: Batch, *, reasons_wanted: int) -> Validated:
    """Stage the good rows, and the unit of a bad row whose unit is readable.

    A bad row is staged with ``ok`` false and only its unit (e.g. its KvK number): it is not
    applied, but a full extract then does not end the live rows it speaks for.
    """
    problems = [{"line": line, "reason": reason} for line, reason in batch.unreadable]
    result = Validated(staging=None, rejected=len(problems), problems=problems[:reasons_wanted])
    if batch.size == 0:
        return result
    values: dict[str, Any] = {}
    accepted: dict[str, Any] = {}
    for column in dataset.columns:
        values[column.field], accepted[column.name] = column.check.apply(batch.columns[column.name])
    row_checks = _row_checks(dataset, batch)
    ok = _all([*accepted.values(), *row_checks.values()])
    unit = set(dataset.unit)
    unit_ok = _all([accepted[c.name] for c in dataset.columns if c.field in unit])
    arrays = [pa.array(batch.lines), ok]
    for column in dataset.columns:
        value = values[column.field]
        arrays.append(
            value if column.field in unit else pc.if_else(ok, value, pa.scalar(None, value.type))
        )
    table = pa.table(arrays, names=staging_columns(dataset))
    result.staging = table.filter(pc.or_(ok, unit_ok))
    bad = pc.indices_nonzero(pc.invert(ok))
    result.rejected += len(bad)
    wanted = reasons_wanted - len(result.problems)
    if wanted > 0 and len(bad):
        result.problems += _reasons(dataset, batch, bad[:wanted], accepted, row_checks)
    return result


def _all(masks: list[Any]) -> Any:
    combined = masks[0]
    for mask in masks[1:]:
        combined = pc.and_(combined, mask)
    return combined


def _row_checks(dataset: Dataset, batch: Batch) -> dict[str, Any]:
    """Checks over several columns, keyed by the reason they give."""
    filled = [pc.not_equal(batch.columns[name], "") for name in dataset.column_names]
    result = {"lege regel": _any(filled)}  # passes when the row is not empty
    for first, second in PAIRS.get(dataset.name, ()):
        has_first = pc.not_equal(batch.columns[first], "")
        has_second = pc.not_equal(batch.columns[second], "")
        result[f"{first} en {second} horen samen; één van beide ontbreekt"] = pc.equal(
            has_first, has_second
        )
    return result


def _any(masks: list[Any]) -> Any:
    combined = masks[0]
    for mask in masks[1:]:
        combined = pc.or_(combined, mask)
    return combined


def _reasons(
    dataset: Dataset,
    batch: Batch,
    bad: Any,
    accepted: dict[str, Any],
    row_checks: dict[str, Any],
) -> list[dict[str, Any]]:
    lines = batch.lines[bad.to_numpy()].tolist()
    has_content = pc.take(row_checks["lege regel"], bad).to_pylist()
    per_column = {
        column.name: (
            pc.take(accepted[column.name], bad).to_pylist(),
            pc.take(pc.equal(batch.columns[column.name], ""), bad).to_pylist(),
        )
        for column in dataset.columns
    }
    per_row = {reason: pc.take(mask, bad).to_pylist() for reason, mask in row_checks.items()}
    problems = []
    for i, line in enumerate(lines):
        if not has_content[i]:
            problems.append({"line": line, "reason": "lege regel"})
            continue
        reasons = []
        for column in dataset.columns:
            ok, empty = per_column[column.name][0][i], per_column[column.name][1][i]
            if not ok:
                reasons.append(
                    f"{column.name} ontbreekt" if empty else f"{column.name} {column.check.reason}"
                )
        reasons += [reason for reason, passed in per_row.items() if not passed[i]]
        problems.append({"line": line, "reason": "; ".join(reasons)})
    return problems
