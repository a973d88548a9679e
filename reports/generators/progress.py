"""Progress of a report being made: 0–99 while it runs (100 is set when its file is in place)."""

import time
from collections.abc import Callable, Iterable, Iterator


class Progress:
    """Hands `store` the percentage at most every ~2 % or 1 s, never going back."""

    def __init__(self, store: Callable[[int], object], *, clock: Callable[[], float] = time.monotonic):
        self.store = store
        self.clock = clock
        self.last = 0
        self.last_at = clock()

    def __call__(self, percent: float) -> None:
        percent = max(0, min(99, int(percent)))
        if percent <= self.last:
            return
        now = self.clock()
        if percent - self.last >= 2 or now - self.last_at >= 1:
            self.store(percent)
            self.last, self.last_at = percent, now


def ticking(
    items: Iterable, *, total: int, progress: Callable[[float], None], start: float, end: float
) -> Iterator:
    """The items as they come, moving progress from `start` to `end` % on the way."""
    span = end - start
    for done, item in enumerate(items, start=1):
        yield item
        progress(start + span * min(done, total) / total if total else end)
