"""Importing reports forwarded by Meld Misdaad Anoniem (format: docs/mma-import.md).

Every row is validated and stored on its own (a savepoint each): a broken row never leaves
half a signal behind, and the report says which rows failed and why. The same MMA number
twice gives one signal (idempotent).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from weerbaar.accounts.models import User
from weerbaar.accounts.roles import Perm
from weerbaar.audit.log import Target, record
from weerbaar.audit.models import Action
from weerbaar.organisations.models import Municipality

from . import actions
from .models import Channel, Phenomenon, Signal

COLUMNS = [
    "mma_nummer",
    "ontvangen_op",
    "gemeentecode",
    "omschrijving",
    "fenomenen",
    "straat",
    "huisnummer",
    "toevoeging",
    "postcode",
    "plaats",
    "gebied",
]
REQUIRED = ["mma_nummer", "ontvangen_op", "gemeentecode", "omschrijving"]


@dataclass
class RowProblem:
    row: int
    mma_number: str
    messages: list[str]


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    already_present: list[str] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.created) + len(self.already_present) + len(self.problems)


class FileProblem(Exception):
    """The file as a whole cannot be read."""


def parse_file(raw: bytes, name: str) -> list[dict[str, Any]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileProblem("Het bestand is geen UTF-8-tekst.") from exc
    if name.lower().endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FileProblem(f"Het bestand is geen geldige JSON (regel {exc.lineno}).") from exc
        rows = data.get("meldingen") if isinstance(data, dict) else data
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise FileProblem("Verwacht een lijst met meldingen (of een object met 'meldingen').")
        return rows
    if name.lower().endswith(".csv"):
        header = text.splitlines()[0] if text else ""
        delimiter = ";" if header.count(";") > header.count(",") else ","
        try:
            reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise FileProblem(f"Kolommen ontbreken: {', '.join(missing)}.")
            return list(reader)
        except csv.Error as exc:
            raise FileProblem(f"Het CSV-bestand is niet te lezen: {exc}.") from exc
    raise FileProblem("Kies een .csv- of .json-bestand.")


def _row_to_new(
    row: dict[str, Any], actor: User, phenomena: dict[str, Phenomenon]
) -> actions.NewSignal:
    problems: list[str] = []
    for column in REQUIRED:
        if not str(row.get(column) or "").strip():
            problems.append(f"'{column}' ontbreekt.")
    received: datetime | None = None
    if row.get("ontvangen_op"):
        received = parse_datetime(str(row["ontvangen_op"]).strip())
        if received is None:
            problems.append("'ontvangen_op' is geen datum en tijd (bijvoorbeeld 2026-11-20T14:30).")
        elif timezone.is_naive(received):
            received = timezone.make_aware(received)
    municipality = Municipality.objects.filter(
        code=str(row.get("gemeentecode") or "").strip().upper()
    ).first()
    if row.get("gemeentecode") and municipality is None:
        problems.append(f"Onbekende gemeentecode '{row.get('gemeentecode')}'.")
    elif municipality is not None and municipality.pk != actor.municipality_id:
        problems.append("Deze melding is voor een andere gemeente.")
    codes = [
        c.strip() for c in str(row.get("fenomenen") or "").replace(",", ";").split(";") if c.strip()
    ]
    unknown = [c for c in codes if c not in phenomena]
    if unknown:
        problems.append(f"Onbekende fenomenen: {', '.join(unknown)}.")
    number = str(row.get("huisnummer") or "").strip()
    if number and not (number.isascii() and number.isdigit()):
        problems.append("'huisnummer' moet een getal zijn.")
    if problems:
        raise ValidationError(problems)
    assert municipality is not None
    return actions.NewSignal(
        municipality=municipality,
        channel=Channel.MMA,
        description=str(row["omschrijving"]),
        phenomena=[phenomena[c] for c in codes],
        location={
            "street": row.get("straat"),
            "house_number": int(number) if number else None,
            "house_number_addition": row.get("toevoeging"),
            "postcode": row.get("postcode"),
            "city": row.get("plaats"),
            "area_name": row.get("gebied"),
        },
        received_at=received,
        external_id=str(row["mma_nummer"]).strip(),
    )


def import_rows(actor: User, rows: list[dict[str, Any]], *, source: str) -> ImportReport:
    if not actor.has_role_perm(Perm.SIGNALS_TRIAGE) or actor.municipality_id is None:
        raise PermissionDenied
    phenomena = {p.code: p for p in Phenomenon.objects.for_user(actor)}
    report = ImportReport()
    for index, row in enumerate(rows, start=1):
        number = str(row.get("mma_nummer") or "").strip()
        if (
            number
            and Signal.objects.filter(
                municipality_id=actor.municipality_id, channel=Channel.MMA, external_id=number
            ).exists()
        ):
            report.already_present.append(number)
            continue
        try:
            with transaction.atomic():
                signal = actions.create_signal(actor, _row_to_new(row, actor, phenomena))
        except ValidationError as exc:
            report.problems.append(RowProblem(index, number, exc.messages))
        except IntegrityError:  # the same number twice in one file, or a concurrent import
            report.already_present.append(number)
        else:
            report.created.append(signal.reference)
    record(
        Action.IMPORT,
        actor=actor,
        obj=Target("signals.Signal", "", f"MMA: {source}"[:200]),
        detail={
            "created": len(report.created),
            "already_present": len(report.already_present),
            "failed_rows": [p.row for p in report.problems],
        },
    )
    return report
