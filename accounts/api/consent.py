"""Part consent of issue 22 (SPEC §20): its API under /api/v1/.

`GET me/export/`: the signed-in user's own personal data and applications as a JSON download
(accounts/export.py). Only ever the requester's own: the endpoint takes no id.
"""

from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, renderer_classes
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.export import personal_data_export


@extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="내 개인정보 내려받기")
@api_view(["GET"])
@renderer_classes([JSONRenderer])  # a file, also when the browser asks for HTML (the export page's button)
def me_export(request):
    data = personal_data_export(user=request.user)
    name = f"personal-data-{request.user.pk}-{timezone.localdate():%Y%m%d}.json"
    return Response(data, headers={"Content-Disposition": f'attachment; filename="{name}"'})


urlpatterns: list = [path("me/export/", me_export, name="me-export")]
