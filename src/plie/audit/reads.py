"""Who saw which participants: every response that shows a participant's data is journaled,
whatever its method (a form sent back with its errors too), whether a whole page or an htmx
fragment.

A view says what its response shows (`shown`): the participant it opened (the one accessor,
`participants.access.get_participant_for_user`, does it), or the people of a list, a
committee's agenda, a worklist, a search for duplicates… `JournalReadsMiddleware` writes the
entry when the response leaves: one entry per response, naming one participant (a record) or
the set of participants shown (a list, with one `Shown` row per person so that the coordinator
finds it from a file number). A redirect shows nothing (the page it leads to is journaled);
a response whose entry cannot be written is not sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from plie.audit.events import Event
from plie.audit.models import Shown

_ATTRIBUTE = "plie_journal_reading"
# The request being answered, for entries written far from the view (a password changed):
# auditlog's own context keeps its last actor after the request, this one is reset.
_current_request: ContextVar = ContextVar("plie_journal_request", default=None)

# Participants are named by their model's natural key: the journal sits below the app that
# owns them (docs/architecture.md, « Les couches ») and imports none of its code.
PARTICIPANT = ("participants", "participant")


@dataclass
class Reading:
    """What one response shows: participant ids (in the order shown) and their names."""

    people: dict[int, str] = field(default_factory=dict)
    what: str = ""


def participant_type() -> ContentType:
    return ContentType.objects.get_by_natural_key(*PARTICIPANT)


def shown(request, participants, *, what: str = "") -> None:
    """Note that the response to `request` shows `participants` (one participant, or an
    iterable of participants or of their ids). `what` names a list in French (« À suivre »,
    « Commission du 12/03/2026 »): with it, the entry is a list's even for one person."""
    reading = getattr(request, _ATTRIBUTE, None)
    if reading is None:
        reading = Reading()
        setattr(request, _ATTRIBUTE, reading)
    people: Iterable = participants if isinstance(participants, Iterable) else [participants]
    for person in people:
        if person is None:
            continue
        if isinstance(person, int):
            reading.people.setdefault(person, "")
        else:
            reading.people[person.pk] = str(person)
    if what:
        reading.what = what


def reading_of(request) -> Reading | None:
    return getattr(request, _ATTRIBUTE, None)


def _context(request, status: int) -> dict:
    """Where and how the data was shown: the page (never its query, which may hold a
    searched name), a form sent (POST), an htmx fragment, an error status."""
    context: dict = {"page": request.path}
    if request.method != "GET":
        context["method"] = request.method
    if getattr(request, "htmx", False):
        context["fragment"] = True
    if status >= 400:
        context["status"] = status
    return context


def write(request, reading: Reading, *, status: int = 200) -> LogEntry:
    """The entry of one response (see the module's docstring)."""
    user = request.user if request.user.is_authenticated else None
    context = _context(request, status)
    ids = list(reading.people)
    with transaction.atomic():
        if len(ids) == 1 and not reading.what:
            pk = ids[0]
            return LogEntry.objects.create(
                content_type=participant_type(),
                object_pk=str(pk),
                object_id=pk,
                object_repr=reading.people[pk] or f"Personne n° {pk}",
                action=LogEntry.Action.ACCESS,
                actor=user,
                changes={},
                additional_data={"event": Event.READ, "participant_id": pk, **context},
            )
        what = reading.what or "Page"
        entry = LogEntry.objects.create(
            content_type=participant_type(),
            object_pk="",
            object_repr=what,
            action=LogEntry.Action.ACCESS,
            actor=user,
            changes={},
            additional_data={"event": Event.LIST, "participant_ids": ids, **context},
        )
        Shown.objects.bulk_create(Shown(entry=entry, participant_id=pk) for pk in ids)
        return entry


def current_user():
    """The user logged in for the request being answered; None outside a request (the
    command line, the background worker) or when nobody is logged in."""
    request = _current_request.get()
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


class JournalMiddleware:
    """Writes the entry of each response that showed participants (see `shown`), and keeps
    the request at hand for `current_user`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _current_request.reset(token)
        reading = reading_of(request)
        if reading is not None and reading.people and not 300 <= response.status_code < 400:
            write(request, reading, status=response.status_code)
        return response
