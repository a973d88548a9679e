"""Starting, checking, confirming and writing an import (SPEC §15.5). The API, the page and
`manage.py import_records` all go through here; the audit has one event per import with its counts.

Owner: part B (issue 21). The signatures are the contract the API and page rely on."""

from imports.models import ImportRun


def import_start(actor, *, upload, kind: str) -> ImportRun:
    """Store the file privately, create the run (status checking) and queue the dry run (tasks.check_import).
    A bad kind or a whole-file problem that shows at once (empty, too large) →
    ValidationError, nothing kept."""
    raise NotImplementedError


def import_check(run: ImportRun) -> ImportRun:
    """The dry run, in the worker: rows, valid, errors, progress; status checked, or failed with `failure`."""
    raise NotImplementedError


def import_confirm(actor, run: ImportRun) -> ImportRun:
    """Staff confirm a checked run: status importing, and the write is queued (tasks.write_import).
    Anything but checked → Conflict."""
    raise NotImplementedError


def import_write(run: ImportRun) -> ImportRun:
    """Write the valid rows, idempotent on the natural key; created/updated/unchanged; status done."""
    raise NotImplementedError


def template_file(kind: str, fmt: str) -> tuple[bytes, str, str]:
    """An empty template with the kind's headers (and one example row): (content, filename, content type);
    fmt "xlsx" or "csv"."""
    raise NotImplementedError
