"""What every form of the site shares."""

import datetime
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator

from plie.core.collation import french_sort_key
from plie.core.register import sensitive_fields

LONGEST_PERIOD_MONTHS = 60


def date_input() -> forms.DateInput:
    """The browser's date picker; the value goes in and out as 2026-12-31."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _FrenchOrderedChoices(ModelChoiceIterator):
    """The field's choices in French alphabetical order of their labels (or of the field's
    `french_order_key`), the empty choice first."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        key = getattr(self.field, "french_order_key", None) or self.field.label_from_instance
        for instance in sorted(self.queryset, key=lambda instance: french_sort_key(key(instance))):
            yield self.choice(instance)


def order_choices_in_french(field: forms.ModelChoiceField, key: Callable | None = None) -> None:
    """Lists a model choice field (communes, structures, référents…) in French order: accents
    ignored first, so that « Fénay » comes before « Fontaine » on every database."""
    field.french_order_key = key
    field.iterator = _FrenchOrderedChoices
    field.widget.choices = field.choices


def remove_sensitive_fields(form: forms.BaseForm, model: str, show_sensitive: bool) -> None:
    """Without `show_sensitive`, drop the form's fields that the personal-data register calls
    sensitive for `model` ("app_label.Model"): who may not read an answer is not asked it."""
    if show_sensitive:
        return
    for name in sensitive_fields(model) & set(form.fields):
        del form.fields[name]


class FocusFirstErrorMixin:
    """A refused form opens with the cursor on its first wrong field (keyboard and screen
    reader users land where they must act), without any script."""

    def add_error(self, field, error):
        super().add_error(field, error)
        first = next((name for name in self.fields if name in self._errors), None)
        for name, bound_field in self.fields.items():
            if name == first:
                bound_field.widget.attrs["autofocus"] = True
            else:
                bound_field.widget.attrs.pop("autofocus", None)


def clean_period(
    form: forms.Form,
    start: str,
    end: str,
    *,
    today: datetime.date,
    too_long: str,
) -> None:
    """The checks every period form makes: in order, not ending after today (a month to
    come would show today's figures as if they were known), five years at most."""
    date_from, date_to = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if not (date_from and date_to):
        return
    if date_to < date_from:
        raise forms.ValidationError(
            "La date de fin précède la date de début : inversez les deux dates."
        )
    if date_to > today:
        form.add_error(
            end, "La période finit après aujourd'hui : choisissez au plus tard la date du jour."
        )
    months = (date_to.year - date_from.year) * 12 + date_to.month - date_from.month
    if months >= LONGEST_PERIOD_MONTHS:
        raise forms.ValidationError(too_long)


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when it names one, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
