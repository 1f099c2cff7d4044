"""The journal: who created, changed or opened which record, and when — for the coordinator."""

from auditlog.models import LogEntry
from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render

from plie.accounts.models import User
from plie.participants.models import Participant

ACTION_CHOICES = [
    ("", "Toutes"),
    (str(LogEntry.Action.CREATE), "Création"),
    (str(LogEntry.Action.UPDATE), "Modification"),
    (str(LogEntry.Action.DELETE), "Suppression"),
    (str(LogEntry.Action.ACCESS), "Consultation"),
    ("refused", "Accès refusé"),
]


class JournalFilterForm(forms.Form):
    actor = forms.ModelChoiceField(
        label="Utilisateur",
        queryset=User.objects.order_by("last_name"),
        required=False,
        empty_label="Tous",
    )
    file_number = forms.CharField(label="N° de dossier", max_length=20, required=False)
    action = forms.ChoiceField(label="Action", choices=ACTION_CHOICES, required=False)
    since = forms.DateField(
        label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _shown(value) -> str:
    return "∅" if value in (None, "None", "") else str(value)


ACTION_LABELS = {value: label for value, label in ACTION_CHOICES if value}


@login_required
@permission_required("audit.view_journal", raise_exception=True)
def journal(request):
    form = JournalFilterForm(request.GET or None)
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor=data["actor"])
        if data["file_number"]:
            ids = list(
                Participant.objects.filter(
                    file_number__iexact=data["file_number"].strip()
                ).values_list("pk", flat=True)
            )
            entries = entries.filter(additional_data__participant_id__in=ids)
        if data["action"] == "refused":
            entries = entries.filter(additional_data__has_key="refused")
        elif data["action"]:
            entries = entries.filter(action=int(data["action"]))
            if int(data["action"]) == LogEntry.Action.ACCESS:
                entries = entries.exclude(additional_data__has_key="refused")
        if data["since"]:
            entries = entries.filter(timestamp__date__gte=data["since"])
        if data["until"]:
            entries = entries.filter(timestamp__date__lte=data["until"])
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    for entry in page.object_list:
        refused = bool((entry.additional_data or {}).get("refused"))
        entry.label = "Accès refusé" if refused else ACTION_LABELS.get(str(entry.action), "")
        entry.refused = refused
        model = entry.content_type.model_class()
        entry.kind = str(model._meta.verbose_name).capitalize() if model else ""
        entry.change_rows = [
            (field, _shown(values[0]), _shown(values[1]))
            for field, values in (entry.changes_display_dict or {}).items()
            if isinstance(values, (list, tuple)) and len(values) == 2
        ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/journal.html", {"form": form, "page": page, "query": query.urlencode()}
    )
