"""The journal: who created, changed or opened which record, and when — for the coordinator."""

from auditlog.models import LogEntry
from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import render

from plie.accounts.models import User
from plie.audit.journal import describe_changes, subject
from plie.core.collation import by_last_name
from plie.core.forms import order_choices_in_french
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        order_choices_in_french(self.fields["actor"], key=by_last_name)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("since", "La date de début doit précéder la date de fin.")
        return data

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"aria-invalid": "true", "aria-describedby": f"{self[name].auto_id}-erreur"}
                )


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
    elif form.is_bound:
        entries = entries.none()  # the filters are wrong: better nothing than everything
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    changes = describe_changes(page.object_list, reader_role=request.user.role)
    for entry in page.object_list:
        refused = bool((entry.additional_data or {}).get("refused"))
        entry.label = "Accès refusé" if refused else ACTION_LABELS.get(str(entry.action), "")
        entry.refused = refused
        entry.subject = subject(entry)
        entry.change_rows = changes[entry.pk]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/journal.html", {"form": form, "page": page, "query": query.urlencode()}
    )
