"""Amounts of money as the agreement pages write them: « 12 000,00 € »."""

from django import template

from plie.core import formatting

register = template.Library()


@register.filter
def euros(value) -> str:
    if value is None or value == "":
        return ""
    return f"{formatting.number(value, 2)} €"
