"""Agreements, changes and inspections stored as they are (no service rules), for the tests of what
sponsors, staff and SMEs see of them."""

import datetime

from projects.models import Agreement, AgreementChange, Inspection
from tests.factories import SupplierFactory, UserFactory

START = datetime.date(2026, 3, 1)
END = datetime.date(2026, 8, 31)
TARGETS = [
    {"kpi": "productivity", "baseline": "100", "target": "120"},
    {"kpi": "defect_rate", "baseline": "5", "target": "3"},
    {"kpi": "lead_time", "baseline": "10", "target": "7"},
    {"kpi": "unit_cost", "baseline": "1000", "target": "900"},
]


def agreement_for(application, status=Agreement.Status.COUNTERSIGNED, **fields) -> Agreement:
    fields.setdefault("starts_on", START)
    fields.setdefault("original_ends_on", END)
    fields.setdefault("ends_on", fields["original_ends_on"])
    fields.setdefault("kpi_targets", TARGETS)
    if "supplier" not in fields:
        fields["supplier"] = SupplierFactory(name="스마트솔루션 가")
    return Agreement.objects.create(application=application, status=status, **fields)


def change_for(
    application, kind=AgreementChange.Kind.EXTENSION, status=AgreementChange.Status.APPROVED, **fields
):
    fields.setdefault("cause_on", START)
    fields.setdefault("reason", "장비 납기 지연")
    fields.setdefault("requested_by", UserFactory(applicant=True))
    return AgreementChange.objects.create(application=application, kind=kind, status=status, **fields)


def inspection_for(application, result=Inspection.Result.PASS, **fields) -> Inspection:
    fields.setdefault("inspected_by", UserFactory())
    for check in ("installed", "operating", "data_collected"):
        fields.setdefault(check, result == Inspection.Result.PASS)
    return Inspection.objects.create(application=application, result=result, **fields)
