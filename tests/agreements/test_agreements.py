"""Agreements end to end through the services and the pages: the schedule created from its
template, amendments and the renewal limit, instalments released by checked deliverables,
payments refused unless due, the payment-order export, and providers kept apart."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from plie.accounts.enums import Role
from plie.agreements import exports, services
from plie.agreements.enums import AmendmentKind, CheckOutcome, InstalmentState
from plie.core.models import Notice
from tests.factories import (
    ProviderFactory,
    UserFactory,
    make_agreement,
    pdf_upload,
    schedule_template,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(territory):
    return UserFactory(username="coordinatrice", role=Role.COORDINATOR)


@pytest.fixture
def provider_user(territory):
    return UserFactory(username="prestataire.a", role=Role.PROVIDER, organisation=ProviderFactory())


def test_the_schedule_is_made_from_its_template_and_rounded(team):
    agreement = make_agreement(amount="39999.99", by=team)
    instalments = list(agreement.instalments.order_by("order"))
    assert [(i.share, i.amount) for i in instalments] == [
        (Decimal(30), Decimal("12000.00")),
        (Decimal(30), Decimal("12000.00")),
        (Decimal(40), Decimal("15999.99")),
    ]
    assert [list(i.deliverables.values_list("kind", flat=True)) for i in instalments] == [
        ["signed_agreement"],
        ["interim_report"],
        ["final_report", "attendance_sheets", "days_statement"],
    ]
    assert agreement.ends_on == agreement.starts_on.replace(year=agreement.starts_on.year + 1) - (
        datetime.timedelta(days=1)
    )
    assert agreement.commitments.count() == 5


def test_a_schedule_that_does_not_add_up_is_refused(team):
    template = schedule_template()
    line = template.lines.get(order=3)
    line.share = Decimal(39)
    line.save()
    with pytest.raises(ValidationError, match="99 % au lieu de 100 %"):
        make_agreement(by=team, schedule_template=template)


def _extend(agreement, by, days=90):
    agreement.refresh_from_db()
    return services.ask_amendment(
        agreement=agreement,
        kind=AmendmentKind.EXTENSION,
        reason="Prolonger",
        asked_on=timezone.localdate(),
        new_ends_on=agreement.ends_on + datetime.timedelta(days=days),
        by=by,
    )


def _decide(amendment, by, validated=True):
    return services.decide_amendment(
        amendment=amendment,
        validated=validated,
        decided_on=timezone.localdate(),
        body="comité de pilotage du 12 mars",
        by=by,
    )


def test_two_extensions_then_the_third_is_refused(team):
    agreement = make_agreement(by=team, signed=True)
    first_end = agreement.ends_on
    _decide(_extend(agreement, team), team)
    agreement.refresh_from_db()
    assert agreement.ends_on == first_end + datetime.timedelta(days=90)
    # A refused and a pending extension do not count.
    _decide(_extend(agreement, team), team, validated=False)
    pending = _extend(agreement, team)
    _decide(_extend(agreement, team), team)
    with pytest.raises(ValidationError, match="troisième renouvellement"):
        _extend(agreement, team)
    # The one still pending cannot be validated either: it would be the third.
    with pytest.raises(ValidationError, match="troisième renouvellement"):
        _decide(pending, team)


def test_an_extension_takes_effect_only_once_validated(team):
    agreement = make_agreement(by=team)
    end = agreement.ends_on
    _extend(agreement, team)
    agreement.refresh_from_db()
    assert agreement.ends_on == end


def _states(agreement):
    return [services.reading(i).state for i in agreement.instalments.order_by("order").all()]


def test_an_instalment_is_blocked_until_its_deliverables_are_checked(team, provider_user):
    agreement = make_agreement(provider_user.organisation, by=team)
    signature = agreement.instalments.get(order=1).deliverables.get()
    assert _states(agreement)[0] == InstalmentState.BLOCKED  # missing, and not signed
    services.sign(agreement=agreement, signed_on=timezone.localdate(), by=team)
    agreement.refresh_from_db()
    services.receive_deliverable(deliverable=signature, uploaded=pdf_upload(), by=provider_user)
    assert Notice.objects.filter(recipient=team, subject__startswith="Livrable reçu").exists()
    reading = services.reading(agreement.instalments.get(order=1))
    assert reading.state == InstalmentState.BLOCKED and "pas encore vérifié" in reading.reasons[0]
    services.check_deliverable(
        deliverable=signature, outcome=CheckOutcome.TO_REDO, comment="page 3 non signée", by=team
    )
    assert (
        "à refaire (page 3 non signée)"
        in services.reading(agreement.instalments.get(order=1)).reasons[0]
    )
    assert Notice.objects.filter(recipient=provider_user, subject__startswith="Livrable vérifié")
    services.receive_deliverable(deliverable=signature, uploaded=pdf_upload(), by=provider_user)
    services.check_deliverable(
        deliverable=signature, outcome=CheckOutcome.ACCEPTED, comment="", by=team
    )
    assert _states(agreement) == [
        InstalmentState.DUE,
        InstalmentState.BLOCKED,
        InstalmentState.BLOCKED,
    ]
    assert (
        Notice.objects.filter(recipient=team, subject__startswith="Échéance à payer").count() == 1
    )
    # Accepted: it is not replaced any more.
    with pytest.raises(ValidationError, match="déjà été accepté"):
        services.receive_deliverable(deliverable=signature, uploaded=pdf_upload(), by=provider_user)
    instalment = agreement.instalments.get(order=1)
    services.record_payment(
        instalment=instalment, paid_on=timezone.localdate(), reference="M-12", by=team
    )
    assert _states(agreement)[0] == InstalmentState.PAID


def test_a_payment_is_refused_when_not_due(team):
    agreement = make_agreement(by=team, signed=True)
    with pytest.raises(ValidationError, match="n'est pas à payer : Bilan intermédiaire"):
        services.record_payment(
            instalment=agreement.instalments.get(order=2),
            paid_on=timezone.localdate(),
            reference="",
            by=team,
        )
    assert not agreement.instalments.filter(paid_on__isnull=False).exists()


def test_a_payment_is_not_dated_before_the_instalment_became_due(team):
    """Accepted today, the interim report's instalment is paid today at the earliest."""
    agreement = make_agreement(by=team, signed=True)
    second = agreement.instalments.get(order=2)
    _accept_all(second, team)
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="ne peut pas la précéder"):
        services.record_payment(
            instalment=second, paid_on=today - datetime.timedelta(days=1), reference="", by=team
        )
    services.record_payment(instalment=second, paid_on=today, reference="M-1", by=team)
    second.refresh_from_db()
    assert second.paid_on == today


