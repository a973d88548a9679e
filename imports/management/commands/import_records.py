"""manage.py import_records FILE [--kind support_records|bans] [--commit] [--user USERNAME]

The import of SPEC §15.5 from the shell, through the same reading and services as the page and the API.
Without --commit a dry run: nothing is written, the rows' errors are listed (the first 50). With
--commit the file is stored, checked and its valid rows written at once (no worker), audited as --user
(a staff user; by default the first superuser).

Exit status: 0 when every row is valid, 1 when some row has an error (with --commit the valid rows are
written all the same), 2 when the whole file cannot be read (nothing written)."""

import os
import sys

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role, User
from imports import reading, services
from imports.models import ImportRun
from imports.reading import HEADERS, KINDS, ImportFileError

ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = gettext_lazy(  # type: ignore[assignment]  # Django prints a lazy help text in the active language
        "지원 이력 또는 참여제한 XLSX·CSV 파일을 검사하고, --commit이면 유효한 행을 가져옵니다."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("가져올 XLSX 또는 CSV 파일"))
        parser.add_argument("--kind", choices=KINDS, help=_("종류 (없으면 제목 행으로 판단)"))
        parser.add_argument(
            "--commit", action="store_true", help=_("유효한 행을 실제로 씁니다 (없으면 검사만)")
        )
        parser.add_argument("--user", help=_("기록에 남을 직원 아이디 (없으면 첫 관리자)"))

    def handle(self, *args, **options):
        path = options["file"]
        if not os.path.isfile(path):
            raise CommandError(_("파일이 없습니다: %(path)s") % {"path": path}, returncode=2)
        result: ImportRun | reading.CheckResult
        with open(path, "rb") as handle:
            try:
                kind = options["kind"] or _guess_kind(handle, path)
                if options["commit"]:
                    result = self._commit(handle, path, kind, options["user"])
                else:
                    result = reading.check(handle, path, kind)
                    self._summary(kind, result.rows, result.valid, result.error_count, result.errors)
                    self.stdout.write(_("검사만 했습니다. 쓰려면 --commit을 붙여 다시 실행해 주세요."))
            except ImportFileError as error:
                raise CommandError(error.message, returncode=2) from None
        if result.error_count:
            sys.exit(1)

    def _summary(self, kind: str, rows: int, valid: int, error_count: int, errors: list) -> None:
        label = ImportRun.Kind(kind).label
        self.stdout.write(
            _("%(kind)s: %(rows)s행, 유효 %(valid)s행, 오류 %(errors)s건")
            % {"kind": label, "rows": f"{rows:,}", "valid": f"{valid:,}", "errors": f"{error_count:,}"}
        )
        for error in errors[:ERRORS_SHOWN]:
            row, column, message = (
                (error["row"], error["column"], error["message"])
                if isinstance(error, dict)
                else (error.row, error.column, error.message)
            )
            where = (
                _("%(row)s행 [%(column)s]") % {"row": row, "column": column}
                if column
                else _("%(row)s행") % {"row": row}
            )
            self.stdout.write(f"  {where} {message}")
        if error_count > ERRORS_SHOWN:
            self.stdout.write(_("  … 그 밖에 %(count)s건") % {"count": f"{error_count - ERRORS_SHOWN:,}"})

    def _commit(self, handle, path: str, kind: str, username: str | None) -> ImportRun:
        actor = _actor(username)
        run = services.import_start(
            actor, upload=File(handle, name=os.path.basename(path)), kind=kind, queue=False
        )
        run = services.import_check(run)
        if run.status == ImportRun.Status.FAILED:
            raise ImportFileError(run.failure)
        self._summary(kind, run.rows, run.valid, run.error_count, run.errors)
        if run.valid == 0:
            self.stdout.write(_("가져올 수 있는 행이 없어 아무것도 쓰지 않았습니다."))
            return run
        run = services.import_write(services.import_confirm(actor, run, queue=False))
        if run.status == ImportRun.Status.FAILED:
            raise CommandError(run.failure, returncode=2)
        self.stdout.write(
            _("새로 %(created)s행, 바뀜 %(updated)s행, 그대로 %(unchanged)s행")
            % {k: f"{getattr(run, k):,}" for k in ("created", "updated", "unchanged")}
        )
        return run


def _guess_kind(handle, path: str) -> str:
    """The one kind whose headers the file has; refused when none or both fit."""
    fits = []
    for kind in KINDS:
        try:
            reading.check_header(handle, path, kind)
        except ImportFileError as error:
            if error.code != "wrong_headers":
                raise
        else:
            fits.append(kind)
        handle.seek(0)
    if len(fits) != 1:
        raise CommandError(
            _("종류를 알 수 없습니다. --kind support_records 또는 --kind bans를 지정해 주세요. (%(h)s)")
            % {"h": " / ".join(", ".join(HEADERS[kind]) for kind in KINDS)},
            returncode=2,
        )
    return fits[0]


def _actor(username: str | None) -> User:
    if username:
        user = User.objects.filter(username=username, role=Role.STAFF, is_active=True).first()
        if user is None:
            raise CommandError(_("직원 아이디가 아닙니다: %(name)s") % {"name": username}, returncode=2)
        return user
    user = User.objects.filter(is_superuser=True, role=Role.STAFF, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError(_("--user로 가져오는 직원의 아이디를 지정해 주세요."), returncode=2)
    return user
