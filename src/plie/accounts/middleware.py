"""After the password, the second factor: a signed-in person whose session has not given a
code yet reaches only the pages that ask for one (or enrol an application) and the logout."""

from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django_htmx.http import HttpResponseClientRedirect

from plie.accounts import second_factor

OPEN_BEFORE_THE_CODE = frozenset(
    {
        "accounts:login",
        "accounts:logout",
        "accounts:second_factor",
        "accounts:second_factor_enrol",
    }
)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            second_factor.required()
            and request.user.is_authenticated
            and not second_factor.is_verified(request)
            and _view_name(request) not in OPEN_BEFORE_THE_CODE
        ):
            target = second_factor.with_next("accounts:second_factor", request.get_full_path())
            if request.headers.get("HX-Request") == "true":  # before django-htmx's middleware
                return HttpResponseClientRedirect(target)
            return redirect(target)
        return self.get_response(request)


def _view_name(request) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""
