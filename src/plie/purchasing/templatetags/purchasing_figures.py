"""Amounts of the purchasing pages and documents, written as core.formatting writes them."""

from django import template

from plie.core import formatting

register = template.Library()


@register.filter
def euros(value) -> str:
    """40000 → « 40 000,00 € » ; nothing → « — »."""
    return formatting.EUROS.text(value)


@register.filter
def file_size(size: int) -> str:
    """A document's size: « 12 Ko », « 1,4 Mo »."""
    if size < 1024 * 1024:
        return f"{formatting.number(max(1, round(size / 1024)))}\u00a0Ko"
    return f"{formatting.number(size / (1024 * 1024), 1)}\u00a0Mo"


@register.filter
def document_kind(content_type: str) -> str:
    """« PDF », « Word »… as core.uploads names the type read from the content."""
    from plie.core.uploads import ACCEPTED

    found = ACCEPTED.get(content_type)
    return found.label if found else "document"
