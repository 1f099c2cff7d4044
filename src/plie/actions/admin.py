from django import forms
from django.contrib import admin

from plie.actions.enums import QuestionKind
from plie.actions.models import Survey, SurveyQuestion
from plie.core.administration import KeepReferencedAdmin
from plie.core.forms import SiteFormMixin


class SurveyQuestionForm(SiteFormMixin, forms.ModelForm):
    class Meta:
        model = SurveyQuestion
        fields = ["order", "code", "text", "kind", "options", "required"]

    def clean(self):
        data = super().clean()
        kind, options = data.get("kind"), data.get("options") or []
        if not isinstance(options, list) or not all(isinstance(o, str) for o in options):
            self.add_error("options", 'Écrivez une liste de textes, par exemple ["Oui", "Non"].')
        elif kind == QuestionKind.SCALE and options and len(options) != 4:
            self.add_error("options", "Une échelle a 4 libellés, de 1 à 4 (ou aucun).")
        elif kind == QuestionKind.CHOICE and len(options) < 2:
            self.add_error("options", "Proposez au moins 2 réponses.")
        return data


class SurveyQuestionInline(admin.TabularInline):
    model = SurveyQuestion
    form = SurveyQuestionForm
    extra = 0


@admin.register(Survey)
class SurveyAdmin(KeepReferencedAdmin):
    """The satisfaction surveys: the default one (no action) and the versions for an action.
    A question already answered keeps its row (its answers hold it): change its words with
    care, or add a new question."""

    list_display = ["title", "action"]
    inlines = [SurveyQuestionInline]
    autocomplete_fields: list[str] = []
