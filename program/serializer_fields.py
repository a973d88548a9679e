"""API fields for program's core rules, shared by every app's serializers (not an API module itself:
an app's API imports it without reaching into another app's API)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from program.business_number import format_business_number, normalize_business_number


class BusinessNumberField(serializers.CharField):
    """Accepts `1234567890` or `123-45-67890`; answers `123-45-67890`."""

    def to_internal_value(self, data):
        from django.core.exceptions import ValidationError

        value = super().to_internal_value(data)
        try:
            return normalize_business_number(value)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages[0], code=error.code) from error

    def to_representation(self, value):
        return format_business_number(value)


def business_number_field(model) -> BusinessNumberField:
    """A business number that must be new among `model`'s rows: a taken one is refused at the field
    (400) rather than by the database's unique constraint (500)."""
    taken = UniqueValidator(queryset=model.objects.all(), message=_("이미 등록된 사업자등록번호입니다."))
    return BusinessNumberField(max_length=12, validators=[taken])
