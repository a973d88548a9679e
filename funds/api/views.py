from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from funds.cost_share import MAX_TOTAL, split_cost
from program.choices import SupportLevel
from program.models import Program


class PreviewSerializer(serializers.Serializer):
    program = serializers.IntegerField()
    level = serializers.ChoiceField(choices=SupportLevel.choices)
    total_cost = serializers.IntegerField(
        min_value=1,
        max_value=MAX_TOTAL,
        error_messages={
            "min_value": _("총사업비는 1원 이상이어야 합니다."),
            "max_value": _("총사업비는 100억 원(10,000,000,000원) 이하여야 합니다."),
            "invalid": _("총사업비는 원 단위 정수로 입력해 주세요."),
        },
    )


class PreviewResultSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    government = serializers.IntegerField()
    sponsor = serializers.IntegerField()
    sme = serializers.IntegerField()
    capped = serializers.BooleanField()


@extend_schema(request=PreviewSerializer, responses=PreviewResultSerializer)
@api_view(["POST"])
def cost_share_preview(request):
    """The §3.2 split of a total under a program's policy, without saving anything."""
    serializer = PreviewSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    program = get_object_or_404(Program.objects.exclude(status=Program.Status.DRAFT), pk=data["program"])
    split = split_cost(data["total_cost"], data["level"], program.cost_share_policy())
    return Response(PreviewResultSerializer(split).data)
