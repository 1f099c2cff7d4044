"""The home page: each role is sent to the page it starts its day on, or shown the panels
declared for it (core.plugins)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static

from plie.core.plugins import registry


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
