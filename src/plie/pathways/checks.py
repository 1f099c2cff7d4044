"""How a protocol's positive-exit rules are checked: the engine's grammar, and step types
that exist in the catalogue (declared to programme.checks when the app is ready)."""

from django.core.exceptions import ValidationError

from plie.pathways.models import StepType
from plie.pathways.positive_exit import RuleError, validate_rules


def check_exit_rules(rules) -> None:
    try:
        validate_rules(rules, known_step_types=set(StepType.objects.values_list("code", flat=True)))
    except RuleError as error:
        raise ValidationError(str(error)) from error
