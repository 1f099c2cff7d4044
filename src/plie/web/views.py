"""The home page: each role is sent to the page it starts its day on, or shown the panels
declared for it (core.plugins)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.csrf import requires_csrf_token

from plie.core.plugins import registry
from plie.core.queries import BadQuery


@login_required
def home(request):
    user = request.user
    for start in registry.start_pages:
        if start.applies(user):
            return redirect(start.url_name)
    panels = [
        {"template": panel.template, "context": panel.context(user)}
        for panel in registry.home_panels
        if panel.applies(user)
    ]
    return render(request, "web/home.html", {"panels": panels})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page declares: the icon, not a 404 in the
    server's log for every new visitor."""
    return redirect(static("plie/favicon.svg"), permanent=True)


@requires_csrf_token
def bad_request(request, exception):
    """A refused request (400): the French reason when the application wrote it (a
    query parameter, core/queries.py), a general one otherwise (a library's message may be
    English or quote what was sent). An htmx request gets the message alone, which htmx
    swaps in place of the results (base.html's htmx-config)."""
    reason = str(exception) if isinstance(exception, BadQuery) else ""
    template = "400.html#message" if getattr(request, "htmx", False) else "400.html"
    return render(request, template, {"reason": reason}, status=400)
