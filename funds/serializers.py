"""The shape of pot figures (docs/domain.md §3.3), shared by funds' API and the sponsor dashboard's."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class PotSerializer(serializers.Serializer):
    """One pot's figures in whole won (docs/domain.md §3.4, SPEC §18.4):
    available = total − committed + released + recovered."""

    total = serializers.IntegerField(help_text=_("재원에 들어온 금액(출연금·정부 매칭 예산)의 합계"))
    committed = serializers.IntegerField(
        help_text=_("이 재원에서 약정한 금액의 총합(약정 해제 전, gross). 해제된 금액은 released")
    )
    released = serializers.IntegerField(help_text=_("약정 해제로 재원에 돌아온 금액의 합계"))
    disbursed = serializers.IntegerField(help_text=_("지급한 금액의 합계"))
    recovered = serializers.IntegerField(help_text=_("환수로 재원에 돌아온 금액의 합계"))
    available = serializers.IntegerField(help_text=_("가용액: total − committed + released + recovered"))


class FundSerializer(serializers.Serializer):
    sponsor = PotSerializer()
    government = PotSerializer()
