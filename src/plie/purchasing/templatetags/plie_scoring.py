"""Money and scores written the French way in the judgement's pages and letters."""

from django import template

from plie.core import formatting

register = template.Library()


@register.filter
def euros(value) -> str:
    """30000 → « 30 000,00 € » ; nothing → « — »."""
    return formatting.EUROS.text(value)


@register.filter
def hundredths(value) -> str:
    """A score to the hundredth: 28 → « 28,00 »."""
    return formatting.NOT_COMPUTABLE if value is None else formatting.number(value, 2)
