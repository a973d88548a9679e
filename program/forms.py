from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from config.uploads import check_file
from program.choices import APPLICATION_DOCUMENT_KINDS
from program.models import Program, ProgramFaq, ProgramFile, default_rubric
from program.selectors import agency_choices


class DocumentKindsField(forms.MultipleChoiceField):
    """The program's required documents as checkboxes; none checked means none required."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=[(kind.value, kind.label) for kind in APPLICATION_DOCUMENT_KINDS],
            widget=forms.CheckboxSelectMultiple,
            required=False,
            label=_("제출 전 필수 서류"),
            help_text=_("신청서를 제출하기 전에 올려야 하는 서류입니다."),
            **kwargs,
        )


class ProgramForm(forms.ModelForm):
    """Staff set up a program: its sponsor, policy (§3.1), budget and window; the rubric (§5) is
    the rubric builder's (RubricFormSet), on the same page.

    The rules across fields are Program.clean's, which a ModelForm runs and ties to their fields.
    The agency offered is the user's own (docs/domain.md §1), chosen already for a new program.
    """

    required_documents = DocumentKindsField()

    class Meta:
        model = Program
        fields = [
            "title", "year", "sponsor", "agency", "track", "description",
            "gov_ratio", "sponsor_ratio", "sme_ratio",
            "gov_cap_basic", "gov_cap_advanced1", "gov_cap_advanced2",
            "rounding_unit", "cap_excess_to", "gov_budget", "required_documents", "repeat_gov_cap",
            "opens_on", "closes_on", "build_months", "max_extension_months",
            "status", "announcement", "eligibility", "contact",
        ]  # fmt: skip
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}),
            "closes_on": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "announcement": forms.Textarea(attrs={"rows": 14}),
            "eligibility": forms.Textarea(attrs={"rows": 4}),
            "contact": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "gov_cap_basic": _("비워 두면 한도 없음"),
            "build_months": _("협약 기간의 최대 길이(1–24개월, 보통 6개월)"),
            "max_extension_months": _("협약변경으로 연장할 수 있는 기간의 합(0–12개월, 보통 3개월)"),
            "repeat_gov_cap": _("같은 수준 이상을 이미 완료한 기업의 정부지원금 한도(보통 5,000만 원)"),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        agency.queryset = agency_choices(user=user)  # type: ignore[attr-defined]
        if user.agency_id is not None:
            agency.empty_label = None  # type: ignore[attr-defined]
            agency.initial = agency.initial or user.agency_id
        # Left out (an older form, a script), the agreement's periods keep their defaults (SPEC §16).
        for name in ("build_months", "max_extension_months", "repeat_gov_cap"):
            self.fields[name].required = False

    def clean_build_months(self):
        return self._or_default("build_months")

    def clean_max_extension_months(self):
        return self._or_default("max_extension_months")

    def clean_repeat_gov_cap(self):
        return self._or_default("repeat_gov_cap")

    def _or_default(self, name):
        # A new Program holds the model's defaults already; an existing one its own values.
        value = self.cleaned_data.get(name)
        return getattr(self.instance, name) if value is None else value


class RubricRowForm(forms.Form):
    """One criterion of the rubric (docs/domain.md §5): its label and its maximum points. The key is
    kept from the program's rubric (evaluations store scores by it); a new row gets one on save."""

    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=50)
    label = forms.CharField(label=_("평가 항목"), max_length=100)
    max_points = forms.IntegerField(
        label=_("배점"),
        min_value=1,
        max_value=100,
        error_messages={
            "min_value": _("배점은 1점 이상이어야 합니다."),
            "invalid": _("배점은 정수로 입력해 주세요."),
        },
    )

    def has_changed(self):
        """A row counts when its label or points are filled, whatever it started with (a new program's
        rows start as the default rubric) and whatever order the builder gave it."""
        return any(str(self.data.get(self.add_prefix(name), "")).strip() for name in ("label", "max_points"))


class BaseRubricFormSet(forms.BaseFormSet):
    """The rubric as rows (label / max points), ordered and deletable: the rubric builder. Without
    script the page shows a few empty rows; with static/js/rubric.js rows are added, removed and
    moved up and down in place. Its rules are those of the rubric (program.validators), told at the
    row they concern."""

    def clean(self):
        if any(form.errors for form in self.forms if not _deleted(form)):
            return
        rows = self._kept_rows()
        if not rows:
            raise forms.ValidationError(_("평가 기준을 하나 이상 입력해 주세요."), code="rubric_empty")
        seen: dict[str, forms.Form] = {}
        for form in rows:
            label = form.cleaned_data["label"].strip()
            if label in seen:
                form.add_error("label", _("같은 이름의 평가 항목이 이미 있습니다."))
            seen.setdefault(label, form)
        total = sum(form.cleaned_data["max_points"] for form in rows)
        if total != RUBRIC_TOTAL:
            raise forms.ValidationError(
                _("배점의 합이 %(total)s점입니다. 합계는 %(expected)s점이어야 합니다.")
                % {"total": total, "expected": RUBRIC_TOTAL},
                code="rubric_total",
            )

    expected_total = property(lambda self: RUBRIC_TOTAL)

    def shown_forms(self) -> list[forms.Form]:
        """The rows in the order staff gave them: a page that comes back with errors keeps a row
        moved up where it was moved (blank rows and rows without an order last, as they came)."""
        if not self.is_bound:
            return list(self.forms)

        def position(index_form):
            index, form = index_form
            order = str(form["ORDER"].value() or "").strip()
            blank = not form.has_changed()
            return (blank, int(order) if order.isdigit() else len(self.forms) + 1, index)

        return [form for _index, form in sorted(enumerate(self.forms), key=position)]

    def shown_total(self) -> int:
        """The points of the rows as shown (saved, or as typed when the page comes back with errors):
        the running total before any script runs."""
        total = 0
        for form in self.forms:
            deleted = form["DELETE"].value() if self.is_bound else False
            points = form["max_points"].value()
            if not deleted and str(points or "").strip().isdigit():
                total += int(points)
        return total

    def _kept_rows(self) -> list[forms.Form]:
        """The filled rows not marked for deletion, in the order staff gave them."""
        rows = [form for form in self.forms if form.cleaned_data.get("label") and not _deleted(form)]
        return sorted(rows, key=lambda form: (form.cleaned_data.get("ORDER") or 0, self.forms.index(form)))

    def rubric(self) -> list[dict]:
        """The rubric to save: `[{"key", "label", "max_points"}]`, kept keys kept, new ones made unique."""
        rows = self._kept_rows()
        taken = {form.cleaned_data["key"] for form in rows if form.cleaned_data.get("key")}
        rubric, number = [], 0
        for form in rows:
            key = form.cleaned_data.get("key") or ""
            if not key:
                number += 1
                while f"item{number}" in taken:
                    number += 1
                key = f"item{number}"
                taken.add(key)
            rubric.append(
                {
                    "key": key,
                    "label": form.cleaned_data["label"].strip(),
                    "max_points": form.cleaned_data["max_points"],
                }
            )
        return rubric


