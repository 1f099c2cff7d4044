"""What every form of the site shares."""

import datetime
import re
from collections.abc import Callable, Iterable

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.text import capfirst

from plie.core.collation import french_sort_key
from plie.core.dates import date_out_of_bounds
from plie.core.register import sensitive_fields
from plie.core.text import LONGEST_TEXT, VisibleTextValidator
from plie.core.versioning import STALE, Seen, StaleEdit, short, text_of, text_of_value

LONGEST_PERIOD_MONTHS = 60


def within_date_bounds(value: datetime.date | datetime.datetime) -> None:
    """The dates every form takes (core/dates.py): from 1900 to ten years ahead."""
    day = timezone.localtime(value).date() if isinstance(value, datetime.datetime) else value
    problem = date_out_of_bounds(day, timezone.localdate())
    if problem:
        raise ValidationError(problem, code="date_out_of_bounds")


# A space, a no-break space or a narrow no-break space between digits (French grouping).
DIGIT_GROUPING = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d)")


def guard_field(field: forms.Field) -> None:
    """Add to one form field the checks every form of the site makes (see SiteFormMixin);
    a field already guarded is left as it is."""
    if getattr(field, "site_guarded", False):
        return
    field.site_guarded = True  # type: ignore[attr-defined]
    if isinstance(field, forms.CharField):
        if isinstance(field.widget, forms.PasswordInput):
            return  # a password is never shown nor stored as typed
        field.validators.append(
            VisibleTextValidator(multiline=isinstance(field.widget, forms.Textarea))
        )
        if field.max_length is None and not isinstance(field.widget, forms.HiddenInput):
            field.max_length = LONGEST_TEXT
            field.validators.append(MaxLengthValidator(LONGEST_TEXT))
            field.widget.attrs.setdefault("maxlength", str(LONGEST_TEXT))
    elif isinstance(field, (forms.DateField, forms.DateTimeField)):
        field.validators.append(within_date_bounds)
    elif isinstance(field, forms.DecimalField):
        read = field.to_python
        # « 15 000,50 » as the pages write amounts: the spaces that group the thousands go.
        field.to_python = lambda value: read(  # type: ignore[method-assign]
            DIGIT_GROUPING.sub("", value) if isinstance(value, str) else value
        )


