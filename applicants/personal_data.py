"""applicants' part of a user's personal-data export (SPEC §20, `personal_data_export` in
settings.PLUGINS, called by accounts/export.py): an applicant's company, its applications with their
documents (names, not the files) and the thread's messages the applicant may read, and the
declarations the user made; for any user, the messages they wrote and the evaluations they gave.

Staff's internal notes about an application are the agency's working papers, not shown to the
applicant anywhere, and are left out of the applicant's export as they are out of its pages."""

from typing import Any

from django.db.models import Prefetch

from applicants.models import Application, Attachment, Evaluation, Message, SubmissionDeclaration


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _company(company) -> dict[str, Any]:
    return {
        "name": company.name,
        "business_number": company.business_number,
        "representative": company.representative,
        "region": company.region,
        "industry_code": company.industry_code,
        "employees": company.employees,
        "annual_revenue": company.annual_revenue,
        "founded_on": _when(company.founded_on),
        "created_at": _when(company.created_at),
    }


def _message(message: Message) -> dict[str, Any]:
    return {"author": message.author_name, "body": message.body, "at": _when(message.created_at)}


def _application(application: Application) -> dict[str, Any]:
    return {
        "id": application.pk,
        "program": application.program.title,
        "title": application.title,
        "level": application.level,
        "status": application.status,
        "plan": application.plan,
        "total_cost": application.total_cost,
        "wants_mentoring": application.wants_mentoring,
        "created_at": _when(application.created_at),
        "submitted_at": _when(application.submitted_at),
        "decided_at": _when(application.decided_at),
        "documents": [
            {
                "kind": doc.kind,
                "name": doc.original_name,
                "size": doc.size,
                "uploaded_at": _when(doc.uploaded_at),
            }
            for doc in application.attachments.all()
        ],
        "messages": [_message(message) for message in getattr(application, "shared_messages")],  # noqa: B009  (prefetched to_attr),
    }


def _applications(company_id: int) -> list[dict[str, Any]]:
    shared = Message.objects.filter(visibility=Message.Visibility.APPLICANT).order_by("created_at", "id")
    applications = (
        Application.objects.filter(company_id=company_id)
        .select_related("program")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("uploaded_at", "id")),
            Prefetch("messages", queryset=shared, to_attr="shared_messages"),
        )
        .order_by("created_at", "id")
    )
    return [_application(application) for application in applications]


def personal_data(*, user) -> dict[str, Any]:
    sections: dict[str, Any] = {}
    if user.company_id:
        sections["company"] = _company(user.company)
        sections["applications"] = _applications(user.company_id)
        declarations = SubmissionDeclaration.objects.filter(user=user).order_by("created_at", "id")
        sections["declarations"] = [
            {
                "application": row.application_id,
                **{name: getattr(row, name) for name in row.FIELDS},
                "at": _when(row.created_at),
            }
            for row in declarations
        ]
    authored = Message.objects.filter(author=user).order_by("created_at", "id")
    sections["messages_written"] = [{"application": m.application_id, **_message(m)} for m in authored]
    evaluations = Evaluation.objects.filter(evaluator=user).order_by("created_at", "id")
    sections["evaluations_given"] = [
        {
            "application": e.application_id,
            "scores": e.scores,
            "bonus": e.bonus,
            "total": e.total,
            "comment": e.comment,
        }
        for e in evaluations
    ]
    return sections
