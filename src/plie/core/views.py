from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone

from plie.accounts.enums import Role
from plie.core.suppression import HIDE_SMALL
from plie.participants.enums import ParticipantStatus, PathwayStatus
from plie.participants.models import Participant, Pathway, Referral


@login_required
def home(request):
    """Send each role to the page it starts its day on."""
    user = request.user
    if user.is_referent or user.is_coordination_team:
        return redirect("participants:list")
    if user.role == Role.ADMINISTRATOR:
        return redirect("admin:index")
    context = {}
    if user.role == Role.STEERING_VIEWER:
        context["figures"] = steering_figures(timezone.localdate())
    return render(request, "core/home.html", context)


def steering_figures(today):
    """Aggregates only, with small counts suppressed: what the steering committee may see."""
    year_start = today.replace(month=1, day=1)
    by_commune = (
        Participant.objects.filter(status=ParticipantStatus.ACTIVE)
        .values("commune__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "commune__name")
    )
    return {
        "year": today.year,
        "today": today,
        "active": HIDE_SMALL.count(
            Participant.objects.filter(status=ParticipantStatus.ACTIVE).count()
        ),
        "referrals": HIDE_SMALL.count(Referral.objects.filter(referred_on__gte=year_start).count()),
        "entries": HIDE_SMALL.count(
            Pathway.objects.filter(
                entry_date__gte=year_start, status__in=(PathwayStatus.ACTIVE, PathwayStatus.EXITED)
            ).count()
        ),
        # Small communes merged: listed in order of their hidden counts, they told them.
        "by_commune": HIDE_SMALL.groups(
            ((row["commune__name"] or "Hors territoire", row["count"]) for row in by_commune),
            "Autres communes",
        ),
    }


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page declares: the icon, not a 404 in the
    server's log for every new visitor."""
    return redirect(static("plie/favicon.svg"), permanent=True)
