"""The participant list and the participant page, assembled from what each app declares:
the page's sections (core.plugins.ParticipantSection) in their order, and the history
gathered from every app's events."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Subquery
from django.shortcuts import render

from plie.audit.reads import shown
from plie.core import queries
from plie.core.plugins import ParticipantPage, history_of, registry
from plie.participants.access import get_participant_for_user
from plie.participants.enums import PathwayStatus
from plie.participants.forms import ParticipantFilterForm
from plie.participants.models import Participant
from plie.pathways.models import Pathway

PAGE_SIZE = 50


@login_required
@permission_required("participants.view_participant_list", raise_exception=True)
def participant_list(request):
    form = ParticipantFilterForm(
        queries.form_data(request, ParticipantFilterForm.base_fields) or None, user=request.user
    )
    participants = Participant.objects.for_user(request.user).select_related(
        "commune", "qpv", "referent"
    )
    if form.is_valid():
        data = form.cleaned_data
        birth_date = form.birth_date()
        if birth_date:
            participants = participants.filter(birth_date=birth_date)
        else:
            participants = participants.search(data.get("q"))
        if data.get("status"):
            participants = participants.filter(status=data["status"])
        if data.get("commune"):
            participants = participants.filter(commune=data["commune"])
        if data.get("qpv") == "yes":
            participants = participants.filter(qpv__isnull=False)
        elif data.get("qpv") == "no":
            participants = participants.filter(qpv__isnull=True)
        if data.get("rsa"):
            rsa = Pathway.objects.filter(participant=OuterRef("pk"), receives_rsa=True).exclude(
                status__in=(PathwayStatus.EXITED, PathwayStatus.REFUSED, PathwayStatus.ABANDONED)
            )
            participants = (
                participants.filter(Exists(rsa))
                if data["rsa"] == "yes"
                else participants.exclude(Exists(rsa))
            )
        if data.get("referent"):
            participants = participants.filter(referent=data["referent"])
    # A subquery, not an aggregate: only the page's 50 rows look up their latest entry, where
    # a GROUP BY would aggregate every participant before sorting (1 s at 100,000 people).
    latest_entry = (
        Pathway.objects.filter(participant=OuterRef("pk"), entry_date__isnull=False)
        .order_by("-entry_date")
        .values("entry_date")[:1]
    )
    # In French order, accents and case aside (« CLÉMENT » before « CLERC »): name_key holds
    # the names without them, indexed; the names themselves break its ties.
    participants = participants.annotate(entry_date=Subquery(latest_entry)).order_by(
        "name_key", "last_name", "first_name", "pk"
    )
    page = Paginator(participants, PAGE_SIZE).get_page(queries.page(request))
    shown(request, page.object_list, what="Liste des participants")
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "web/participant_list.html"
    if request.htmx:
        template += "#participant-results"
    return render(request, template, context)


@login_required
def participant_detail(request, pk: int):
    return render_participant_page(request, get_participant_for_user(request, pk))


def render_participant_page(request, participant, *, status: int = 200, **forms):
    """The participant record; a form sent back with errors is shown with what was typed."""
    page = ParticipantPage(
        request=request,
        participant=participant,
        show_sensitive=request.user.has_perm("participants.view_sensitive_data", participant),
        forms=forms,
    )
    context = {
        "participant": participant,
        "show_sensitive": page.show_sensitive,
        "can_correct_identity": request.user.has_perm("participants.correct_identity", participant),
    }
    sections = []
    for section in sorted(registry.sections, key=lambda s: s.order_on(page)):
        added = section.context(page)
        if added is None:
            continue
        context.update(added)
        sections.append(section)
    context["sections"] = sections
    context["timeline"] = history_of(participant, page.show_sensitive)
    return render(request, "web/participant_detail.html", context, status=status)
