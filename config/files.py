"""Serve a stored file to a request that is already allowed to have it.

Every download (an application's document, a report) checks access in its own view, then ends
here. Files are private wherever they are stored (settings: "Files"): on local disk, or in an object
store whose bucket is never public. So the file is either streamed through the app, or, with
STORAGE_SIGNED_URLS on an object store, handed out as a redirect to a signed URL that expires after
STORAGE_URL_EXPIRY seconds: the browser fetches the bytes from the store without a web node
carrying them, and the link is useless to anyone it is passed on to a minute later.

A preview (`inline`: the staff application page shows a PDF in a frame, an image in the page) is
answered `Content-Disposition: inline` only for the types a browser shows without running anything
of the file's (PDF, PNG, JPEG; uploads are checked by their bytes, applicants/uploads.py); any other
type is still an attachment. A preview is always streamed through the app: a signed URL's host is
another origin, which the page's CSP does not let it frame. Only that response may be framed, and
only by the app's own pages; every other response keeps the site-wide `frame-ancestors 'none'`.
"""

from typing import Any, cast

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header

# What a browser may show inline: documents and pictures with no script of their own.
PREVIEWABLE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})


def is_previewable(content_type: str) -> bool:
    return content_type in PREVIEWABLE_TYPES


def stored_file_response(
    name: str | None, *, filename: str, content_type: str, inline: bool = False
) -> HttpResponseBase:
    """The stored file `name` as an attachment saved as `filename`; 404 when it is not stored.
    With `inline`, a previewable type is answered to be shown in the app's own frame."""
    if not name:
        raise Http404
    inline = inline and is_previewable(content_type)
    response: HttpResponseBase
    if settings.STORAGE_BUCKET and settings.STORAGE_SIGNED_URLS and not inline:
        response = _signed_redirect(name, filename=filename, content_type=content_type)
    else:
        try:
            handle = default_storage.open(name, "rb")
        except FileNotFoundError as missing:
            raise Http404 from missing
        response = FileResponse(
            handle, as_attachment=not inline, filename=filename, content_type=content_type
        )
    if inline:
        _frameable_by_own_pages(response)
    response["X-Content-Type-Options"] = "nosniff"
    # A download (or its signed address) is for this user only: no shared cache keeps it.
    response["Cache-Control"] = "private, no-store"
    return response


def _signed_redirect(name: str, *, filename: str, content_type: str) -> HttpResponseRedirect:
    if not default_storage.exists(name):
        raise Http404
    # With STORAGE_BUCKET the storage is django-storages' S3Storage, whose url() signs with these.
    url = cast(Any, default_storage).url(
        name,
        # The store answers with the name and type the app would have given (never inline).
        parameters={
            "ResponseContentDisposition": content_disposition_header(True, filename),
            "ResponseContentType": content_type,
        },
        expire=settings.STORAGE_URL_EXPIRY,
    )
    return HttpResponseRedirect(url)


def _frameable_by_own_pages(response: HttpResponseBase) -> None:
    """What django-csp's `csp_replace` and Django's `xframe_options_sameorigin` decorators do, for
    this one response rather than for every answer of the view. `object-src 'self'`: Chromium shows
    a PDF through its viewer plugin, which the site-wide `object-src 'none'` would refuse."""
    response._csp_replace = {"frame-ancestors": ["'self'"], "object-src": ["'self'"]}  # type: ignore[attr-defined]
    response["X-Frame-Options"] = "SAMEORIGIN"
