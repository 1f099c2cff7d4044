"""The user's notices (core.notices): the page « Avis », where opening one marks it read and
leads to what it is about. A user sees and opens their own notices only."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from plie.core import queries
from plie.core.models import Notice

PER_PAGE = 30


@login_required
def notices(request):
    mine = Notice.objects.filter(recipient=request.user)
    if request.method == "POST":
        return _act(request, mine)
    shown = Paginator(mine, PER_PAGE).get_page(queries.page(request))
    return render(request, "web/notices.html", {"page": shown, "unread": mine.unread().count()})


def _act(request, mine):
    """« Ouvrir » one notice (`ouvrir`: its id) or mark them all read."""
    opened = request.POST.get("ouvrir", "")
    if not opened:
        if "tout_lu" in request.POST:
            mine.unread().update(read_at=timezone.now())
        return redirect("web:notices")
    notice = mine.filter(pk=int(opened) if opened.isdigit() else 0).first()
    if notice is None:
        raise Http404("Cet avis n'existe pas ou ne vous est pas adressé.")
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    safe = url_has_allowed_host_and_scheme(notice.url, allowed_hosts={request.get_host()})
    return redirect(notice.url if notice.url and safe else "web:notices")
