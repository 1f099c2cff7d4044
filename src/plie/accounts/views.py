"""Account pages that Django's own views do not give as the PLIE needs them: logging out,
and the coordinator's decisions on the roles asked for in the administration."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from plie.accounts import roles
from plie.accounts.enums import RoleRequestStatus
from plie.accounts.models import RoleRequest

DECIDED_SHOWN = 20  # the latest decisions under the pending requests


class LogoutView(auth_views.LogoutView):
    """Logging out stays a POST (a link or an image must not end a session), but a person who
    types the address gets a page that asks, instead of Django's blank 405."""

    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            messages.info(request, "Vous êtes déjà déconnecté(e).")
            return redirect("accounts:login")
        return render(request, "accounts/logout.html")

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        # After the session is flushed: the message goes with the new, empty session.
        messages.info(request, "Vous êtes déconnecté(e). À bientôt !")
        return response


@login_required
@permission_required("accounts.decide_role_request", raise_exception=True)
def role_requests(request):
    related = ("user", "user__organisation", "requested_by", "decided_by")
    return render(
        request,
        "accounts/role_requests.html",
        {
            "pending": RoleRequest.objects.pending().select_related(*related),
            "decided": RoleRequest.objects.exclude(status=RoleRequestStatus.PENDING)
            .select_related(*related)
            .order_by("-decided_at", "-pk")[:DECIDED_SHOWN],
        },
    )


@login_required
@permission_required("accounts.decide_role_request", raise_exception=True)
@require_POST
def role_decide(request, pk: int):
    role_request = get_object_or_404(RoleRequest.objects.select_related("user"), pk=pk)
    decision = request.POST.get("decision")
    if decision not in ("approve", "refuse"):
        messages.error(request, "Choisissez d'accorder ou de refuser le rôle demandé.")
        return redirect("accounts:role_requests")
    try:
        roles.decide(role_request=role_request, approve=decision == "approve", by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        verdict = "accordé" if decision == "approve" else "refusé"
        messages.success(
            request, f"Rôle « {role_request.get_role_display()} » {verdict} à {role_request.user}."
        )
    return redirect("accounts:role_requests")
