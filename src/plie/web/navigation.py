"""The main menu, assembled from what each app declared (core.plugins) and the user's
permissions, so that a role never sees a link it cannot use."""

from django.urls import reverse

from plie.core.models import Notice
from plie.core.plugins import registry
from plie.territory.models import Programme


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "programme": None, "unread_notices": 0}
    entries = [
        (entry.group, entry.label_for(user), reverse(entry.url_name))
        for entry in registry.menu
        if entry.allowed(user)
    ]
    # The active entry is the longest menu address the current page starts with.
    matching = [url for _, _, url in entries if request.path.startswith(url)]
    active = max(matching, key=len, default=None)
    menu, groups = [], {}
    for group, label, url in entries:
        link = {"label": label, "url": url, "active": url == active}
        if not group:
            menu.append(link)
            continue
        if group not in groups:
            # A group's drop-down keeps the menu short enough for a laptop screen; it sits
            # where its first entry would.
            groups[group] = {"label": group, "children": [], "active": False}
            menu.append(groups[group])
        groups[group]["children"].append(link)
        groups[group]["active"] |= link["active"]
    unread = Notice.objects.filter(recipient=user).unread().count()
    return {"menu": menu, "programme": Programme.current(), "unread_notices": unread}
