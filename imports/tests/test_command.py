"""manage.py import_records: dry run, --commit, exit statuses, the kind guessed from the headers; and the
samples in docs/samples/ import cleanly (SPEC §15.5)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from applicants.models import ParticipationBan, SupportRecord
from imports.models import ImportRun
from imports.tests.helpers import csv_bytes, support_row
from program.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def _run(*args) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command("import_records", *map(str, args), stdout=out)
    except SystemExit as leaving:
        return int(leaving.code), out.getvalue()
    return 0, out.getvalue()


@pytest.mark.parametrize(
    ("name", "kind", "rows"),
    [
        ("지원이력_예시.xlsx", "support_records", 30),
        ("지원이력_예시.csv", "support_records", 30),
        ("참여제한_예시.xlsx", "bans", 12),
        ("참여제한_예시.csv", "bans", 12),
    ],
)
def test_the_samples_are_clean_and_their_kind_is_guessed(name, kind, rows):
    status, out = _run(SAMPLES / name)
    assert status == 0
    assert f"{rows}행, 유효 {rows}행, 오류 0건" in out
    assert ImportRun.objects.count() == 0 and SupportRecord.objects.count() == 0  # a dry run


def test_the_error_sample_lists_its_errors_and_exits_1():
    status, out = _run(SAMPLES / "지원이력_오류예시.csv")
    assert status == 1
    assert "11행, 유효 3행, 오류 8건" in out
    assert "12행 3행과 사업자등록번호·사업명·연도가 같은 중복 행입니다." in out


def test_commit_writes_as_the_user_and_twice_changes_nothing():
    staff = UserFactory(role="staff")
    status, out = _run(SAMPLES / "참여제한_예시.csv", "--commit", "--user", staff.username)
    assert (status, ParticipationBan.objects.count()) == (0, 12)
    assert "새로 12행, 바뀜 0행, 그대로 0행" in out
    status, out = _run(SAMPLES / "참여제한_예시.csv", "--commit", "--user", staff.username)
    assert "새로 0행, 바뀜 0행, 그대로 12행" in out
    assert AuditEvent.objects.filter(action="import.finish", actor=staff).count() == 2


def test_commit_writes_the_valid_rows_of_a_file_with_errors_and_exits_1():
    UserFactory(role="staff", agency=None, is_superuser=True)  # the default actor
    status, out = _run(SAMPLES / "지원이력_오류예시.csv", "--kind", "support_records", "--commit")
    assert (status, SupportRecord.objects.count()) == (1, 3)
    assert "새로 3행" in out


def test_many_errors_are_cut_at_50(tmp_path):
    path = tmp_path / "many.csv"
    path.write_bytes(csv_bytes([support_row(연도="x") for _ in range(60)]))
    status, out = _run(path)
    assert status == 1
    assert "  … 그 밖에 10건" in out and out.count("[연도]") == 50


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "빈 파일입니다."),
        ("가,나\n1,2\n".encode(), "종류를 알 수 없습니다."),
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "XLSX 또는 CSV 파일이 아닙니다."),
    ],
)
def test_a_whole_file_error_exits_2_and_writes_nothing(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError) as raised:
        call_command("import_records", str(path), "--commit", stdout=StringIO())
    assert raised.value.returncode == 2 and message in str(raised.value)
    assert ImportRun.objects.count() == 0


def test_commit_without_a_staff_user_is_refused(tmp_path):
    with pytest.raises(CommandError) as raised:
        call_command("import_records", str(SAMPLES / "지원이력_예시.csv"), "--commit", stdout=StringIO())
    assert "--user" in str(raised.value)
