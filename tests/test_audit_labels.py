"""Audit actions in words, each app naming its own through `audit_labels` (program/audit.py): the
labels the audit trail has always shown, whichever app the action belongs to."""

import pytest
from django.template import Context, Template
from django.utils import translation

from applicants.workflow import TRANSITIONS
from funds.models import LedgerEntry
from program.audit import audit_label


@pytest.mark.parametrize(
    ("action", "label"),
    [
        ("program.create", "사업 생성"),
        ("application.attachment_add", "서류 등록"),
        ("evaluation.submit", "평가 제출"),
        ("company.update", "기업정보 변경"),
        ("application.select", str(TRANSITIONS["select"].label)),
        ("application.withdraw", str(TRANSITIONS["withdraw"].label)),
        ("ledger.commitment", str(LedgerEntry.Kind.COMMITMENT.label)),
        ("ledger.disbursement", str(LedgerEntry.Kind.DISBURSEMENT.label)),
        ("outcome.update", "성과 수정"),
        ("mentoring.assign", "멘토 배정"),
        ("mentor.create", "멘토 등록"),
        ("program.copy", "사업 복사"),
    ],
)
def test_each_app_names_its_own_actions(action, label):
    with translation.override("ko"):
        assert str(audit_label(action)) == label
        assert Template("{% load history %}{{ a|event_label }}").render(Context({"a": action})) == label


def test_an_action_nobody_names_reads_as_stored():
    assert audit_label("mentor.retire") == "mentor.retire"
    assert audit_label("application.nonsense") == "application.nonsense"


def test_the_labels_follow_the_language():
    with translation.override("en"):
        assert str(audit_label("program.create")) != "사업 생성"


def test_an_app_left_out_of_the_extension_point_names_nothing(settings):
    settings.PLUGINS = {**settings.PLUGINS, "audit_labels": ["program.audit.audit_labels"]}
    assert str(audit_label("program.create")) != "program.create"
    assert audit_label("ledger.commitment") == "ledger.commitment"


def test_a_payment_on_an_application_is_named():
    """`application.disbursement` (funds.services.disbursement_record) reads as words, not a code."""
    from program.audit import audit_label

    assert str(audit_label("application.disbursement")) == "지급 기록"


# ---- part h4 of issue 22: accounts' API token events (accounts/audit.py, SPEC §20)
def test_a_revoked_api_token_is_named():
    with translation.override("ko"):
        assert str(audit_label("account.token_revoke")) == "API 토큰 폐기"
