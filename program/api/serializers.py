from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from config.api import validate_model_constraints
from program.choices import APPLICATION_DOCUMENT_KINDS
from program.models import Agency, Notification, Program, Sponsor
from program.serializer_fields import business_number_field
from program.validators import (
    validate_document_kinds,
    validate_gov_cap,
    validate_program_policy,
    validate_rubric,
)

LEVELS = ("basic", "advanced1", "advanced2")


class AgencySerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name"]


class SponsorSerializer(serializers.ModelSerializer):
    business_number = business_number_field(Sponsor)

    class Meta:
        model = Sponsor
        fields = ["id", "name", "business_number", "kind"]


class RubricItemSerializer(serializers.Serializer):
    key = serializers.SlugField(max_length=30)
    # mypy: a field named "label" shadows Field.label; DRF moves declared fields off the class
    label = serializers.CharField(max_length=100)  # type: ignore[assignment]
    max_points = serializers.IntegerField(min_value=1, max_value=100)


class GovCapsSerializer(serializers.Serializer):
    basic = serializers.IntegerField(allow_null=True, required=False, validators=[validate_gov_cap])
    advanced1 = serializers.IntegerField(allow_null=True, required=False, validators=[validate_gov_cap])
    advanced2 = serializers.IntegerField(allow_null=True, required=False, validators=[validate_gov_cap])


class ProgramSerializer(serializers.ModelSerializer):
    gov_caps = GovCapsSerializer(required=False)
    rubric = RubricItemSerializer(many=True, required=False)
    required_documents = serializers.ListField(
        child=serializers.ChoiceField(
            choices=[(kind.value, kind.label) for kind in APPLICATION_DOCUMENT_KINDS]
        ),
        required=False,
        allow_empty=True,
        max_length=len(APPLICATION_DOCUMENT_KINDS),
        help_text="Document kinds an application needs before `submit` (default: all four).",
    )
    sponsor_name = serializers.CharField(source="sponsor.name", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)

    class Meta:
        model = Program
        fields = [
            "id",
            "title",
            "year",
            "sponsor",
            "sponsor_name",
            "agency",
            "agency_name",
            "track",
            "description",
            "gov_ratio",
            "sponsor_ratio",
            "sme_ratio",
            "gov_caps",
            "rounding_unit",
            "cap_excess_to",
            "gov_budget",
            "repeat_gov_cap",
            "rubric",
            "required_documents",
            "opens_on",
            "closes_on",
            "build_months",
            "max_extension_months",
            "status",
        ]
        # The unique title per sponsor and year is judged with the other constraints in validate().
        validators: list = []
        # Staff's own agency when left out; another's answers 400 on it (program_save, docs/domain.md §1).
        extra_kwargs = {"agency": {"required": False}}

    def validate_rubric(self, rubric):
        try:
            validate_rubric([dict(item) for item in rubric])
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return rubric

    def validate_required_documents(self, kinds):
        try:
            validate_document_kinds(kinds)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from error
        return kinds

    def validate(self, attrs):
        policy_fields = ("gov_ratio", "sponsor_ratio", "sme_ratio", "opens_on", "closes_on")
        try:
            validate_program_policy(
                **{f: attrs.get(f, getattr(self.instance, f, None)) for f in policy_fields}
            )
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        caps = attrs.pop("gov_caps", None)
        if caps is not None:
            for level in LEVELS:
                if level in caps:
                    attrs[f"gov_cap_{level}"] = caps[level]
        validate_model_constraints(self, Program, attrs)
        return attrs


class NotificationSerializer(serializers.ModelSerializer):
    """One notice of the inbox; `url` is the object's page for its reader (a path of this site)."""

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "created_at", "read_at"]
        read_only_fields = fields


class NotificationsReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many unread notices this call marked read.")
