from applicants.models import Application


def application_get(*, application_id: int) -> Application | None:
    return Application.objects.select_related("program", "company").filter(pk=application_id).first()


def application_lock(*, application_id: int) -> Application:
    """The application row, locked until the end of the current transaction."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("program", "company")
        .get(pk=application_id)
    )
