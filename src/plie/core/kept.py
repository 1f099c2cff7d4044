"""Results kept in the cache with the time they were computed, for the pages of the whole PLIE
that take more than a moment at scale (the dashboard's charts, the morning lists): a kept
result is served as it is for a quarter of an hour; older, it is still served, with its
time, while the background worker computes it again (stale-while-revalidate); never kept,
or gone after a day, it is computed for the page that asks. Only the first reader after a
restart waits for it.
"""

import dataclasses
import datetime
from collections.abc import Callable
from typing import Generic, TypeVar

from django.core.cache import cache
from django.utils import timezone

FRESH_FOR = datetime.timedelta(minutes=15)  # then recomputed in the background
KEPT_FOR = datetime.timedelta(days=1)  # served meanwhile, with the time it was computed
REFRESH_LOCK_SECONDS = 300  # one background refresh at a time per kept result

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class Kept(Generic[T]):
    value: T
    computed_at: datetime.datetime | None  # None: computed for this page, just now

    @property
    def refreshing(self) -> bool:
        """Older than `FRESH_FOR`: served while the worker computes it again (the page says
        to reload it in a moment)."""
        return self.computed_at is not None and timezone.now() - self.computed_at >= FRESH_FOR

    @classmethod
    def now(cls, value: T) -> "Kept[T]":
        """A result computed on the spot, not kept (a référent's own, always up to date)."""
        return cls(value, None)


def store(key: str, compute: Callable[[], T]) -> Kept[T]:
    """Compute now and keep the result, with the time, for the next pages."""
    computed = Kept(compute(), timezone.now())
    cache.set(key, computed, KEPT_FOR.total_seconds())
    return computed


def kept(key: str, compute: Callable[[], T], refresh: Callable[[], object]) -> Kept[T]:
    """The result kept under `key` if it is fresh; kept but older, it is returned while
    `refresh` (which enqueues the worker's task calling `store`) runs once; never kept, it
    is computed now."""
    found = cache.get(key)
    if found is None:
        return store(key, compute)
    if found.refreshing and cache.add(f"{key}:refresh", True, REFRESH_LOCK_SECONDS):
        refresh()
    return found
