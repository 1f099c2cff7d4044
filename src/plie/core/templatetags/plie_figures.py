"""Figures and dates in templates, through `core.formatting` and `core.suppression` only:
a page writes a number, a share or a date the way a PDF, a file and a command write it."""

import datetime

from django import template
from django.utils import timezone

from plie.core import formatting, plurals
from plie.core.suppression import Hidden, legend

register = template.Library()


def _local(value):
    """An aware datetime in the local time zone, as Django's own `date` filter shows it."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def counted(count: int, noun: str) -> str:
    """{{ items|length|counted:"un dossier" }} → « aucun dossier », « 1 dossier », « 2 dossiers »."""
    return plurals.counted(count, noun)


@register.filter
def of(name) -> str:
    """{{ proposal.provider|of }} → « d'Organisme A », « de Lumière »."""
    return plurals.of(name)


@register.filter
def noun_for(count: int, noun: str) -> str:
    """{{ n|noun_for:"une sortie" }} → « sortie » for 0 or 1, « sorties » from 2: for a figure
    written apart (in bold, or hidden when small)."""
    return plurals.noun_for(count, noun)


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


@register.filter
def count(value) -> str:
    """A count (1 204) or the mark of a hidden one (« < 5 », « masqué »)."""
    if isinstance(value, Hidden):
        return str(value)
    return formatting.count(value)


@register.filter
def percent(share) -> str:
    """0.553 → "55 %"; nothing to divide → "—"."""
    return formatting.percent(share)


@register.filter
def months(value) -> str:
    """15.74 → "15,7 mois"; nothing → "—"."""
    return formatting.months(value)


@register.filter
def days(value) -> str:
    """12.4 → "12 jours"; nothing → "—"."""
    return formatting.DAYS.text(value)


@register.simple_tag
def small_counts_legend(*marks: str) -> str:
    """What « < 5 », « masqué » and « — » mean (or only the `marks` named: "small",
    "masked", "withheld"), in the same words on every page and PDF."""
    return legend(*marks)
