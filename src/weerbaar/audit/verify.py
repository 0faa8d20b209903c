"""Checking the hash chains of the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import GENESIS_HASH, AuditChain, AuditEntry


@dataclass
class ChainReport:
    key: str
    entries: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(key: str) -> ChainReport:
    report = ChainReport(key)
    expected_prev = GENESIS_HASH
    expected_seq = 1
    qs = AuditEntry.objects.filter(chain=key).order_by("sequence").iterator(chunk_size=2000)
    for entry in qs:
        report.entries += 1
        if entry.sequence != expected_seq:
            report.problems.append(
                f"volgnummer {expected_seq} ontbreekt (gevonden: {entry.sequence})"
            )
        if entry.prev_hash != expected_prev:
            report.problems.append(
                f"regel {entry.sequence}: verwijzing naar vorige regel klopt niet"
            )
        if entry.compute_hash() != entry.hash:
            report.problems.append(f"regel {entry.sequence}: inhoud is gewijzigd (hash klopt niet)")
        expected_prev = entry.hash
        expected_seq = entry.sequence + 1
    head = AuditChain.objects.filter(key=key).first()
    if head is not None and (
        head.last_sequence != expected_seq - 1 or head.last_hash != expected_prev
    ):
        report.problems.append("de laatste regel(s) van de keten ontbreken")
    return report


def verify_all() -> list[ChainReport]:
    keys = set(AuditChain.objects.values_list("key", flat=True))
    keys |= set(AuditEntry.objects.values_list("chain", flat=True).distinct())
    return [verify_chain(k) for k in sorted(keys)]
