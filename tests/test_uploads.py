"""config/uploads.py: an upload is judged by its extension and its first bytes, never by the type the
browser claims (the check a program's files and an application's documents share)."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from config.uploads import check_file

OFFICE = ("pdf", "hwp", "xlsx")


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("공고문.pdf", b"%PDF-1.7\n", "application/pdf"),
        ("양식.HWP", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "application/x-hwp"),
        ("양식.xlsx", _xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_it_accepts_a_real_document(name, content, expected):
    upload = SimpleUploadedFile(name, content, content_type="text/plain")  # the browser's word is ignored
    assert check_file(upload, extensions=OFFICE, max_size=1024) == expected


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("빈.pdf", b"", "empty"),
        ("큰.pdf", b"%PDF-" + b"x" * 2000, "too_large"),
        ("그림.png", b"\x89PNG\r\n\x1a\n", "extension"),
        ("virus.exe", b"MZ", "extension"),
        ("가짜.pdf", b"MZ\x90\x00", "content"),
        ("가짜.xlsx", b"PK\x03\x04not a zip", "content"),
    ],
)
def test_it_refuses_what_is_not_what_it_says(name, content, code):
    with pytest.raises(ValidationError) as raised:
        check_file(SimpleUploadedFile(name, content), extensions=OFFICE, max_size=1024)
    assert raised.value.code == code
    assert raised.value.messages[0]  # told in Korean at the field


def test_it_asks_for_a_file():
    with pytest.raises(ValidationError) as raised:
        check_file(None, extensions=OFFICE, max_size=1024)
    assert raised.value.code == "required"
