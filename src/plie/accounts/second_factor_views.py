"""The pages of the second factor: give a code after the password, add an application (QR
code, secret, first code, then the backup codes shown once), see one's second factor and
renew the backup codes, give a fresh code before a sensitive action."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from plie.accounts import second_factor
from plie.accounts.forms import CodeForm, EnrolmentCodeForm
from plie.core import queries
from plie.core.text import first_hidden_character

CODES_TO_SHOW = "plie_backup_codes_to_show"  # session key: the codes, until shown once


def _on_this_site(request, target: str) -> bool:
    # A path of this site only: redirect() would take « 0 » or « home » for a view's name.
    return (
        target.startswith("/")
        and not first_hidden_character(target, multiline=False)
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )


def _next(request) -> str:
    """Where to go once the code is given: the page asked for, on this site only."""
    target = request.POST.get("next") or queries.text(request, "next", longest=2000)
    return target if _on_this_site(request, target) else reverse("web:home")


def _back(request) -> str:
    """Where « Annuler » leads: the page of this site the person came from (kept in the form
    when a wrong code sends the page back), else home."""
    target = request.POST.get("back", "")[:2000]
    if not target:
        referer = urlsplit(request.headers.get("referer", ""))
        if referer.netloc == request.get_host():
            target = urlunsplit(("", "", referer.path, referer.query, ""))
    if _on_this_site(request, target) and urlsplit(target).path != request.path:
        return target
    return reverse("web:home")


def _code_page(request, form, *, again: bool, status=200):
    return render(
        request,
        "accounts/second_factor_code.html",
        {
            "form": form,
            "next": _next(request),
            "back": _back(request) if again else "",
            "again": again,
            "minutes": settings.PLIE_REAUTHENTICATION_MINUTES,
        },
        status=status,
    )


def _checked(request, form, *, again: bool):
    """The code of a posted form: on to the page asked for, or the form again with why."""
    if not form.is_valid():
        return _code_page(request, form, again=again, status=400)
    outcome = second_factor.verify(request, form.cleaned_data["code"])
    if not outcome.accepted:
        form.add_error("code", outcome.message)
        return _code_page(request, form, again=again, status=400)
    if outcome.backup_code_used:
        left = second_factor.backup_codes_left(request.user)
        remaining = f"il vous en reste {left}" if left else "c'était le dernier"
        messages.warning(
            request,
            f"Code de secours utilisé : {remaining}. Si vous avez perdu votre téléphone, "
            "ajoutez une autre application, et créez de nouveaux codes, depuis « Second "
            "facteur » dans le menu de votre compte.",
        )
    return redirect(_next(request))


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """After the password: the code of the application, or a backup code."""
    if not second_factor.required() or second_factor.is_verified(request):
        return redirect(_next(request))
    if not second_factor.has_application(request.user):
        return redirect(second_factor.with_next("accounts:second_factor_enrol", _next(request)))
    if request.method == "POST":
        return _checked(request, CodeForm(request.POST), again=False)
    return _code_page(request, CodeForm(), again=False)


@login_required
@require_http_methods(["GET", "POST"])
def reauthenticate(request):
    """A fresh code before downloading named data or changing rights."""
    if not second_factor.required() or second_factor.recently_verified(request):
        return redirect(_next(request))
    if not second_factor.is_verified(request):
        return redirect(second_factor.with_next("accounts:second_factor", _next(request)))
    if request.method == "POST":
        return _checked(request, CodeForm(request.POST), again=True)
    return _code_page(request, CodeForm(), again=True)


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Add an application: the first one after the first login, or a new one (a new
    telephone) with a fresh code from the old one or a backup code."""
    replacing = second_factor.has_application(request.user)
    if replacing:
        if not second_factor.is_verified(request):
            return redirect(second_factor.with_next("accounts:second_factor", _next(request)))
        if refusal := second_factor.ask_again(request):
            return refusal
    device = second_factor.enrolment_device(request.user)
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = second_factor.confirm_enrolment(request, device, form.cleaned_data["code"])
        if codes is not None:
            request.session[CODES_TO_SHOW] = codes
            messages.success(request, "Application d'authentification enregistrée.")
            return redirect(
                second_factor.with_next("accounts:second_factor_account", _next(request))
            )
        form.add_error(
            "code",
            "Ce code ne correspond pas : vérifiez que l'application a bien ajouté le compte "
            "(scannez le code QR ou tapez la clé), puis saisissez le code qu'elle affiche "
            "maintenant.",
        )
    return render(
        request,
        "accounts/second_factor_enrol.html",
        {
            "form": form,
            "next": _next(request),
            "replacing": replacing,
            "qr_code": second_factor.qr_code_svg(device),
            "secret": second_factor.secret_text(device),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def account(request):
    """One's second factor: the new backup codes once, what is left, how to renew them."""
    if request.method == "POST":
        if refusal := second_factor.ask_again(request):
            return refusal
        request.session[CODES_TO_SHOW] = second_factor.replace_backup_codes(request.user)
        messages.success(request, "Nouveaux codes de secours créés : les anciens ne valent plus.")
        return redirect("accounts:second_factor_account")
    codes = request.session.pop(CODES_TO_SHOW, None)
    return render(
        request,
        "accounts/second_factor_account.html",
        {
            "codes": [f"{code[:4]} {code[4:]}" for code in codes or ()],
            "next": _next(request) if queries.text(request, "next", longest=2000) else "",
            "has_application": second_factor.has_application(request.user),
            "codes_left": second_factor.backup_codes_left(request.user),
            "required": second_factor.required(),
        },
    )
