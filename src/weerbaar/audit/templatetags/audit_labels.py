from django import template

from weerbaar.audit.labels import field_labels, object_type_label
from weerbaar.audit.models import AuditEntry

register = template.Library()


@register.filter
def object_type(entry: AuditEntry) -> str:
    return object_type_label(entry.object_type) if entry.object_type else ""


@register.filter
def changed_field_names(entry: AuditEntry) -> str:
    return ", ".join(field_labels(entry.object_type, entry.changed_fields))
