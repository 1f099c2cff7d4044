"""Turn a record into the (label, value) lines a page shows, without sensitive ones when needed."""

from plie.core import formatting
from plie.participants.eligibility import SENSITIVE_FACTS
from plie.participants.enums import HIDDEN_EXIT_REASON, MERGED_WHEN_HIDDEN
from plie.participants.forms import SENSITIVE_PATHWAY_FIELDS
from plie.participants.models import Pathway
from plie.territory.models import BarrierType

SUMMARY_FIELDS = (
    "labour_market_status",
    "registered_job_seeker",
    "out_of_work_since",
    "education_level",
    "highest_diploma",
    "lacks_basic_skills",
    "receives_rsa",
    "receives_other_minimum_benefits",
    "single_parent",
    "dependent_children",
    "homeless_or_housing_exclusion",
    "disability",
    "long_term_illness",
    "followed_by_cap_emploi",
    "justice_measure",
    "far_from_institutions",
    "siae_employee",
    "wishes_to_commit",
    "project_maturity",
    "autonomy",
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
    lines = [
        (_sentence_case(str(pathway._meta.get_field(name).verbose_name)), _display(pathway, name))
        for name in SUMMARY_FIELDS
        if show_sensitive or name not in SENSITIVE_PATHWAY_FIELDS
    ]
    barriers = [b.label for b in pathway.barriers.all() if show_sensitive or not b.is_sensitive]
    lines.append(("Freins périphériques", ", ".join(barriers) or "Aucun renseigné"))
    return lines


def visible_findings(explanation: dict, *, show_sensitive: bool) -> list[dict]:
    """The explanation's lines; for a user who may not see sensitive data, the result and
    detail of sensitive criteria are replaced by "réservé" (the verdict stays visible)."""
    findings = explanation.get("findings", [])
    if show_sensitive:
        return findings
    sensitive_barriers = set(
        BarrierType.objects.filter(is_sensitive=True).values_list("code", flat=True)
    )
    shown = []
    for finding in findings:
        fact = finding.get("fact")
        hidden = (
            "fact" not in finding  # written before criteria were named: hide to be safe
            or fact in SENSITIVE_FACTS
            or (fact == "has_barrier" and finding.get("value") in sensitive_barriers)
        )
        shown.append({**finding, "result": "hidden", "detail": ""} if hidden else finding)
    return shown


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
