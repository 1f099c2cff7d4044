"""The fields of a page's POST form as a browser sees them: name, kind (the input's type, or
select, textarea), the value shown and, for a choice, the values offered."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    kind: str  # hidden, text, textarea, date, datetime-local, number, email, select, checkbox…
    value: str = ""  # what the browser would send untouched ("" for an unchecked box)
    options: list[str] = field(default_factory=list)  # a select's or radio group's values
    attrs: dict[str, str] = field(default_factory=dict)


class FormFields(HTMLParser):
    """Every POST form of a page, by its action, with its fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, Field]]] = []
        self.fields: dict[str, Field] | None = None
        self.select: Field | None = None
        self.textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form" and attrs.get("method", "").lower() == "post":
            self.fields = {}
            self.forms.append((attrs.get("action", ""), self.fields))
            return
        if self.fields is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "reset"):
                return
            shown = self.fields.setdefault(name, Field(name, kind, attrs=attrs))
            if kind in ("checkbox", "radio"):
                value = attrs.get("value", "on")
                shown.options.append(value)
                if "checked" in attrs:
                    shown.value = value
            else:
                shown.value = attrs.get("value", "")
        elif tag == "button" and name and attrs.get("type", "submit") == "submit":
            # A form sent by one of several named buttons (« Accorder », « Refuser »).
            shown = self.fields.setdefault(name, Field(name, "submit", attrs.get("value", "")))
            shown.options.append(attrs.get("value", ""))
        elif tag == "select" and name:
            self.select = self.fields[name] = Field(name, "select", attrs=attrs)
            self.select.value = None  # the first option unless one is selected
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            self.select.options.append(value)
            if "selected" in attrs or self.select.value is None:
                self.select.value = value
        elif tag == "textarea" and name:
            self.textarea = self.fields[name] = Field(name, "textarea", attrs=attrs)

    def handle_endtag(self, tag):
        if tag == "select" and self.select is not None:
            if self.select.value is None:
                self.select.value = ""
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.fields = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data.removeprefix("\n") if not self.textarea.value else data


def form_fields(html: str, *actions: str) -> dict[str, Field]:
    """The fields of the POST form posting to one of `actions` ("": to the page itself)."""
    parser = FormFields()
    parser.feed(html)
    for form_action, fields in parser.forms:
        if form_action in actions:
            fields.pop("csrfmiddlewaretoken", None)
            return fields
    raise AssertionError(f"no form posting to {actions!r} in the page")


def sent_untouched(fields: dict[str, Field]) -> dict[str, str]:
    """What a browser sends when nothing is changed (an unticked box is not sent)."""
    return {
        field.name: field.value
        for field in fields.values()
        if field.value or field.kind not in ("checkbox", "radio")
    }
