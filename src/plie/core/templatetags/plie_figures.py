"""Showing figures: percentages the French way, small counts hidden where they must be;
dates through `core.formatting`, as a PDF, a file and a command write them."""

import datetime

from django import template
from django.utils import timezone
from django.utils.formats import number_format

from plie.core import formatting

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


def _local(value):
    """An aware datetime in the local time zone, as Django's own `date` filter shows it."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def day(value) -> str:
    """31/12/2026 (a datetime: its local day); nothing → ""."""
    if value in (None, ""):
        return ""
    value = _local(value)
    return formatting.day(value.date() if isinstance(value, datetime.datetime) else value)


@register.filter
def moment(value) -> str:
    """« 31/12/2026 à 14:30 » in local time; nothing → ""."""
    return "" if value in (None, "") else formatting.moment(_local(value))
