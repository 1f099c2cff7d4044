"""The journal's entries that are not a change of a record, in French: pages and lists seen,
documents taken, searches for duplicates, logins refused, accounts changed, entries removed
at the end of their keeping time (audit/events.py). Each names what happened, never a typed
password or name."""

from plie.accounts.enums import Role
from plie.audit.events import Event, event_of
from plie.audit.journal import EMPTY, Change
from plie.core.plurals import counted

LISTED_NUMBERS = 20  # file numbers written out on a list's line; the rest are counted


def _listed(ids, numbers: dict) -> str:
    named = [f"n° {numbers[pk]}" if pk in numbers else f"personne n° {pk}" for pk in ids]
    more = len(named) - LISTED_NUMBERS
    shown = ", ".join(named[:LISTED_NUMBERS])
    return shown + (f" et {counted(more, 'un autre dossier')}" if more > 0 else "")


def _page(data: dict) -> list[Change]:
    rows = [Change("Page", note=str(data["page"]))] if data.get("page") else []
    if data.get("method"):
        status = data.get("status")
        note = "formulaire envoyé"
        if status and int(status) >= 400:
            note += ", réaffiché avec ses erreurs"
        rows.append(Change("Envoi", note=note))
    if data.get("fragment"):
        rows.append(Change("Affichage", note="partie de page mise à jour (htmx)"))
    return rows


def _role(value) -> str:
    try:
        return str(Role(value).label)
    except ValueError:
        return str(value or EMPTY)


def _documents(data: dict) -> list[Change]:
    rows = [Change("Document", note=str(data.get("document", "")))]
    if "dossiers" in data:
        rows.append(Change("Dossiers", note=str(data["dossiers"])))
    extraction = data.get("extraction")
    if isinstance(extraction, dict):
        rows.append(
            Change("Période", note=f"du {extraction.get('du', '')} au {extraction.get('au', '')}")
        )
        rows.append(Change("Lignes", note=str(extraction.get("lignes", ""))))
        if extraction.get("données sensibles"):
            rows.append(Change("Colonnes sensibles", note="oui"))
    export = data.get("export")
    if isinstance(export, dict):
        rows.append(Change("Fichier", note=str(export.get("fichier", ""))))
    return rows


def describe_event(entry, *, numbers: dict) -> list[Change]:
    """The detail of an entry that is not a change of a record; `numbers` gives the file
    number of the participant ids it names (those still in the database)."""
    data = entry.additional_data or {}
    event = event_of(entry)
    ids = data.get("participant_ids") or []
    if event == Event.READ:
        return _page(data)
    if event == Event.LIST:
        return [
            Change(
                "Dossiers affichés", note=f"{len(ids)} : {_listed(ids, numbers)}" if ids else "0"
            ),
            *_page(data),
        ]
    if event == Event.DOWNLOAD:
        rows = _documents(data)
        if ids:
            rows.append(Change("Personnes nommées", note=_listed(ids, numbers)))
        return rows
    if event == Event.DUPLICATE_CHECK:
        outside = data.get("outside_scope") or []
        rows = [Change("Dossiers trouvés", note=_listed(ids, numbers) if ids else "aucun")]
        if outside:
            rows.append(
                Change(
                    "Hors de ses dossiers (numéro ni référent non montrés)",
                    note=_listed(outside, numbers),
                )
            )
        return rows
    if event == Event.LOGIN_FAILED:
        rows = [
            Change(
                "Identifiant",
                note="celui de ce compte" if entry.object_pk else "inconnu (non gardé)",
            )
        ]
        if data.get("locked"):
            rows.append(
                Change("Pendant un blocage", note="oui : la tentative n'a pas été examinée")
            )
        return rows
    if event == Event.LOCKOUT:
        return [Change("Blocage", note=str(data.get("detail", "")))]
    if event in (Event.PASSWORD_CHANGED, Event.PASSWORD_RESET):
        return [Change("Mot de passe", note="changé (le journal ne garde jamais sa valeur)")]
    if event in (
        Event.ROLE_REQUESTED,
        Event.ROLE_APPROVED,
        Event.ROLE_REFUSED,
        Event.ROLE_SET_BY_COMMAND,
    ):
        rows = [Change("Rôle", before=_role(data.get("from")), after=_role(data.get("to")))]
        if data.get("requested_by"):
            rows.append(Change("Demandé par", note=str(data["requested_by"])))
        return rows
    if event == Event.RETENTION:
        return [
            Change("Entrées effacées", note=str(data.get("removed", 0))),
            Change("Antérieures au", note=str(data.get("before", ""))),
        ]
    return []
