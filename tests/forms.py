"""What a browser sends with a form besides the fields typed: its hidden fields, read from the
page as drawn — the version of the record the page showed (core/versioning.py) and the
one-time token of a creating form (core/submissions.py)."""

from html.parser import HTMLParser

from django.urls import reverse


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._current: dict[str, str] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = {}
            self.forms.append((attrs.get("action") or "", self._current))
        elif tag == "input" and self._current is not None and attrs.get("type") == "hidden":
            name = attrs.get("name") or ""
            if name != "csrfmiddlewaretoken":
                self._current[name] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def hidden_fields(client, page: str, action: str = "") -> dict[str, str]:
    """The hidden fields of the form of `page` that posts to `action` (the page itself when
    the form has no action)."""
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    parser = _Forms()
    parser.feed(response.content.decode())
    for form_action, fields in parser.forms:
        if form_action == action:
            return fields
    raise AssertionError(f"no form posting to {action!r} on {page}")


def posted(client, page: str, data: dict, action: str = ""):
    """POST `data` as the page's form would send it, hidden fields included."""
    return client.post(action or page, {**hidden_fields(client, page, action), **data})


def participant_page(participant) -> str:
    return reverse("web:participant", args=[participant.pk])
