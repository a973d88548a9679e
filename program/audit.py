"""Audit events in words: `program.create` → "사업 생성", `application.select` → "선정".

Each app names the actions it audits in its own `audit.py` (`audit_labels`), registered under the
`audit_labels` extension point (config/plugins.py); `audit_label` asks them in their order there. So
the audit trail (docs/domain.md §4) is read in words without the base importing the apps above it.
"""

import ast
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from config.money import won
from config.plugins import plugins
from program.choices import DocumentKind

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Labels = dict[str, "StrOrPromise"]

LABELS: Labels = {
    "program.create": _("사업 생성"),
    "program.update": _("사업 수정"),
    "program.faq_update": _("공고 FAQ 수정"),
    "program.file_add": _("공고 파일 등록"),
    "program.file_delete": _("공고 파일 삭제"),
}


def audit_labels() -> Labels:
    """program's own actions."""
    return LABELS


def audit_label(action: str) -> "StrOrPromise":
    """The words for an audit action, from the first app that names it; else the action as stored."""
    for labels in plugins("audit_labels"):
        label = labels().get(action)
        if label is not None:
            return label
    return action


LABELS["program.copy"] = _("사업 복사")

# The words for what events record beside a target's own fields (a ledger entry's pot, a payment's
# parts, a mentor's name…): shown as "label: before → after", never as the stored key.
VALUE_LABELS: Labels = {
    "status": _("상태"),
    "amount": _("금액"),
    "government": _("정부"),
    "sponsor": _("주관기관"),
    "sme": _("도입기업"),
    "pot": _("재원"),
    "kind": _("종류"),
    "name": _("이름"),
    "size": _("크기(바이트)"),
    "evaluator": _("평가위원"),
    "total": _("총점"),
    "conflict_of_interest": _("이해충돌"),
    "mentor_name": _("멘토"),
    "starts_on": _("시작일"),
    "ends_on": _("종료일"),
    "held_on": _("일자"),
    "hours": _("시간"),
    "kpi": _("지표"),
    "baseline": _("기준값"),
    "result": _("결과값"),
    "measured_on": _("측정일"),
    "program": _("사업"),
    "format": _("형식"),
    "paid_on": _("지급일"),
}
# Keys that hold another row's id: that row is named elsewhere in the event (a mentor's name, the
# file's name), and an id says nothing to a reader.
HIDDEN_KEYS = frozenset(
    {"attachment", "assignment", "session", "disbursement", "mentor", "application", "contribution"}
)
MONEY_KEYS = frozenset({"amount", "government", "sponsor", "sme", "total_cost", "gov_budget"})
POTS = {"government": _("정부 재원"), "sponsor": _("주관기관 재원")}


@dataclass(frozen=True)
class Change:
    label: "StrOrPromise"
    before: str
    after: str


@dataclass(frozen=True)
class AuditRow:
    """One audit event as a reader sees it: who, when, what in words, the values it changed."""

    event: Any
    actor: str
    action: "StrOrPromise"
    target: str
    sentence: str
    changes: list[Change]

    @property
    def note(self) -> str:
        return self.event.note


def audit_rows(events: Iterable) -> list[AuditRow]:
    """`events` in words. Their targets are read in one query per kind of target on the page, so a
    page of 50 events costs what a page of one does."""
    events = list(events)
    targets = _targets_of(events)
    vocabulary = audit_vocabulary()
    rows = []
    for event in events:
        model = event.content_type.model_class()
        target = targets.get((event.content_type_id, event.object_id))
        rows.append(_row(event, model, target, vocabulary.get(event.action, {})))
    return rows


Vocabulary = dict[str, dict[str, dict[str, "StrOrPromise"]]]


def audit_vocabulary() -> Vocabulary:
    """What the values an action records mean, from the apps that record them (the `audit_values`
    extension point): `{action: {key: {value: label}}}`, e.g. a payment's kind `final` → "잔금"."""
    merged: Vocabulary = {}
    for values in plugins("audit_values"):
        for action, keys in values().items():
            merged.setdefault(action, {}).update(keys)
    return merged


def _targets_of(events: list) -> dict[tuple[int, int], Any]:
    by_type: dict[int, set[int]] = {}
    for event in events:
        by_type.setdefault(event.content_type_id, set()).add(event.object_id)
    found: dict[tuple[int, int], Any] = {}
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        related = [f.name for f in model._meta.concrete_fields if f.is_relation and f.name in NAMED_RELATIONS]
        for obj in model._default_manager.select_related(*related).filter(pk__in=ids):
            found[(type_id, obj.pk)] = obj
    return found


