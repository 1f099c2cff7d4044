"""The languages of a protocol's rules, declared by the apps that interpret them.

A protocol carries its entry rule and its positive-exit rules as data; the eligibility
engine (participants) and the positive-exit engine (pathways) know their grammar. Each
declares here, when its app is ready, how a rule of its kind is checked, so that the
protocol, at the bottom of the layers, validates its rules without importing the engines.
"""

from collections.abc import Callable

from django.core.exceptions import ValidationError

# Field name on Protocol -> a function that raises ValidationError(message) on a bad rule.
_RULE_CHECKS: dict[str, Callable[[object], None]] = {}


def declare_rule_check(field: str, check: Callable[[object], None]) -> None:
    """Called from an app's `ready()`: `check(value)` raises ValidationError when wrong."""
    _RULE_CHECKS[field] = check


def check_rules(protocol) -> None:
    """Every declared check of the protocol's rules, the errors gathered by field."""
    errors: dict[str, list[str]] = {}
    for field, check in _RULE_CHECKS.items():
        try:
            check(getattr(protocol, field))
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.messages)
    if errors:
        raise ValidationError(errors)
