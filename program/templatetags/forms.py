"""Form fields that tie their help and errors to the input (KWCAG / WCAG 3.3.1, 1.3.1)."""

from django import template

register = template.Library()


@register.filter
def described(field):
    described_by = []
    attrs = {}
    if field.help_text:
        described_by.append(f"{field.auto_id}-help")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)
