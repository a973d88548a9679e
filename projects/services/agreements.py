"""The agreement (협약, SPEC §16): drafted, sent, signed, countersigned."""


def application_transition(*, application, action: str, previous: str, actor) -> None:
    """The `application_transition` extension point: refusals that depend on the agreement."""
