"""What an uploaded file really is: its extension must be among those allowed and its first bytes
must agree with it. A renamed executable (`virus.exe` → `공고문.pdf`) or a file sent with a false
content type is refused; the browser's `Content-Type` is never trusted.

The one check of every upload: an application's documents and messages (applicants/uploads.py, with
their limits) and a program's 공고문 and 양식 go through it.
"""

import zipfile
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

_PDF = b"%PDF-"
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # HWP 5.0 is an OLE2 compound file
_ZIP = b"PK\x03\x04"

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "hwp": "application/x-hwp",
}


def file_extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _is_xlsx(upload) -> bool:
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)
    return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)


def content_matches(extension: str, upload) -> bool:
    """Whether the upload's first bytes are those of a file of `extension`."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if extension == "pdf":
        return head.startswith(_PDF)
    if extension == "png":
        return head.startswith(_PNG)
    if extension in ("jpg", "jpeg"):
        return head.startswith(_JPEG)
    if extension == "hwp":
        return head.startswith(_OLE2)
    if extension == "xlsx":
        return head.startswith(_ZIP) and _is_xlsx(upload)
    return False


def check_file(upload, *, extensions: Iterable[str], max_size: int) -> str:
    """The content type to store for an acceptable upload, or a ValidationError in Korean."""
    extensions = tuple(extensions)
    if upload is None:
        raise ValidationError(_("파일을 선택해 주세요."), code="required")
    if upload.size == 0:
        raise ValidationError(_("빈 파일은 올릴 수 없습니다."), code="empty")
    if upload.size > max_size:
        raise ValidationError(
            _("파일이 너무 큽니다(%(size)s). 한 파일에 %(max)s까지 올릴 수 있습니다.")
            % {"size": filesizeformat(upload.size), "max": filesizeformat(max_size)},
            code="too_large",
        )
    extension = file_extension(upload.name)
    if extension not in extensions:
        allowed = ", ".join(e.upper() for e in extensions)
        raise ValidationError(_("올릴 수 없는 파일 형식입니다. 허용: %s") % allowed, code="extension")
    if not content_matches(extension, upload):
        raise ValidationError(
            _("파일 내용이 확장자(.%s)와 맞지 않습니다. 실제 문서 파일을 올려 주세요.") % extension,
            code="content",
        )
    return CONTENT_TYPES[extension]
