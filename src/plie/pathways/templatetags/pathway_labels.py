"""Labels of a participant's record that depend on who reads them."""

from django import template

from plie.pathways.entry_summary import exit_reason_label

register = template.Library()


@register.filter
def exit_reason(record, show_sensitive: bool) -> str:
    return exit_reason_label(record, show_sensitive=show_sensitive)
