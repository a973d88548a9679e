"""What an uploaded document really is: its extension must be allowed and its first bytes must agree.

A renamed executable (`virus.exe` → `plan.pdf`) or a file sent with a false content type is refused;
the browser's `Content-Type` is never trusted.
"""

import zipfile

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from applicants.models import Attachment

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


def _extension(name: str) -> str:
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


def _content_matches(extension: str, head: bytes, upload) -> bool:
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


def check_upload(upload) -> str:
    """The content type to store for an acceptable upload, or ValidationError (Korean) on `file`."""
    allowed = ", ".join(e.upper() for e in ("pdf", "png", "jpg", "xlsx", "hwp"))
    if upload is None:
        raise ValidationError({"file": _("파일을 선택해 주세요.")})
    if upload.size == 0:
        raise ValidationError({"file": _("빈 파일은 올릴 수 없습니다.")})
    if upload.size > Attachment.MAX_SIZE:
        raise ValidationError(
            {
                "file": _("파일이 너무 큽니다(%(size)s). 한 파일에 %(max)s까지 올릴 수 있습니다.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(Attachment.MAX_SIZE)}
            }
        )
    extension = _extension(upload.name)
    if extension not in Attachment.ALLOWED_EXTENSIONS:
        raise ValidationError({"file": _("올릴 수 없는 파일 형식입니다. 허용: %s") % allowed})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not _content_matches(extension, head, upload):
        raise ValidationError(
            {"file": _("파일 내용이 확장자(.%s)와 맞지 않습니다. 실제 문서 파일을 올려 주세요.") % extension}
        )
    return CONTENT_TYPES[extension]
