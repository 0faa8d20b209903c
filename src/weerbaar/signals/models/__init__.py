from .attachments import Attachment
from .phenomena import Phenomenon
from .reporting import ReporterCode, SignalAddition
from .signal import Channel, Priority, ReporterIdentity, Signal, SignalCounter, StatusChange
from .subjects import Subject, SubjectFields, SubjectKind, SubjectRole

__all__ = [
    "Attachment",
    "Channel",
    "Phenomenon",
    "Priority",
    "ReporterCode",
    "ReporterIdentity",
    "Signal",
    "SignalAddition",
    "SignalCounter",
    "StatusChange",
    "Subject",
    "SubjectFields",
    "SubjectKind",
    "SubjectRole",
]
