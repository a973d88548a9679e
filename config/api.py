import django_filters
from django import forms
from rest_framework import permissions
from rest_framework.pagination import PageNumberPagination

from accounts.roles import is_staff


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


def exception_handler(exc, context):
    """DRF's handler, plus our domain errors answered as {"detail", "code"} with their status.

    Django's ValidationError (from model validators in services) becomes field errors (400).
    """
    from django.core.exceptions import ValidationError as DjangoValidationError
    from rest_framework import exceptions
    from rest_framework.response import Response
    from rest_framework.views import exception_handler as drf_exception_handler

    from config.errors import DomainError

    if isinstance(exc, DomainError):
        return Response({"detail": str(exc.message), "code": exc.code, **exc.data}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        response.data.setdefault("code", getattr(response.data["detail"], "code", "error"))
    return response


def validate_model_constraints(serializer, model, attrs: dict) -> None:
    """The model's database constraints judged on the object as it would be saved, each refusal in
    words at its field (400) rather than the database's IntegrityError (500) or DRF's English
    "must make a unique set"."""
    import copy

    from django.core.exceptions import ValidationError as DjangoValidationError
    from rest_framework import serializers

    instance = copy.copy(serializer.instance) if serializer.instance is not None else model()
    for name, value in attrs.items():
        setattr(instance, name, value)
    try:
        instance.validate_constraints()
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.message_dict) from error


class IdFilter(django_filters.NumberFilter):
    """An object's id in the query string (`?program=3`): a whole number from 1 to the largest id
    the database holds (64-bit), else 400.

    django-filter's NumberFilter takes any number (`1e30`, `99999999999999999999`) and hands it to the
    database unchecked, where a value out of the integer range fails the query (500).
    """

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class StaffWrites(permissions.BasePermission):
    """Anyone signed in reads; only program staff write.

    A write to one object is judged once the object is found in the user's scope, so an object the
    user cannot see answers 404 (docs/domain.md §1), and one it can see but not change answers 403.
    """

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or is_staff(request.user) or bool(view.detail)

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or is_staff(request.user)
