"""The shape of pot figures (docs/domain.md §3.3), shared by funds' API and the sponsor dashboard's."""

from rest_framework import serializers


class PotSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    committed = serializers.IntegerField()
    released = serializers.IntegerField()
    disbursed = serializers.IntegerField()
    available = serializers.IntegerField()


class FundSerializer(serializers.Serializer):
    sponsor = PotSerializer()
    government = PotSerializer()
