"""Progress of a report being made: 0–99 while it runs (100 is set when its file is in place)."""

import time
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings


class Progress:
    """Hands `store` the percentage at most every ~2 % or 1 s, never going back; and, while the
    percentage stands still, the same percentage again every `beat_every` seconds (the run's
    heartbeat: a run that stops calling is taken for dead, reports.runs)."""

    def __init__(
        self,
        store: Callable[[int], object],
        *,
        clock: Callable[[], float] = time.monotonic,
        beat_every: float | None = None,
    ):
        self.store = store
        self.clock = clock
        self.beat_every = settings.REPORT_HEARTBEAT_SECONDS if beat_every is None else beat_every
        self.last = 0
        self.last_at = clock()
        # Tests only: slows every tick so that a worker can be killed in the middle of a report.
        self.delay = float(getattr(settings, "REPORT_CHUNK_DELAY", 0) or 0)

    def __call__(self, percent: float) -> None:
        if self.delay:
            time.sleep(self.delay)
        percent = max(0, min(99, int(percent)))
        now = self.clock()
        moved = percent > self.last and (percent - self.last >= 2 or now - self.last_at >= 1)
        if moved or now - self.last_at >= self.beat_every:
            self.last, self.last_at = max(percent, self.last), now
            self.store(self.last)


def ticking(
    items: Iterable, *, total: int, progress: Callable[[float], None], start: float, end: float
) -> Iterator:
    """The items as they come, moving progress from `start` to `end` % on the way."""
    span = end - start
    for done, item in enumerate(items, start=1):
        yield item
        progress(start + span * min(done, total) / total if total else end)
