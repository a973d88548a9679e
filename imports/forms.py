"""The upload form of /staff/imports/ (SPEC §15.5). What the file holds is the service's to judge
(imports.services.import_start): here only that a kind is chosen and a file given."""

from django import forms
from django.utils.translation import gettext_lazy as _

from imports.models import ImportRun

ACCEPT = ".xlsx,.csv"


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("가져올 자료"),
        choices=ImportRun.Kind.choices,
        error_messages={
            "required": _("가져올 자료의 종류를 고르세요."),
            "invalid_choice": _("가져올 자료의 종류는 지원 이력 또는 참여제한 중에서 고르세요."),
        },
    )
    file = forms.FileField(
        label=_("파일"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": _("가져올 파일을 고르세요."),
            "empty": _("빈 파일입니다. 내용이 있는 XLSX 또는 CSV 파일을 올려 주세요."),
            "invalid": _("파일을 받지 못했습니다. 다시 골라 주세요."),
        },
    )
