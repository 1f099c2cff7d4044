"""Account pages that Django's own views do not give as the PLIE needs them: logging out,
the coordinator's decisions on the roles asked for in the administration, and her help to a
colleague locked out or who lost the second factor."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from plie.accounts import access_help, roles
from plie.accounts.enums import RoleRequestStatus
from plie.accounts.forms import AccountHelpForm
from plie.accounts.models import RoleRequest
from plie.accounts.second_factor import ask_again

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


@login_required
@permission_required("accounts.help_account_access", raise_exception=True)
def account_access(request):
    """« Accès des comptes »: the accounts, locked ones first; a POST unlocks one
    (`action=unlock`) or removes its second factor (`action=remove_second_factor`, with a
    fresh code and a ticked confirmation), then comes back here."""
    if request.method == "POST":
        return _help_account(request)
    return render(
        request,
        "accounts/account_access.html",
        {"rows": access_help.accounts_access(), "limit": settings.AXES_FAILURE_LIMIT},
    )


def _help_account(request):
    form = AccountHelpForm(request.POST)
    back = redirect("accounts:account_access")
    if not form.is_valid():
        messages.error(request, "Choisissez un compte actif et une action de la liste.")
        return back
    account, action = form.cleaned_data["account"], form.cleaned_data["action"]
    try:
        if action == "unlock":
            access_help.unlock(account=account, by=request.user)
            messages.success(
                request, f"Compte de {account} débloqué : la personne peut se connecter."
            )
            return back
        if not form.cleaned_data["confirm"]:
            messages.error(
                request,
                f"Rien n'a été retiré : cochez la case qui confirme que {account} a perdu son "
                "application et ses codes de secours.",
            )
            return back
        again = ask_again(request)
        if again is not None:
            return again
        access_help.remove_second_factor(account=account, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    messages.success(
        request,
        f"Second facteur de {account} retiré : à sa prochaine connexion, après son mot de "
        "passe, la personne ajoutera une nouvelle application d'authentification.",
    )
    return back