def _accept_all(instalment, team):
    for deliverable in instalment.deliverables.all():
        services.receive_deliverable(deliverable=deliverable, uploaded=pdf_upload(), by=team)
        services.check_deliverable(
            deliverable=deliverable, outcome=CheckOutcome.ACCEPTED, comment="", by=team
        )


def test_the_export_lists_only_due_instalments_and_is_journaled(client, team):
    agreement = make_agreement(by=team, signed=True, amount="39999.99")
    _accept_all(agreement.instalments.get(order=1), team)
    _accept_all(agreement.instalments.get(order=2), team)
    services.record_payment(
        instalment=agreement.instalments.get(order=1),
        paid_on=timezone.localdate(),
        reference="",
        by=team,
    )
    other = make_agreement(by=team, signed=True)  # nothing due
    orders = exports.due_orders([agreement, other])
    assert [(o.reference, o.instalment, o.amount) for o in orders] == [
        (agreement.reference, "Au bilan intermédiaire", Decimal("12000.00"))
    ]
    client.force_login(team)
    response = client.get(reverse("agreements:payment_orders_csv"))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [column.header for column in exports.COLUMNS]
    assert len(rows) == 2
    assert rows[1][:6] == [
        agreement.reference,
        str(agreement.provider),
        agreement.title,
        "Au bilan intermédiaire",
        "30",
        "12000",
    ]
    assert rows[1][7] == str(team)
    entry = LogEntry.objects.filter(additional_data__event="download").latest("pk")
    assert entry.actor == team and "Ordres de paiement (CSV)" in entry.additional_data["document"]
    xlsx = client.get(reverse("agreements:payment_orders_xlsx") + f"?convention={agreement.pk}")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_provider_a_never_sees_provider_b(client, team, provider_user):
    mine = make_agreement(provider_user.organisation, by=team, title="Convention-Alpha")
    theirs = make_agreement(ProviderFactory(), by=team, title="Convention-Beta")
    deliverable = theirs.instalments.get(order=1).deliverables.get()
    services.receive_deliverable(deliverable=deliverable, uploaded=pdf_upload(), by=team)
    client.force_login(provider_user)
    listing = client.get(reverse("agreements:agreement_list")).content.decode()
    assert "Convention-Alpha" in listing and "Convention-Beta" not in listing
    assert client.get(reverse("agreements:agreement_detail", args=[mine.pk])).status_code == 200
    for name, args in (
        ("agreements:agreement_detail", [theirs.pk]),
        ("agreements:deliverable_download", [theirs.pk, deliverable.pk]),
        ("agreements:deliverable_upload", [theirs.pk, deliverable.pk]),
    ):
        response = client.get(reverse(name, args=args))
        assert response.status_code in (404, 405), name
        assert client.post(reverse(name, args=args)).status_code == 404, name
    # A deliverable of B's through A's agreement's address is not found either.
    response = client.get(
        reverse("agreements:deliverable_download", args=[mine.pk, deliverable.pk])
    )
    assert response.status_code == 404


