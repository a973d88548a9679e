"""The SME's forms on `/apply/` (sign-up, company registration, the application's steps) and the
evaluator's evaluation form."""

from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import BaseUserCreationForm, UsernameField
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.consent_forms import marketing_field, privacy_field
from applicants.models import Application, Company, Evaluation, Supplier
from applicants.selectors import program_list_open_for
from applicants.services.bans import supplier_check
from config.money import FULL_WIDTH_DIGITS, parse_won
from config.numbers import parse_whole_number
from program.business_number import normalize_business_number
from program.choices import APPLICATION_DOCUMENT_KINDS
from program.cost_share import MAX_TOTAL


class SignupForm(BaseUserCreationForm):
    """A new SME user: it registers its company next. Whether the username or the e-mail address is
    taken is never said here (that would tell anyone who has an account): the sign-up service says it
    by mail to the address typed (applicants/services/signup.py). Errors that tell nothing of other
    accounts — password rules, a malformed address or username — stay on their fields."""

    class Meta:
        model = get_user_model()
        fields = ["username", "first_name", "email"]
        field_classes = {"username": UsernameField}
        labels = {"first_name": _("이름")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["email"].required = True
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["first_name"].widget.attrs["autocomplete"] = "name"

    # 개인정보 수집·이용 동의 (SPEC §20): the required box on its own, never ticked in advance; the
    # optional one apart (accounts/consent_forms.py). The text is drawn above them by the template.
    privacy = privacy_field(refusal=_("개인정보 수집·이용에 동의해야 가입할 수 있습니다."))
    marketing = marketing_field()

    CONSENT_FIELDS = ("privacy", "marketing")

    def validate_unique(self):
        """Uniqueness is the service's to decide, in a mail (see the class)."""


class BusinessNumberField(forms.CharField):
    """`1234567890` or `123-45-67890` in; the 10 digits out; a Korean error on the field otherwise."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return normalize_business_number(value)


class CompanyForm(forms.ModelForm):
    business_number = BusinessNumberField(
        label=_("사업자등록번호"),
        max_length=12,
        help_text=_("숫자 10자리, 하이픈은 있어도 없어도 됩니다(예: 123-45-67890)."),
    )

    class Meta:
        model = Company
        fields = [
            "business_number", "name", "representative", "region", "industry_code",
            "employees", "annual_revenue", "founded_on", "current_level", "is_sponsor_partner",
        ]  # fmt: skip
        widgets = {"founded_on": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "industry_code": _("한국표준산업분류 제조업(C) 5자리, 10~34로 시작(예: 29199)."),
            "annual_revenue": _("원 단위(예: 3,500,000,000)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["business_number"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["annual_revenue"] = KrwField(
            label=self.fields["annual_revenue"].label, help_text=self.fields["annual_revenue"].help_text
        )

    def clean_business_number(self):
        number = self.cleaned_data["business_number"]
        if Company.objects.filter(business_number=number).exists():
            raise ValidationError(
                _("이미 등록된 사업자등록번호입니다. 회사 담당자에게 계정 연결을 요청해 주세요."),
                code="unique",
            )
        return number


class KrwField(forms.CharField):
    """Whole won, typed as people type money: `150,000,000`, `150000000`, `150,000,000원`, `1억 5,000만`,
    `4,200만원` (config.money.parse_won; static/js/apply.js reads it the same way as it is typed)."""

    default_error_messages = {
        "invalid": _("금액은 원 단위 숫자로 입력해 주세요(예: 150,000,000 또는 1억 5,000만)."),
        "full_width": _("금액은 반각 숫자(0–9)로 입력해 주세요. 전각 숫자(０–９)는 쓸 수 없습니다."),
        "min_value": _("금액은 %(limit)s원 이상이어야 합니다."),
        "max_value": _("금액은 %(limit)s원 이하여야 합니다."),
    }

    def __init__(self, *, min_value: int = 0, max_value: int | None = None, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        amount = parse_won(value)
        if amount is None:
            if FULL_WIDTH_DIGITS.search(value):
                raise ValidationError(self.error_messages["full_width"], code="invalid")
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if amount < self.min_value:
            raise ValidationError(
                self.error_messages["min_value"], code="min_value", params={"limit": f"{self.min_value:,}"}
            )
        if self.max_value is not None and amount > self.max_value:
            raise ValidationError(
                self.error_messages["max_value"], code="max_value", params={"limit": f"{self.max_value:,}"}
            )
        return amount

    def prepare_value(self, value):
        return f"{value:,}" if isinstance(value, int) else value


class BasicsForm(forms.ModelForm):
    """Step 1: which program, which level, the project's title, the supplier, mentoring."""

    class Meta:
        model = Application
        fields = ["program", "level", "title", "supplier", "wants_mentoring"]

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only programs taking applications in which the company holds no other live application
        # (docs/domain.md §4); the service refuses anything else with its own error.
        company_id = self.instance.company_id if self.instance.pk else company.pk
        programs = program_list_open_for(company_id=company_id)
        program = cast(forms.ModelChoiceField, self.fields["program"])
        program.queryset = programs.filter(
            Q(live_application_id__isnull=True) | Q(pk=self.instance.program_id)
        )
        program.error_messages["invalid_choice"] = _(
            "신청할 수 없는 사업입니다. 모집중이고 진행 중인 신청서가 없는 사업을 골라 주세요."
        )
        program.empty_label = _("사업을 선택해 주세요")
        supplier = cast(forms.ModelChoiceField, self.fields["supplier"])
        supplier.queryset = Supplier.objects.order_by("name")
        supplier.required = False
        supplier.empty_label = _("아직 정하지 않음")
        supplier.help_text = _("제출 전까지 바꿀 수 있습니다.")

    def clean_supplier(self):
        # 참여제한 (SPEC §15.2): a supplier banned today cannot be chosen.
        supplier = self.cleaned_data.get("supplier")
        try:
            supplier_check(supplier, field="supplier")
        except ValidationError as error:
            raise ValidationError(error.message_dict["supplier"]) from None
        return supplier


class PlanForm(forms.ModelForm):
    """Step 2: the plan and the total cost, with the live split beside it."""

    total_cost = KrwField(
        label=_("총사업비(원, 부가세 제외)"),
        min_value=1,
        max_value=MAX_TOTAL,
        required=False,
        help_text=_("150,000,000 또는 1억 5,000만처럼 입력하면 정부·주관기관·기업 부담금이 바로 계산됩니다."),
    )

    class Meta:
        model = Application
        fields = ["plan", "total_cost"]
        widgets = {"plan": forms.Textarea(attrs={"rows": 12})}
        help_texts = {"plan": _("현황, 도입할 솔루션, 추진 일정과 기대효과를 적어 주세요.")}


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("서류 종류"), choices=[(k.value, k.label) for k in APPLICATION_DOCUMENT_KINDS]
    )
    file = forms.FileField(
        label=_("파일"),
        help_text=_("PDF, PNG, JPG, XLSX, HWP 파일, 한 파일에 20MB까지."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.xlsx,.hwp"}),
    )


class DeclarationsForm(forms.Form):
    """제출 전 확인 (SPEC §15.1): the four declarations, unticked until the applicant ticks them.
    Every box is optional here: whether all four are given is the submit service's rule, and its
    refusal comes back on the boxes left unticked (add_refusal)."""

    not_closed = forms.BooleanField(label=_("휴업 또는 폐업 중인 기업이 아닙니다."), required=False)
    no_tax_arrears = forms.BooleanField(label=_("국세 및 지방세를 체납하고 있지 않습니다."), required=False)
    not_insolvent = forms.BooleanField(
        label=_("파산 또는 회생 절차가 진행 중인 기업이 아닙니다."), required=False
    )
    info_true = forms.BooleanField(
        label=_("신청서에 적은 내용과 제출한 서류가 사실과 다르지 않음을 확인합니다."), required=False
    )

    def declarations(self) -> dict[str, bool]:
        if not self.is_valid():  # a BooleanField with required=False is always valid; kept for mypy
            return {}
        return {name: bool(self.cleaned_data.get(name)) for name in self.fields}

    def add_refusal(self, error) -> None:
        """The service's declarations_required, on each box left unticked."""
        for name in error.data.get("missing", []):
            if name in self.fields:
                self.add_error(name, _("제출하려면 이 항목을 확인해 주세요."))


class ScoreField(forms.CharField):
    """One rubric item's points as typed; whole ASCII digits only. The range is the service's rule."""

    def __init__(self, *, item: dict, **kwargs):
        self.rubric_key, self.rubric_label = item["key"], item["label"]
        max_points = item["max_points"]
        kwargs.setdefault("label", f"{item['label']} (0–{max_points})")
        kwargs.setdefault("widget", forms.NumberInput(attrs={"min": 0, "max": max_points, "step": 1}))
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        points = parse_whole_number(value)
        if points is None:
            raise ValidationError(_("'%s'은(는) 숫자로 입력해 주세요.") % self.rubric_label, code="invalid")
        return points


class EvaluationForm(forms.Form):
    """An evaluator's conflict declaration, the rubric's scores, the bonus and a comment.

    Bound to what was typed, so a page shown again with an error keeps every value; the totals'
    rules (each item within 0..max, every item scored, bonus steps) stay in `evaluation_submit`.
    """

    conflict_of_interest = forms.ChoiceField(
        label=_("이해충돌 여부"),
        choices=[("no", _("이해충돌 없음")), ("yes", _("이해충돌 있음 (채점하지 않음)"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("이해충돌 여부를 선택해 주세요.")},
    )
    bonus = forms.TypedChoiceField(
        label=_("가점 (0, 3, 6, 9, 12)"),
        coerce=int,
        required=False,
        empty_value=0,  # type: ignore[arg-type]  # the stubs allow str only; the form wants the number 0
        error_messages={"invalid_choice": _("가점은 0, 3, 6, 9, 12점 중 하나여야 합니다.")},
    )
    comment = forms.CharField(label=_("평가의견"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, rubric: list[dict], evaluation=None, **kwargs):
        if evaluation is not None:
            kwargs.setdefault("initial", self._initial_from(evaluation))
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["bonus"]).choices = [
            (b, str(b)) for b in range(0, Evaluation.BONUS_MAX + 1, Evaluation.BONUS_STEP)
        ]
        for item in rubric:
            self.fields[f"score_{item['key']}"] = ScoreField(item=item)

    @staticmethod
    def _initial_from(evaluation) -> dict:
        initial = {
            "conflict_of_interest": "yes" if evaluation.conflict_of_interest else "no",
            "bonus": evaluation.bonus,
            "comment": evaluation.comment,
        }
        initial.update({f"score_{key}": value for key, value in evaluation.scores.items()})
        return initial

    def score_fields(self):
        return [self[name] for name, field in self.fields.items() if isinstance(field, ScoreField)]

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        conflict = cleaned.get("conflict_of_interest") == "yes"
        scores = {}
        for bound in self.score_fields():
            if conflict:
                # A conflicted evaluator does not score: what was typed there does not matter.
                self.errors.pop(bound.name, None)
            elif cleaned.get(bound.name) is not None:
                scores[bound.field.rubric_key] = cleaned[bound.name]
        cleaned["conflict"] = conflict
        cleaned["scores"] = scores
        return cleaned

    def add_service_error(self, error: ValidationError) -> None:
        """The service's errors at their fields; its `scores` error (the rubric as a whole) above them."""
        for key, message in error.message_dict.items():
            self.add_error(key if key in self.fields else None, message)
