"""Database constraints that answer in words, at the field a person can correct (issue 13 item 15).

A constraint a user can hit through a form or the API is validated before the write (ModelForm,
`full_clean()`); Django then reports it with its `violation_error_message` as an error of the whole
form, and without one as "Constraint “<name>” is violated". These subclasses take a `field` and raise
the message there, so the form shows it under that input and the API answers `{field: [message]}`.

Which field shows the error is not part of the schema: `deconstruct()` gives Django's own class, so
migrations see only a changed message (AlterConstraint, which runs no SQL) — a drop and re-create
would rebuild the tables on SQLite and with them lose the ledger's triggers.
"""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models

if TYPE_CHECKING:  # the mixin's super() is the constraint class it is mixed into
    _Constraint = models.BaseConstraint
else:
    _Constraint = object


class _AtField(_Constraint):
    def __init__(self, *args, field: str | None = None, **kwargs):
        self.field = field
        super().__init__(*args, **kwargs)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            if self.field is None or hasattr(error, "error_dict"):
                raise
            raise ValidationError({self.field: error.error_list}) from None

    def clone(self):
        # Django clones every Meta constraint; deconstruct() leaves the field out (see above).
        clone = super().clone()
        clone.field = self.field
        return clone

    def deconstruct(self):
        _path, args, kwargs = super().deconstruct()
        return f"django.db.models.{self.__class__.__bases__[-1].__name__}", args, kwargs


class FieldCheckConstraint(_AtField, models.CheckConstraint):
    """`models.CheckConstraint` with `field=`: its violation is reported at that field."""


class FieldUniqueConstraint(_AtField, models.UniqueConstraint):
    """`models.UniqueConstraint` with `field=`: its violation is reported at that field."""
