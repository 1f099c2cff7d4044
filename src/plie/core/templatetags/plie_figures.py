"""Showing figures: percentages the French way, small counts hidden where they must be."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """0.553 → "55 %" (with a non-breaking space); nothing to divide → "—"."""
    if share is None:
        return "—"
    return f"{number_format(round(share * 100))}\u00a0%"


@register.simple_tag
def count_or_small(count: int, suppress: bool, threshold: int = 5) -> str:
    if suppress and 0 < count < threshold:
        return f"moins de {threshold}"
    return number_format(count, force_grouping=True)
