"""Data quality (issue 12, helper H4): the people who finished an action (referral COMPLETED)
without the diagnostics that action delivers, computed in the database."""

import datetime

import pytest
from django.utils import timezone

from plie.actions.enums import Diagnostic, Fundamental, Moment, ReferralStatus
from plie.actions.models import FrenchAssessment, MobilityAssessment, SelfAssessment
from plie.reporting import quality
from tests.factories import active_pathway, make_action, make_cohort, refer

pytestmark = pytest.mark.django_db


def finished(referent, diagnostics, *, status=ReferralStatus.COMPLETED, name="Durand"):
    person = active_pathway(
        referent, entry_date=timezone.localdate() - datetime.timedelta(days=90), last_name=name
    ).participant
    action = make_action(diagnostics=diagnostics)
    return refer(person, make_cohort(action, sessions=False), status=status)


def listed():
    return {referral.pk: referral for referral in quality.actions_without_diagnostics()}


def check():
    return next(c for c in quality.CHECKS if c.key == "action-diagnostics")


def test_a_completed_referral_without_its_diagnostics_is_listed_with_what_is_missing(referent):
    referral = finished(referent, [Diagnostic.FRENCH, Diagnostic.MOBILITY])
    FrenchAssessment.objects.create(
        referral=referral, moment=Moment.START, assessed_on=timezone.localdate()
    )
    found = listed()
    assert list(found) == [referral.pk]
    line = check().describe(found[referral.pk])
    assert "manque Mobilité." in line.problem and "Français" not in line.problem
    assert line.links[0].permission == "actions.open_referral"


def test_all_diagnostics_done_or_not_delivered_is_not_listed(referent):
    referral = finished(referent, [Diagnostic.MOBILITY])
    MobilityAssessment.objects.create(
        referral=referral,
        assessed_on=timezone.localdate(),
        driving_licence="none",
        vehicle="none",
        public_transport="autonomous",
        travel_radius_km=10,
    )
    finished(referent, [], name="Petit")
    assert listed() == {}


def test_an_ongoing_referral_is_not_listed(referent):
    finished(referent, [Diagnostic.CLEA], status=ReferralStatus.ACCEPTED)
    assert listed() == {}


def test_the_self_assessment_needs_its_start_and_its_end(referent):
    referral = finished(referent, [Diagnostic.SELF_ASSESSMENT])
    SelfAssessment.objects.create(
        referral=referral, moment=Moment.START, assessed_on=timezone.localdate()
    )
    assert list(listed()) == [referral.pk]
    SelfAssessment.objects.create(
        referral=referral, moment=Moment.END, assessed_on=timezone.localdate()
    )
    assert listed() == {}
    assert len(Fundamental.values) == 6


def test_counted_by_referent(referent, outsider):
    finished(referent, [Diagnostic.CLEA])
    finished(outsider, [Diagnostic.CLEA, Diagnostic.FRENCH], name="Petit")
    measured = quality.measure(check(), timezone.localdate())
    assert measured["total"] == 2
    assert sorted(measured["by_referent"]) == sorted([[referent.pk, 1], [outsider.pk, 1]])