# A target's relations its name reads (an application is named with its company's name).
NAMED_RELATIONS = ("company",)


def _target_name(event, model, target) -> str:
    kind = str(model._meta.verbose_name) if model is not None else event.content_type.model
    if target is None:
        return f"{kind} #{event.object_id}"
    company = getattr(target, "company", None) if "company" in NAMED_RELATIONS else None
    name = f"{target} · {company}" if company is not None and hasattr(company, "pk") else str(target)
    return f"{kind} #{event.object_id} 「{name}」"


def _row(event, model, target, words: dict) -> AuditRow:
    actor = str(event.actor) if event.actor is not None else str(_("시스템"))
    action = audit_label(event.action)
    target_name = _target_name(event, model, target)
    sentence = _("%(actor)s님이 %(target)s%(particle)s %(action)s했습니다.") % {
        "actor": actor,
        "target": target_name,
        "particle": object_particle(target_name),
        "action": action,
    }
    return AuditRow(
        event=event,
        actor=actor,
        action=action,
        target=target_name,
        sentence=sentence,
        changes=_changes(model, event.before, event.after, words),
    )


# Digits read in Korean end with a final consonant (영, 일, 삼, 육, 칠, 팔) or not (이, 사, 오, 구).
_DIGITS_WITH_FINAL = frozenset("013678")


def object_particle(words: str) -> str:
    """을 or 를 after `words`, by how its last syllable ends (신청서를, 사업을); 을(를) when it cannot
    tell (a Latin name). Only Korean takes a particle: other languages' sentences have no slot."""
    if not (get_language() or "ko").startswith("ko"):
        return ""
    last = words.rstrip(" 」)").rstrip()[-1:]
    if "가" <= last <= "힣":
        return "을" if (ord(last) - ord("가")) % 28 else "를"
    if last.isdigit():
        return "을" if last in _DIGITS_WITH_FINAL else "를"
    return "을(를)"


def _changes(model, before: dict, after: dict, words: dict) -> list[Change]:
    changes = []
    for key in list(dict.fromkeys([*before, *after])):
        if key in HIDDEN_KEYS:
            continue
        changes.append(
            Change(
                label=_key_label(model, key),
                before=audit_value(model, key, before.get(key), words) if key in before else "",
                after=audit_value(model, key, after.get(key), words) if key in after else "",
            )
        )
    return changes


def _field(model, key: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def _key_label(model, key: str) -> "StrOrPromise":
    field = _field(model, key)
    if field is not None and hasattr(field, "verbose_name"):
        return field.verbose_name
    return VALUE_LABELS.get(key, key)


def audit_value(model, key: str, value, words: dict | None = None) -> str:
    """A stored value as words: a choice by its label (the target's field's, else the recording app's
    `words`), money in won, a rubric as its items, a yes/no."""
    if value is None or value == "" or value == "None":
        return "–"
    if words and key in words and str(value) in words[key]:
        return str(words[key][str(value)])
    if isinstance(value, bool) or value in ("True", "False"):
        return str(_("예")) if value in (True, "True") else str(_("아니요"))
    if key == "pot":
        return str(POTS.get(value, value))
    field = _field(model, key)
    if field is not None and getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if field is not None and field.is_relation:
        return str(value)
    if key in MONEY_KEYS or isinstance(field, models.BigIntegerField):
        number = _whole(value)
        return won(number) if number is not None else str(value)
    if key == "rubric":
        items = _literal(value)
        if isinstance(items, list):
            return ", ".join(
                _("%(label)s %(points)s점") % {"label": i.get("label"), "points": i.get("max_points")}
                for i in items
                if isinstance(i, dict)
            )
    if key in ("required_documents", "kind"):
        kinds = _literal(value) if key == "required_documents" else [value]
        if isinstance(kinds, list):
            names = dict(DocumentKind.choices)
            return ", ".join(str(names.get(kind, kind)) for kind in kinds) or "–"
    return str(value)


def _whole(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _literal(value):
    """A list the program's audit stored as its text (`str([...])`), read back without running it."""
    if isinstance(value, str):
        try:
            return ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return value
    return value


def audit_action_choices() -> list[tuple[str, str]]:
    """Every action some app names, as (action, label) for the audit page's filter, by label."""
    named: dict[str, str] = {}
    for labels in plugins("audit_labels"):
        for action, label in labels().items():
            named.setdefault(action, str(label))
    return sorted(named.items(), key=lambda item: item[1])
