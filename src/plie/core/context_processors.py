"""The main menu, built from the user's permissions so a role never sees a link it cannot use."""

from django.urls import reverse

from plie.territory.models import Programme


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": [], "programme": None}
    items = []
    if user.has_perm("participants.view_participant_list"):
        items.append(
            (
                "Mes participants" if user.is_referent else "Participants",
                reverse("participants:list"),
            )
        )
    if user.has_perm("participants.add_referral"):
        items.append(("Nouvelle orientation", reverse("participants:referral_create")))
    if user.has_perm("pathways.view_worklists"):
        items.append(("À suivre", reverse("pathways:worklists")))
    if user.has_perm("pathways.view_worklists"):
        items.append(("Sorties", reverse("pathways:exits")))
    if user.has_perm("participants.view_outreach_worklist"):
        items.append(("Aller-vers", reverse("participants:outreach")))
    if user.has_perm("committee.view_committee"):
        items.append(("Commissions", reverse("committee:committee_list")))
    # Steering pages share one drop-down, so that the menu fits a laptop screen.
    steering = []
    if user.has_perm("pathways.view_caseloads"):
        steering.append(("Files actives", reverse("pathways:caseloads")))
    if user.has_perm("reporting.view_key_figures"):
        steering.append(("Chiffres clés", reverse("reporting:key_figures")))
    if user.has_perm("reporting.view_dashboard"):
        steering.append(("Tableau de bord", reverse("reporting:dashboard")))
    if user.has_perm("reporting.view_key_figures"):
        steering.append(("Étude de cohorte", reverse("reporting:cohort")))
    if user.has_perm("reporting.view_quarterly_review"):
        steering.append(("Point d'étape trimestriel", reverse("reporting:quarterly_review")))
    if user.has_perm("reporting.view_key_figures") or user.has_perm("reporting.view_dashboard"):
        steering.append(("Définitions des indicateurs", reverse("reporting:definitions")))
    if user.has_perm("reporting.view_data_quality"):
        steering.append(("Qualité des données", reverse("reporting:quality")))
    if user.has_perm("reporting.request_extraction"):
        steering.append(("Extractions", reverse("reporting:extractions")))
    if user.has_perm("audit.view_journal"):
        steering.append(("Journal", reverse("audit:journal")))
    if user.is_staff:
        items.append(("Administration", reverse("admin:index")))
    # The active entry is the longest menu address the current page starts with.
    urls = [url for _, url in items + steering]
    matching = [url for url in urls if request.path.startswith(url)]
    active = max(matching, key=len, default=None)
    menu = [{"label": label, "url": url, "active": url == active} for label, url in items]
    if steering:
        children = [
            {"label": label, "url": url, "active": url == active} for label, url in steering
        ]
        menu.append(
            {
                "label": "Pilotage",
                "children": children,
                "active": any(child["active"] for child in children),
            }
        )
    return {"menu": menu, "programme": Programme.current()}
