"""How a protocol's entry rule is checked: the eligibility engine's grammar (declared to
programme.checks when the app is ready)."""

from django.core.exceptions import ValidationError

from plie.participants.eligibility import RuleError, validate_rule


def check_entry_rule(rule) -> None:
    try:
        validate_rule(rule)
    except RuleError as error:
        raise ValidationError(str(error)) from error
