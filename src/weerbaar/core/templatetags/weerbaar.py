"""Template helpers that render Django form fields as NL Design System (Utrecht) components."""

from __future__ import annotations

from django import forms, template
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

register = template.Library()

WIDGET_CLASSES = [
    (forms.CheckboxInput, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.CheckboxSelectMultiple, "utrecht-checkbox utrecht-checkbox--html-input"),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.widgets.Input, "utrecht-textbox utrecht-textbox--html-input"),
]


@register.simple_tag
def widget(field: BoundField) -> SafeString:
    attrs: dict[str, str | bool] = {}
    for kind, css in WIDGET_CLASSES:
        if isinstance(field.field.widget, kind):
            attrs["class"] = css
            break
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{field.auto_id}_error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.field.required and not isinstance(field.field.widget, forms.CheckboxSelectMultiple):
        attrs["required"] = "required"
    return field.as_widget(attrs=attrs)


@register.filter
def is_checkbox(field: BoundField) -> bool:
    return isinstance(field.field.widget, forms.CheckboxInput)


@register.filter
def is_hidden(field: BoundField) -> bool:
    return field.is_hidden


@register.filter
def can(user: object, perm: str) -> bool:
    """``{% if user|can:"manage_accounts" %}``: asks the role table, like the views do."""
    from weerbaar.accounts.roles import Perm

    has_perm = getattr(user, "has_role_perm", None)
    return bool(has_perm and has_perm(Perm(perm)))
