"""A Celery worker that stops where a worker test wants to SIGKILL it; test code only.

    python -m tests.slow_worker [POINT=SECONDS ...] -- CELERY ARGUMENTS

Each POINT (a key of PAUSES) wraps one step of the production code with a sleep in this process,
then Celery's own main runs the worker as `python -m celery` would. The production modules know
nothing of it. A point that no longer wraps the step it names leaves the worker fast, and the test
that relies on it fails: it never catches the worker at that point.
"""

import os
import sys
import time
from collections.abc import Callable


def _pause_each_report_tick(seconds: float) -> None:
    """Every progress tick of a report generator first sleeps: a report takes long enough to be
    killed in its middle (reports/tests/test_report_worker.py)."""
    from reports.generators.progress import Progress

    tick = Progress.__call__

    def slow_tick(self, percent: float) -> None:
        time.sleep(seconds)
        tick(self, percent)

    Progress.__call__ = slow_tick  # type: ignore[method-assign]


def _pause_inside_the_cost_share_transaction(seconds: float) -> None:
    """The split is computed, its row written and the application locked; the transaction has not
    committed yet (funds/tests/test_cost_share_worker.py)."""
    import funds.tasks

    compute = funds.tasks.cost_share_compute

    def slow_compute(**kwargs):
        share = compute(**kwargs)
        time.sleep(seconds)
        return share

    funds.tasks.cost_share_compute = slow_compute


def _pause_after_the_cost_share_commit(seconds: float) -> None:
    """The task has returned (its transaction committed) but the worker has neither logged it as
    succeeded nor acknowledged the message: Celery sends task_success in between."""
    from celery.signals import task_success

    def hold(sender=None, **_kwargs) -> None:
        if sender is not None and sender.name == "funds.compute_cost_share":
            time.sleep(seconds)

    task_success.connect(hold, weak=False)


PAUSES: dict[str, Callable[[float], None]] = {
    "report_tick": _pause_each_report_tick,
    "cost_share_inside": _pause_inside_the_cost_share_transaction,
    "cost_share_after": _pause_after_the_cost_share_commit,
}


def command(pauses: dict[str, float], celery_args: list[str]) -> list[str]:
    """The arguments after `python`, for a worker slowed at `pauses`."""
    unknown = set(pauses) - set(PAUSES)
    if unknown:
        raise ValueError(f"no such pause point: {sorted(unknown)}")
    return ["-m", "tests.slow_worker", *(f"{p}={s}" for p, s in pauses.items()), "--", *celery_args]


def main(argv: list[str]) -> None:
    split = argv.index("--")
    pauses = dict(arg.split("=", 1) for arg in argv[:split])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    for point, seconds in pauses.items():
        PAUSES[point](float(seconds))
    from celery.__main__ import main as celery_main

    sys.argv = ["celery", *argv[split + 1 :]]
    celery_main()


if __name__ == "__main__":
    main(sys.argv[1:])
