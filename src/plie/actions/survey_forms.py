"""Survey forms: the provider's « open the survey » (a closing day, not in the past), and the
participant's answers — one field per question of the survey, large radio buttons."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from plie.actions.enums import QuestionKind
from plie.core import formatting
from plie.core.forms import FocusFirstErrorMixin, SiteFormMixin, date_input


class OpenSurveyForm(SiteFormMixin, FocusFirstErrorMixin, forms.Form):
    closes_on = forms.DateField(
        label="Les liens marchent jusqu'au",
        widget=date_input(),
        help_text="Ce jour compris. Par défaut, 14 jours après la fin du groupe.",
    )

    def clean_closes_on(self):
        closes_on = self.cleaned_data["closes_on"]
        if closes_on < timezone.localdate():
            raise forms.ValidationError(
                "Cette date est passée : choisissez aujourd'hui ou un jour après "
                f"(aujourd'hui : {formatting.day(timezone.localdate())})."
            )
        return closes_on


class CloseSurveyForm(SiteFormMixin, forms.Form):
    """Nothing to fill: the button alone, with its CSRF token."""


def field_name(question) -> str:
    return f"q{question.pk}"


class AnswerForm(SiteFormMixin, FocusFirstErrorMixin, forms.Form):
    """The survey's questions, in their order: a scale or a choice as radio buttons, a free
    text as a text area."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for number, question in enumerate(self.questions, start=1):
            label = f"{number}. {question.text}"
            required_message = {"required": "Choisissez une réponse."}
            if question.kind == QuestionKind.TEXT:
                field: forms.Field = forms.CharField(
                    label=label,
                    required=question.required,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 4}),
                    error_messages={
                        "required": "Écrivez une réponse.",
                        "max_length": "Votre texte est trop long. Écrivez moins de 2 000 signes.",
                    },
                )
            else:
                labels = question.labels()
                values = (
                    [str(step) for step in range(1, 5)]
                    if question.kind == QuestionKind.SCALE
                    else labels
                )
                field = forms.ChoiceField(
                    label=label,
                    required=question.required,
                    choices=list(zip(values, labels, strict=True)),
                    widget=forms.RadioSelect,
                    error_messages={
                        **required_message,
                        "invalid_choice": "Choisissez une des réponses proposées.",
                    },
                )
            field.question = question  # type: ignore[attr-defined]
            self.fields[field_name(question)] = field

    def values(self) -> dict[int, object]:
        """Question id → the answer given (empty when none)."""
        return {q.pk: self.cleaned_data.get(field_name(q)) for q in self.questions}
