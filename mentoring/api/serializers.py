from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from applicants.models import Application, Supplier
from applicants.selectors import application_list
from mentoring.models import Mentor, MentoringAssignment, MentoringSession
from program.models import Sponsor


def affiliation_display(mentor: Mentor) -> str:
    if mentor.sponsor is not None:  # no query when the id is None
        return mentor.sponsor.name
    if mentor.supplier is not None:
        return mentor.supplier.name
    return mentor.affiliation or str(_("독립"))


class MentorSerializer(serializers.ModelSerializer):
    """A mentor profile as staff (or the mentor itself) read it; `load` where it was counted."""

    user: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="username", read_only=True)
    affiliation_display = serializers.SerializerMethodField()
    load = serializers.IntegerField(read_only=True, default=None)

    class Meta:
        model = Mentor
        fields = [
            "id",
            "name",
            "user",
            "sponsor",
            "supplier",
            "affiliation",
            "affiliation_display",
            "expertise",
            "ksic_divisions",
            "regions",
            "capacity",
            "load",
            "is_active",
            "bio",
        ]

    def get_affiliation_display(self, mentor) -> str:
        return affiliation_display(mentor)


class MentorWriteSerializer(serializers.Serializer):
    """The fields staff set; their rules are checked by mentoring.services.mentor_save."""

    user = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.all(), allow_null=True, required=False
    )
    name = serializers.CharField(max_length=50, required=False)
    sponsor = serializers.PrimaryKeyRelatedField(
        queryset=Sponsor.objects.all(), allow_null=True, required=False
    )
    supplier = serializers.PrimaryKeyRelatedField(
        queryset=Supplier.objects.all(), allow_null=True, required=False
    )
    affiliation = serializers.CharField(max_length=100, allow_blank=True, required=False)
    expertise = serializers.ListField(child=serializers.CharField(), required=False)
    ksic_divisions = serializers.ListField(child=serializers.CharField(), required=False)
    regions = serializers.ListField(child=serializers.CharField(), required=False)
    capacity = serializers.IntegerField(required=False)
    is_active = serializers.BooleanField(required=False)
    bio = serializers.CharField(allow_blank=True, required=False)


class SuggestedMentorSerializer(MentorSerializer):
    # The part of a profile a suggestion shows; `load` is always counted there.
    load = serializers.IntegerField(read_only=True)

    class Meta(MentorSerializer.Meta):
        fields = [
            "id",
            "name",
            "affiliation_display",
            "expertise",
            "ksic_divisions",
            "regions",
            "capacity",
            "load",
        ]


class SuggestionSerializer(serializers.Serializer):
    """docs/domain.md §10: {"mentor": {"id", "name", …}, "score", "reasons": ["…"]}."""

    mentor = SuggestedMentorSerializer()
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField())


class MentoringAssignmentSerializer(serializers.ModelSerializer):
    mentor_name = serializers.CharField(source="mentor.name", read_only=True)
    application_title = serializers.CharField(source="application.title", read_only=True)
    company_name = serializers.CharField(source="application.company.name", read_only=True)
    program_title = serializers.CharField(source="application.program.title", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    session_count = serializers.IntegerField(read_only=True, default=None)
    hours_total = serializers.DecimalField(max_digits=8, decimal_places=1, read_only=True, default=None)

    class Meta:
        model = MentoringAssignment
        fields = [
            "id",
            "mentor",
            "mentor_name",
            "application",
            "application_title",
            "company_name",
            "program_title",
            "starts_on",
            "ends_on",
            "status",
            "status_display",
            "session_count",
            "hours_total",
            "created_at",
        ]
        read_only_fields = fields


class AssignmentWriteSerializer(serializers.Serializer):
    """docs/domain.md §10: {"mentor": <mentor id>, "application", "starts_on", "ends_on"}."""

    mentor = serializers.PrimaryKeyRelatedField(queryset=Mentor.objects.all())
    application = serializers.PrimaryKeyRelatedField(queryset=Application.objects.all())
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()

    def get_fields(self):
        fields = super().get_fields()
        user = self.context.get("user")
        if user is not None:
            # Another agency's application answers like one that does not exist (docs/domain.md §1).
            fields["application"].queryset = application_list(user=user)  # type: ignore[attr-defined]
        return fields


class AssignmentEndSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[MentoringAssignment.Status.ENDED, MentoringAssignment.Status.CANCELLED],
        default=MentoringAssignment.Status.ENDED,
    )


class MentoringSessionSerializer(serializers.ModelSerializer):
    mentor_name = serializers.CharField(source="assignment.mentor.name", read_only=True)
    application = serializers.IntegerField(source="assignment.application_id", read_only=True)
    company_name = serializers.CharField(source="assignment.application.company.name", read_only=True)
    mode_display = serializers.CharField(source="get_mode_display", read_only=True)
    logged_by: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="username", read_only=True
    )

    class Meta:
        model = MentoringSession
        fields = [
            "id",
            "assignment",
            "application",
            "mentor_name",
            "company_name",
            "held_on",
            "hours",
            "mode",
            "mode_display",
            "notes",
            "logged_by",
            "created_at",
        ]
        read_only_fields = fields


class SessionWriteSerializer(serializers.Serializer):
    """{"assignment", "held_on", "hours", "mode", "notes"}; the hours rule is the service's."""

    assignment = serializers.IntegerField()
    held_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=6, decimal_places=2)
    mode = serializers.ChoiceField(choices=MentoringSession.Mode.choices)
    notes = serializers.CharField(allow_blank=True, required=False, default="")
