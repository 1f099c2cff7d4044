"""What a browser sends with a form: the values its page shows, hidden fields included — the
version of the record the page showed (core/versioning.py) and the one-time token of a
creating form (core/submissions.py)."""

from html.parser import HTMLParser

from django.urls import reverse


class FormValues(HTMLParser):
    """Every POST form of a page, by its action, with what a browser would submit untouched."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.forms: list[tuple[str, dict[str, list[str]]]] = []
        self.in_form = False
        self.select: str | None = None
        self.select_first: str | None = None
        self.select_chosen = False
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.in_form = True
            self.values = {}
            self.forms.append((attrs.get("action") or "", self.values))
        if not self.in_form:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button"):
                default = "on" if kind in ("checkbox", "radio") else ""
                self.values.setdefault(name, []).append(attrs.get("value", default))
        elif tag == "select" and name:
            self.select, self.select_first, self.select_chosen = name, None, False
            self.values.setdefault(name, [])
        elif tag == "option" and self.select:
            value = attrs.get("value", "")
            if self.select_first is None:
                self.select_first = value
            if "selected" in attrs:
                self.values[self.select].append(value)
                self.select_chosen = True
        elif tag == "textarea" and name:
            self.textarea = name
            self.values[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select" and self.select:
            if not self.select_chosen and "multiple" not in self.values:
                self.values[self.select].append(self.select_first or "")
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.in_form = False

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea][0] += data


def _forms(html: str) -> list[tuple[str, dict[str, list[str]]]]:
    parser = FormValues()
    parser.feed(html)
    return parser.forms


def shown_values(html: str) -> dict[str, list[str]]:
    """The values of the main POST form of a page (the one with the most fields, not the
    logout button of the menu)."""
    return max((values for _, values in _forms(html)), key=len)


def form_values(html: str, action: str = "") -> dict[str, list[str]]:
    """The values of the POST form of a page that posts to `action` ("": to the page)."""
    for form_action, values in _forms(html):
        if form_action == action:
            return {name: value for name, value in values.items() if name != "csrfmiddlewaretoken"}
    raise AssertionError(f"no form posting to {action!r} in the page")


def hidden_fields(client, page: str, action: str = "") -> dict[str, str]:
    """The hidden fields (version, token) of the form of `page` posting to `action`, as the
    page is drawn now."""
    response = client.get(page)
    assert response.status_code == 200, (page, response.status_code)
    html = response.content.decode()
    hidden = _hidden_names(html)
    values = form_values(html, action)
    return {name: value[0] for name, value in values.items() if name in hidden}


def _hidden_names(html: str) -> set[str]:
    names = set()

    class Hidden(HTMLParser):
        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "input" and attrs.get("type") == "hidden" and attrs.get("name"):
                names.add(attrs["name"])

    Hidden().feed(html)
    return names


def posted(client, page: str, data: dict, action: str = ""):
    """POST `data` as the page's form would send it, hidden fields included."""
    return client.post(action or page, {**hidden_fields(client, page, action), **data})


def participant_page(participant) -> str:
    return reverse("web:participant", args=[participant.pk])
