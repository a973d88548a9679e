"""The agreement's services (SPEC §16): the draft at its edges, sending, signing, countersigning."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import Http404

from applicants import services as workflow
from applicants.models import Application
from config.errors import Conflict, DomainError, NotAllowed
from program.models import AuditEvent, Notification
from projects.models import Agreement, AgreementSignature
from projects.services.agreements import (
    add_months,
    agreement_countersign,
    agreement_for,
    agreement_recall,
    agreement_send,
    agreement_sign,
    agreement_update,
)
from projects.tests.conftest import PASSWORD
from tests.factories import KPI_TARGETS, AgencyFactory, ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 3, 1)


def _update(staff, application, **fields):
    values = {
        "starts_on": START,
        "ends_on": datetime.date(2026, 8, 31),
        "kpi_targets": [dict(row) for row in KPI_TARGETS],
        "supplier": application.supplier,
        **fields,
    }
    return agreement_update(actor=staff, application=application, **values)


def _codes(error: ValidationError, field: str) -> list[str]:
    return [each.code for each in error.error_dict[field]]


def _sent(staff, application):
    _update(staff, application)
    return agreement_send(actor=staff, application=application)


# --- the draft --------------------------------------------------------------------------------------


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime.date(2026, 3, 1), 6) == datetime.date(2026, 9, 1)
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)


def test_the_draft_is_made_on_selection_with_the_applications_supplier(selected):
    agreement = agreement_for(application=selected)
    assert agreement.status == Agreement.Status.DRAFT
    assert agreement.supplier_id == selected.supplier_id
    assert agreement_for(application=selected).pk == agreement.pk


def test_no_draft_before_selection():
    assert agreement_for(application=ApplicationFactory(submitted=True)) is None


def test_the_period_may_run_exactly_build_months(staff, selected):
    agreement = _update(staff, selected, ends_on=datetime.date(2026, 9, 1))
    assert agreement.ends_on == datetime.date(2026, 9, 1)
    event = AuditEvent.objects.get(action="agreement.update")
    assert event.after["ends_on"] == "2026-09-01"
    assert event.before["ends_on"] is None


def test_one_day_more_is_refused(staff, selected):
    with pytest.raises(ValidationError) as error:
        _update(staff, selected, ends_on=datetime.date(2026, 9, 2))
    assert _codes(error.value, "ends_on") == ["period_too_long"]
    assert not Agreement.objects.filter(ends_on__isnull=False).exists()


def test_the_end_must_follow_the_start(staff, selected):
    with pytest.raises(ValidationError) as error:
        _update(staff, selected, ends_on=START)
    assert _codes(error.value, "ends_on") == ["ends_on_before_start"]


def test_missing_fields_are_each_named(staff, selected):
    with pytest.raises(ValidationError) as error:
        _update(staff, selected, starts_on=None, ends_on=None, supplier=None, kpi_targets=[])
    assert set(error.value.error_dict) == {"starts_on", "ends_on", "supplier", "kpi_targets"}
    assert _codes(error.value, "kpi_targets") == ["kpi_targets_too_few"]


def test_two_kpis_are_refused(staff, selected):
    with pytest.raises(ValidationError) as error:
        _update(staff, selected, kpi_targets=[dict(row) for row in KPI_TARGETS[:2]])
    assert _codes(error.value, "kpi_targets") == ["kpi_targets_too_few"]


def test_the_same_kpi_twice_counts_once(staff, selected):
    rows = [*KPI_TARGETS[:2], dict(KPI_TARGETS[0])]
    with pytest.raises(ValidationError) as error:
        _update(staff, selected, kpi_targets=rows)
    assert _codes(error.value, "kpi_targets") == ["kpi_duplicate"]


@pytest.mark.parametrize(
    ("kpi", "baseline", "target"),
    [
        ("productivity", "100", "90"),  # higher is better: lower refused
        ("productivity", "100", "100"),  # no improvement
        ("defect_rate", "2", "3"),  # lower is better: higher refused
        ("accidents", "1", "1"),
    ],
)
def test_a_target_not_better_than_its_baseline_is_refused(staff, selected, kpi, baseline, target):
    rows = [{"kpi": kpi, "baseline": baseline, "target": target}, *KPI_TARGETS[1:], KPI_TARGETS[0]]
    rows = [row for i, row in enumerate(rows) if i == 0 or row["kpi"] != kpi]
    with pytest.raises(ValidationError) as error:
        _update(staff, selected, kpi_targets=rows)
    assert "kpi_not_better" in _codes(error.value, "kpi_targets")


@pytest.mark.parametrize(
    ("row", "code"),
    [
        ({"kpi": "on_time_delivery", "baseline": "90", "target": "101"}, "kpi_percent_over"),
        ({"kpi": "revenue", "baseline": "abc", "target": "5"}, "kpi_value_invalid"),
        ({"kpi": "revenue", "baseline": "-1", "target": "5"}, "kpi_value_invalid"),
        ({"kpi": "revenue", "baseline": "NaN", "target": "5"}, "kpi_value_invalid"),
        ({"kpi": "happiness", "baseline": "1", "target": "5"}, "kpi_unknown"),
    ],
)
def test_bad_kpi_values_are_refused(staff, selected, row, code):
    with pytest.raises(ValidationError) as error:
        _update(staff, selected, kpi_targets=[row, *KPI_TARGETS])
    assert _codes(error.value, "kpi_targets") == [code]


def test_values_are_kept_as_plain_decimals(staff, selected):
    rows = [{"kpi": "revenue", "baseline": "1,000.50", "target": 2000}, *KPI_TARGETS]
    agreement = _update(staff, selected, kpi_targets=rows)
    assert agreement.kpi_targets[0] == {"kpi": "revenue", "baseline": "1000.5", "target": "2000"}


def test_the_ministry_and_the_owner_may_not_draft(selected, owner):
    with pytest.raises(NotAllowed):
        _update(UserFactory(ministry=True), selected)
    with pytest.raises(NotAllowed):
        _update(owner, selected)


def test_another_agencys_staff_get_404(selected):
    other = UserFactory(agency=AgencyFactory(name="중소기업중앙회"))
    with pytest.raises(Http404):
        _update(other, selected)


def test_a_sent_draft_is_not_edited(staff, selected):
    _sent(staff, selected)
    with pytest.raises(Conflict) as error:
        _update(staff, selected)
    assert error.value.code == "agreement_not_draft"


# --- sending ----------------------------------------------------------------------------------------


def test_sending_stores_the_pdf_and_its_hash_and_tells_the_sme(staff, owner, selected):
    agreement = _sent(staff, selected)
    assert agreement.status == Agreement.Status.SENT
    assert f"/agreement-{selected.pk}-1" in agreement.document.name
    with agreement.document.open("rb") as document:
        data = document.read()
    assert data.startswith(b"%PDF")
    assert agreement.document_sha256 == hashlib.sha256(data).hexdigest()
    assert agreement.original_ends_on == agreement.ends_on
    assert agreement.sent_at is not None
    notice = Notification.objects.get(user=owner, kind="agreement.send")
    assert notice.url == f"/my/applications/{selected.pk}/agreement/"
    assert AuditEvent.objects.filter(action="agreement.send").count() == 1


def test_an_incomplete_draft_is_not_sent(staff, selected):
    with pytest.raises(ValidationError):
        agreement_send(actor=staff, application=selected)
    assert not Agreement.objects.exclude(status=Agreement.Status.DRAFT).exists()


def test_sending_twice_is_refused(staff, selected):
    _sent(staff, selected)
    with pytest.raises(Conflict):
        agreement_send(actor=staff, application=selected)


def test_a_recalled_agreement_is_sent_again_as_a_new_file(staff, selected):
    _sent(staff, selected)
    agreement_recall(actor=staff, application=selected)
    agreement = agreement_send(actor=staff, application=selected)
    assert f"/agreement-{selected.pk}-2" in agreement.document.name


# --- signing ----------------------------------------------------------------------------------------


def test_the_owner_signs_with_its_password(staff, owner, selected):
    _sent(staff, selected)
    agreement = agreement_sign(actor=owner, application=selected, password=PASSWORD, ip="203.0.113.7")
    assert agreement.status == Agreement.Status.SIGNED_BY_SME
    signature = AgreementSignature.objects.get()
    assert (signature.party, signature.user, signature.ip_address) == ("sme", owner, "203.0.113.7")
    assert signature.document_sha256 == agreement.document_sha256
    assert Notification.objects.filter(user=staff, kind="agreement.sign").exists()


def test_a_wrong_password_changes_nothing(staff, owner, selected):
    _sent(staff, selected)
    with pytest.raises(DomainError) as error:
        agreement_sign(actor=owner, application=selected, password="wrong", ip="203.0.113.7")
    assert error.value.code == "password_invalid"
    assert error.value.status_code == 400
    assert Agreement.objects.get().status == Agreement.Status.SENT
    assert not AgreementSignature.objects.exists()


def test_a_tampered_document_cannot_be_signed(staff, owner, selected):
    agreement = _sent(staff, selected)
    name = agreement.document.name
    agreement.document.storage.delete(name)
    agreement.document.storage.save(name, ContentFile(b"%PDF-1.4 forged"))
    with pytest.raises(Conflict) as error:
        agreement_sign(actor=owner, application=selected, password=PASSWORD, ip=None)
    assert error.value.code == "document_changed"
    assert not AgreementSignature.objects.exists()


def test_only_the_owner_signs(staff, selected):
    _sent(staff, selected)
    with pytest.raises(NotAllowed):
        agreement_sign(actor=staff, application=selected, password=PASSWORD, ip=None)
    with pytest.raises(NotAllowed):
        agreement_sign(actor=UserFactory(applicant=True), application=selected, password=PASSWORD, ip=None)


def test_a_draft_cannot_be_signed(owner, selected):
    with pytest.raises(Conflict) as error:
        agreement_sign(actor=owner, application=selected, password=PASSWORD, ip=None)
    assert error.value.code == "agreement_not_sent"


# --- countersigning and the workflow -----------------------------------------------------------------


def test_countersigning_performs_sign_agreement(staff, owner, selected):
    _sent(staff, selected)
    agreement_sign(actor=owner, application=selected, password=PASSWORD, ip="203.0.113.7")
    agreement = agreement_countersign(actor=staff, application=selected, ip="198.51.100.1")
    assert agreement.status == Agreement.Status.COUNTERSIGNED
    assert agreement.countersigned_at is not None
    assert Application.objects.get(pk=selected.pk).status == Application.Status.AGREEMENT
    parties = list(AgreementSignature.objects.values_list("party", "ip_address"))
    assert parties == [("sme", "203.0.113.7"), ("agency", "198.51.100.1")]
    actions = list(AuditEvent.objects.values_list("action", flat=True).order_by("pk"))
    assert actions[-3:] == ["agreement.sign", "agreement.countersign", "application.sign_agreement"]


def test_countersigning_before_the_sme_is_refused(staff, selected):
    _sent(staff, selected)
    with pytest.raises(Conflict) as error:
        agreement_countersign(actor=staff, application=selected, ip=None)
    assert error.value.code == "agreement_not_signed"


def test_countersigning_a_tampered_document_is_refused(staff, owner, selected):
    agreement = _sent(staff, selected)
    agreement_sign(actor=owner, application=selected, password=PASSWORD, ip=None)
    Agreement.objects.filter(pk=agreement.pk).update(document_sha256="f" * 64)
    with pytest.raises(Conflict) as error:
        agreement_countersign(actor=staff, application=selected, ip=None)
    assert error.value.code == "document_changed"
    assert Application.objects.get(pk=selected.pk).status == Application.Status.SELECTED


def test_the_ministry_may_not_countersign(staff, owner, selected):
    _sent(staff, selected)
    agreement_sign(actor=owner, application=selected, password=PASSWORD, ip=None)
    with pytest.raises(NotAllowed):
        agreement_countersign(actor=UserFactory(ministry=True), application=selected, ip=None)


def test_sign_agreement_alone_answers_agreement_unsigned(staff, selected):
    with pytest.raises(Conflict) as error:
        workflow.application_transition(application=selected, action="sign_agreement", actor=staff)
    assert error.value.code == "agreement_unsigned"
    assert error.value.status_code == 409
    assert Application.objects.get(pk=selected.pk).status == Application.Status.SELECTED


def test_sign_agreement_alone_is_refused_while_the_sme_has_only_signed(staff, owner, selected):
    _sent(staff, selected)
    agreement_sign(actor=owner, application=selected, password=PASSWORD, ip=None)
    with pytest.raises(Conflict):
        workflow.application_transition(application=selected, action="sign_agreement", actor=staff)


def test_a_withdrawn_application_has_no_agreement_to_act_on(staff, owner, selected):
    _update(staff, selected)
    workflow.application_transition(application=selected, action="withdraw", actor=owner)
    with pytest.raises(Conflict) as error:
        agreement_send(actor=staff, application=selected)
    assert error.value.code == "agreement_unavailable"
