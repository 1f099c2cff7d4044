"""Showing figures: percentages the French way, small counts hidden where they must be."""

from django import template
from django.utils.formats import number_format

from plie.core import plurals

register = template.Library()


@register.filter
def counted(count: int, noun: str) -> str:
    """{{ items|length|counted:"un dossier" }} → « aucun dossier », « 1 dossier », « 2 dossiers »."""
    return plurals.counted(count, noun)


@register.filter
def noun_for(count: int, noun: str) -> str:
    """{{ n|noun_for:"une sortie" }} → « sortie » for 0 or 1, « sorties » from 2: for a figure
    written apart (in bold, or hidden when small)."""
    return plurals.noun_for(count, noun)


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
