"""The forms of the spending, settlement and clawback pages (SPEC §18): what people type, checked for
shape only. The rules (the state, unique invoice numbers, the amounts a pot paid) are the services'."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from applicants.forms import KrwField
from execution.models import INVOICE_DIGITS, Clawback, SpendingLine
from program.business_number import validate_business_number
from program.cost_share import MAX_TOTAL

DATE = {"type": "date"}
MINUS_SIGNS = ("-", "−")  # the ASCII hyphen and the minus sign a Korean IME types


class SignedKrwField(KrwField):
    """Whole won that may be negative: a credit note (세금계산서 취소) is typed `-1,000,000`."""

    def to_python(self, value):
        text = value.strip() if isinstance(value, str) else value
        if isinstance(text, str) and text.startswith(MINUS_SIGNS):
            amount = super().to_python(text[1:].strip())
            return None if amount is None else -amount
        return super().to_python(value)


class SpendingForm(forms.Form):
    spent_on = forms.DateField(label=_("집행일"), widget=forms.DateInput(attrs=DATE))
    supplier_business_number = forms.CharField(
        label=_("거래처 사업자등록번호"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("숫자 10자리(하이픈 없이 또는 123-45-67890)."),
    )
    item = forms.CharField(label=_("집행 내용"), max_length=200)
    amount = SignedKrwField(
        label=_("금액(원, 부가세 제외)"),
        min_value=-MAX_TOTAL,
        max_value=MAX_TOTAL,
        help_text=_("취소(마이너스) 세금계산서는 앞에 -를 붙여 입력합니다."),
    )
    evidence = forms.ChoiceField(
        label=_("증빙 구분"), choices=SpendingLine.Evidence.choices, widget=forms.RadioSelect
    )
    invoice_number = forms.CharField(
        label=_("세금계산서 승인번호"),
        required=False,
        max_length=INVOICE_DIGITS + 6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("전자세금계산서일 때 필수: 숫자 24자리."),
    )
    document = forms.FileField(label=_("증빙 파일"), help_text=_("세금계산서·영수증 등 PDF 또는 이미지."))

    def clean_supplier_business_number(self) -> str:
        number = self.cleaned_data["supplier_business_number"].replace("-", "").strip()
        validate_business_number(number)
        return number

    def clean_amount(self) -> int:
        amount = self.cleaned_data["amount"]
        if amount == 0:
            raise ValidationError(_("금액은 0원일 수 없습니다."))
        return amount

    def clean_invoice_number(self) -> str | None:
        # Typed with spaces or hyphens as printed on the invoice; stored as its 24 digits, or None.
        number = "".join(self.cleaned_data["invoice_number"].split()).replace("-", "")
        if number and (len(number) != INVOICE_DIGITS or not number.isascii() or not number.isdigit()):
            raise ValidationError(_("세금계산서 승인번호는 숫자 24자리입니다."))
        return number or None

    def clean(self):
        data = super().clean() or {}
        if data.get("evidence") == SpendingLine.Evidence.TAX_INVOICE and not data.get("invoice_number"):
            if "invoice_number" not in self.errors:
                self.add_error("invoice_number", _("전자세금계산서는 승인번호가 있어야 합니다."))
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("검토 결과"),
        choices=[(SpendingLine.Status.APPROVED, _("인정")), (SpendingLine.Status.DISALLOWED, _("불인정"))],
    )
    reason = forms.CharField(
        label=_("검토 의견"),
        max_length=500,
        required=False,
        help_text=_("불인정할 때는 사유를 꼭 적어 주세요."),
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("decision") == SpendingLine.Status.DISALLOWED and not data.get("reason", "").strip():
            self.add_error("reason", _("불인정 사유를 적어 주세요."))
        return data


class DepositForm(forms.Form):
    amount = KrwField(label=_("입금액(원)"), min_value=1, max_value=MAX_TOTAL)
    deposited_on = forms.DateField(label=_("입금일"), widget=forms.DateInput(attrs=DATE))
    document = forms.FileField(label=_("입금 증빙"), required=False)


class QueueFilterForm(forms.Form):
    """The review queue's filters; an unknown value is ignored rather than refused."""

    program = forms.IntegerField(required=False)
    flag = forms.ChoiceField(required=False, choices=[("", "")] + [(f, f) for f in SpendingLine.FLAGS])
    status = forms.ChoiceField(required=False, choices=[("", ""), *SpendingLine.Status.choices])


class ClawbackFilterForm(forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", ""), *Clawback.Status.choices])
    overdue = forms.BooleanField(required=False)


class ClawbackForm(forms.Form):
    reason = forms.ChoiceField(label=_("환수 사유"), choices=Clawback.Reason.choices)
    government = KrwField(label=_("정부 재원 환수액(원)"), min_value=0, max_value=MAX_TOTAL)
    sponsor = KrwField(label=_("주관기관 재원 환수액(원)"), min_value=0, max_value=MAX_TOTAL)
    due_on = forms.DateField(label=_("납부기한"), widget=forms.DateInput(attrs=DATE))
    ban = forms.BooleanField(
        label=_("참여제한 함께 처분(3년, 재처분 시 영구)"),
        required=False,
    )
    note = forms.CharField(
        label=_("비고"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean() or {}
        if "government" in data and "sponsor" in data and not (data["government"] or data["sponsor"]):
            self.add_error("government", _("환수액은 재원별 0원 이상, 합계 1원 이상이어야 합니다."))
        return data


class CollectForm(forms.Form):
    amount = KrwField(label=_("회수액(원)"), min_value=1, max_value=MAX_TOTAL)
    collected_on = forms.DateField(label=_("회수일"), widget=forms.DateInput(attrs=DATE))


class UncollectableForm(forms.Form):
    note = forms.CharField(
        label=_("환수 불능 사유"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
