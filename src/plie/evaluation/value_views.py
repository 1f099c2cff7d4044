"""The added value of an action (issue 13, §3): its page, its PDF, and the list of actions
that leads to them (the steering committee's way in). Aggregates only, never a name: the
small-count rule (core.suppression) applies to every reader but the coordinator and the
project officers, and to the PDF whoever prints it (it may go to the committee)."""

from __future__ import annotations

import dataclasses

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from plie.accounts.rules import is_case_lead, is_provider
from plie.actions.models import Action
from plie.actions.rules import runs_the_action
from plie.core import formatting
from plie.core.pdf import pdf_response, render_pdf
from plie.core.suppression import HIDE_SMALL, SHOW_ALL, SmallCounts
from plie.evaluation import matching
from plie.evaluation.added_value import added_value as measure

PERMISSION = "evaluation.view_added_value"
MINUS = "\u2212"


def _action_for(user, pk: int) -> Action:
    """The action (404 if none, or another provider's: a provider never learns it exists),
    refused (403) without the permission."""
    action = get_object_or_404(
        Action.objects.select_related("agreement__provider", "programme"), pk=pk
    )
    if is_provider.test(user) and not runs_the_action.test(user, action):
        raise Http404("Cette page n'existe pas ou ne vous est pas ouverte.")
    if not user.has_perm(PERMISSION, action):
        raise PermissionDenied("Vous ne pouvez pas lire la plus-value de cette action.")
    return action


def _signed(value: float, decimals: int, unit: str) -> str:
    text = formatting.number(value, decimals)
    if text.lstrip("-") != "0" and not text.startswith("-"):
        text = "+" + text
    return text.replace("-", MINUS) + formatting.BEFORE_UNIT + unit


@dataclasses.dataclass(frozen=True)
class Row:
    """One outcome as the page and the PDF write it."""

    label: str
    verdict: str
    treated: object  # a count, or its mark when hidden
    controls: object
    treated_value: str = ""
    control_value: str = ""
    difference: str = ""
    interval: str = ""
    sentence: str = ""


def _value(outcome: matching.Outcome, value: float | None) -> str:
    if value is None:
        return formatting.NOT_COMPUTABLE
    return formatting.percent(value) if outcome.is_share else formatting.DAYS.text(value)


def _difference(outcome: matching.Outcome, value: float) -> str:
    return _signed(value * 100, 0, "points") if outcome.is_share else _signed(value, 0, "jours")


def _shown(value) -> str:
    return formatting.count(value) if isinstance(value, int) else str(value)


def _sentence(comparison: matching.Comparison, audience: SmallCounts) -> str:
    outcome = comparison.outcome
    if comparison.verdict == matching.TOO_SHORT:
        observed = (
            "aucun participant apparié n'a encore ce recul"
            if comparison.treated == 0
            else f"seuls {_shown(audience.count(comparison.treated))} participants appariés "
            "ont ce recul"
        )
        return (
            f"Suivi trop court pour conclure : ce résultat se lit {outcome.months} mois après le "
            f"début de l'action, et {observed} (il en faut au moins {matching.MIN_PER_OUTCOME})."
        )
    if comparison.verdict == matching.TOO_SMALL:
        return (
            "Trop peu de personnes pour conclure : il faut au moins "
            f"{matching.MIN_PER_OUTCOME} participants et {matching.MIN_PER_OUTCOME} personnes "
            f"comparables suivis {outcome.months} mois."
        )
    assert comparison.low is not None and comparison.high is not None
    assert comparison.difference is not None
    if comparison.low <= 0 <= comparison.high:
        return (
            "Pas d'écart démontré : l'intervalle de confiance contient 0, la différence peut "
            "venir du hasard."
        )
    favourable = (comparison.difference > 0) == outcome.better_when_higher
    return "Écart significatif (au seuil de 5 %), " + (
        "en faveur des participants de l'action." if favourable else "en leur défaveur."
    )


def rows(evaluation: matching.Evaluation, audience: SmallCounts) -> list[Row]:
    shown = []
    for comparison in evaluation.comparisons:
        outcome = comparison.outcome
        row = Row(
            outcome.label,
            comparison.verdict,
            audience.count(comparison.treated),
            audience.count(comparison.controls),
            sentence=_sentence(comparison, audience),
        )
        if comparison.verdict == matching.RESULT:
            assert comparison.difference is not None
            assert comparison.low is not None and comparison.high is not None
            row = dataclasses.replace(
                row,
                treated_value=_value(outcome, comparison.treated_value),
                control_value=_value(outcome, comparison.control_value),
                difference=_difference(outcome, comparison.difference),
                interval=(
                    f"de {_difference(outcome, comparison.low)} "
                    f"à {_difference(outcome, comparison.high)}"
                ),
            )
        shown.append(row)
    return shown


def _context(action: Action, audience: SmallCounts, *, for_print: bool = False) -> dict:
    evaluation = measure(action, timezone.localdate())
    return {
        "action": action,
        "evaluation": evaluation,
        "rows": rows(evaluation, audience),
        "participants": audience.count(evaluation.participants),
        "matched_treated": audience.count(evaluation.matched_treated),
        "matched_controls": audience.count(evaluation.matched_controls),
        "unmatched_treated": audience.count(evaluation.matching.unmatched_treated),
        "strata": len(evaluation.matching.strata),
        "matched_on": [label for label, _ in matching.MATCHED_ON],
        "minimum": matching.MIN_MATCHED_TREATED,
        "minimum_per_outcome": matching.MIN_PER_OUTCOME,
        "hides": audience.hides,
        "for_print": for_print,
    }


@login_required
@require_safe
@permission_required("evaluation.view_added_values", raise_exception=True)
def added_value_list(request):
    actions = Action.objects.select_related("agreement__provider").order_by("-starts_on", "title")
    if is_provider.test(request.user):
        actions = actions.of_provider(request.user.organisation_id)
    return render(request, "evaluation/added_value_list.html", {"actions": actions})


@login_required
@require_safe
def added_value(request, pk: int):
    action = _action_for(request.user, pk)
    audience = SHOW_ALL if is_case_lead.test(request.user) else HIDE_SMALL
    return render(request, "evaluation/added_value.html", _context(action, audience))


@login_required
@require_safe
def added_value_pdf(request, pk: int):
    action = _action_for(request.user, pk)
    content = render_pdf(
        "evaluation/added_value_pdf.html",
        _context(action, HIDE_SMALL, for_print=True),
        programme=action.programme,
    )
    return pdf_response(content, f"plus-value-action-{action.pk}.pdf")
