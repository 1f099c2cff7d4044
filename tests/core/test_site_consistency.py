"""Every page: lang="fr", exactly one <h1>, every form control labelled, no "None" shown."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests.factories import MeetingFactory, ParticipantFactory, PathwayFactory, ReferralFactory
from tests.pathways.test_pathway_pages import page_urls as pathway_page_urls


def pathway_pages(referent):
    return list(pathway_page_urls(referent).values())


pytestmark = pytest.mark.django_db


class PageAudit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang = None
        self.h1 = 0
        self.controls = []  # (id, has aria-label)
        self.label_targets = set()
        self.in_label = 0
        self.wrapped = 0
        self.text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "label":
            self.in_label += 1
            if attrs.get("for"):
                self.label_targets.add(attrs["for"])
        elif tag in ("input", "select", "textarea"):
            if attrs.get("type") in ("hidden", "submit", "button"):
                return
            if self.in_label:
                self.wrapped += 1
                return
            self.controls.append(
                (attrs.get("id"), bool(attrs.get("aria-label") or attrs.get("aria-labelledby")))
            )

    def handle_endtag(self, tag):
        if tag == "label":
            self.in_label -= 1

    def handle_data(self, data):
        self.text.append(data)


def audit(html):
    parser = PageAudit()
    parser.feed(html)
    return parser


@pytest.fixture
def pages(referent):
    participant = ParticipantFactory(referent=referent, status="entry_in_progress")
    referral = ReferralFactory(participant=participant, status="met")
    PathwayFactory(participant=participant, referral=referral)
    meeting = MeetingFactory()
    return [
        *pathway_pages(referent),
        reverse("web:home"),
        reverse("web:participant_list"),
        reverse("participants:referral_create"),
        reverse("participants:outreach"),
        reverse("web:participant", args=[participant.pk]),
        reverse("participants:edit", args=[participant.pk]),
        reverse("pathways:entry_file", args=[participant.pk, 1]),
        reverse("committee:propose_entry", args=[participant.pk, 1]),
        reverse("committee:committee_list"),
        reverse("committee:meeting_detail", args=[meeting.pk]),
        reverse("web:journal"),
        reverse("reporting:quarterly_review"),
        reverse("reporting:cohort"),
        reverse("reporting:key_figures"),
        reverse("reporting:dashboard"),
        reverse("reporting:definitions"),
        reverse("pathways:worklists"),
        reverse("pathways:worklist", args=["sans-contact"]),
        reverse("pathways:caseloads"),
    ]


def test_login_page_is_consistent(client, territory):
    page = audit(client.get(reverse("accounts:login")).content.decode())
    assert page.lang == "fr"
    assert page.h1 == 1
    assert all(
        control_id in page.label_targets or labelled for control_id, labelled in page.controls
    )


@pytest.mark.parametrize(
    "role", ["referent", "coordinator", "assistant", "steering_viewer", "provider"]
)
def test_every_page_a_role_can_open_is_consistent(client, request, pages, role):
    client.force_login(request.getfixturevalue(role))
    opened = 0
    for url in pages:
        response = client.get(url, follow=True)
        if response.status_code != 200:
            continue
        opened += 1
        page = audit(response.content.decode())
        assert page.lang == "fr", url
        assert page.h1 == 1, f"{url}: {page.h1} <h1>"
        unlabelled = [
            cid for cid, labelled in page.controls if not labelled and cid not in page.label_targets
        ]
        assert not unlabelled, f"{url}: champs sans étiquette {unlabelled}"
        text = " ".join(page.text)
        assert " None" not in text and ">None<" not in response.content.decode(), url
    assert opened >= 1
