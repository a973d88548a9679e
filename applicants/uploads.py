"""What an uploaded document really is (an application's documents, a message's file): the shared
check of config/uploads.py — extension allowed, first bytes agreeing with it, size within the limit —
with the application's limits, its error at the form's `file` field.
"""

from django.core.exceptions import ValidationError

from applicants.models import Attachment
from config.uploads import check_file


def check_upload(upload) -> str:
    """The content type to store for an acceptable upload, or ValidationError (Korean) on `file`."""
    try:
        return check_file(upload, extensions=Attachment.ALLOWED_EXTENSIONS, max_size=Attachment.MAX_SIZE)
    except ValidationError as error:
        raise ValidationError({"file": error}) from None
