"""One import run: stage the file, then apply it to the live tables in one transaction.

Staging happens outside the transaction (in a TEMP table), so the live tables change only at
the final commit: a run that is killed or fails leaves the previous state, and running it
again simply does the whole job again. Each run is a ``RegistryImport`` row; a row still
"bezig" when the next run starts belongs to a run that was killed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from queue import Queue
from threading import Event, Thread
from typing import Any, TypeVar

from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from weerbaar.audit.log import record
from weerbaar.audit.models import Action

from ..models import RegistryImport
from . import apply, hooks
from .hooks import after_import
from .reading import ImportRefused, Source
from .staging import Staging, staging_for
from .validation import validate

T = TypeVar("T")
PROBLEMS_KEPT = 1000
TRACE_FROM = 0.2  # seconds: statements at least this slow are shown with --verbosity 2
INTERRUPTED = "afgebroken"


def number(value: int) -> str:
    """10.000.000: Dutch thousands separators."""
    return f"{value:,}".replace(",", ".")


class ImportFailed(Exception):
    """The run could not be applied; nothing changed. The message is Dutch."""


@dataclass
class Staged:
    rows_read: int = 0
    rejected: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)

    def add(self, rejected: int, problems: list[dict[str, Any]]) -> None:
        self.rejected += rejected
        self.problems += problems[: PROBLEMS_KEPT - len(self.problems)]

    @property
    def reasons_wanted(self) -> int:
        return PROBLEMS_KEPT - len(self.problems)


def run_import(
    source: Source,
    *,
    delta: bool = False,
    extract_date: date | None = None,
    progress: bool = False,
    say: Callable[[str], None] = lambda message: None,
    trace: bool = False,
) -> RegistryImport:
    """Import one checked file (see ``reading.inspect``); return its finished run.

    ``say`` gets progress lines; with ``trace`` also every slow SQL statement and its time.
    """
    dataset = source.dataset
    staging = staging_for(dataset)
    if not staging.lock():
        raise ImportRefused("Er loopt al een registerimport; probeer het later opnieuw.")
    try:
        mark_interrupted_runs()
        run = RegistryImport.objects.create(
            kind=dataset.kind,
            dataset=dataset.name,
            file_name=str(source.path)[-500:],
            extract_date=extract_date,
            status=RegistryImport.Status.RUNNING,
        )
        staged = Staged()
        try:
            with connection.execute_wrapper(_timer(say)) if trace else nullcontext():
                started = time.monotonic()
                _stage(source, staging, staged, progress)
                say(
                    f"{source.path.name}: {number(staged.rows_read)} regels gelezen en klaargezet in "
                    f"{time.monotonic() - started:.1f} s; toepassen op de database ..."
                )
                _apply(run, staging, staged, full=not delta)
        except BaseException as exc:  # also KeyboardInterrupt: the run must not stay "bezig"
            _fail(run, staged, exc)
            raise
        finally:
            staging.drop()
    finally:
        staging.unlock()
    started = time.monotonic()
    after_import(dataset.name, run)
    if hooks.AFTER_IMPORT:
        say(f"{source.path.name}: na de import bijgewerkt in {time.monotonic() - started:.1f} s")
    return run


def _timer(say: Callable[[str], None]) -> Callable[..., Any]:
    def timed(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        started = time.monotonic()
        result = execute(sql, params, many, context)
        seconds = time.monotonic() - started
        if seconds >= TRACE_FROM and not many:
            say(f"  {seconds:7.1f} s  {' '.join(sql.split())[:110]}")
        return result

    return timed


def mark_interrupted_runs() -> int:
    """Runs left "bezig" by a process that was killed: they changed nothing, say so."""
    return RegistryImport.objects.filter(status=RegistryImport.Status.RUNNING).update(
        status=RegistryImport.Status.FAILED, message=INTERRUPTED, finished_at=timezone.now()
    )


def _stage(source: Source, staging: Staging, staged: Staged, progress: bool) -> None:
    staging.create()
    with tqdm(
        total=source.estimated_rows,
        unit=" regels",
        unit_scale=True,
        desc=source.path.name,
        disable=not progress,
    ) as bar:
        checked_batches = (
            (batch, validate(source.dataset, batch, reasons_wanted=PROBLEMS_KEPT))
            for batch in source.batches()
        )
        for batch, checked in in_background(checked_batches):
            staged.rows_read += batch.size + len(batch.unreadable)
            staged.add(checked.rejected, checked.problems)
            if checked.staging is not None and checked.staging.num_rows:
                staging.load(checked.staging)
            bar.update(batch.size + len(batch.unreadable))
    staging.index()
    staging.analyze()
    prepared = apply.prepare(staging, reasons_wanted=staged.reasons_wanted)
    staged.add(prepared.rejected, prepared.problems)
    staged.problems.sort(key=lambda problem: problem["line"])
    if not apply.accepted_rows(staging):
        raise ImportFailed("Geen enkele regel is goedgekeurd; er is niets gewijzigd.")


def in_background(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Produce ``items`` in a thread while the caller consumes them.

    Reading and checking (pyarrow) and loading (the database driver) both release the GIL,
    so on two cores the next batch is read while the last one is written. The queue is
    short, so memory stays bounded.
    """
    queue: Queue[tuple[T | None, BaseException | None, bool]] = Queue(maxsize=depth)
    stop = Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():  # the consumer gave up
                    return
                queue.put((item, None, False))
        except BaseException as exc:
            queue.put((None, exc, True))
            return
        queue.put((None, None, True))

    Thread(target=produce, daemon=True, name="registry-import-reader").start()
    try:
        while True:
            item, error, done = queue.get()
            if error is not None:
                raise error
            if done:
                return
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        while not queue.empty():  # free a producer waiting to put
            queue.get_nowait()


def _apply(run: RegistryImport, staging: Staging, staged: Staged, *, full: bool) -> None:
    dataset = staging.dataset
    now = timezone.now()
    with transaction.atomic():
        staging.tune()
        step = apply.apply_replacing if dataset.replace_by_unit else apply.apply_keyed
        counts = step(staging, full=full, now=now)
        run.status = RegistryImport.Status.DONE
        run.finished_at = timezone.now()
        run.rows_read = staged.rows_read
        run.inserted, run.updated = counts.inserted, counts.updated
        run.unchanged, run.ended = counts.unchanged, counts.ended
        run.rejected = staged.rejected
        run.problems = staged.problems
        run.save()
        record(
            Action.IMPORT,
            actor=None,
            actor_label=f"import-{dataset.kind}",
            obj=run,
            detail={
                "dataset": dataset.name,
                "full": full,
                "extract_date": run.extract_date.isoformat() if run.extract_date else None,
                **summary(run),
            },
        )


def summary(run: RegistryImport) -> dict[str, int]:
    return {
        "rows_read": run.rows_read,
        "inserted": run.inserted,
        "updated": run.updated,
        "unchanged": run.unchanged,
        "ended": run.ended,
        "rejected": run.rejected,
    }


def _fail(run: RegistryImport, staged: Staged, exc: BaseException) -> None:
    if isinstance(exc, KeyboardInterrupt):
        message = INTERRUPTED
    elif isinstance(exc, ImportFailed):
        message = str(exc)
    else:
        message = f"Onverwachte fout ({type(exc).__name__}): {exc}"[:2000]
    RegistryImport.objects.filter(pk=run.pk).update(
        status=RegistryImport.Status.FAILED,
        finished_at=timezone.now(),
        message=message,
        rows_read=staged.rows_read,
        rejected=staged.rejected,
        problems=staged.problems,
    )
