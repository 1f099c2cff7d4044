"""Counts that could point at a person: under SMALL_COUNT they are hidden from the steering
committee, and small groups are merged so that a hidden count cannot be found back.

Used by the steering committee's home page and by the reporting pages and documents.
"""

from collections.abc import Iterable

from plie.core.collation import french_sort_key

SMALL_COUNT = 5  # under this, a count could point at a person: the steering viewer sees "< 5"


def with_others(
    counts: Iterable[tuple[str, int]], others: str, *, suppress: bool, keep: int | None = None
) -> list[tuple[str, int]]:
    """The groups by decreasing count, the smallest merged into one « others » line.

    Beyond `keep` groups, the rest is merged. When small counts are hidden (`suppress`),
    every group under 5 is merged too, and while the merged line is itself under 5 the
    smallest shown group joins it: a hidden count can then never be found back by
    subtracting the shown ones from a published total."""
    shown = sorted(
        ((label, count) for label, count in counts if count),
        key=lambda item: (-item[1], french_sort_key(item[0])),
    )
    merged: list[tuple[str, int]] = []
    if suppress:
        merged = [item for item in shown if item[1] < SMALL_COUNT]
        shown = [item for item in shown if item[1] >= SMALL_COUNT]
        while shown and 0 < sum(count for _, count in merged) < SMALL_COUNT:
            merged.append(shown.pop())
    if keep is not None and len(shown) > keep:
        merged += shown[keep:]
        shown = shown[:keep]
    if len(merged) == 1:  # nothing to merge it with: it keeps its name (and its « < 5 »)
        shown += merged
    elif merged:
        shown.append((f"{others} ({len(merged)})", sum(count for _, count in merged)))
    return shown
