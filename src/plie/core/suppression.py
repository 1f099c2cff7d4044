"""The small-count rule: what an aggregated figure may show to readers who must not be able
to point at a person (the steering committee, and every document made for it).

Primary suppression: a count from 1 to 4 is hidden and reads « < 5 »; 0 is shown (it points
at nobody). A share is not given when its part, its whole or their difference is from 1 to
4, nor an average over 1 to 4 people or pathways: « 18 % of 11 » says « 2 » as plainly as
the count would.

Secondary suppression, for counts that add up to a total shown elsewhere (entries per month
and the year's entries, a cohort's situations and its size): a hidden count must never be
found back by subtraction. The counts are audited as a reader would: with the total, the
shown counts and what each mark says (« < 5 »: from 1 to 4), can one hidden count take only
one value? If so, the smallest shown counts are hidden too, one at a time, and every hidden
count of the group then reads « masqué », which says nothing of its size. Groups of a
breakdown (communes, conditions) are merged rather than masked (`SmallCounts.groups`).

Every page, PDF and file that shows aggregates reads this module: the same count is hidden
the same way everywhere. Definitions and examples: docs/indicators.md, « Petits effectifs ».
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from plie.core.collation import french_sort_key

SMALL_COUNT = 5  # under this, a count could point at a person


@dataclasses.dataclass(frozen=True)
class Hidden:
    """A count not shown, and what stands in its place."""

    label: str

    def __str__(self) -> str:
        return self.label


SMALL = Hidden(f"< {SMALL_COUNT}")  # from 1 to 4
MASKED = Hidden("masqué")  # any size: hidden so that no count of its group can be found back
Shown = int | Hidden

# What each mark means, in the same words on every page and document (a page names the
# marks it can show: `legend("small", "withheld")`).
MEANINGS = {
    "small": f"« {SMALL} » : de 1 à {SMALL_COUNT - 1} personnes ou parcours, nombre masqué.",
    "masked": f"« {MASKED} » : nombre masqué avec d'autres du même tableau, pour qu'aucun ne "
    "se retrouve par différence avec le total.",
    "withheld": "« — » : non calculable, ou non donné parce qu'il laisserait deviner un "
    f"nombre de 1 à {SMALL_COUNT - 1}.",
}


def legend(*marks: str) -> str:
    """The meaning of the marks a page can show (all of them by default)."""
    return " ".join(MEANINGS[mark] for mark in marks or MEANINGS)


def is_small(count: int) -> bool:
    return 0 < count < SMALL_COUNT


def _found_back(hidden: list[int], bounds: tuple[int, int]) -> bool:
    """Whether a reader who knows the hidden counts' sum and that each lies within `bounds`
    can tell one of them exactly."""
    if not hidden:
        return False
    low, high = bounds
    total, others = sum(hidden), len(hidden) - 1
    least = max(low, total - others * high)
    most = min(high, total - others * low)
    return least >= most


@dataclasses.dataclass(frozen=True)
class SmallCounts:
    """The rule for one audience: `hides` small counts (steering committee) or not."""

    hides: bool

    def count(self, count: int) -> Shown:
        return SMALL if self.hides and is_small(count) else count

    def share(self, part: int, whole: int) -> bool:
        """Whether the share part ÷ whole may be given."""
        return not self.hides or not any(is_small(n) for n in (part, whole, whole - part))

    def average(self, over: int) -> bool:
        """Whether an average (or a sum of durations) over `over` people may be given."""
        return not self.hides or not is_small(over)

    def parts(self, counts: Sequence[int]) -> list[Shown]:
        """Counts that add up to a total shown elsewhere, hidden so that none is found back."""
        shown: list[Shown] = [self.count(count) for count in counts]
        if not self.hides:
            return shown
        hidden = [count for count, mark in zip(counts, shown, strict=True) if mark == SMALL]
        if not _found_back(hidden, (1, SMALL_COUNT - 1)):
            return shown
        while True:
            visible = [(count, i) for i, count in enumerate(counts) if shown[i] == count and count]
            # Every hidden count reads « masqué »: from 1 up to the smallest count still shown.
            ceiling = min(visible)[0] if visible else sum(counts)
            hidden = [count for count, mark in zip(counts, shown, strict=True) if mark != count]
            if not visible or not _found_back(hidden, (1, ceiling)):
                break
            shown[min(visible)[1]] = MASKED
        if len(hidden) > 1 or visible:
            shown = [MASKED if isinstance(mark, Hidden) else mark for mark in shown]
        return shown

    def groups(
        self, counts: Iterable[tuple[str, int]], others: str, *, keep: int | None = None
    ) -> list[tuple[str, Shown]]:
        """The groups of a breakdown by decreasing count, the smallest merged into one
        « others (n) » line, and each count as shown.

        Beyond `keep` groups, the rest is merged. When small counts are hidden, every group
        under 5 is merged too, and while the merged line is itself under 5, or its groups
        could be told one by one (two groups of 4 make 8: a reader who knows the list of
        communes knows which two), the smallest shown group joins it: no hidden count can be
        found back by subtracting the shown ones from a published total."""
        shown = sorted(
            ((label, count) for label, count in counts if count),
            key=lambda item: (-item[1], french_sort_key(item[0])),
        )
        merged: list[tuple[str, int]] = []
        if self.hides:
            merged = [item for item in shown if is_small(item[1])]
            shown = [item for item in shown if not is_small(item[1])]
            only_small = True
            while shown and (
                is_small(sum(count for _, count in merged))
                or _found_back(
                    [count for _, count in merged],
                    (1, SMALL_COUNT - 1 if only_small else shown[-1][1]),
                )
            ):
                merged.append(shown.pop())
                only_small = False
        if keep is not None and len(shown) > keep:
            merged += shown[keep:]
            shown = shown[:keep]
        if len(merged) == 1:  # nothing to merge it with: it keeps its name
            shown += merged
        elif merged:
            shown.append((f"{others} ({len(merged)})", sum(count for _, count in merged)))
        return [(label, self.count(count)) for label, count in shown]


SHOW_ALL = SmallCounts(hides=False)
HIDE_SMALL = SmallCounts(hides=True)
