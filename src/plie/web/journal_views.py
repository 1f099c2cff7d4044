"""The journal: who created, changed or opened which record, and when; which lists, files and
searches showed whom; failed logins, lockouts and changes to accounts — for the coordinator."""

from auditlog.models import LogEntry
from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render

from plie.accounts.models import User
from plie.audit.event_details import describe_event
from plie.audit.events import ACCOUNT_EVENTS, LOGIN_EVENTS, READ_EVENTS, Event, event_of
from plie.audit.journal import describe_changes, subject
from plie.audit.models import Shown
from plie.audit.reads import shown
from plie.core import queries
from plie.core.collation import by_last_name
from plie.core.forms import SiteFormMixin, order_choices_in_french
from plie.participants.models import Participant

ACTION_CHOICES = [
    ("", "Toutes"),
    (str(LogEntry.Action.CREATE), "Création"),
    (str(LogEntry.Action.UPDATE), "Modification"),
    (str(LogEntry.Action.DELETE), "Suppression"),
    (str(LogEntry.Action.ACCESS), "Consultation (dossier, liste, document)"),
    ("refused", "Accès refusé"),
    ("duplicates", "Recherche de doublon"),
    ("logins", "Connexion échouée ou compte bloqué"),
    ("accounts", "Comptes : rôles et mots de passe"),
]

# Each choice of the « Action » filter beyond create/update/delete: the events it keeps.
EVENT_FILTERS = {
    "refused": (Event.REFUSED,),
    "duplicates": (Event.DUPLICATE_CHECK,),
    "logins": LOGIN_EVENTS,
    "accounts": ACCOUNT_EVENTS,
}


class JournalFilterForm(SiteFormMixin, forms.Form):
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


ACTION_LABELS = {
    str(LogEntry.Action.CREATE): "Création",
    str(LogEntry.Action.UPDATE): "Modification",
    str(LogEntry.Action.DELETE): "Suppression",
    str(LogEntry.Action.ACCESS): "Consultation",
}


def _of_events(events) -> Q:
    query = Q(additional_data__event__in=[str(event) for event in events])
    if Event.REFUSED in events:  # entries written before events were named
        query |= Q(additional_data__has_key="refused")
    return query


def _about_files(ids) -> Q:
    """The entries about these participants: their records' changes and reads, and the lists,
    documents and searches that showed them."""
    listed = Shown.objects.filter(participant_id__in=ids).values("entry_id")
    return Q(additional_data__participant_id__in=ids) | Q(pk__in=listed)


def _actor_label(entry, event: str) -> str:
    if entry.actor is not None:
        return str(entry.actor)
    if event in LOGIN_EVENTS:
        return "personne non connectée"
    if event in (Event.ROLE_SET_BY_COMMAND, Event.RETENTION):
        return "ligne de commande ou tâche de fond"
    return "système"


def _file_numbers(entries) -> dict:
    ids = set()
    for entry in entries:
        data = entry.additional_data or {}
        ids.update(data.get("participant_ids") or [])
        if data.get("participant_id"):
            ids.add(data["participant_id"])
    return dict(Participant.objects.filter(pk__in=ids).values_list("pk", "file_number"))


@login_required
@permission_required("audit.view_journal", raise_exception=True)
def journal(request):
    form = JournalFilterForm(queries.form_data(request, JournalFilterForm.base_fields) or None)
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
            entries = entries.filter(_about_files(ids))
        if data["action"] in EVENT_FILTERS:
            entries = entries.filter(_of_events(EVENT_FILTERS[data["action"]]))
        elif data["action"] == str(LogEntry.Action.ACCESS):
            unnamed = Q(action=LogEntry.Action.ACCESS) & ~Q(additional_data__has_key="event")
            entries = entries.filter(
                _of_events(READ_EVENTS) | (unnamed & ~Q(additional_data__has_key="refused"))
            )
        elif data["action"]:
            entries = entries.filter(action=int(data["action"]))
        if data["since"]:
            entries = entries.filter(timestamp__date__gte=data["since"])
        if data["until"]:
            entries = entries.filter(timestamp__date__lte=data["until"])
    elif form.is_bound:
        entries = entries.none()  # the filters are wrong: better nothing than everything
    page = Paginator(entries, 100).get_page(queries.page(request))
    page.object_list = list(page.object_list)
    changes = describe_changes(page.object_list, reader_role=request.user.role)
    numbers = _file_numbers(page.object_list)
    for entry in page.object_list:
        event = event_of(entry)
        entry.refused = event == Event.REFUSED
        entry.alert = event in (Event.REFUSED, *LOGIN_EVENTS)
        entry.label = Event(event).label if event else ACTION_LABELS.get(str(entry.action), "")
        entry.actor_label = _actor_label(entry, event)
        entry.subject = subject(entry)
        entry.change_rows = changes[entry.pk] + describe_event(entry, numbers=numbers)
    # The page names the people whose records its entries are about: it is journaled too.
    shown(
        request,
        [
            entry.additional_data["participant_id"]
            for entry in page.object_list
            if (entry.additional_data or {}).get("participant_id")
        ],
        what="Journal",
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "audit/journal.html", {"form": form, "page": page, "query": query.urlencode()}
    )