def _deleted(form: forms.Form) -> bool:
    """A row staff marked for removal (its box, or the builder's 삭제 button)."""
    return bool(getattr(form, "cleaned_data", {}).get("DELETE"))


# The sum of a rubric's points (docs/domain.md §5: 100, the bonus items come on top).
RUBRIC_TOTAL = 100

RubricFormSet = forms.formset_factory(
    RubricRowForm,
    formset=BaseRubricFormSet,
    extra=2,
    can_order=True,
    can_delete=True,
    max_num=20,
    absolute_max=20,
)


def rubric_formset(data=None, *, program: Program | None) -> BaseRubricFormSet:
    """The builder for `program`'s rubric (the default one for a new program)."""
    rubric = program.rubric if program is not None else default_rubric()
    initial = [{**item, "ORDER": index} for index, item in enumerate(rubric, start=1)]
    return cast(BaseRubricFormSet, RubricFormSet(data, initial=initial, prefix="rubric"))


# ---- The 공고's FAQ and files (SPEC §19), on the same form


class FaqRowForm(forms.Form):
    """One question and answer of the 공고's FAQ; a row left blank is ignored."""

    question = forms.CharField(label=_("질문"), max_length=ProgramFaq.QUESTION_MAX_LENGTH, required=False)
    answer = forms.CharField(
        label=_("답변"),
        max_length=ProgramFaq.ANSWER_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean() or {}
        question, answer = (data.get(name, "").strip() for name in ("question", "answer"))
        if question and not answer:
            self.add_error("answer", _("답변을 입력해 주세요."))
        if answer and not question:
            self.add_error("question", _("질문을 입력해 주세요."))
        return data


class BaseFaqFormSet(forms.BaseFormSet):
    def faqs(self) -> list[dict[str, str]]:
        """The filled rows not marked for deletion, in their order: `[{"question", "answer"}]`."""
        return [
            {"question": form.cleaned_data["question"].strip(), "answer": form.cleaned_data["answer"].strip()}
            for form in self.forms
            if form.cleaned_data.get("question", "").strip() and not form.cleaned_data.get("DELETE")
        ]


FaqFormSet = forms.formset_factory(
    FaqRowForm, formset=BaseFaqFormSet, extra=1, can_delete=True, max_num=30, absolute_max=30
)


def faq_formset(data=None, *, program: Program | None) -> BaseFaqFormSet:
    """The FAQ rows of `program` (none for a new program), and one blank row to add a question."""
    if data is not None and "faq-TOTAL_FORMS" not in data:
        data = None  # a form posted without the FAQ rows (a client of the old form) leaves them as they are
    faqs = program.faqs.order_by("order", "id") if program is not None else []
    initial = [{"question": faq.question, "answer": faq.answer} for faq in faqs]
    return cast(BaseFaqFormSet, FaqFormSet(data, initial=initial, prefix="faq"))


class ProgramFileForm(forms.Form):
    """A new file for the 공고 page (optional): a 공고문 or 양식 as PDF, HWP or XLSX, checked by its bytes."""

    kind = forms.ChoiceField(
        label=_("파일 종류"),
        choices=ProgramFile.Kind.choices,
        initial=ProgramFile.Kind.NOTICE,
        required=False,
    )
    title = forms.CharField(label=_("파일 제목"), max_length=200, required=False)
    file = forms.FileField(
        label=_("파일"), required=False, help_text=_("PDF, HWP, XLSX 파일, 20MB까지"), allow_empty_file=True
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None:
            self.content_type = check_file(
                upload, extensions=ProgramFile.ALLOWED_EXTENSIONS, max_size=ProgramFile.MAX_SIZE
            )
        return upload

    def clean(self):
        data = super().clean() or {}
        data["kind"] = data.get("kind") or ProgramFile.Kind.NOTICE
        if data.get("file") is not None and not data.get("title", "").strip():
            data["title"] = data["file"].name.rsplit(".", 1)[0][:200]
        return data

    def has_upload(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("file") is not None
