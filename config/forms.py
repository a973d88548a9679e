"""Showing a service's ValidationError on the page that called it."""

from django.core.exceptions import ValidationError


def add_validation_errors(form, error: ValidationError) -> None:
    """Each message on its field (so it is tied to its input), the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def validation_message(error: ValidationError) -> str:
    """All of the error's messages as one line, for a page that shows it as a notice."""
    return " ".join(error.messages)
