"""A name of 100 letters without a space wraps: no page grows wider than the screen, on a
phone (375 px) or a laptop (1280 px, and 1200 px where the full menu first shows)."""

import pytest
from django.urls import reverse

from plie.accounts.enums import Role
from tests.browser.test_accessibility import build_dataset
from tests.browser.test_referral_to_entry import log_in
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LONG_NAME = "Wolfeschlegelsteinhausenbergerdorffwelchevoralternwarengewissenhaftschaferswessenschafewarenwohlgepf"


def test_a_hundred_letter_name_wraps_on_every_page_that_shows_it(
    page, live_server, territory, shoot
):
    assert len(LONG_NAME) == 100
    referent = UserFactory(username="referente", role=Role.REFERENT)
    # The header carries the user's name: a long one must not push the page wider either.
    coordinator = UserFactory(
        username="coordinatrice",
        role=Role.COORDINATOR,
        first_name="Marie-Bernadette",
        last_name="de La Tour d'Auvergne-Lauraguais",
    )
    data = build_dataset(referent, coordinator)
    participant = data["followed"]
    participant.last_name = LONG_NAME
    participant.first_name = LONG_NAME[:60]
    participant.save()
    pages = {
        "fiche": reverse("web:participant", args=[participant.pk]),
        "liste": reverse("web:participant_list"),
        "a-suivre": reverse("pathways:worklists"),
        "commission": reverse("committee:meeting_detail", args=[data["meetings"][0].pk]),
        "contact": reverse("pathways:contact_add", args=[participant.pk, 1]),
        "modifier": reverse("participants:edit", args=[participant.pk]),
    }
    log_in(page, live_server, "coordinatrice")
    too_wide = []
    for width in (375, 1200, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in pages.items():
            page.goto(live_server.url + url)
            assert LONG_NAME.upper() in page.content() or LONG_NAME in page.content(), name
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                too_wide.append(f"{name} à {width} px : {scroll_width} px de large")
            shoot(f"nom-long-{name}-{width}")
    assert not too_wide, "\n".join(too_wide)
