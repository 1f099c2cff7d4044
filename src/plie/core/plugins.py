"""Plug-in points: what each app adds to the menu, the home page, the participant page and
its history, declared by the app (its `declarations.py`, run when the app is ready) and
assembled by the web layer. Core knows none of the apps: a new app plugs in by declaring,
without editing core or the web layer.

The participant page can also be shown again by a lower app's view, with a form sent back
with its errors: the web layer declares how the page is drawn (`declare_participant_page`),
and such views call `render_participant_page`.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from typing import Any

UserTest = Callable[[Any], bool]


@dataclasses.dataclass(frozen=True)
class MenuEntry:
    """A link of the main menu, shown to the users `allowed` lets through. `group` puts it in
    a drop-down (« Pilotage »); `label` may depend on the user (« Mes participants »)."""

    label: str | Callable[[Any], str]
    url_name: str
    allowed: UserTest
    order: int
    group: str = ""

    def label_for(self, user) -> str:
        return self.label(user) if callable(self.label) else self.label


@dataclasses.dataclass(frozen=True)
class StartPage:
    """Where a user lands after logging in: the first declared page whose test passes."""

    url_name: str
    applies: UserTest
    order: int


@dataclasses.dataclass(frozen=True)
class HomePanel:
    """A block of the home page, for the users it `applies` to (steering figures…)."""

    template: str
    context: Callable[[Any], dict]
    applies: UserTest
    order: int


@dataclasses.dataclass
class ParticipantPage:
    """What the sections of one display of the participant page share: the request, the
    person, whether sensitive data is shown, the forms sent back with errors, and values a
    section computed for the next ones (`shared`)."""

    request: Any
    participant: Any
    show_sensitive: bool
    forms: dict[str, Any]
    shared: dict[str, Any] = dataclasses.field(default_factory=dict)

    @property
    def user(self):
        return self.request.user


@dataclasses.dataclass(frozen=True)
class ParticipantSection:
    """A section of the participant page: its anchor, the title of the jump link, the
    template included with the page's context, and the context it adds (None: not shown).
    The menu of the page's sections jumps to their anchors."""

    anchor: str
    title: str
    template: str
    context: Callable[[ParticipantPage], dict | None]
    order: int | Callable[[ParticipantPage], int]

    def order_on(self, page: ParticipantPage) -> int:
        return self.order(page) if callable(self.order) else self.order


@dataclasses.dataclass(frozen=True)
class HistoryEvent:
    """One line of the participant's history. Within a day, events follow the pathway's
    course (`rank`): referral 0, appointment 1, outreach 2, eligibility 3, proposal 4, entry
    decision 5, referral closed 6, steps, contacts and their corrections 7, step ended and
    change of référent 8, exit decision 9, exit 10; then the time they happened or were
    recorded (`at`) when known."""

    on: datetime.date
    title: str
    detail: str = ""
    rank: int = 5
    at: datetime.datetime | None = None


HistorySource = Callable[[Any, bool], list[HistoryEvent]]


@dataclasses.dataclass(frozen=True)
class PendingExit:
    """An exit proposed to the committee and not yet decided."""

    proposed_on: datetime.date
    meeting_on: datetime.date


PendingExits = Callable[[list[int]], dict[int, PendingExit]]


@dataclasses.dataclass(frozen=True)
class ActionBlock:
    """A block of an action's page added by an app above actions (its reports…): the
    template included, and the context it adds for the request and the action (None: the
    block is not shown to this user)."""

    template: str
    context: Callable[[Any, Any], dict | None]
    order: int


@dataclasses.dataclass
class _Registry:
    menu: list[MenuEntry] = dataclasses.field(default_factory=list)
    start_pages: list[StartPage] = dataclasses.field(default_factory=list)
    home_panels: list[HomePanel] = dataclasses.field(default_factory=list)
    sections: list[ParticipantSection] = dataclasses.field(default_factory=list)
    action_blocks: list[ActionBlock] = dataclasses.field(default_factory=list)
    history: list[HistorySource] = dataclasses.field(default_factory=list)
    participant_page: Callable[..., Any] | None = None
    pending_exits: PendingExits | None = None


registry = _Registry()


def _add(items: list, item) -> None:
    if item not in items:  # an app made ready twice (tests) declares once
        items.append(item)
        items.sort(key=lambda entry: entry.order if isinstance(entry.order, int) else 0)


def declare_menu_entry(entry: MenuEntry) -> None:
    _add(registry.menu, entry)


def declare_start_page(page: StartPage) -> None:
    _add(registry.start_pages, page)


def declare_home_panel(panel: HomePanel) -> None:
    _add(registry.home_panels, panel)


def declare_participant_section(section: ParticipantSection) -> None:
    if any(s.anchor == section.anchor and s != section for s in registry.sections):
        raise ValueError(f"Two sections of the participant page use the anchor {section.anchor}")
    _add(registry.sections, section)


def declare_action_block(block: ActionBlock) -> None:
    _add(registry.action_blocks, block)


def action_blocks(request, action) -> list[tuple[str, dict]]:
    """The declared blocks of `action`'s page shown to the user: (template, context)."""
    shown = []
    for block in registry.action_blocks:
        context = block.context(request, action)
        if context is not None:
            shown.append((block.template, context))
    return shown


def declare_history_source(source: HistorySource) -> None:
    if source not in registry.history:
        registry.history.append(source)


def declare_participant_page(render: Callable[..., Any]) -> None:
    registry.participant_page = render


def declare_pending_exits(answer: PendingExits) -> None:
    """The committee says which pathways have an exit proposed and not yet decided."""
    registry.pending_exits = answer


def pending_exit_proposals(pathway_ids: list[int]) -> dict[int, PendingExit]:
    """Of these pathways, those whose exit is proposed (none if no app answers)."""
    return registry.pending_exits(pathway_ids) if registry.pending_exits else {}


def render_participant_page(request, participant, *, status: int = 200, **forms):
    """The participant page as the web layer draws it, with `forms` sent back as typed."""
    if registry.participant_page is None:
        raise RuntimeError("No app declared the participant page (is plie.web installed?)")
    return registry.participant_page(request, participant, status=status, **forms)


def history_of(participant, show_sensitive: bool) -> list[HistoryEvent]:
    """Every declared source's events, the latest first (within a day: the latest step of the
    course first, then the latest time)."""
    events = [event for source in registry.history for event in source(participant, show_sensitive)]
    oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    return sorted(events, key=lambda e: (e.on, e.rank, e.at or oldest), reverse=True)
