"""Retention (SPEC §20): a company's personal data is anonymised once its business with the program
has ended long enough ago.

Which companies: every application of the company ended `rejected` or `withdrawn` (none selected,
under way, completed or terminated: those records are kept under the subsidy rules), the last of them
more than RETENTION_YEARS years ago, and none of its users has signed in during those years. A company
registered but never applying is treated alike from its registration. When an application ended is
read from the audit trail (its `application.reject` / `application.withdraw` event), else from
`decided_at`, else from `updated_at` (records made without a workflow action, e.g. imported).

What is anonymised (amounts, statuses, levels, the company's business number, name and size stay for
the statistics and the support history of SPEC §15.4):
- its users: accounts/anonymise.py (names and e-mail blanked, `탈퇴-<id>`, no password, inactive);
- the company's representative (대표자);
- its applications' free text (the plan; the title, a project's name, stays);
- the messages its users wrote in those threads (body blanked, signed `탈퇴-<id>`);
- the documents of its applications and the files of those messages: the files are deleted from
  storage once the transaction commits; the rows stay, without file or name, to keep the count;
- the in-app notices of its users and the e-mails to their addresses (program.notifications).
Kept: the consent record (proof of what was agreed), submission declarations (yes/no), evaluations
(the evaluators' work), and the audit trail, which is evidence and append-only.

Each company is done in its own transaction, audited once (`company.anonymise`, with what it did).
A second run finds nothing: a company anonymised after its last application ended is not selected
again (its audit event says so).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.anonymise import user_anonymise
from applicants.models import Application, Attachment, Company, Message, MessageAttachment
from program.models import AuditEvent
from program.notifications import notifications_forget
from program.services import audit_event_record

ENDED_FOR_RETENTION = (Application.Status.REJECTED, Application.Status.WITHDRAWN)
END_ACTIONS = ("application.reject", "application.withdraw")
ANONYMISE_ACTION = "company.anonymise"


def retention_cutoff(today: datetime.date | None = None) -> datetime.datetime:
    """The start of the day RETENTION_YEARS years before `today` (Seoul): what ended before it is due."""
    today = today or timezone.localdate()
    years = settings.RETENTION_YEARS
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _application_ended_at():
    """When an application ended: its last reject/withdraw event, else decided_at, else updated_at."""
    events = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Application),
        object_id=OuterRef("pk"),
        action__in=END_ACTIONS,
    )
    return Coalesce(
        Subquery(events.order_by("-created_at").values("created_at")[:1]), "decided_at", "updated_at"
    )


def _count(queryset: QuerySet, field: str):
    counted = queryset.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def companies_due(*, today: datetime.date | None = None) -> QuerySet[Company]:
    """The companies whose personal data is due for anonymisation on `today`, each with `ended_at`
    and the counts the dry run prints (`user_count`, `application_count`, `message_count`,
    `document_count`): one query."""
    cutoff = retention_cutoff(today)
    users = get_user_model().objects.filter(company=OuterRef("pk"))
    applications = Application.objects.filter(company=OuterRef("pk"))
    last_end = applications.annotate(ended=_application_ended_at()).order_by("-ended").values("ended")[:1]
    anonymised = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Company),
        object_id=OuterRef("pk"),
        action=ANONYMISE_ACTION,
        created_at__gte=OuterRef("ended_at"),
    )
    return (
        Company.objects.annotate(ended_at=Coalesce(Subquery(last_end), "created_at"))
        .filter(ended_at__lt=cutoff)
        .exclude(Exists(applications.exclude(status__in=ENDED_FOR_RETENTION)))
        .exclude(Exists(users.filter(last_login__gte=cutoff)))
        .exclude(Exists(anonymised))
        .annotate(
            user_count=_count(get_user_model().objects.filter(company=OuterRef("pk")), "company"),
            application_count=_count(Application.objects.filter(company=OuterRef("pk")), "company"),
            message_count=_count(
                Message.objects.filter(application__company=OuterRef("pk"), author__company=OuterRef("pk")),
                "application__company",
            ),
            document_count=_count(
                Attachment.objects.filter(application__company=OuterRef("pk")), "application__company"
            ),
        )
        .order_by("pk")
    )


@dataclass(frozen=True)
class Anonymised:
    company_id: int
    users: int
    applications: int
    messages: int
    files: int
    notices: int


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)


@transaction.atomic
def company_anonymise(*, company: Company, actor=None) -> Anonymised:
    """Anonymise one company's personal data (see the module), audited `company.anonymise`."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    users = list(get_user_model().objects.filter(company=company).order_by("pk"))
    addresses = [user.email for user in users]
    applications = Application.objects.filter(company=company)
    documents = Attachment.objects.filter(application__company=company).exclude(file="")
    message_files = MessageAttachment.objects.filter(
        message__application__company=company, message__author__in=users
    )
    files = [name for name in documents.values_list("file", flat=True)] + list(
        message_files.exclude(file="").values_list("file", flat=True)
    )
    # .update(), not save(): updated_at stays when the application ended, for the statistics.
    application_count = applications.update(plan="")
    documents.update(file="", original_name="")
    message_files.update(file="", original_name="")
    messages = 0
    for user in users:
        user_anonymise(user=user)
        written = Message.objects.filter(application__company=company, author=user)
        messages += written.update(body="", author_name=user.username)
    notices = notifications_forget(users=users, addresses=addresses)
    company.representative = ""
    company.save(update_fields=["representative"])
    done = Anonymised(company.pk, len(users), application_count, messages, len(files), notices)
    audit_event_record(
        actor=actor,
        action=ANONYMISE_ACTION,
        target=company,
        after={
            "users": [user.pk for user in users],
            "applications": application_count,
            "messages": messages,
            "files": len(files),
            "notices": notices,
        },
    )
    # The files go once the blanking is committed: a rollback leaves every file where its row points.
    transaction.on_commit(lambda: _delete_files(files))
    return done


def anonymise_expired(*, today: datetime.date | None = None, actor=None) -> list[Anonymised]:
    """Anonymise every company due on `today`, each in its own transaction (the beat task, the
    `retention --commit` command)."""
    return [company_anonymise(company=company, actor=actor) for company in companies_due(today=today)]
