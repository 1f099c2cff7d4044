"""The flags of a proposal at its deposit — late, incomplete, over the budget cap — each with
the French reason the team and the provider read (issue 11 §2; seed 001: « Les réponses
seront transmises […] pour le 21 décembre 2017, à 17h, dernier délai » and « Le coût de
l'action ne devra pas excéder 40 K € »; seed 000: « La proposition d'intervention devra
comporter a minima les éléments suivants »).

The three rules take plain values (dates, labels, amounts) and return a `Flag` or None;
`flags_for` reads them off a proposal whose call, documents and offers are at hand. A flag
says what is wrong; what follows (a late proposal refused) is the call's choice
(`late_proposals_refused`), applied by services.py.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from plie.core import formatting
from plie.purchasing.enums import OfferKind, ProposalFlag

ONE_MINUTE = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class Flag:
    kind: ProposalFlag
    reason: str

    @property
    def label(self) -> str:
        return str(self.kind.label)


def euros(value: Decimal | int | None) -> str:
    return formatting.EUROS.text(value)


def closing_moment(deadline: datetime.datetime) -> datetime.datetime:
    """The first instant that is late: the minute after the deadline's. A call says « à
    17 h » to the minute; a proposal received at 17:00:59 is on time, at 17:01:00 late."""
    return deadline.replace(second=0, microsecond=0) + ONE_MINUTE


def late(received_at: datetime.datetime, deadline: datetime.datetime) -> Flag | None:
    """Seed 001 « pour le 21 décembre 2017, à 17h, dernier délai »: late once the deadline's
    minute is over (received during the minute of the deadline is on time)."""
    if received_at < closing_moment(deadline):
        return None
    delay = received_at - deadline.replace(second=0, microsecond=0)
    return Flag(
        ProposalFlag.LATE,
        f"Reçue le {formatting.moment(timezone.localtime(received_at))}, après la date "
        f"limite du {formatting.moment(timezone.localtime(deadline))} "
        f"({_duration(delay)} de retard).",
    )


def _duration(delay: datetime.timedelta) -> str:
    minutes = int(delay.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d}"
    return f"{hours // 24} jours"


def incomplete(required: Iterable[str], answered: Iterable[str]) -> Flag | None:
    """Seed 000 « La proposition d'intervention devra comporter a minima les éléments
    suivants »: incomplete when a required content has no document; names each missing one."""
    given = set(answered)
    missing = [label for label in required if label not in given]
    if not missing:
        return None
    listed = " ; ".join(f"« {label} »" for label in missing)
    noun = "l'élément demandé" if len(missing) == 1 else "les éléments demandés"
    return Flag(ProposalFlag.INCOMPLETE, f"Il manque {noun} : {listed}.")


def over_cap(price: Decimal | None, cap: Decimal | None) -> Flag | None:
    """Seed 001 « Le coût de l'action ne devra pas excéder 40 K € »: over the cap when the
    price is above it (a price equal to the cap is within it); no cap, no flag."""
    if cap is None or price is None or price <= cap:
        return None
    return Flag(
        ProposalFlag.OVER_CAP,
        f"Prix de {euros(price)}, au-delà du plafond de {euros(cap)} "
        f"({euros(price - cap)} de plus).",
    )


def flags_for(proposal, *, at_deposit: bool = False) -> list[Flag]:
    """The proposal's flags: its call, required contents, documents and offers read as they
    are (prefetched by the caller). `at_deposit`: the price of the offer deposited rather than
    the last one (the deposit receipt says what was true when it was received)."""
    call = proposal.call
    answered = {
        document.required_content_id
        for document in proposal.documents.all()
        if document.required_content_id
    }
    required = list(call.required_contents.all())
    offers = list(proposal.offers.all())
    if at_deposit:
        offers = [offer for offer in offers if offer.kind == OfferKind.INITIAL]
    priced = [offer for offer in offers if offer.price is not None]
    price = max(priced, key=lambda offer: (offer.made_at, offer.pk)).price if priced else None
    found = (
        late(proposal.received_at, call.deadline),
        incomplete(
            [content.label for content in required],
            [content.label for content in required if content.pk in answered],
        ),
        over_cap(price, call.budget_cap),
    )
    return [flag for flag in found if flag is not None]
