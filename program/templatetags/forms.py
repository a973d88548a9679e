"""Form fields in KRDS's markup (templates/includes/field.html) that tie their help and errors to the
input (KWCAG / WCAG 3.3.1, 1.3.1). The KRDS class of an input is set here, by its widget, so no form
has to know it."""

from django import forms, template
from django.forms.boundfield import BoundWidget
from django.forms.widgets import Input

register = template.Library()

# Widgets KRDS draws itself around the native control (check marks, the file drop zone): no class.
_UNCLASSED = (forms.CheckboxInput, forms.RadioSelect, forms.FileInput, forms.HiddenInput)


def _krds_class(widget) -> str:
    if isinstance(widget, _UNCLASSED):
        return ""
    if isinstance(widget, forms.Select):
        return "krds-form-select"
    if isinstance(widget, (Input, forms.Textarea)):
        return "krds-input"
    return ""


def _aria(field) -> dict[str, str]:
    described_by = []
    attrs = {}
    if field.help_text:
        described_by.append(f"{field.auto_id}-help")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return attrs


@register.filter
def described(field):
    """The input with its KRDS class, and aria-describedby → its help and error, aria-invalid on error."""
    attrs = _aria(field)
    krds_class = _krds_class(field.field.widget)
    if krds_class:
        existing = field.field.widget.attrs.get("class", "")
        attrs["class"] = f"{existing} {krds_class}".strip()
    return field.as_widget(attrs=attrs)


@register.filter
def field_kind(field) -> str:
    """How field.html lays the field out: `check` (one checkbox), `choices` (radios or checkboxes, as a
    KRDS check group), or `input` (a label above any other control)."""
    widget = field.field.widget
    if isinstance(widget, forms.RadioSelect):  # CheckboxSelectMultiple is one too
        return "choices"
    if isinstance(widget, forms.CheckboxInput):
        return "check"
    return "input"


@register.filter
def choice_widgets(field) -> list[BoundWidget]:
    """A radio or checkbox group's options, each input tied to the group's help and error (the group's
    own element carries the field's id, so the error summary's link lands on it)."""
    widget = field.field.widget
    attrs = field.build_widget_attrs({"id": field.auto_id, **_aria(field)}) if field.auto_id else _aria(field)
    return [
        BoundWidget(widget, option, field.form.renderer)
        for option in widget.subwidgets(field.html_name, field.value(), attrs=attrs)
    ]
