"""The form renderer's select fast path writes what Django's own templates write."""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates
from hypothesis import given, settings
from hypothesis import strategies as st

from weerbaar.core.renderers import FormRenderer

text = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
choices = st.lists(st.tuples(text, text), max_size=6, unique_by=lambda c: c[0])
grouped = st.lists(st.tuples(text, choices), max_size=3, unique_by=lambda g: g[0])


def both(widget: forms.Widget, name: str, value: object) -> tuple[str, str]:
    ours = widget.render(name, value, attrs={"id": "id_x"}, renderer=FormRenderer())
    django = widget.render(name, value, attrs={"id": "id_x"}, renderer=DjangoTemplates())
    return ours, django


@settings(max_examples=150, deadline=None)
@given(options=choices, pick=st.integers(0, 6), name=text, required=st.booleans())
def test_a_select_renders_as_djangos_template_does(options, pick, name, required) -> None:  # type: ignore[no-untyped-def]
    attrs = {"class": 'utrecht-select "x"', "required": required, "aria-invalid": "true"}
    widget = forms.Select(attrs=attrs, choices=[("", "—"), *options])
    value = options[pick][0] if pick < len(options) else None
    ours, django = both(widget, name, value)
    assert ours == django


@settings(max_examples=100, deadline=None)
@given(groups=grouped, values=st.lists(text, max_size=3))
def test_grouped_and_multiple_selects_render_as_djangos_templates_do(groups, values) -> None:  # type: ignore[no-untyped-def]
    widget = forms.SelectMultiple(choices=[(g, c) for g, c in groups if c] + [("los", "Los")])
    ours, django = both(widget, "veld", values)
    assert ours == django


def test_labels_and_values_are_escaped() -> None:
    widget = forms.Select(choices=[('"><script>', "<b>vet</b>")])
    ours, _ = both(widget, "naam", '"><script>')
    assert "<script>" not in ours and "<b>" not in ours
    assert "selected" in ours
