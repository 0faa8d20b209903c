from .case import (
    Case,
    CaseCounter,
    CaseMember,
    CasePartner,
    CaseQuerySet,
    PhaseChange,
    SharedPart,
)
from .parts import CaseDocument, CaseEvent, CasePartQuerySet, CaseSubject, CaseTask

__all__ = [
    "Case",
    "CaseCounter",
    "CaseDocument",
    "CaseEvent",
    "CaseMember",
    "CasePartQuerySet",
    "CasePartner",
    "CaseQuerySet",
    "CaseSubject",
    "CaseTask",
    "PhaseChange",
    "SharedPart",
]
