from .phenomena import Phenomenon
from .signal import Channel, Priority, ReporterIdentity, Signal, SignalCounter, StatusChange
from .subjects import Subject, SubjectKind, SubjectRole

__all__ = [
    "Channel",
    "Phenomenon",
    "Priority",
    "ReporterIdentity",
    "Signal",
    "SignalCounter",
    "StatusChange",
    "Subject",
    "SubjectKind",
    "SubjectRole",
]
