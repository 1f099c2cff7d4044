"""Attendance at a session (issue 12, §3): who is expected, what the provider records for each
(present, absent, excused: one form, saved at once), and the signed attendance sheet uploaded
against the session. The names shown come from `actions.sharing`, never more."""

from __future__ import annotations

import dataclasses

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from plie.actions.enums import TOOK_PART, Presence, ReferralStatus, SessionStatus, SheetKind
from plie.actions.models import ActionReferral, Attendance, FollowUpSheet, Session
from plie.actions.sharing import ALWAYS_SHARED, shared_values
from plie.core.collation import french_sorted
from plie.core.uploads import check_document, store

LEFT = (ReferralStatus.COMPLETED, ReferralStatus.DROPPED_OUT)
SCAN_TYPES = ("application/pdf", "image/jpeg", "image/png")


def referrals_of_cohorts(cohorts):
    """The referrals that hold a place in `cohorts` (accepted, or ended after they started),
    each annotated `final_sheet_sent`, with what `shared_values` and the names read."""
    final_sent = FollowUpSheet.objects.filter(
        referral=OuterRef("pk"), kind=SheetKind.FINAL, sent_at__isnull=False
    )
    return (
        ActionReferral.objects.filter(cohort__in=cohorts, status__in=TOOK_PART)
        .annotate(final_sheet_sent=Exists(final_sent))
        .select_related("participant", "pathway")
        .order_by("participant__last_name", "participant__first_name", "pk")
    )


def out_of_provider_lists(referral) -> bool:
    """Left the action and its final follow-up sheet sent (rules.in_provider_lists, read from
    the annotation of `referrals_of_cohorts`)."""
    return referral.status in LEFT and referral.final_sheet_sent


def expected(session: Session, *, for_provider: bool) -> list[ActionReferral]:
    """The people a session concerns: its cohort's (its one person for an interview), unless
    they had left the action before its date; for a provider, without those gone from its
    lists."""
    referrals = referrals_of_cohorts([session.cohort_id]).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=session.date) | ~Q(status__in=LEFT)
    )
    if session.referral_id:
        referrals = referrals.filter(pk=session.referral_id)
    return french_order(r for r in referrals if not (for_provider and out_of_provider_lists(r)))


def french_order(referrals) -> list[ActionReferral]:
    """In French alphabetical order of the names (« Étienne » between « Dos Santos » and
    « Fournier »: the database compares bytes)."""
    return french_sorted(
        referrals, key=lambda r: f"{r.participant.last_name} {r.participant.first_name}"
    )


def name(referral) -> str:
    """The person's name as the provider reads it (the values `sharing` always passes)."""
    values = shared_values(referral)[: len(ALWAYS_SHARED)]
    last, first = (v.value for v in values)
    return f"{last.upper()} {first}"


@dataclasses.dataclass(frozen=True)
class Row:
    referral: ActionReferral
    name: str
    presence: str  # "" while not recorded


def rows(session: Session, *, for_provider: bool) -> list[Row]:
    """Each expected person with what is recorded of them at this session."""
    people = expected(session, for_provider=for_provider)
    marks = dict(
        Attendance.objects.filter(session=session, referral__in=people).values_list(
            "referral_id", "presence"
        )
    )
    return [Row(r, name(r), marks.get(r.pk, "")) for r in people]


def _check_can_record(session: Session) -> None:
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(
            "Cette séance est annulée : il n'y a pas de présences à noter. Si elle a eu lieu, "
            "rétablissez-la d'abord depuis la page du groupe."
        )
    if session.date > timezone.localdate():
        raise ValidationError(
            "Cette séance n'a pas encore eu lieu : notez les présences le jour même ou après. "
            "La feuille d'émargement, elle, s'imprime dès maintenant."
        )


@transaction.atomic
def record_attendance(*, session: Session, presences: dict[int, str], by) -> int:
    """Save the presence of each person given (referral id → `Presence`), all or nothing;
    a person left blank keeps what was recorded. Returns how many were saved."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    _check_can_record(session)
    allowed = {r.pk for r in expected(session, for_provider=False)}
    unknown = set(presences) - allowed
    if unknown:
        raise ValidationError(
            "Une des personnes n'est pas attendue à cette séance : rechargez la page et "
            "notez de nouveau les présences."
        )
    saved = 0
    for referral_id, presence in presences.items():
        if presence not in Presence.values:
            raise ValidationError("Choisissez présent(e), absent(e) ou absence excusée.")
        Attendance.objects.update_or_create(
            session=session,
            referral_id=referral_id,
            defaults={"presence": presence, "recorded_by": by},
        )
        saved += 1
    return saved


@transaction.atomic
def attach_signed_sheet(*, session: Session, uploaded, by) -> Session:
    """Keep the signed attendance sheet (a scan: PDF or photo) against the session; a new
    one replaces the previous (kept in the store, named in the journal)."""
    session = Session.objects.select_for_update().get(pk=session.pk)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(
            {"document": "Cette séance est annulée : elle n'a pas de feuille d'émargement."}
        )
    if check_document(uploaded) not in SCAN_TYPES:
        raise ValidationError(
            {"document": "Envoyez la feuille signée en PDF, ou sa photo en JPEG ou en PNG."}
        )
    session.signed_sheet = store(uploaded, user=by)
    session.save()
    return session
