"""Background work of the organisations app (Django's task API, see ADR 0002)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task

from .boundaries import BoundaryImportError, import_boundary_data
from .models import BoundaryImport, ImportStatus

UNEXPECTED = "Onverwachte fout; de beheerder van de server vindt de details in het logboek."


@task()
def run_boundary_import(import_id: int) -> str:
    """Import an uploaded boundary file; record the outcome and remove the upload."""
    job = BoundaryImport.objects.get(pk=import_id)
    BoundaryImport.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    try:
        status, outcome = _import(job)
    except Exception:
        _finish(job, ImportStatus.FAILED, {"problems": [UNEXPECTED]})
        raise
    _finish(job, status, outcome)
    return str(status)


def _import(job: BoundaryImport) -> tuple[ImportStatus, dict[str, Any]]:
    with job.file.open("rb") as handle:
        raw = handle.read()
    try:
        result = import_boundary_data(raw, source=job.original_name)
    except BoundaryImportError as exc:
        return ImportStatus.FAILED, {"problems": exc.problems[:100]}
    return ImportStatus.DONE, {
        "created": result.created,
        "updated": result.updated,
        "repaired": result.repaired,
    }


def _finish(job: BoundaryImport, status: ImportStatus, outcome: dict[str, Any]) -> None:
    if job.file:
        job.file.delete(save=False)
    BoundaryImport.objects.filter(pk=job.pk).update(
        status=status, result=outcome, finished_at=timezone.now(), file=""
    )
