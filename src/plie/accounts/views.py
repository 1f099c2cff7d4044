"""Account pages that Django's own views do not give as the PLIE needs them."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render


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