def test_the_list_and_the_page_read_a_bounded_number_of_queries(
    client, team, django_assert_max_num_queries
):
    for _ in range(3):
        make_agreement(by=team, signed=True)
    client.force_login(team)
    # 13: the header's count of unread notices is one of them, on every page.
    with django_assert_max_num_queries(13):
        assert client.get(reverse("agreements:agreement_list")).status_code == 200
    for _ in range(3):
        make_agreement(by=team, signed=True)
    with django_assert_max_num_queries(13):
        assert client.get(reverse("agreements:agreement_list")).status_code == 200
    agreement = make_agreement(by=team, signed=True)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("agreements:agreement_detail", args=[agreement.pk]))
    assert "0 prolongation sur 2 permises" in page.content.decode()


def test_the_team_creates_an_agreement_without_a_call(client, team):
    provider = ProviderFactory(name="Mission locale")
    client.force_login(team)
    page = client.get(reverse("agreements:agreement_create"))
    token = page.context["form"].initial["submission"]
    response = client.post(
        reverse("agreements:agreement_create"),
        {
            "provider": provider.pk,
            "title": "Accueil d'un référent",
            "purpose": "Mise à disposition d'un référent de parcours.",
            "commitments": "Mentionner le FSE+\nRemettre les bilans",
            "amount": "24000",
            "starts_on": "2027-01-01",
            "ends_on": "",
            "schedule_template": schedule_template("Appel").pk,
            "submission": token,
        },
    )
    assert response.status_code == 302
    agreement = provider.agreements.get()
    assert agreement.ends_on == datetime.date(2027, 12, 31)
    assert list(agreement.instalments.values_list("amount", flat=True)) == [
        Decimal("12000.00"),
        Decimal("12000.00"),
    ]
    assert list(agreement.commitments.values_list("label", flat=True)) == [
        "Mentionner le FSE+",
        "Remettre les bilans",
    ]
