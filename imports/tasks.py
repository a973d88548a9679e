from celery import shared_task


@shared_task(name="imports.check_import")
def check_import(run_id: int) -> None:
    """The dry run of an import (services.import_check)."""
    raise NotImplementedError


@shared_task(name="imports.write_import")
def write_import(run_id: int) -> None:
    """Writing a confirmed import (services.import_write)."""
    raise NotImplementedError
