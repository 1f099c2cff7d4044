"""The kinds of journal entries beyond django-auditlog's creations, changes and deletions, as
kept in an entry's `additional_data["event"]`, and their French names on the journal page.
No entry keeps a typed password, a searched name or a sensitive value."""

from django.db import models


class Event(models.TextChoices):
    READ = "read", "Consultation d'un dossier"
    LIST = "list", "Consultation d'une liste"
    DOWNLOAD = "download", "Téléchargement"
    REFUSED = "refused", "Accès refusé"
    DUPLICATE_CHECK = "duplicate_check", "Recherche de doublon"
    LOGIN_FAILED = "login_failed", "Connexion échouée"
    LOCKOUT = "lockout", "Compte bloqué après des échecs de connexion"
    PASSWORD_CHANGED = "password_changed", "Mot de passe changé par son titulaire"
    PASSWORD_RESET = "password_reset", "Mot de passe réinitialisé"
    ROLE_REQUESTED = "role_requested", "Changement de rôle demandé"
    ROLE_APPROVED = "role_approved", "Changement de rôle accordé"
    ROLE_REFUSED = "role_refused", "Changement de rôle refusé"
    ROLE_SET_BY_COMMAND = "role_set_by_command", "Rôle donné en ligne de commande"
    ACCOUNT_UNLOCKED = "account_unlocked", "Compte débloqué"
    SECOND_FACTOR_REMOVED = "second_factor_removed", "Second facteur retiré"
    RETENTION = "retention", "Entrées effacées au terme de leur durée de conservation"


# The groups of the journal page's « Action » filter, beyond create/update/delete.
LOGIN_EVENTS = (Event.LOGIN_FAILED, Event.LOCKOUT)
ACCOUNT_EVENTS = (
    Event.PASSWORD_CHANGED,
    Event.PASSWORD_RESET,
    Event.ROLE_REQUESTED,
    Event.ROLE_APPROVED,
    Event.ROLE_REFUSED,
    Event.ROLE_SET_BY_COMMAND,
    Event.ACCOUNT_UNLOCKED,
    Event.SECOND_FACTOR_REMOVED,
)
READ_EVENTS = (Event.READ, Event.LIST, Event.DOWNLOAD)


def event_of(entry) -> str:
    """The kind of a journal entry; "" for a plain creation, change or deletion. Entries
    written before events were named say it by their keys."""
    data = entry.additional_data or {}
    if data.get("event"):
        return str(data["event"])
    if data.get("refused"):
        return Event.REFUSED
    if any(key in data for key in ("document", "extraction", "export")):
        return Event.DOWNLOAD
    if entry.action == 3 and "participant_id" in data:  # LogEntry.Action.ACCESS
        return Event.READ
    return ""
