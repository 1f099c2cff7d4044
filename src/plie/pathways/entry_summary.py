"""Turn a record into the (label, value) lines a page shows, without the lines the
personal-data register calls sensitive when needed."""

from plie.core import formatting
from plie.core.register import sensitive_fields
from plie.participants.eligibility import facts_reading
from plie.participants.enums import HIDDEN_EXIT_REASON, MERGED_WHEN_HIDDEN
from plie.pathways.models import ENTRY_FILE_FIELDS, Pathway
from plie.territory.models import BarrierType

SUMMARY_FIELDS = tuple(
    name for name in ENTRY_FILE_FIELDS if name not in ("barriers", "entry_notes")
)


def _display(pathway: Pathway, name: str) -> str:
    field = pathway._meta.get_field(name)
    value = getattr(pathway, name)
    if value is None or value == "":
        return "Non renseigné"
    if value is True:
        return "Oui"
    if value is False:
        return "Non"
    if field.choices:
        return getattr(pathway, f"get_{name}_display")()
    if hasattr(value, "strftime"):
        return formatting.day(value)
    return str(value)


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def entry_summary(pathway: Pathway, *, show_sensitive: bool) -> list[tuple[str, str]]:
    hidden = frozenset() if show_sensitive else sensitive_fields("pathways.Pathway")
    lines = [
        (_sentence_case(str(pathway._meta.get_field(name).verbose_name)), _display(pathway, name))
        for name in SUMMARY_FIELDS
        if name not in hidden
    ]
    barriers = [b.label for b in pathway.barriers.all() if show_sensitive or not b.is_sensitive]
    lines.append(("Freins périphériques", ", ".join(barriers) or "Aucun renseigné"))
    return lines


def sensitive_facts() -> frozenset[str]:
    """The eligibility criteria that read a sensitive field of the person or the entry file."""
    return facts_reading(
        sensitive_fields("participants.Participant") | sensitive_fields("pathways.Pathway")
    )


def hides_criteria(explanation: dict, *, show_sensitive: bool) -> bool:
    """Whether a criterion of the assessment reads sensitive data this reader may not see."""
    if show_sensitive:
        return False
    sensitive_barriers = set(
        BarrierType.objects.filter(is_sensitive=True).values_list("code", flat=True)
    )
    hidden_facts = sensitive_facts()
    for finding in explanation.get("findings", []):
        fact = finding.get("fact")
        if (
            "fact" not in finding  # written before criteria were named: hide to be safe
            or fact in hidden_facts
            or (fact == "has_barrier" and finding.get("value") in sensitive_barriers)
        ):
            return True
    return False


# The summary of an undecided assessment names what is missing: sensitive criteria among them.
UNDECIDED_HIDDEN = "Impossible de conclure : des informations manquent au dossier d'entrée."


def visible_explanation(explanation: dict, *, show_sensitive: bool) -> tuple[str, list[dict]]:
    """The summary and the lines of an assessment as this reader may read them. When a
    criterion is hidden from the reader, the verdict alone: not the groups' results (« public
    cible : oui »), nor the criteria left visible (beside the verdict, a visible « non » points
    at the hidden « oui »), nor the missing criteria of an undecided one."""
    summary, findings = explanation.get("summary", ""), explanation.get("findings", [])
    if not hides_criteria(explanation, show_sensitive=show_sensitive):
        return summary, findings
    if explanation.get("missing"):
        return UNDECIDED_HIDDEN, []
    return summary, []


# An exit recorded without its reason (taken over from an earlier tool, for instance).
MISSING_EXIT_REASON = "Motif non renseigné"


def exit_reason_label(record, *, show_sensitive: bool) -> str:
    """The exit reason of a pathway or a committee item; « for health reasons » only to
    who may read sensitive data (the others read « Autre motif »)."""
    if not record.exit_reason:
        return MISSING_EXIT_REASON
    if record.exit_reason in MERGED_WHEN_HIDDEN and not show_sensitive:
        return HIDDEN_EXIT_REASON
    return record.get_exit_reason_display()
