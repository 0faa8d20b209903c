"""Writes on integral inspections. Each runs in one transaction and writes its audit entry.

Only planners (regisseur, analist) of the inspection's municipality write; partners taking
part read. Findings are recorded while an inspection is held; completing it needs a summary.
"""

from .follow_up import SUGGESTED_KIND, intervention_from_finding
from .planning import (
    EDITABLE_FIELDS,
    REFERENCE_PREFIX,
    can_plan,
    change_status,
    plan_inspection,
    require_planner,
    set_target,
    update_inspection,
)
from .targets import (
    FINDING_FIELDS,
    OBJECT_FIELDS,
    add_object,
    clean_object,
    record_finding,
    remove_object,
    signal_from_finding,
)

__all__ = [
    "EDITABLE_FIELDS",
    "FINDING_FIELDS",
    "OBJECT_FIELDS",
    "REFERENCE_PREFIX",
    "SUGGESTED_KIND",
    "add_object",
    "can_plan",
    "change_status",
    "clean_object",
    "intervention_from_finding",
    "plan_inspection",
    "record_finding",
    "remove_object",
    "require_planner",
    "set_target",
    "signal_from_finding",
    "update_inspection",
]
