"""What `submit_completion` needs from outcomes (SPEC §17): a result for every KPI target."""


def application_transition(*, application, action: str, previous: str, actor) -> None:
    """The `application_transition` extension point."""
