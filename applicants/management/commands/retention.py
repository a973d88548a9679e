"""manage.py retention [--commit] [--today YYYY-MM-DD]

What the retention beat task (applicants.anonymise_expired) would anonymise today, or on `--today`:
each company with its users, applications, messages and documents. Nothing changes without
`--commit`; with it, each company is anonymised and audited (applicants/retention.py).
"""

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applicants import retention


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("--today는 YYYY-MM-DD 형식의 날짜여야 합니다: %s") % value) from None


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # Django prints a lazy help text in the active language
        "보존기간이 지난 기업의 개인정보를 보여 줍니다. --commit을 주면 익명화합니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("--commit", action="store_true", help=gettext_lazy("실제로 익명화합니다"))
        parser.add_argument("--today", help=gettext_lazy("기준일(YYYY-MM-DD), 기본은 오늘"))

    def handle(self, *args, commit=False, today=None, **options):
        day = _day(today) if today else None
        cutoff = retention.retention_cutoff(day)
        # Any: the counts are annotations of companies_due, which mypy does not see on Company.
        companies: list[Any] = list(retention.companies_due(today=day))
        self.stdout.write(
            _("기준: %(cutoff)s 전에 끝나고 그 뒤 로그인이 없는 기업 %(count)d곳")
            % {"cutoff": timezone.localdate(cutoff).isoformat(), "count": len(companies)}
        )
        for company in companies:
            self.stdout.write(
                _(
                    "- #%(id)d %(name)s (%(number)s): 종료 %(ended)s, 사용자 %(users)d명, "
                    "신청서 %(applications)d건, 메시지 %(messages)d건, 서류 %(documents)d건"
                )
                % {
                    "id": company.pk,
                    "name": company.name,
                    "number": company.business_number_display,
                    "ended": timezone.localdate(company.ended_at).isoformat(),
                    "users": company.user_count,
                    "applications": company.application_count,
                    "messages": company.message_count,
                    "documents": company.document_count,
                }
            )
        if not commit:
            self.stdout.write(
                _("미리보기입니다. 아무것도 바꾸지 않았습니다. 익명화하려면 --commit을 주세요.")
            )
            return
        done = [retention.company_anonymise(company=company) for company in companies]
        self.stdout.write(self.style.SUCCESS(_("%d곳의 개인정보를 익명화했습니다.") % len(done)))
