"""Amounts in euros as the programme's pages write them: « 1 500 000,00 € »."""

from django import template

from plie.programme.funding import euros as write_euros

register = template.Library()


@register.filter
def euros(value) -> str:
    """An amount in euros; nothing (no operation yet) reads « 0,00 € »."""
    return write_euros(value or 0)