class SiteFormMixin:
    """What every form of the site checks, whatever its fields — the first base of every form
    class (tests/core/test_site_forms.py walks them all), and of the administration's:

    - a text refuses control, bidirectional and invisible characters (core/text.py); a long
      text (a textarea) keeps its line breaks, and takes at most LONGEST_TEXT characters
      when its field sets no smaller length;
    - a date or a date and hour lies between 1900 and ten years ahead (core/dates.py); each
      rule narrows this where the domain does (an appointment within a year…).

    The fields are guarded once built (so that the page shows the lengths) and again before
    validation, for those a form adds in its own `__init__` after this one.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._guard_fields()

    def _guard_fields(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            guard_field(field)

    def full_clean(self) -> None:
        self._guard_fields()
        super().full_clean()  # type: ignore[misc]


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


# Editing a saved record: the page's version (core/versioning.py) ---------------------------

VERSION_SALT = "plie.core.versioning"
PAGE_OUT_OF_DATE = (
    "Cette page ne dit pas sur quelle version de la fiche elle repose : rechargez-la, "
    "puis saisissez de nouveau vos modifications."
)


class EditsRecordMixin:
    """A form editing a saved record carries the version and the values its page showed.

    A model form watches its own model fields, as this user has them (the sensitive ones
    removed); another form names the record (`record=`) and the fields of it that its page
    shows (`watched_fields`). After validation, `seen` is what the services take. A refusal
    is shown by `refused(error)`: after a `StaleEdit`, the form stands on the current version,
    a field this user left as it was takes its current value, a field they changed keeps
    their input, and each change made meanwhile is listed (on the page / now).
    """

    watched_fields: Iterable[str] = ()
    record_field = "record_version"

    def __init__(self, *args, record: models.Model | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record if record is not None else getattr(self, "instance", None)
        self.seen: Seen | None = None
        self.edits = self.record is not None and self.record.pk is not None
        if self.edits:
            field = forms.CharField(widget=forms.HiddenInput, required=False)
            # Drawn with the page, once the form has dropped what this user may not see.
            field.initial = lambda: self.stamp(self.record)
            self.fields[self.record_field] = field

    def _model(self):
        return getattr(getattr(self, "_meta", None), "model", None)

    def _form_field(self, name: str) -> forms.Field | None:
        """The form's own field for a model field, in a model form (which shows it)."""
        return self.fields.get(name) if self._model() is not None else None

    def watched(self) -> list[str]:
        model = self._model()
        if model is None:
            return list(self.watched_fields)
        names = {f.name for f in model._meta.get_fields() if f.concrete or f.many_to_many}
        return [name for name in self.fields if name in names]

    def describe(self, record: models.Model) -> dict[str, str]:
        return {
            name: text_of(record, name, getattr(self._form_field(name), "queryset", None))
            for name in self.watched()
        }

    def labels(self) -> dict[str, str]:
        labels = {}
        for name in self.watched():
            field = self._form_field(name)
            label = field.label if field is not None and field.label else None
            labels[name] = str(label or capfirst(self.record._meta.get_field(name).verbose_name))
        return labels

    def stamp(self, record: models.Model) -> str:
        texts = self.describe(record)
        return signing.dumps({"v": record.version, "t": texts}, salt=VERSION_SALT, compress=True)

    def clean(self):
        data = super().clean()
        if not self.edits:
            return data
        try:
            sent = self.data.get(self.add_prefix(self.record_field), "")
            stamp = signing.loads(sent, salt=VERSION_SALT)
            self.seen = Seen(int(stamp["v"]), dict(stamp["t"]), self.labels(), self.describe)
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            self.add_error(None, PAGE_OUT_OF_DATE)
        data.pop(self.record_field, None)
        return data

    def refused(self, error: ValidationError) -> None:
        """Put a service's refusal on the form (see the class)."""
        if not isinstance(error, StaleEdit):
            apply_errors(self, error)
            return
        current = error.current
        self.data = self.data.copy()
        self.data[self.add_prefix(self.record_field)] = self.stamp(current)
        self.add_error(None, STALE)
        for change in error.changes:
            field = self._form_field(change.name)
            if field is None or change.name not in self.cleaned_data:
                self.add_error(None, str(change))
                continue
            shown = getattr(field, "queryset", None)
            typed = text_of_value(current, change.name, self.cleaned_data[change.name], shown)
            if typed == change.seen:
                self._take_current(change.name, current)
                self.add_error(None, f"{change} Valeur reprise dans le formulaire.")
            elif typed == change.now:
                self.add_error(None, str(change))
            else:
                self.add_error(
                    None, f"{change} Votre saisie, « {short(typed)} », est gardée : vérifiez-la."
                )

    def _take_current(self, name: str, current: models.Model) -> None:
        """The form's field `name` shows `current`'s value, as the page would draw it."""
        field, key = self.fields[name], self.add_prefix(name)
        if current._meta.get_field(name).many_to_many:
            shown = getattr(field, "queryset", None)
            rows = getattr(current, name).all()
            if shown is not None:
                rows = rows.filter(pk__in=shown.values("pk"))
            self.data.setlist(key, [str(row.pk) for row in rows])
            return
        value = getattr(current, name)
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                self.data[key] = "on"
            else:
                self.data.pop(key, None)
            return
        shown = field.widget.format_value(field.prepare_value(value))
        if isinstance(shown, list):
            shown = shown[0] if shown else ""
        self.data[key] = "" if shown is None else str(shown)
