"""Calls and proposals through their pages: preparing and publishing a call, the public page,
a deposit in the portal and one keyed in by the team, late ones refused or flagged, the
deposit receipt, and a provider who never sees another's proposal."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from plie.accounts.enums import Role
from plie.core.models import Notice
from plie.core.uploads import store
from plie.purchasing import services
from plie.purchasing.enums import CallStatus, Channel, ProposalStatus
from plie.purchasing.models import CallForProposals, Proposal
from tests.factories import (
    CallForProposalsFactory,
    ProposalFactory,
    ProviderFactory,
    UserFactory,
    make_agreement,
)
from tests.forms import posted

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def a_pdf(name="offre.pdf"):
    return SimpleUploadedFile(name, PDF)


@pytest.fixture
def provider_a(territory):
    return UserFactory(
        username="prestataire.a", role=Role.PROVIDER, organisation=ProviderFactory(name="Élan")
    )


@pytest.fixture
def provider_b(territory):
    return UserFactory(
        username="prestataire.b", role=Role.PROVIDER, organisation=ProviderFactory(name="Tremplin")
    )


def contents(call):
    return list(call.required_contents.all())


# Preparing and publishing ------------------------------------------------------------------


def test_the_coordinator_prepares_a_call_then_publishes_it(client, coordinator):
    client.force_login(coordinator)
    deadline = timezone.localtime() + datetime.timedelta(days=20)
    response = posted(
        client,
        reverse("purchasing:call_create"),
        {
            "procedure": "service",
            "reference": "AAP-2027-01",
            "title": "Évaluation du PLIE",
            "purpose": "Évaluer la plus-value de l'accompagnement.",
            "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
            "budget_cap": "40000",
            "price_formula": "lowest_over_price",
            "tie_rule": "lowest_price",
            "late_proposals_refused": "on",
            "contents-0-label": "Présentation du candidat",
            "contents-1-label": "Proposition financière détaillée",
            "criteria-0-label": "Valeur technique",
            "criteria-0-weight": "40",
            "criteria-1-label": "Équipe",
            "criteria-1-weight": "30",
            "criteria-2-label": "Prix",
            "criteria-2-weight": "30",
            "criteria-2-is_price": "on",
        },
    )
    call = CallForProposals.objects.get(reference="AAP-2027-01")
    assert response.status_code == 302
    assert call.status == CallStatus.DRAFT and call.created_by == coordinator
    assert [c.label for c in call.required_contents.all()] == [
        "Présentation du candidat",
        "Proposition financière détaillée",
    ]
    assert sorted((c.weight, c.is_price) for c in call.criteria.all()) == [
        (30, False),
        (30, True),
        (40, False),
    ]
    # A draft is invisible publicly, its page included.
    assert client.get(reverse("purchasing:public_call", args=[call.pk])).status_code == 404
    client.post(reverse("purchasing:call_publish", args=[call.pk]))
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN and call.published_at is not None


def test_two_price_criteria_are_refused_on_the_form(client, coordinator):
    client.force_login(coordinator)
    call = CallForProposalsFactory(status=CallStatus.DRAFT, criteria=False)
    response = posted(
        client,
        reverse("purchasing:call_edit", args=[call.pk]),
        {
            "criteria-0-label": "Prix",
            "criteria-0-weight": "50",
            "criteria-0-is_price": "on",
            "criteria-1-label": "Coût",
            "criteria-1-weight": "50",
            "criteria-1-is_price": "on",
        },
    )
    assert response.status_code == 200
    assert "Un seul critère est celui du prix" in response.content.decode()
    assert not call.criteria.exists()


def test_publishing_is_refused_with_every_reason(client, coordinator):
    call = CallForProposalsFactory(
        status=CallStatus.DRAFT,
        procedure="service",
        criteria=False,
        deadline=timezone.now() - datetime.timedelta(hours=1),
    )
    call.criteria.create(label="Valeur technique", weight=60)
    client.force_login(coordinator)
    response = client.post(reverse("purchasing:call_publish", args=[call.pk]), follow=True)
    text = response.content.decode()
    assert "Les poids des critères font 60 % au lieu de 100 %" in text
    assert "cochez « critère du prix » sur un critère, et un seul" in text
    assert "est passée : choisissez une date limite à venir" in text
    assert "ajoutez au moins un élément demandé" in text
    call.refresh_from_db()
    assert call.status == CallStatus.DRAFT


def test_the_assistant_keys_in_but_does_not_publish(client, assistant):
    call = CallForProposalsFactory(status=CallStatus.DRAFT)
    client.force_login(assistant)
    assert client.post(reverse("purchasing:call_publish", args=[call.pk])).status_code == 403
    assert client.get(reverse("purchasing:call_detail", args=[call.pk])).status_code == 200


def test_deposits_close_only_after_the_deadline(client, coordinator):
    call = CallForProposalsFactory()
    client.force_login(coordinator)
    client.post(reverse("purchasing:call_close", args=[call.pk]))
    call.refresh_from_db()
    assert call.status == CallStatus.OPEN
    with time_machine.travel(call.deadline + datetime.timedelta(minutes=1)):
        client.force_login(coordinator)
        client.post(reverse("purchasing:call_close", args=[call.pk]))
    call.refresh_from_db()
    assert call.status == CallStatus.INSTRUCTION


# The public page --------------------------------------------------------------------------


def test_the_public_page_lists_open_calls_only_without_an_account(client, territory):
    open_call = CallForProposalsFactory(title="Atelier de remobilisation")
    document = open_call.documents.create(
        title="Cahier des charges", document=store(a_pdf("cdc.pdf"), user=None)
    )
    draft = CallForProposalsFactory(title="Appel secret", status=CallStatus.DRAFT)
    draft_document = draft.documents.create(title="Brouillon", document=store(a_pdf(), user=None))
    closed = CallForProposalsFactory(title="Appel en instruction", status=CallStatus.INSTRUCTION)
    text = client.get(reverse("purchasing:public_calls")).content.decode()
    assert "Atelier de remobilisation" in text
    assert "Appel secret" not in text and "Appel en instruction" not in text
    page = client.get(reverse("purchasing:public_call", args=[open_call.pk])).content.decode()
    assert "Valeur technique : 40 %" in page and "40\u202f000,00\u00a0€" in page
    assert "Présentation du candidat" in page
    got = client.get(reverse("purchasing:public_document", args=[open_call.pk, document.pk]))
    assert got.status_code == 200 and b"".join(got.streaming_content) == PDF
    assert (
        client.get(
            reverse("purchasing:public_document", args=[draft.pk, draft_document.pk])
        ).status_code
        == 404
    )
    assert client.get(reverse("purchasing:public_call", args=[draft.pk])).status_code == 404
    assert client.get(reverse("purchasing:public_call", args=[closed.pk])).status_code == 200


def test_the_public_page_of_an_awarded_call_names_the_provider_and_offers_to_log_in(
    client, territory
):
    call = CallForProposalsFactory(title="Atelier de remobilisation")
    winner = ProposalFactory(call=call)
    ProposalFactory(call=call)
    winner.agreement = make_agreement(winner.provider)
    winner.save()
    CallForProposals.objects.filter(pk=call.pk).update(
        status=CallStatus.AWARDED, awarded_at=timezone.now()
    )
    page = client.get(reverse("purchasing:public_call", args=[call.pk])).content.decode()
    assert "Cet appel a été attribué" in page and str(winner.provider) in page
    assert "Connectez-vous" in page
    listing = client.get(reverse("purchasing:public_calls")).content.decode()
    assert "Atelier de remobilisation" not in listing and "Connectez-vous" in listing


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def test_the_lists_of_calls_read_as_many_queries_for_two_calls_as_for_six(client, coordinator):
    client.force_login(coordinator)
    counts = []
    for _ in range(2):
        for _ in range(2 if not counts else 4):
            ProposalFactory(call=CallForProposalsFactory())
        counts.append(
            (
                queries(client, reverse("purchasing:call_list")),
                queries(client, reverse("purchasing:public_calls")),
            )
        )
    assert counts[0] == counts[1]


def test_the_call_page_flags_its_proposals_in_as_many_queries_for_two_as_for_five(
    client, coordinator
):
    call = CallForProposalsFactory()
    client.force_login(coordinator)
    counts = []
    for prices in ((30000, 41000), (39000, 45000, 20000)):
        for price in prices:
            ProposalFactory(call=call, price=price)
        counts.append(queries(client, reverse("purchasing:call_detail", args=[call.pk])))
    assert counts[0] == counts[1]
    text = client.get(reverse("purchasing:call_detail", args=[call.pk])).content.decode()
    assert text.count("Au-delà du plafond du budget") == 2
    assert text.count("Incomplète") == 5


def test_the_portal_reads_as_many_queries_for_one_proposal_as_for_three(client, provider_a):
    client.force_login(provider_a)
    counts = []
    for number in (1, 2):
        for _ in range(number):
            ProposalFactory(provider=provider_a.organisation)
        counts.append(queries(client, reverse("purchasing:portal")))
    assert counts[0] == counts[1]


# Deposits -----------------------------------------------------------------------------------


def deposit_in_portal(client, call, price="35000", files=True):
    data = {"price": price, "summary": "Ateliers collectifs et entretiens"}
    if files:
        data |= {f"content_{c.pk}": a_pdf(f"{c.label}.pdf") for c in contents(call)}
    return posted(client, reverse("purchasing:portal_deposit", args=[call.pk]), data)


def test_a_provider_deposits_and_gets_its_receipt_at_once(client, provider_a, coordinator):
    call = CallForProposalsFactory(reference="AAP-2027-01")
    colleague = UserFactory(role=Role.PROVIDER, organisation=provider_a.organisation)
    client.force_login(provider_a)
    response = deposit_in_portal(client, call)
    proposal = Proposal.objects.get()
    assert response["Location"] == reverse("purchasing:proposal_detail", args=[proposal.pk])
    assert proposal.provider == provider_a.organisation
    assert proposal.channel == Channel.PORTAL and proposal.status == ProposalStatus.RECEIVED
    assert proposal.receipt_number == "AAP-2027-01-001"
    assert proposal.documents.count() == 2
    assert proposal.offers.get().price == Decimal("35000")
    notices = Notice.objects.order_by("recipient__username")
    assert {n.recipient for n in notices if n.subject.startswith("Accusé de dépôt")} == {
        provider_a,
        colleague,
    }
    assert {n.recipient for n in notices if n.subject.startswith("Proposition reçue")} == {
        coordinator
    }
    page = client.get(response["Location"]).content.decode()
    assert "AAP-2027-01-001" in page and "Aucune réserve" in page
    # A second deposit of the same organisation goes to the first.
    again = client.get(reverse("purchasing:portal_deposit", args=[call.pk]))
    assert again["Location"] == reverse("purchasing:proposal_detail", args=[proposal.pk])


def test_the_receipt_says_when_what_and_the_fingerprints(client, provider_a):
    call = CallForProposalsFactory(reference="AAP-2027-04", budget_cap=40000)
    client.force_login(provider_a)
    moment = timezone.localtime().replace(microsecond=0)
    with time_machine.travel(moment, tick=False):
        deposit_in_portal(client, call, price="41000", files=False)
    proposal = Proposal.objects.get()
    response = client.get(reverse("purchasing:proposal_receipt", args=[proposal.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Attestation de dépôt n° AAP-2027-04-001" in text
    assert moment.strftime("%d/%m/%Y à %H:%M:%S") in text
    assert "Élan" in text
    assert "Au-delà du plafond du budget" in text and "Incomplète" in text


def test_the_receipt_lists_each_document_with_its_sha256(client, provider_a):
    call = CallForProposalsFactory()
    client.force_login(provider_a)
    deposit_in_portal(client, call)
    proposal = Proposal.objects.get()
    response = client.get(reverse("purchasing:proposal_receipt", args=[proposal.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = "".join(text.split())
    for document in proposal.documents.all():
        assert document.document.sha256 in text
    assert "Aucune" in text  # no flag


def test_the_portal_closes_at_the_deadline_when_late_ones_are_refused(client, provider_a):
    deadline = (timezone.now() + datetime.timedelta(days=3)).replace(second=0, microsecond=0)
    call = CallForProposalsFactory(late_proposals_refused=True, deadline=deadline)
    with time_machine.travel(call.deadline + datetime.timedelta(seconds=59)):
        client.force_login(provider_a)
        assert client.get(reverse("purchasing:portal_deposit", args=[call.pk])).status_code == 200
    with time_machine.travel(call.deadline + datetime.timedelta(minutes=1)):
        client.force_login(provider_a)
        response = client.get(reverse("purchasing:portal_deposit", args=[call.pk]))
        assert response["Location"] == reverse("purchasing:portal")
        with pytest.raises(ValidationError, match="clos"):
            services.deposit(
                call=call,
                provider=provider_a.organisation,
                received_at=timezone.now(),
                channel=Channel.PORTAL,
                by=provider_a,
                price=Decimal(1),
                documents=[],
            )
    assert not Proposal.objects.exists()


def test_a_late_portal_deposit_is_flagged_when_late_ones_are_accepted(client, provider_a):
    call = CallForProposalsFactory(late_proposals_refused=False)
    with time_machine.travel(call.deadline + datetime.timedelta(hours=2)):
        client.force_login(provider_a)
        deposit_in_portal(client, call)
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.RECEIVED
    page = client.get(reverse("purchasing:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Reçue après la date limite" in page


def record(client, call, received_at, **more):
    return posted(
        client,
        reverse("purchasing:proposal_record", args=[call.pk]),
        {
            "new_provider_name": "Association Horizon",
            "received_at": timezone.localtime(received_at).strftime("%Y-%m-%dT%H:%M"),
            "channel": "email",
            "price": "38000",
            **more,
        },
    )


def test_the_assistant_keys_in_a_proposal_received_by_email(client, assistant):
    call = CallForProposalsFactory(reference="AAP-2027-02")
    client.force_login(assistant)
    received = timezone.now() - datetime.timedelta(hours=3)
    record(client, call, received, **{f"content_{contents(call)[0].pk}": a_pdf()})
    proposal = Proposal.objects.get()
    assert proposal.provider.name == "Association Horizon" and proposal.provider.is_provider
    assert proposal.channel == Channel.EMAIL and proposal.submitted_by == assistant
    assert proposal.status == ProposalStatus.RECEIVED
    assert proposal.receipt_number == "AAP-2027-02-001"
    page = client.get(reverse("purchasing:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Il manque l&#x27;élément demandé : « Proposition financière »" in page or (
        "Il manque l'élément demandé : « Proposition financière »" in page
    )


def test_a_late_email_is_recorded_refused_with_its_reason(client, assistant):
    call = CallForProposalsFactory(late_proposals_refused=True)
    with time_machine.travel(call.deadline + datetime.timedelta(days=1)):
        client.force_login(assistant)
        record(client, call, call.deadline + datetime.timedelta(minutes=1))
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.REFUSED_LATE
    client.force_login(assistant)
    page = client.get(reverse("purchasing:proposal_detail", args=[proposal.pk])).content.decode()
    assert "(1 min de retard)" in page and "elle n'est pas examinée" in page


def test_a_late_email_is_flagged_but_received_when_late_ones_are_accepted(client, assistant):
    call = CallForProposalsFactory(late_proposals_refused=False)
    with time_machine.travel(call.deadline + datetime.timedelta(days=1)):
        client.force_login(assistant)
        record(client, call, call.deadline + datetime.timedelta(minutes=1))
    assert Proposal.objects.get().status == ProposalStatus.RECEIVED


def test_a_future_reception_is_refused(client, assistant):
    call = CallForProposalsFactory()
    client.force_login(assistant)
    response = record(client, call, timezone.now() + datetime.timedelta(hours=2))
    assert response.status_code == 200 and not Proposal.objects.exists()
    assert "Cette date est à venir" in response.content.decode()


# One provider never sees another's ----------------------------------------------------------


def test_provider_a_never_sees_provider_b_s_proposal(client, provider_a, provider_b):
    call = CallForProposalsFactory()
    theirs = ProposalFactory(
        call=call, provider=provider_b.organisation, summary="Offre confidentielle Tremplin"
    )
    document = theirs.documents.create(document=store(a_pdf("tremplin.pdf"), user=None))
    client.force_login(provider_a)
    for name, args in (
        ("purchasing:proposal_detail", [theirs.pk]),
        ("purchasing:proposal_receipt", [theirs.pk]),
        ("purchasing:proposal_document", [theirs.pk, document.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    portal = client.get(reverse("purchasing:portal")).content.decode()
    assert theirs.receipt_number not in portal and "Tremplin" not in portal
    # B sees its own, and its document download is journaled.
    client.force_login(provider_b)
    assert client.get(reverse("purchasing:proposal_detail", args=[theirs.pk])).status_code == 200
    assert theirs.receipt_number in client.get(reverse("purchasing:portal")).content.decode()
    response = client.get(reverse("purchasing:proposal_document", args=[theirs.pk, document.pk]))
    assert response.status_code == 200
    from auditlog.models import LogEntry

    entry = LogEntry.objects.filter(actor=provider_b).latest("pk")
    assert entry.additional_data["document"].startswith("document de la proposition")


def test_a_referent_sees_no_call_nor_proposal(client, referent):
    proposal = ProposalFactory()
    client.force_login(referent)
    assert client.get(reverse("purchasing:call_list")).status_code == 403
    assert client.get(reverse("purchasing:proposal_detail", args=[proposal.pk])).status_code == 404
    assert client.get(reverse("purchasing:portal")).status_code == 403
