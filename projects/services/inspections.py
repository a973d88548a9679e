"""The completion inspection (완료점검, SPEC §17)."""


def application_transition(*, application, action: str, previous: str, actor) -> None:
    """The `application_transition` extension point: refusals that depend on the inspection."""
