"""The coordinator opens the key figures and the dashboard: the charts, inline SVG, render
under the site's strict Content-Security-Policy without a single console error."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from plie.accounts.enums import Role
from plie.participants.enums import ExitReason, PathwayStatus
from tests.browser.test_referral_to_entry import log_in
from tests.factories import StepFactory, UserFactory, active_pathway

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_dashboard_charts_render_under_the_csp(
    page, live_server, territory, shoot, console_errors
):
    today = timezone.localdate()
    start = datetime.date(today.year, 1, 1)
    referent = UserFactory(username="referente", role=Role.REFERENT)
    UserFactory(username="coordinatrice", role=Role.COORDINATOR)
    for _ in range(6):
        pathway = active_pathway(referent, entry_date=start)
    StepFactory(pathway=pathway, start_date=start)
    pathway.status = PathwayStatus.EXITED
    pathway.exit_date = today
    pathway.exit_reason = ExitReason.POSITIVE
    pathway.exit_condition_label = "Emploi durable"
    pathway.save()

    log_in(page, live_server, "coordinatrice")
    page.goto(f"{live_server.url}/chiffres-cles/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Chiffres clés {today.year}")
    shoot("dashboard-01-chiffres-cles")

    page.get_by_role("button", name="Pilotage").click()
    page.get_by_role("link", name="Tableau de bord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
    for title in (
        "File active en fin de mois, avec et sans étape en cours",
        "Entrées et sorties par mois",
        "Sorties positives par condition remplie",
        "Personnes accompagnées par commune de résidence",
        "Personnes accompagnées par quartier prioritaire (QPV)",
    ):
        expect(page.get_by_role("heading", level=2, name=title)).to_be_visible()
        chart = page.get_by_role("img", name=title)
        expect(chart).to_be_visible()
        assert chart.bounding_box()["height"] > 100  # drawn, not collapsed
    # Bars are painted with their colour (a blocked style would leave them black).
    bar_fill = page.locator("#graphique-entrees-sorties path[fill='#0072b2']").first
    assert bar_fill.evaluate("element => getComputedStyle(element).fill") == "rgb(0, 114, 178)"
    shoot("dashboard-02-tableau-de-bord")
    assert console_errors == []
