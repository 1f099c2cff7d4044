"""The personal-data register in templates: whether a page shows a field.

    {% load personal_data %}
    {% if show_sensitive|shows:"participants.Referral.reason" %}…{% endif %}

is true when the page shows sensitive data, or when the register does not call the field
sensitive; a field the register does not know is an error, not a guess.
"""

from django import template

from plie.core.register import shown

register = template.Library()


@register.filter
def shows(show_sensitive: bool, key: str) -> bool:
    return shown(key, bool(show_sensitive))
